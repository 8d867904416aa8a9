"""Migration 0006 (search on PostgreSQL) on both backends: up and down
again, nothing left behind, the database matching the models afterwards,
and records written before it found after it."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from tracker import services as svc
from tracker.db import migrate, search
from tracker.db.base import Base
from tracker.db.database import Database
from tracker.db.schema import HEAD_REVISION

SEARCHED = ("quotes", "claims", "speakers", "speaker_aliases")


def schema_diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"include_name": search.include_name, "compare_type": True}
    )
    return list(compare_metadata(context, Base.metadata))


def search_columns(db: Database) -> set[str]:
    found = inspect(db.engine)
    return {t for t in SEARCHED if search.VECTOR in {c["name"] for c in found.get_columns(t)}}


def search_indexes(db: Database) -> set[str]:
    found = inspect(db.engine)
    names = {i["name"] for t in SEARCHED for i in found.get_indexes(t)}
    return {n for n in names if n is not None and n.endswith("_" + search.VECTOR)}


def has_function(db: Database) -> bool:
    if db.dialect != "postgresql":
        return False
    with db.engine.connect() as con:
        query = "SELECT count(*) FROM pg_proc WHERE proname = 'tracker_search_text'"
        return bool(con.execute(text(query)).scalar())


def test_0006_down_and_up_keeps_what_is_searchable(db: Database) -> None:
    ada = svc.add_speaker(db, "Ada Lovelace")
    svc.add_alias(db, ada.id, "Countess of Lovelace")
    quote = svc.add_quote(db, "The Analytical Engine weaves algebraic patterns", speaker_id=ada.id)
    claim = svc.add_claim(db, "Engines can compose elaborate music")
    on_pg = db.dialect == "postgresql"
    assert search_columns(db) == (set(SEARCHED) if on_pg else set())
    assert len(search_indexes(db)) == (4 if on_pg else 0)
    assert has_function(db) == on_pg

    migrate.downgrade(db.engine, "0005")
    assert search_columns(db) == set()
    assert search_indexes(db) == set()
    assert not has_function(db)
    with db.engine.connect() as conn:
        assert migrate.current_revision(conn) == "0005"

    db.upgrade()
    with db.engine.connect() as conn:
        assert migrate.current_revision(conn) == HEAD_REVISION
        assert schema_diff(conn) == []
    # What was written before the upgrade is found after it (PostgreSQL
    # computes the new columns for the rows already there).
    assert [(h.kind, h.id) for h in svc.search(db, "algebr")] == [("quote", quote.id)]
    assert [h.id for h in svc.search(db, "elaborate music", kinds=["claim"])] == [claim.id]
    assert [h.id for h in svc.search(db, "countess lov", kinds=["speaker"])] == [ada.id]


def test_down_to_base_and_up_again(db: Database) -> None:
    svc.add_claim(db, "Ada Lovelace wrote the first program")
    migrate.downgrade(db.engine, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    assert not has_function(db)
    db.upgrade()
    with db.engine.connect() as conn:
        assert schema_diff(conn) == []
    claim = svc.add_claim(db, "Ada Lovelace")
    assert [h.id for h in svc.search(db, "lovelace")] == [claim.id]


def test_the_models_match_the_migrated_database(db: Database) -> None:
    with db.engine.connect() as conn:
        assert schema_diff(conn) == []
