"""Helpers for CLI tests: check that a command worked, read its JSON, check
that an error is one clear line without a traceback, dump the database to
prove a refused command changed nothing, and run a command with and without
its direct read (:class:`Runs`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from db_rows import Rows, count_rows, rows_of

from tracker.cli import cli
from tracker.cli.context import AppContext

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


class Runs:
    """``tracker --db TARGET ...`` through CliRunner, read directly or not."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.answers: list[object] = []  # what each direct read gave
        original = AppContext.read_directly

        def spy(app: AppContext, reader: Callable[..., object]) -> object:
            answer = original(app, reader)
            self.answers.append(answer)
            return answer

        monkeypatch.setattr(AppContext, "read_directly", spy)

    def run(
        self,
        target: str | Path,
        *args: str,
        env: dict[str, str] | None = None,
        stdin: str | None = None,
    ) -> Result:
        self.answers.clear()
        return CliRunner().invoke(cli, ["--db", str(target), *args], env=env, input=stdin)

    def services(
        self,
        target: str | Path,
        *args: str,
        env: dict[str, str] | None = None,
        stdin: str | None = None,
    ) -> Result:
        with self.monkeypatch.context() as m:
            m.setattr(AppContext, "read_directly", lambda app, reader: None)
            return CliRunner().invoke(cli, ["--db", str(target), *args], env=env, input=stdin)

    def read_directly(self) -> bool:
        return bool(self.answers) and all(a is not None for a in self.answers)

    def same(self, target: str | Path, *args: str, stdin: str | None = None) -> str:
        """The command answered by the direct read, printing exactly what
        the services path prints; that output."""
        fast = self.run(target, *args, stdin=stdin)
        direct = self.read_directly()
        slow = self.services(target, *args, stdin=stdin)
        assert slow.exit_code == 0, (args, slow.output, slow.exception)
        assert fast.exit_code == 0, (args, fast.output, fast.exception)
        assert direct, f"{args}: not read directly"
        assert fast.stdout_bytes == slow.stdout_bytes, args
        return fast.stdout

    def falls_back(
        self, target: str | Path, *args: str, env: dict[str, str] | None = None
    ) -> Result:
        """The command not answered by the direct read, and the same as the
        services path: output, errors and exit status."""
        fast = self.run(target, *args, env=env)
        assert not self.read_directly(), f"{args}: read directly"
        slow = self.services(target, *args, env=env)
        assert (fast.exit_code, fast.stdout_bytes, fast.stderr_bytes) == (
            slow.exit_code,
            slow.stdout_bytes,
            slow.stderr_bytes,
        ), args
        return fast
