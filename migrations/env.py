"""Alembic environment for tracker.

The database comes from, in order: a connection passed in by the app or the
tests (``config.attributes["connection"]``), ``-x db=PATH_OR_URL``, the
``sqlalchemy.url`` option, the ``TRACKER_DB`` variable, else the default
user data file, so plain ``alembic`` commands and ``tracker db`` agree.
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection

from tracker.config import database_url, to_url
from tracker.db import (
    models,  # noqa: F401  (registers the tables)
    search,
)
from tracker.db.base import Base
from tracker.db.engine import create_db_engine, foreign_keys_off

config = context.config
target_metadata = Base.metadata

if config.config_file_name is not None and "connection" not in config.attributes:
    # Don't let alembic's logging setup silence the app's own loggers.
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    x_db = context.get_x_argument(as_dictionary=True).get("db")
    if x_db:
        return to_url(x_db)
    option = config.get_main_option("sqlalchemy.url")
    if option:
        return option
    return database_url(None)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    # Full-text search is made by dialect-specific DDL in the migrations
    # (FTS5 tables on SQLite; tsvector columns and GIN indexes on
    # PostgreSQL); it has no model, so autogenerate must not compare it.
    return search.include_name(name, type_, parent_names)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_db_engine(_url())
    try:
        with engine.connect() as conn, foreign_keys_off(conn):
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
