"""Plain ``alembic`` on each backend (issue 12): a new, empty database
upgraded to head matches the models (``alembic check``), goes down to base
leaving only ``alembic_version``, and comes back up matching again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_url(blank_db: str) -> str:
    """A database with no tables at all (see ``blank_db``), as a URL."""
    return blank_db if "://" in blank_db else f"sqlite:///{blank_db}"


def alembic(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "alembic"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "alembic"]
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
    result = subprocess.run(
        [*command, "-x", f"db={url}", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"alembic {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


def table_names(url: str) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as con:
            return {n for n in inspect(con).get_table_names() if not n.startswith("sqlite_")}
    finally:
        engine.dispose()


def test_upgrade_check_downgrade_and_up_again(empty_url: str, backend: str) -> None:
    from tracker.db.base import Base
    from tracker.db.schema import HEAD_REVISION

    alembic(empty_url, "upgrade", "head")
    assert set(Base.metadata.tables) <= table_names(empty_url)
    alembic(empty_url, "check")
    assert HEAD_REVISION in alembic(empty_url, "current").stdout

    alembic(empty_url, "downgrade", "base")
    assert table_names(empty_url) == {"alembic_version"}

    alembic(empty_url, "upgrade", "head")
    alembic(empty_url, "check")
    assert set(Base.metadata.tables) <= table_names(empty_url)
