"""Merging speakers who are one person, undoing it, splitting an alias off."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from tracker import services as svc
from tracker.db.database import Database
from tracker.errors import NotFoundError, ValidationError
from tracker.services import merges

Refuses = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def pair(db: Database) -> dict[str, int]:
    keep = svc.add_speaker(db, "Joseph Biden", aliases=["Joe", "Uncle Joe"])
    other = svc.add_speaker(
        db,
        "Joe Biden",
        aliases=["Joe", "Biden"],
        roles=[svc.RoleInput("Senator", "Delaware", "1973-01-03", "2009-01-15")],
        wikidata_qid="Q6279",
    )
    ids = {"keep": keep.id, "other": other.id}
    ids["kq"] = svc.add_quote(db, "keep words", speaker_id=keep.id).id
    ids["oq1"] = svc.add_quote(db, "malarkey", speaker_id=other.id).id
    ids["oq2"] = svc.add_quote(db, "folks", speaker_id=other.id).id
    ids["oc"] = svc.add_claim(db, "a claim", claimant_id=other.id).id
    return ids


def test_merge_moves_quotes_claims_aliases_and_roles(db: Database, pair: dict[str, int]) -> None:
    plan = merges.plan_merge(db, pair["keep"], pair["other"])
    assert plan.quote_ids == (pair["oq1"], pair["oq2"])
    assert plan.claim_ids == (pair["oc"],)
    assert plan.aliases == ("Joe Biden", "Biden")
    assert plan.roles == ("Senator",)

    merged = merges.merge_speakers(db, pair["keep"], pair["other"])
    # The merged-away name becomes an alias; a shared alias is kept once.
    assert sorted(a.text for a in merged.aliases) == ["Biden", "Joe", "Joe Biden", "Uncle Joe"]
    assert [r.title for r in merged.roles] == ["Senator"]
    with pytest.raises(NotFoundError):
        svc.get_speaker(db, pair["other"])
    for quote_id in (pair["kq"], pair["oq1"], pair["oq2"]):
        assert svc.get_quote(db, quote_id).speaker_id == pair["keep"]
    assert svc.get_claim(db, pair["oc"]).claimant == "Joseph Biden"
    keep = svc.get_speaker(db, pair["keep"])
    assert (keep.quote_count, keep.claim_count) == (3, 1)
    # The other's old name now finds the kept speaker.
    assert [s.id for s in svc.find_by_name(db, "Joe Biden")] == [pair["keep"]]
    hits = svc.search(db, "Joe Biden", kinds=["speaker"])
    assert [h.id for h in hits] == [pair["keep"]]
    actions = {(e.entity_id, e.action) for e in svc.list_changes(db, "speaker", limit=2)}
    assert actions == {(pair["keep"], "merge"), (pair["other"], "delete")}


def test_unmerge_restores_the_speaker_with_its_id_and_everything(
    db: Database, pair: dict[str, int]
) -> None:
    before_keep = svc.get_speaker(db, pair["keep"])
    before_other = svc.get_speaker(db, pair["other"])
    merges.merge_speakers(db, pair["keep"], pair["other"])

    keep, other = merges.unmerge_speakers(db, pair["keep"])
    assert other.id == pair["other"]
    assert (other.name, other.wikidata_qid) == ("Joe Biden", "Q6279")
    assert sorted(a.text for a in other.aliases) == ["Biden", "Joe"]
    assert [(r.title, r.start, r.end) for r in other.roles] == [
        (r.title, r.start, r.end) for r in before_other.roles
    ]
    assert sorted(a.text for a in keep.aliases) == sorted(a.text for a in before_keep.aliases)
    assert keep.roles == ()
    for quote_id in (pair["oq1"], pair["oq2"]):
        assert svc.get_quote(db, quote_id).speaker_id == pair["other"]
    assert svc.get_quote(db, pair["kq"]).speaker_id == pair["keep"]
    assert svc.get_claim(db, pair["oc"]).claimant_id == pair["other"]
    restored = svc.get_speaker(db, pair["other"])
    assert (restored.quote_count, restored.claim_count) == (2, 1)
    assert [s.id for s in svc.find_by_name(db, "Joe Biden")] == [pair["other"]]
    assert pair["other"] in [h.id for h in svc.search(db, "Joe Biden", kinds=["speaker"])]


def test_unmerge_twice_is_refused(db: Database, pair: dict[str, int]) -> None:
    merges.merge_speakers(db, pair["keep"], pair["other"])
    merges.unmerge_speakers(db, pair["keep"])
    with pytest.raises(ValidationError, match="undone already"):
        merges.unmerge_speakers(db, pair["keep"])


def test_unmerge_without_a_merge_is_refused(db: Database, pair: dict[str, int]) -> None:
    with pytest.raises(NotFoundError, match="no merge to undo"):
        merges.unmerge_speakers(db, pair["keep"])


def test_two_merges_can_both_be_undone(db: Database, pair: dict[str, int]) -> None:
    third = svc.add_speaker(db, "J. R. Biden").id
    merges.merge_speakers(db, pair["keep"], pair["other"])
    merges.merge_speakers(db, pair["keep"], third)
    _, restored = merges.unmerge_speakers(db, pair["keep"])
    assert restored.id == third
    _, restored = merges.unmerge_speakers(db, pair["keep"])
    assert restored.id == pair["other"]


def test_merging_speakers_with_the_same_role_reference(demo_db: Database) -> None:
    db = demo_db
    duplicate = svc.add_speaker(
        db,
        "Joseph R. Biden",
        roles=[
            svc.RoleInput("President", "United States", "2021-01-20", None, ("the U.S. president",))
        ],
    )
    merged = merges.merge_speakers(db, svc.find_by_name(db, "Joe Biden")[0].id, duplicate.id)
    assert "Joseph R. Biden" in {a.text for a in merged.aliases}


def test_split_alias_makes_a_speaker_and_moves_the_given_quotes(
    db: Database, pair: dict[str, int]
) -> None:
    svc.add_alias(db, pair["other"], "Jill Biden")
    new = merges.split_alias(db, pair["other"], "Jill Biden", [pair["oq2"]])
    assert new.name == "Jill Biden"
    assert new.id not in (pair["keep"], pair["other"])
    assert "Jill Biden" not in {a.text for a in svc.get_speaker(db, pair["other"]).aliases}
    assert svc.get_quote(db, pair["oq2"]).speaker_id == new.id
    assert svc.get_quote(db, pair["oq1"]).speaker_id == pair["other"]
    assert [s.id for s in svc.find_by_name(db, "jill biden")] == [new.id]
    assert [e.action for e in svc.list_changes(db, "speaker", new.id)] == ["create"]


def test_split_refuses_quotes_of_someone_else(
    db: Database, pair: dict[str, int], refuses: Refuses
) -> None:
    svc.add_alias(db, pair["other"], "Jill Biden")
    with refuses(ValidationError, f"quote(s) {pair['kq']} are not Joe Biden's"):
        merges.split_alias(db, pair["other"], "Jill Biden", [pair["oq1"], pair["kq"]])


def test_split_of_an_unknown_alias_is_refused(
    db: Database, pair: dict[str, int], refuses: Refuses
) -> None:
    with refuses(NotFoundError, "has no alias 'Nobody'"):
        merges.split_alias(db, pair["other"], "Nobody")


def test_merge_of_an_unknown_speaker_is_refused(
    db: Database, pair: dict[str, int], refuses: Refuses
) -> None:
    with refuses(NotFoundError, "no speaker with id 404"):
        merges.merge_speakers(db, pair["keep"], 404)
