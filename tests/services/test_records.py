"""Create, read, update, delete and list each kind of record; partial dates;
UTC timestamps; the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tracker import services as svc
from tracker.db.database import Database
from tracker.errors import NotFoundError, ValidationError
from tracker.services.records import to_jsonable


def test_speaker_lifecycle(db: Database) -> None:
    role = svc.RoleInput("President", "United States", "2021-01-20", None, ("the U.S. president",))
    created = svc.add_speaker(
        db, "  Joe Biden ", aliases=["Biden", ("Jo Biden", "misspelling")], roles=[role],
        wikidata_qid="q6279", notes="46th president",
    )  # fmt: skip
    assert created.name == "Joe Biden"
    assert created.wikidata_qid == "Q6279"
    assert [(a.text, a.kind) for a in created.aliases] == [
        ("Biden", "name"),
        ("Jo Biden", "misspelling"),
        ("the U.S. president", "role"),
    ]
    assert created.aliases[2].role_id == created.roles[0].id
    assert created.roles[0].start == dt.date(2021, 1, 20)
    assert created.roles[0].end is None

    fetched = svc.get_speaker(db, created.id)
    assert fetched == created

    updated = svc.update_speaker(db, created.id, name="Joseph R. Biden", kind="person")
    assert updated.name == "Joseph R. Biden"
    assert svc.get_speaker(db, created.id).name == "Joseph R. Biden"

    assert [s.id for s in svc.list_speakers(db).items] == [created.id]
    svc.delete_speaker(db, created.id)
    with pytest.raises(NotFoundError):
        svc.get_speaker(db, created.id)
    assert svc.list_speakers(db).items == ()


def test_alias_and_role_management(db: Database) -> None:
    speaker = svc.add_speaker(db, "Sergei Lavrov")
    speaker = svc.add_alias(db, speaker.id, "Sergey Lavrov", "variant")
    assert [(a.text, a.kind) for a in speaker.aliases] == [("Sergey Lavrov", "variant")]
    speaker = svc.add_role(
        db, speaker.id, svc.RoleInput("Foreign Minister", "Russia", "2004-03-09")
    )
    assert [r.title for r in speaker.roles] == ["Foreign Minister"]
    speaker = svc.remove_alias(db, speaker.id, "Sergey Lavrov")
    assert speaker.aliases == ()
    with pytest.raises(NotFoundError, match="no alias 'Sergey Lavrov'"):
        svc.remove_alias(db, speaker.id, "Sergey Lavrov")


def test_find_by_name_matches_names_and_aliases_in_any_case(db: Database) -> None:
    biden = svc.add_speaker(db, "Joe Biden", aliases=["Biden"])
    svc.add_speaker(db, "Hunter Biden")
    assert [s.id for s in svc.find_by_name(db, "joe biden")] == [biden.id]
    assert [s.id for s in svc.find_by_name(db, " BIDEN ")] == [biden.id]
    assert svc.find_by_name(db, "Jill") == []


def test_parse_role_reads_the_cli_form() -> None:
    role = svc.parse_role("President; United States ;2021-01-20")
    assert role == svc.RoleInput("President", "United States", "2021-01-20", None)
    with pytest.raises(ValidationError, match="TITLE;ORGANISATION;FROM;TO"):
        svc.parse_role("a;b;c;d;e")
    with pytest.raises(ValidationError):
        svc.parse_role(";United States")


def test_source_lifecycle_and_chain(db: Database) -> None:
    interview = svc.add_source(db, "Interview", kind="interview", published_on="2021-03-17")
    article = svc.add_source(
        db, "Article", kind="Press Release", publisher="Wire", authors=["A. Writer", "A. Writer"],
        url="https://example.org/a", published_on="March 2021", accessed_on="2021-03-20",
        full_text="Body text.", reports_on_id=interview.id,
    )  # fmt: skip
    assert article.kind == "press_release"
    assert article.authors == ("A. Writer",)
    assert article.published_on == "2021-03"
    assert article.accessed_on == dt.date(2021, 3, 20)
    assert article.has_text
    assert svc.get_source(db, article.id).full_text == "Body text."
    assert [s.id for s in svc.source_chain(db, article.id)] == [article.id, interview.id]

    updated = svc.update_source(db, article.id, title="Article, corrected", reports_on_id=None)
    assert updated.title == "Article, corrected"
    assert updated.reports_on_id is None

    page = svc.list_sources(db, "corrected")
    assert [s.id for s in page.items] == [article.id]

    # Deleting a source that others report on unlinks them.
    svc.update_source(db, article.id, reports_on_id=interview.id)
    svc.delete_source(db, interview.id)
    assert svc.get_source(db, article.id).reports_on_id is None


def test_quote_lifecycle(db: Database) -> None:
    speaker = svc.add_speaker(db, "Ada Lovelace")
    source = svc.add_source(db, "Notes")
    quote = svc.add_quote(
        db, "The Analytical Engine weaves algebraic patterns", speaker_id=speaker.id,
        source_id=source.id, mode="direct", said_on="1843", venue="Sketch of the engine",
        tags=["Computing", "computing", "history"], notes="Note A",
    )  # fmt: skip
    assert quote.speaker == "Ada Lovelace"
    assert quote.source == "Notes"
    assert quote.said_on == "1843"
    assert quote.tags == ("computing", "history")
    assert svc.get_quote(db, quote.id) == quote

    updated = svc.update_quote(db, quote.id, mode="indirect", said_on="1843-09", tags=["poetry"])
    assert (updated.mode, updated.said_on, updated.tags) == ("indirect", "1843-09", ("poetry",))
    assert updated.version == quote.version + 1
    assert [q.id for q in svc.list_quotes(db).items] == [quote.id]

    svc.delete_quote(db, quote.id)
    with pytest.raises(NotFoundError):
        svc.get_quote(db, quote.id)


def test_claim_lifecycle(db: Database) -> None:
    speaker = svc.add_speaker(db, "Ada Lovelace")
    q1 = svc.add_quote(db, "first", speaker_id=speaker.id, said_on="1843-09")
    q2 = svc.add_quote(db, "second", speaker_id=speaker.id, said_on="1843-07")
    claim = svc.add_claim(
        db, "Machines will compose music", kind="prediction", quote_ids=[q1.id, q2.id]
    )
    # Resting on quotes by one speaker, the claim takes their speaker and earliest date.
    assert claim.claimant_id == speaker.id
    assert claim.claimant == "Ada Lovelace"
    assert claim.said_on == "1843-07"
    assert claim.quote_ids == (q1.id, q2.id)
    assert svc.get_quote(db, q1.id).claim_ids == (claim.id,)

    updated = svc.update_claim(db, claim.id, due="1900-01-01", tags=["Music"])
    assert updated.due == dt.date(1900, 1, 1)
    assert updated.tags == ("music",)
    assert svc.get_claim(db, claim.id).due == dt.date(1900, 1, 1)

    # Deleting a quote leaves the claim resting on the other one.
    svc.delete_quote(db, q2.id)
    assert svc.get_claim(db, claim.id).quote_ids == (q1.id,)

    svc.delete_claim(db, claim.id)
    with pytest.raises(NotFoundError):
        svc.get_claim(db, claim.id)
    assert svc.get_quote(db, q1.id).claim_ids == ()


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2021", "2021"),
        ("2021-03", "2021-03"),
        ("2021-3", "2021-03"),
        ("March 2021", "2021-03"),
        ("17 March 2021", "2021-03-17"),
        ("March 17, 2021", "2021-03-17"),
        ("2021-03-17", "2021-03-17"),
    ],
)
def test_partial_dates_keep_their_precision(db: Database, given: str, stored: str) -> None:
    speaker = svc.add_speaker(db, "Ada")
    quote = svc.add_quote(db, "words", speaker_id=speaker.id, said_on=given)
    assert quote.said_on == stored
    assert svc.get_quote(db, quote.id).said_on == stored
    claim = svc.add_claim(db, "a claim", said_on=given)
    assert svc.get_claim(db, claim.id).said_on == stored
    source = svc.add_source(db, "A title", published_on=given)
    assert svc.get_source(db, source.id).published_on == stored


def test_timestamps_come_back_in_utc(db: Database) -> None:
    claim = svc.add_claim(db, "a claim")
    when = dt.datetime(2021, 4, 15, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    svc.add_review(db, claim.id, rating="True", reviewed_at=when)
    (review,) = svc.get_claim(db, claim.id).reviews
    assert review.reviewed_at == dt.datetime(2021, 4, 15, 12, 0, tzinfo=dt.UTC)
    assert review.reviewed_at.utcoffset() == dt.timedelta(0)
    for entry in svc.list_changes(db):
        assert entry.at.utcoffset() == dt.timedelta(0)
        assert abs(entry.at - dt.datetime.now(dt.UTC)) < dt.timedelta(hours=1)


def test_add_review_returns_its_time_in_utc(db: Database) -> None:
    claim = svc.add_claim(db, "a claim")
    when = dt.datetime(2021, 4, 15, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    review = svc.add_review(db, claim.id, rating="True", reviewed_at=when)
    assert review.reviewed_at.utcoffset() == dt.timedelta(0)


def test_audit_log_records_create_update_delete_with_actor_before_and_after(
    db: Database,
) -> None:
    speaker = svc.add_speaker(db, "Ada")
    svc.update_speaker(db, speaker.id, name="Ada Lovelace")
    svc.delete_speaker(db, speaker.id)
    entries = list(reversed(svc.list_changes(db, "speaker", speaker.id)))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert {e.actor for e in entries} == {"tester"}
    create, update, delete = entries
    assert create.before is None and create.after is not None
    assert create.after["name"] == "Ada"
    assert update.before is not None and update.after is not None
    assert (update.before["name"], update.after["name"]) == ("Ada", "Ada Lovelace")
    assert delete.before is not None and delete.after is None
    assert delete.before["name"] == "Ada Lovelace"
    assert len({e.change_id for e in entries}) == 3


@pytest.mark.parametrize("kind", ["source", "quote", "claim"])
def test_every_kind_gets_one_audit_entry_per_change(db: Database, kind: str) -> None:
    speaker = svc.add_speaker(db, "Ada")
    if kind == "source":
        record_id = svc.add_source(db, "A title").id
        svc.update_source(db, record_id, title="Another")
        svc.delete_source(db, record_id)
    elif kind == "quote":
        record_id = svc.add_quote(db, "words", speaker_id=speaker.id).id
        svc.update_quote(db, record_id, text="other words")
        svc.delete_quote(db, record_id)
    else:
        record_id = svc.add_claim(db, "a claim").id
        svc.update_claim(db, record_id, text="another claim")
        svc.delete_claim(db, record_id)
    entries = list(reversed(svc.list_changes(db, kind, record_id)))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(e.actor == "tester" for e in entries)


def test_review_audit_entries_share_one_change(db: Database) -> None:
    claim = svc.add_claim(db, "a claim")
    review = svc.add_review(db, claim.id, rating="False", rationale="no")
    latest = svc.list_changes(db, limit=2)
    assert {(e.entity, e.action) for e in latest} == {("review", "create"), ("claim", "update")}
    assert latest[0].change_id == latest[1].change_id
    claim_entry = next(e for e in latest if e.entity == "claim")
    assert claim_entry.before is not None and claim_entry.after is not None
    assert (claim_entry.before["status"], claim_entry.after["status"]) == (None, "False")
    review_entry = next(e for e in latest if e.entity == "review")
    assert review_entry.entity_id == review.id


def test_audit_actor_is_the_database_actor(tmp_path: Path) -> None:
    with Database(f"sqlite:///{tmp_path}/other.db", actor="maria") as other:
        svc.add_speaker(other, "Ada")
        (entry,) = svc.list_changes(other)
    assert entry.actor == "maria"


def test_records_are_json_ready(db: Database) -> None:
    claim = svc.add_claim(db, "rain", kind="prediction", due="2021-05-01")
    svc.add_review(
        db, claim.id, rating="Pending", reviewed_at=dt.datetime(2021, 5, 2, tzinfo=dt.UTC)
    )
    data = to_jsonable(svc.get_claim(db, claim.id))
    assert data["due"] == "2021-05-01"
    assert data["reviews"][0]["reviewed_at"] == "2021-05-02T00:00:00Z"


def test_remove_role_takes_its_role_references_with_it(db: Database) -> None:
    biden = svc.add_speaker(
        db,
        "Joe Biden",
        roles=[
            svc.RoleInput("President", "United States", "2021-01-20", None, ("the U.S. president",))
        ],
    )
    assert [a.text for a in biden.aliases] == ["the U.S. president"]
    after = svc.remove_role(db, biden.id, biden.roles[0].id)
    assert after.roles == () and after.aliases == ()
    assert svc.list_changes(db, "speaker", biden.id)[0].summary == "role removed: President"
    with pytest.raises(NotFoundError):
        svc.remove_role(db, biden.id, biden.roles[0].id)
