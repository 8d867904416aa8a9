"""Nothing below the front ends imports Textual, Rich or Click: every
operation can be scripted without them. Checked in a fresh interpreter, as
harlequin does; pyproject.toml's [tool.importlinter] contracts (run by
`make lint`) check the same rule, and the layers, from the source."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Everything below tracker.tui and tracker.cli.
CORE = [
    "tracker.services",
    "tracker.db",
    "tracker.matching",
    "tracker.display",
    "tracker.dates",
    "tracker.config",
    "tracker.errors",
    "tracker.scales",
    "tracker.vocab",
]
UI_LIBRARIES = ("textual", "rich", "click")

PROBE = """
import importlib, pkgutil, sys
import {module} as top
# A package is imported with every module in it (lazy imports included).
for info in pkgutil.walk_packages(getattr(top, "__path__", []), "{module}."):
    importlib.import_module(info.name)
print(sorted(m for m in {libraries!r} if m in sys.modules))
"""


@pytest.mark.parametrize("module", CORE)
def test_core_imports_no_ui_library(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module, libraries=UI_LIBRARIES)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"{module} imports {result.stdout.strip()}"


def test_services_package_alone_imports_no_ui_library() -> None:
    probe = (
        "import tracker.services, sys; "
        f"print(sorted(m for m in {UI_LIBRARIES!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


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
