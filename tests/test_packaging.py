"""What an installed tracker carries (pyproject.toml lists its packages by hand,
to ship the repository's migrations/ inside it as tracker._migrations)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tracker.db import migrate

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_for_the_wheel() -> None:
    # A package left out of the list would be missing from an installed
    # tracker (pip install ., pipx) while every test here still passes.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "tracker").rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    mapped = config["tool"]["setuptools"]["package-dir"]
    assert mapped == {
        "tracker._migrations": "migrations",
        "tracker._migrations.versions": "migrations/versions",
    }
    assert listed - found == set(mapped)


def test_the_migrations_are_found_in_a_checkout() -> None:
    assert migrate.MIGRATIONS_DIR == ROOT / "migrations"
    assert migrate.head_revision() is not None


def test_package_data_names_files_that_exist() -> None:
    # A pattern that matches nothing ships nothing and hides a typo.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_dir = config["tool"]["setuptools"]["package-dir"]
    for package, patterns in config["tool"]["setuptools"]["package-data"].items():
        folder = ROOT / package_dir.get(package, package.replace(".", "/"))
        for pattern in patterns:
            assert list(folder.glob(pattern)), f"package-data {package}: {pattern} matches nothing"
