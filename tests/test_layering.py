"""Nothing below the front ends imports Textual, Rich or Click: every
operation can be scripted without them. Checked in a fresh interpreter, as
harlequin does; pyproject.toml's [tool.importlinter] contracts (run by
`make lint`) check the same rule, and the layers, from the source."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli import COMMAND_MODULES

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


# ------------------------------------------------------------------ what a command imports
# `show`, `list quotes|claims` and `due` with --json read an SQLite file
# directly (tracker.services.fast_read): neither SQLAlchemy nor Rich, and no
# other sub-command's module (tests/cli/test_fast_read.py checks their output).

COMMAND_PROBE = """
import sys
sys.argv = ["tracker", *sys.argv[1:]]
from tracker.cli import main
try:
    main()
finally:
    loaded = sorted(m for m in sys.modules if m.startswith("tracker.cli.") or m in {libraries!r})
    print(" ".join(loaded), file=sys.stderr)
"""


def loaded_by(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """The command run in a fresh interpreter; the tracker.cli modules and
    libraries it loaded."""
    result = subprocess.run(
        [sys.executable, "-c", COMMAND_PROBE.format(libraries=("sqlalchemy", "rich")), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, set(result.stderr.strip().splitlines()[-1].split())


@pytest.fixture
def demo_file(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["show", "quote", "1", "--json"],
        ["show", "source", "2", "--json"],
        ["list", "quotes", "--limit", "100", "--json"],
        ["list", "claims", "--json"],
        ["due", "--json"],
    ],
)
def test_a_json_read_loads_only_its_own_module(demo_file: Path, args: list[str]) -> None:
    result, loaded = loaded_by("--db", str(demo_file), *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(("[", "{"))
    assert "sqlalchemy" not in loaded and "rich" not in loaded
    others = {f"tracker.cli.{m}" for m in COMMAND_MODULES.values()} - {"tracker.cli.browsing"}
    assert not loaded & others, sorted(loaded & others)


def test_help_and_a_table_still_load_what_they_need(demo_file: Path) -> None:
    result, loaded = loaded_by("--help")
    assert result.returncode == 0 and "speakers" in result.stdout and "import" in result.stdout
    assert {f"tracker.cli.{m}" for m in COMMAND_MODULES.values()} <= loaded
    result, loaded = loaded_by("--db", str(demo_file), "show", "quote", "1")
    assert result.returncode == 0 and "Quote 1" in result.stdout
    assert "rich" in loaded and "tracker.cli.admin" not in loaded


def test_a_one_off_match_with_a_saved_index_imports_no_sqlalchemy(demo_file: Path) -> None:
    # The first match builds the index (through the services) and saves it;
    # the next reads the saved copy with sqlite3 (tracker.services.fast_match).
    args = ("--db", str(demo_file), "speakers", "match", "Stephanophoulos", "--json")
    first, loaded = loaded_by(*args)
    assert first.returncode == 0, first.stderr
    assert "sqlalchemy" in loaded
    second, loaded = loaded_by(*args)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert '"decision": "same"' in second.stdout
    assert "sqlalchemy" not in loaded and "rich" not in loaded
