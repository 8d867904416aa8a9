"""Helpers for the ``tracker import`` tests: the CLI tests' own helpers
(tests/cli/cli_helpers.py: ``ok``, ``json_of``, ``failed_cleanly``, ``dump``),
a CliRunner bound to a database, files written for a test, and what the
database holds, counted or dumped."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from click.testing import CliRunner, Result

# tests/cli is not a package: its helpers are imported by name, as its own
# tests do (pytest puts tests/cli on sys.path only when it collects them).
_CLI_TESTS = str(Path(__file__).resolve().parents[1] / "cli")
if _CLI_TESTS not in sys.path:
    sys.path.insert(0, _CLI_TESTS)

from cli_helpers import Invoke, dump, failed_cleanly, json_of, ok  # noqa: E402

# ../shared/data beside the repository: real data, never copied into it.
SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
LIAR = SHARED_DATA / "liar-valid.tsv"

# What a person would call "the records": everything but the bookkeeping of
# imports and the audit log.
RECORD_TABLES = (
    "quotes",
    "claims",
    "speakers",
    "speaker_roles",
    "speaker_aliases",
    "sources",
    "reviews",
    "claim_quotes",
    "quote_tags",
    "claim_tags",
    "record_keys",
)

REPORT_KEYS = {
    "read",
    "inserted",
    "updated",
    "unchanged",
    "rejected",
    "speakers_created",
    "speakers_matched",
    "rejects",
    "dry_run",
    "import_id",
}

__all__ = [
    "LIAR",
    "RECORD_TABLES",
    "REPORT_KEYS",
    "Invoke",
    "cli_for",
    "counts",
    "dump",
    "failed_cleanly",
    "json_of",
    "ok",
    "one_line",
    "records_dump",
    "scalar",
    "write",
]


def cli_for(db_path: Path, user: str = "cli-tester") -> Invoke:
    """``run("import", FILE, "--json", user="someone")`` runs
    ``tracker --db db_path --user USER import FILE --json``."""
    from tracker.cli import cli

    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None, user: str = user) -> Result:
        return runner.invoke(cli, ["--db", str(db_path), "--user", user, *args], input=input)

    return run


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """A file for the test; text is written as UTF-8 exactly as given."""
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def scalar(db_path: Path, sql: str, *params: object) -> object:
    con = sqlite3.connect(db_path)
    try:
        row = con.execute(sql, params).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def counts(db_path: Path) -> dict[str, int]:
    """Rows in each record table."""
    return {t: int(scalar(db_path, f"SELECT count(*) FROM {t}") or 0) for t in RECORD_TABLES}


def records_dump(db_path: Path) -> list[str]:
    """The dump without the audit log, the imports' bookkeeping, the id
    counters and the tag vocabulary: what an undo must give back."""
    skip = ("audit_log", "imports", "import_created", "sqlite_sequence", "tags")
    return [
        line
        for line in dump(db_path)
        if not any(line.startswith(f"INSERT INTO {t} ") for t in skip)
        and not any(line.startswith(f'INSERT INTO "{t}" ') for t in skip)
    ]


def one_line(text: str) -> str:
    """Human output with Rich's line wrapping undone."""
    return " ".join(text.split())
