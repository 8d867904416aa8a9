"""Nothing below the TUI imports Textual: every operation can be scripted
without it (checked in a fresh interpreter, as harlequin does)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tracker

PROBE = """
import importlib, pkgutil, sys
import {package}
for info in pkgutil.walk_packages({package}.__path__, "{package}."):
    importlib.import_module(info.name)
print("textual" in sys.modules)
"""


def matching_ready() -> bool:
    # tracker.matching is written by another engineer and may not exist yet.
    return (Path(tracker.__file__).parent / "matching" / "__init__.py").exists()


@pytest.mark.parametrize(
    "package",
    [
        "tracker.db",
        "tracker.services",
        pytest.param(
            "tracker.matching",
            marks=pytest.mark.skipif(
                not matching_ready(), reason="tracker.matching is not written yet"
            ),
        ),
    ],
)
def test_core_packages_do_not_import_textual(package: str) -> None:
    if package == "tracker.services" and not matching_ready():
        pytest.skip("tracker.services.speaker_index needs tracker.matching")
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(package=package)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False", f"{package} imports textual"


def test_services_package_alone_does_not_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import tracker.services, sys; print('textual' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_display_rule_imports_neither_textual_nor_rich() -> None:
    # tracker.display decides how stored text is shown, for the TUI and the
    # CLI alike: it stays below both front ends and their libraries.
    probe = (
        "import sys, tracker.display; "
        "print(sorted(m for m in ('rich', 'textual', 'sqlalchemy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


LAUNCH_PROBE = """
import sys
import tracker.cli
import tracker.cli.tui_launcher
import tracker.tui.app
print(sorted(m for m in ("sqlalchemy", "alembic") if m in sys.modules))
"""


def test_launching_the_tui_imports_no_sqlalchemy() -> None:
    # The first list is drawn while SQLAlchemy loads: an import of it on the
    # way to the app (say `from tracker.services import Filters` in a
    # widget) would silently make every launch slower.
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH_PROBE],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


SERVICES_PROBE = """
import inspect
from tracker import services
import tracker.services.ranked_search  # the search module, imported by its own name
print(services.list_quotes.__name__, inspect.isfunction(services.search))
print(callable(services.Filters), "list_quotes" in dir(services))
try:
    services.no_such_name
except AttributeError as exc:
    print("AttributeError", "no_such_name" in str(exc))
"""


def test_services_names_are_there_when_asked_for() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SERVICES_PROBE],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "list_quotes True",
        "True True",
        "AttributeError True",
    ]
