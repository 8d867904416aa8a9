"""Helpers for CLI tests: check that a command worked, read its JSON, check
that an error is one clear line without a traceback, and dump the database
to prove a refused command changed nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result
from db_rows import Rows, count_rows, rows_of

Invoke = Callable[..., Result]


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Traceback" not in result.output
    return result


def json_of(result: Result) -> Any:
    return json.loads(ok(result).stdout)


def refused(result: Result, *words: str) -> str:
    """The command failed with one line starting 'Error:' that names the problem."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    for word in words:
        assert word.lower() in lines[0].lower(), f"{word!r} not in {lines[0]!r}"
    return lines[0]


def usage_error(result: Result, *words: str) -> str:
    """Click's usage error: exit status 2, maybe its "Usage:" and "Try ..."
    lines, then one line starting 'Error:' that names the problem."""
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("Error: "), result.stderr
    assert all(line.startswith(("Usage: ", "Try ")) for line in lines[:-1]), result.stderr
    for word in words:
        assert word.lower() in lines[-1].lower(), f"{word!r} not in {lines[-1]!r}"
    return lines[-1]


def failed_cleanly(result: Result, *words: str) -> str:
    """Refused (exit 1, one 'Error:' line) or a usage error (exit 2), naming the problem."""
    if result.exit_code == 2:
        return usage_error(result, *words)
    assert result.exit_code == 1, (result.output, result.exception)
    return refused(result, *words)


def dump(target: str | Path) -> Rows:
    """Every row (``--db``'s value: an SQLite file's path or a URL), without
    the full-text index, to compare before and after a command."""
    return rows_of(target, search=False)


def count(target: str | Path, table: str) -> int:
    return count_rows(target, table)
