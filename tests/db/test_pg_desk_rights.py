"""A desk on PostgreSQL (docs/postgresql.md): the owner migrates, members
write with the rights granted to them. A migration that adds a table the
members' earlier grants do not name must not take their work away: the
search words of migration 0008 are kept and read through functions that
run with the owner's rights."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tracker import services as svc
from tracker.db import migrate
from tracker.db.database import Database


@pytest.mark.pg
def test_a_member_granted_before_0008_still_adds_quotes_and_searches_prefixes(
    request: pytest.FixtureRequest,
) -> None:
    server = request.getfixturevalue("pg_server")
    name = server.create()
    owner_url = server.url_of(name)
    role = f"member_{name[-6:]}"
    engine = create_engine(owner_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        migrate.upgrade(create_engine(owner_url, poolclass=NullPool), name, "0007")
        with engine.connect() as conn:  # the desk's grants, given at 0007
            conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
            conn.exec_driver_sql(
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'
            )
            conn.exec_driver_sql(
                f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"'
            )
        Database(owner_url, actor="owner").close()  # the owner upgrades to head, no new grant
        member_url = make_url(owner_url).set(username=role).render_as_string(hide_password=False)
        member = Database(member_url, actor="ann")
        try:
            ada = svc.add_speaker(member, "Ada Zebrafinch")
            quote = svc.add_quote(member, "the zebrafinch sings at dawn", speaker_id=ada.id)
            hits = svc.search(member, "zebrafi")
            assert {(h.kind, h.id) for h in hits} == {("quote", quote.id), ("speaker", ada.id)}
            assert [q.id for q in svc.list_quotes(member, text="zebraf", limit=5).items] == [
                quote.id
            ]
        finally:
            member.close()
    finally:
        engine.dispose()
        server.drop(name)
        with server.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
