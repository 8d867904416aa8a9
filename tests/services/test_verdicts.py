"""Reviews are append-only; the latest (by time reviewed) is the claim's
status; the due list holds predictions and promises still awaiting a final
verdict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from tracker import services as svc
from tracker.db.database import Database
from tracker.errors import ValidationError

Refuses = Callable[..., AbstractContextManager[Any]]


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def test_reviews_are_appended_and_the_latest_is_the_status(db: Database) -> None:
    claim = svc.add_claim(db, "rain by May", kind="prediction", due="2021-05-01")
    assert claim.status is None
    svc.add_review(db, claim.id, rating="pending", reviewed_at=at("2021-05-02"))
    svc.add_review(
        db, claim.id, rating="Came True", rationale="It rained", reviewer="Maria",
        reviewed_at=at("2021-05-10"), evidence=["https://example.org/weather"],
    )  # fmt: skip
    got = svc.get_claim(db, claim.id)
    assert [r.rating for r in got.reviews] == ["Pending", "Came True"]
    assert (got.status, got.status_final) == ("Came True", True)
    latest = got.reviews[-1]
    assert (latest.scale, latest.reviewer, latest.rationale) == ("prediction", "Maria", "It rained")
    assert latest.evidence == ("https://example.org/weather",)
    assert got.reviews[0].reviewer == "tester"  # defaults to the database actor


def test_a_back_dated_review_does_not_override_a_newer_one(db: Database) -> None:
    claim = svc.add_claim(db, "rain by May", kind="prediction")
    svc.add_review(db, claim.id, rating="Did Not Come True", reviewed_at=at("2021-06-01"))
    svc.add_review(db, claim.id, rating="Pending", reviewed_at=at("2021-05-02"))
    got = svc.get_claim(db, claim.id)
    assert (got.status, got.status_final) == ("Did Not Come True", True)
    # History is oldest first, by the time reviewed.
    assert [r.rating for r in got.reviews] == ["Pending", "Did Not Come True"]


def test_a_newer_non_final_review_reopens_the_claim(db: Database) -> None:
    claim = svc.add_claim(db, "a bridge by 2022", kind="promise", due="2022-01-01")
    svc.add_review(db, claim.id, rating="Promise Kept", reviewed_at=at("2022-01-05"))
    assert svc.due_claims(db, dt.date(2022, 2, 1)) == []
    svc.add_review(db, claim.id, rating="In the Works", reviewed_at=at("2022-01-20"))
    got = svc.get_claim(db, claim.id)
    assert (got.status, got.status_final) == ("In the Works", False)
    assert [c.id for c in svc.due_claims(db, dt.date(2022, 2, 1))] == [claim.id]


def test_default_scale_follows_the_claim_kind(db: Database) -> None:
    fact = svc.add_claim(db, "water is wet")
    promise = svc.add_claim(db, "build a bridge", kind="promise")
    assert svc.add_review(db, fact.id, rating="mostly-true").scale == "truth-o-meter"
    assert svc.add_review(db, promise.id, rating="promise kept").scale == "promise"
    # Another scale may be named, by key or name.
    review = svc.add_review(db, promise.id, rating="False", scale="Truth-O-Meter")
    assert (review.scale, review.rating, review.final) == ("truth-o-meter", "False", True)


def test_reviews_cannot_be_changed_through_update(db: Database) -> None:
    claim = svc.add_claim(db, "water is wet")
    svc.add_review(db, claim.id, rating="True")
    with pytest.raises(svc.ValidationError, match="reviews"):
        svc.update_claim(db, claim.id, reviews=[])


# ---------------------------------------------------------------- verdict dates


@pytest.mark.parametrize(
    ("said", "too_early", "first_possible"),
    [
        ("2021-03-18", "2021-03-17T23:59:59+00:00", "2021-03-18T00:00:00+00:00"),
        ("2021-03", "2021-02-28T12:00:00+00:00", "2021-03-01T00:00:00+00:00"),
        ("2021", "2020-12-31T23:00:00+00:00", "2021-01-01T00:00:00+00:00"),
        # The day is the one in the zone the time was given in.
        ("2021-03-18", "2021-03-17T23:00:00-05:00", "2021-03-18T01:00:00+05:00"),
    ],
)
def test_a_verdict_cannot_be_dated_before_the_claim_was_made(
    db: Database, refuses: Refuses, said: str, too_early: str, first_possible: str
) -> None:
    claim = svc.add_claim(db, "water is wet", said_on=said)
    with refuses(ValidationError, "before the claim was made", too_early[:10], said):
        svc.add_review(
            db, claim.id, rating="True", reviewed_at=dt.datetime.fromisoformat(too_early)
        )
    svc.add_review(
        db, claim.id, rating="True", reviewed_at=dt.datetime.fromisoformat(first_possible)
    )
    assert svc.get_claim(db, claim.id).status == "True"


def test_a_claim_without_a_date_takes_any_verdict_time(db: Database) -> None:
    claim = svc.add_claim(db, "water is wet")
    svc.add_review(db, claim.id, rating="True", reviewed_at=at("1000-01-01"))
    assert svc.get_claim(db, claim.id).status == "True"


def test_moving_the_claim_after_its_verdicts_is_refused(db: Database, refuses: Refuses) -> None:
    claim = svc.add_claim(db, "rain by May", kind="prediction", said_on="2021-03-17")
    svc.add_review(db, claim.id, rating="Pending", reviewed_at=at("2021-04-15"))
    with refuses(ValidationError, "2021-04-15", "2021-05", "before the claim was made"):
        svc.update_claim(db, claim.id, said_on="2021-05")
    # A date that is still before the verdict is fine.
    assert svc.update_claim(db, claim.id, said_on="2021-04").said_on == "2021-04"


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(-dt.timedelta(hours=5))),
        dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=5))),
    ],
)
def test_a_verdict_time_outside_the_calendar_in_utc_is_refused(
    db: Database, refuses: Refuses, when: dt.datetime
) -> None:
    claim = svc.add_claim(db, "water is wet")
    with refuses(ValidationError, "review time"):
        svc.add_review(db, claim.id, rating="True", reviewed_at=when)


@pytest.mark.parametrize("bad", [2**63, 0, -1, "2**63"])
def test_claim_ids_the_database_cannot_hold_are_refused(
    db: Database, refuses: Refuses, bad: object
) -> None:
    claim = svc.add_claim(db, "water is wet")
    with refuses(ValidationError, "not a valid id"):
        svc.add_review(db, bad, rating="True")  # type: ignore[arg-type]
    with refuses(ValidationError, "not a valid id"):
        svc.update_claim(db, claim.id, quote_ids=[bad])
    with refuses(ValidationError, "not a valid id"):
        svc.update_claim(db, claim.id, claimant_id=bad)
    with refuses(ValidationError, "not a valid id"):
        svc.list_claims(db, after=bad)  # type: ignore[arg-type]
    with refuses(ValidationError, "not a valid id"):
        svc.get_claim(db, bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------- due list


@pytest.fixture
def dated(db: Database) -> dict[str, int]:
    ids = {
        "prediction": svc.add_claim(db, "p", kind="prediction", due="2021-05-01").id,
        "promise": svc.add_claim(db, "q", kind="promise", due="2021-04-01").id,
        "later": svc.add_claim(db, "r", kind="prediction", due="2021-09-01").id,
        "undated": svc.add_claim(db, "s", kind="prediction").id,
        "fact": svc.add_claim(db, "t", kind="fact").id,
    }
    return ids


def test_due_list_holds_claims_due_on_or_before_the_day(
    db: Database, dated: dict[str, int]
) -> None:
    assert [c.id for c in svc.due_claims(db, dt.date(2021, 3, 31))] == []
    assert [c.id for c in svc.due_claims(db, dt.date(2021, 4, 30))] == [dated["promise"]]
    # The due day itself counts; oldest due first.
    assert [c.id for c in svc.due_claims(db, dt.date(2021, 5, 1))] == [
        dated["promise"],
        dated["prediction"],
    ]
    assert [c.id for c in svc.due_claims(db, dt.date(2030, 1, 1))] == [
        dated["promise"],
        dated["prediction"],
        dated["later"],
    ]


@pytest.mark.parametrize(
    ("which", "rating", "still_due"),
    [
        ("prediction", "Pending", True),
        ("prediction", "Came True", False),
        ("prediction", "Did Not Come True", False),
        ("prediction", "Unresolvable", False),
        ("promise", "Not Yet Rated", True),
        ("promise", "In the Works", True),
        ("promise", "Stalled", True),
        ("promise", "Promise Kept", False),
        ("promise", "Compromise", False),
        ("promise", "Promise Broken", False),
    ],
)
def test_only_a_final_verdict_takes_a_claim_off_the_due_list(
    db: Database, dated: dict[str, int], which: str, rating: str, still_due: bool
) -> None:
    svc.add_review(db, dated[which], rating=rating, reviewed_at=at("2021-05-02"))
    due = [c.id for c in svc.due_claims(db, dt.date(2021, 6, 1))]
    assert (dated[which] in due) is still_due
    other = "promise" if which == "prediction" else "prediction"
    assert dated[other] in due


def test_due_list_on_the_demo(demo_db: Database) -> None:
    due = svc.due_claims(demo_db, dt.date(2021, 5, 2))
    # Claim 1 (a prediction judged "Came True") is done; claim 2 (a promise) is not.
    assert [c.id for c in due] == [2]
    assert due[0].kind == "promise"
    assert due[0].claimant == "Joe Biden"
    assert svc.due_claims(demo_db, dt.date(2021, 4, 30)) == []


def test_due_filter_pages_and_searches_the_review_queue(demo_db: Database) -> None:
    today = dt.date(2021, 5, 2)
    page = svc.list_claims(demo_db, svc.Filters(due_by=today))
    assert [c.id for c in page.items] == [c.id for c in svc.due_claims(demo_db, today)] == [2]
    assert svc.list_claims(demo_db, svc.Filters(due_by=dt.date(2021, 4, 30))).items == ()
    assert [
        c.id for c in svc.list_claims(demo_db, svc.Filters(due_by=today), text="timeline").items
    ] == [2]
    assert svc.list_claims(demo_db, svc.Filters(due_by=today), text="killer").items == ()
    svc.add_review(demo_db, 2, rating="Compromise")
    assert svc.list_claims(demo_db, svc.Filters(due_by=today)).items == ()
    with pytest.raises(svc.ValidationError, match="due by"):
        svc.list_claims(demo_db, svc.Filters(due_by="2021-05"))
