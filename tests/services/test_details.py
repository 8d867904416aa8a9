"""What the detail pane reads, as services: linked records in one query
each, a speaker's report card counted by the database, and one due rule."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from tracker import services as svc
from tracker.services.filters import is_due


def test_get_quotes_and_claims_keep_the_order_asked_and_skip_missing(demo_db) -> None:
    assert [q.id for q in svc.get_quotes(demo_db, [12, 99999, 1])] == [12, 1]
    assert svc.get_quotes(demo_db, [12])[0] == svc.get_quote(demo_db, 12)
    claims = svc.get_claims(demo_db, [8, 2])
    assert [c.id for c in claims] == [8, 2]
    assert claims[0].quote_ids == svc.get_claim(demo_db, 8).quote_ids


def test_the_report_card_counts_every_claim_by_its_latest_verdict(demo_db) -> None:
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    with demo_db.unit_of_work():
        for n in range(300):
            claim = svc.add_claim(demo_db, f"claim number {n}", claimant_id=biden.id)
            if n % 3 == 0:
                svc.add_review(demo_db, claim.id, rating="False")
            elif n % 3 == 1:
                svc.add_review(demo_db, claim.id, rating="Half True")
                svc.add_review(demo_db, claim.id, rating="True")  # the latest counts
    everything = []
    page = svc.list_claims(demo_db, svc.Filters(speaker_id=biden.id), limit=1000)
    everything += page.items
    expected = Counter(c.status for c in everything if c.status is not None)
    card = svc.speaker_report_card(demo_db, biden.id)
    assert dict(card.verdicts) == dict(expected)
    assert card.unreviewed == sum(1 for c in everything if c.status is None)
    assert card.claims == len(everything)
    assert card.verdicts[0][1] >= card.verdicts[-1][1]  # most first


def test_a_speaker_without_claims_has_an_empty_card(demo_db) -> None:
    nobody = svc.add_speaker(demo_db, "Quiet Person")
    card = svc.speaker_report_card(demo_db, nobody.id)
    assert (card.claims, card.unreviewed, card.verdicts) == (0, 0, ())


@pytest.mark.parametrize("day", [dt.date(2021, 4, 30), dt.date(2021, 6, 1), dt.date(2030, 1, 1)])
def test_the_due_rule_in_python_agrees_with_the_sql(demo_db, day: dt.date) -> None:
    svc.add_claim(demo_db, "An opinion with a date", kind="opinion")
    svc.add_claim(demo_db, "A promise", kind="promise", due="2021-05-01")
    final = svc.add_claim(demo_db, "A settled prediction", kind="prediction", due="2021-05-01")
    svc.add_review(demo_db, final.id, rating="Came True")
    listed = {c.id for c in svc.due_claims(demo_db, on=day)}
    everything = svc.list_claims(demo_db, limit=1000).items
    assert {c.id for c in everything if is_due(c, day)} == listed
