"""What scripts read: a kind of record has one JSON shape whichever
command prints it."""

from __future__ import annotations

from cli_helpers import Invoke, json_of

from tracker.db.database import Database


def test_due_prints_the_claims_that_list_claims_prints(demo_db: Database, invoke: Invoke) -> None:
    due = json_of(invoke("due", "--on", "2021-06-01", "--json"))
    listed = {c["id"]: c for c in json_of(invoke("list", "claims", "--json"))}
    assert [c["id"] for c in due] == [2]
    for claim in due:
        assert claim == listed[claim["id"]]
    assert due[0]["due"] == "2021-05-01"
    assert (due[0]["status"], due[0]["status_final"], due[0]["reviews"]) == (None, False, [])


def test_a_claim_after_a_verdict_is_still_the_same_in_due_and_list(
    demo_db: Database, invoke: Invoke
) -> None:
    json_of(
        invoke("review", "2", "--rating", "In the Works", "--at", "2021-05-02T10:00Z", "--json")
    )
    (claim,) = json_of(invoke("due", "--on", "2021-06-01", "--json"))
    (listed,) = json_of(invoke("list", "claims", "--kind", "promise", "--json"))
    assert claim == listed
    assert (claim["status"], claim["status_final"]) == ("In the Works", False)
