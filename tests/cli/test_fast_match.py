"""``tracker speakers match`` reads a saved speaker index and the database
with sqlite3 (tracker.services.fast_match) when it can: what it prints is
byte for byte what the services path prints, after other processes' changes
too (the copy is caught up from the audit log), and anything it cannot
answer goes through the services. That it imports no SQLAlchemy is checked
in a fresh interpreter by tests/test_layering.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import Runs
from click.testing import Result

from tracker import services as svc
from tracker.db.database import sqlite_file
from tracker.services import index_snapshot
from tracker.services.speakers import RoleInput

pytestmark = pytest.mark.sqlite_only("the saved speaker index is kept for SQLite files only")

QUERIES = [
    "Stephanophoulos",
    "Biden",
    "President Biden",
    "the U.S. president",
    "Lavrov",
    "Kugelman",
    "Obama",
    "Nobody Atall",
]


@pytest.fixture
def demo_file(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    return path


class Matches:
    """``tracker --db DEMO_FILE speakers match ...``, read directly or not."""

    def __init__(self, runs: Runs, target: Path) -> None:
        self._runs = runs
        self.target = target

    @property
    def answers(self) -> list[object]:
        return self._runs.answers

    def run(self, *args: str, stdin: str | None = None) -> Result:
        return self._runs.run(self.target, *args, stdin=stdin)

    def services(self, *args: str, stdin: str | None = None) -> Result:
        return self._runs.services(self.target, *args, stdin=stdin)

    def same(self, *args: str, stdin: str | None = None) -> str:
        return self._runs.same(self.target, *args, stdin=stdin)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch, demo_file: Path) -> Matches:
    return Matches(Runs(monkeypatch), demo_file)


def saved_copy(path: Path) -> Path:
    file = sqlite_file(f"sqlite:///{path}")
    assert file is not None
    return index_snapshot.path_for_file(file)


def test_without_a_saved_copy_the_services_build_one(runs: Matches, demo_file: Path) -> None:
    assert not saved_copy(demo_file).exists()
    first = runs.run("speakers", "match", "Stephanophoulos", "--json")
    assert first.exit_code == 0 and runs.answers == [None]
    assert '"decision": "same"' in first.stdout
    assert saved_copy(demo_file).exists()
    assert runs.same("speakers", "match", "Stephanophoulos", "--json") == first.stdout


@pytest.mark.parametrize("as_json", [True, False])
def test_every_answer_is_the_services_answer(runs: Matches, as_json: bool) -> None:
    runs.services("speakers", "match", "Biden")  # builds and saves the copy
    for query in QUERIES:
        for on in (None, "2021-03-20", "2015-06-01"):
            args = ["speakers", "match", query, *(["--on", on] if on else [])]
            runs.same(*args, *(["--json"] if as_json else []))
    out = runs.same("speakers", "match", "the U.S. president", "--on", "2021-03-20", "--json")
    assert "Biden" in out


def test_names_on_standard_input_are_the_services_answers(runs: Matches) -> None:
    runs.services("speakers", "match", "Biden")
    lines = "Stephanophoulos\nthe U.S. president\t2021-03-20\n\nBiden\nStephanophoulos\n"
    out = runs.same("speakers", "match", "-", stdin=lines)
    assert len(out.splitlines()) == 4


def test_changes_since_the_copy_by_another_process_are_seen(runs: Matches, demo_file: Path) -> None:
    runs.services("speakers", "match", "Biden")
    saved = saved_copy(demo_file).read_bytes()
    code = (
        "from tracker import services as svc\n"
        f"db = svc.Database('sqlite:///{demo_file}', actor='colleague')\n"
        "w = svc.add_speaker(db, 'Wilhelmina Okonkwo')\n"
        "svc.add_alias(db, w.id, 'Mina Okonkwo', 'variant')\n"
        "svc.delete_speaker(db, svc.add_speaker(db, 'Gone Again').id)\n"
        "db.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    assert saved_copy(demo_file).read_bytes() == saved  # behind, caught up in memory
    out = runs.same("speakers", "match", "Mina Okonkwo", "--json")
    assert '"name": "Wilhelmina Okonkwo"' in out
    out = runs.same("speakers", "match", "Gone Again", "--json")
    assert "Gone Again" not in out.split('"candidates"')[1]


def test_a_role_added_since_the_copy_resolves_by_date(runs: Matches, demo_file: Path) -> None:
    runs.services("speakers", "match", "Biden")
    with svc.Database(f"sqlite:///{demo_file}") as db:
        who = svc.add_speaker(db, "Ngozi Okonjo-Iweala")
        svc.add_role(db, who.id, RoleInput("Director-General", "WTO", start="2021-03-01"))
        svc.add_alias(db, who.id, "the WTO chief", "role")
    out = runs.same("speakers", "match", "the WTO chief", "--on", "2021-06-01", "--json")
    assert "Okonjo-Iweala" in out


def test_a_copy_for_other_code_or_another_database_is_not_used(
    runs: Matches, demo_file: Path
) -> None:
    runs.services("speakers", "match", "Biden")
    path = saved_copy(demo_file)
    from tracker.matching import SpeakerIndex

    opened = SpeakerIndex.open(path)
    assert opened is not None
    index, meta = opened
    index.save(path, {**meta, "code": "another version"})
    index.close()
    result = runs.run("speakers", "match", "Stephanophoulos", "--json")
    assert result.exit_code == 0 and runs.answers == [None]  # the services answered
    assert '"decision": "same"' in result.stdout
