"""ClaimReview JSON-LD: every input shape read, ratings placed on a scale,
exports carrying the properties search engines require, and a round trip."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from tracker.errors import ValidationError
from tracker.services.records import ClaimRecord, ReviewRecord, SourceRecord, SpeakerRecord
from tracker.services.transfer.claimreview import (
    claimreview_for,
    feed,
    rating_for,
    read_claimreviews,
)
from tracker.services.transfer.columns import ROW_FIELDS

# A PolitiFact-style ClaimReview, as published.
REVIEW: dict[str, object] = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://www.politifact.com/factchecks/2020/jan/01/jane-doe/",
    "claimReviewed": "Unemployment has tripled since 2019.",
    "datePublished": "2020-01-03T09:00:00Z",
    "author": {"@type": "Organization", "name": "PolitiFact"},
    "itemReviewed": {
        "@type": "Claim",
        "author": {
            "@type": "Person",
            "name": "Jane Doe",
            "sameAs": ["https://twitter.com/janedoe", "https://www.wikidata.org/wiki/Q42"],
        },
        "datePublished": "2020-01-01T18:30:00-05:00",
        "appearance": [
            {
                "@type": "CreativeWork",
                "url": "https://example.com/speech",
                "headline": "Campaign speech",
                "datePublished": "2020-01-02",
            },
            "https://example.com/elsewhere",
        ],
    },
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "Pants on Fire!",
    },
}


def rows(text: str) -> list:  # type: ignore[type-arg]
    return list(read_claimreviews(text, "in.json"))


def test_one_object_maps_every_field() -> None:
    [row] = rows(json.dumps(REVIEW, indent=2))
    assert row.line == 1 and row.problem is None and row.raw == REVIEW
    assert row.fields == {
        "record": "claim",
        "text": "Unemployment has tripled since 2019.",
        "speaker": "Jane Doe",
        "speaker_kind": "person",
        "speaker_wikidata": "Q42",
        "said_on": "2020-01-01",  # the date as the claimant said it, not moved to UTC
        "source_url": "https://example.com/speech",
        "source_title": "Campaign speech",
        "published": "2020-01-02",
        "rating": "Pants on Fire!",
        "rating_value": 1,
        "best_rating": 6,
        "worst_rating": 1,
        "reviewer": "PolitiFact",
        "reviewed_at": "2020-01-03T09:00:00Z",
        "key": REVIEW["url"],
        "evidence": [REVIEW["url"]],
    }
    # Every field but the rating numbers is one the importer knows.
    extra = {"record", "rating_value", "best_rating", "worst_rating"}
    assert set(row.fields) - extra <= set(ROW_FIELDS)


def test_a_list_gives_a_row_per_review_with_its_line() -> None:
    second = REVIEW | {"claimReviewed": "Second.", "url": "https://example.com/2"}
    text = json.dumps([REVIEW, second], indent=2)
    found = rows(text)
    assert [r.fields["text"] for r in found] == [REVIEW["claimReviewed"], "Second."]
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line == "  {"]
    assert [r.line for r in found] == starts


def test_a_datafeed_with_items_wrapped_or_not() -> None:
    text = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "DataFeed",
            "dataFeedElement": [
                {"@type": "DataFeedItem", "item": [REVIEW]},
                REVIEW | {"url": "https://example.com/2"},
                {"@type": "DataFeedItem", "item": {"@type": "Article", "name": "not one"}},
            ],
        }
    )
    assert [r.fields["key"] for r in rows(text)] == [REVIEW["url"], "https://example.com/2"]


def test_a_graph_with_references_by_id() -> None:
    claim = {
        "@id": "#claim",
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "Acme Corp"},
        "firstAppearance": "https://example.com/ad",
    }
    review = {k: v for k, v in REVIEW.items() if k != "@context"}
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": "a page"},
            review | {"itemReviewed": {"@id": "#claim"}, "@type": ["ClaimReview", "Review"]},
            claim,
        ],
    }
    [row] = rows(json.dumps(graph))
    assert row.fields["speaker"] == "Acme Corp"
    assert row.fields["speaker_kind"] == "organisation"
    assert row.fields["source_url"] == row.fields["source_title"] == "https://example.com/ad"


def test_an_html_page_reads_only_claimreview_blocks() -> None:
    page = "\n".join(
        [
            "<!doctype html><html><head>",
            '<script type="application/ld+json">{"@type": "BreadcrumbList"}</script>',
            "<script>var x = {};</script>",
            '<script type="application/ld+json">',
            json.dumps(REVIEW),
            "</script>",
            "</head><body><p>Pants on Fire!</p></body></html>",
        ]
    )
    [row] = rows(page)
    assert row.line == 5 and row.fields["text"] == REVIEW["claimReviewed"]


def test_an_html_page_without_a_claimreview_is_refused() -> None:
    page = '<html><script type="application/ld+json">{"@type": "Article"}</script></html>'
    with pytest.raises(ValidationError, match=r"in\.json: no <script type=.* ClaimReview"):
        rows(page)


def test_json_lines_of_reviews() -> None:
    text = json.dumps(REVIEW) + "\n" + json.dumps(REVIEW | {"url": "https://example.com/2"})
    assert [r.line for r in rows(text)] == [1, 2]


def test_a_review_without_claimreviewed_is_a_rejected_row() -> None:
    broken = {k: v for k, v in REVIEW.items() if k != "claimReviewed"}
    found = rows(json.dumps([REVIEW, broken]))
    assert [r.problem for r in found] == [None, "ClaimReview has no claimReviewed"]
    assert found[1].raw == broken  # written to the rejects file as it came


def test_invalid_json_names_its_line() -> None:
    text = '[\n  {"@type": "ClaimReview",\n   "claimReviewed": "x" "url": 1}\n]'
    with pytest.raises(ValidationError, match=r"^in\.json: line 3: invalid JSON: "):
        rows(text)


@pytest.mark.parametrize("text", ["", "  \n", '{"@type": "Article"}', "[]"])
def test_nothing_to_import_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="in.json: "):
        rows(text)


@pytest.mark.parametrize(
    ("name", "numbers", "expected"),
    [
        ("Pants on Fire!", (1, 6, 1), ("truth-o-meter", "Pants on Fire", None)),
        ("Mostly False", (None, None, None), ("truth-o-meter", "Mostly False", None)),
        ("mostly-false", (None, None, None), ("truth-o-meter", "Mostly False", None)),
        ("Barely True", (None, None, None), ("truth-o-meter", "Mostly False", None)),
        ("Promise Kept", (None, None, None), ("promise", "Promise Kept", None)),
        (
            "Four Pinocchios",
            (1, 5, 1),
            (
                "truth-o-meter",
                "Pants on Fire",
                "rated 'Four Pinocchios' (1 on a scale of 1 to 5) by the publisher",
            ),
        ),
        # Halfway between two ratings goes to the less true one; strings count.
        ("Sort of", ("2", "3", "1"), ("truth-o-meter", "Mostly False", None)),  # 2.5 of 5
        ("Right", (10, 10, 0), ("truth-o-meter", "True", None)),
        # A scale that runs from 5 (worst) down to 1 (best).
        ("Good", (2, 1, 5), ("truth-o-meter", "Mostly True", None)),
    ],
)
def test_rating_rule(name: str, numbers: tuple[object, ...], expected: tuple[object, ...]) -> None:
    got = rating_for(name, *numbers)
    assert isinstance(got, tuple)
    assert got[:2] == expected[:2]
    if expected[2] is not None:
        assert got[2] == expected[2]


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ((None, None, None), "rating 'Spin' is not on a known scale and has no numeric"),
        ((3, 5, 5), "rating 'Spin' is not on a known scale"),  # best == worst
        ((9, 5, 1), "ratingValue 9 is outside the scale 1 to 5"),
    ],
)
def test_rating_rule_errors(numbers: tuple[object, ...], message: str) -> None:
    got = rating_for("Spin", *numbers)
    assert isinstance(got, str) and got.startswith(message)


# --- export ----------------------------------------------------------------

WHEN = dt.datetime(2024, 3, 5, 12, 0, tzinfo=dt.UTC)


def review(rating: str, value: float, final: bool = True, **changes: object) -> ReviewRecord:
    fields: dict[str, object] = dict(
        id=1, claim_id=7, scale="truth-o-meter", rating=rating, rating_value=value,
        final=final, rationale=None, reviewer="alice", reviewed_at=WHEN, evidence=(),
    )  # fmt: skip
    return ReviewRecord(**(fields | changes))  # type: ignore[arg-type]


def claim(*reviews: ReviewRecord) -> ClaimRecord:
    latest = reviews[-1] if reviews else None
    return ClaimRecord(
        id=7, text="Crime doubled last year.", kind="fact", claimant_id=3,
        claimant="Jane Doe", said_on="2024-03-01", due=None,
        status=latest.rating if latest else None, status_final=bool(latest and latest.final),
        quote_ids=(), tags=(), notes=None, version=1, reviews=reviews,
    )  # fmt: skip


SPEAKER = SpeakerRecord(
    id=3, name="Jane Doe", kind="person", wikidata_qid="Q42", notes=None,
    aliases=(), roles=(), version=1,
)  # fmt: skip
SOURCE = SourceRecord(
    id=2, kind="article", title="Interview", publisher="Daily News", authors=(),
    url="https://news.example/interview", published_on="2024-03-02", accessed_on=None,
    reports_on_id=None, notes=None, version=1,
)  # fmt: skip


def test_export_carries_the_required_properties() -> None:
    earlier = review("True", 5, id=1, reviewed_at=WHEN - dt.timedelta(days=1))
    out = claimreview_for(
        claim(earlier, review("Mostly False", 2.0, id=2)),
        url_base="https://checks.example/claims/",
        publisher="Checks Inc",
        speaker=SPEAKER,
        appearances=[SOURCE],
    )
    assert out == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checks.example/claims/7",
        "claimReviewed": "Crime doubled last year.",
        "author": {"@type": "Organization", "name": "Checks Inc"},
        "datePublished": "2024-03-05T12:00:00Z",
        "itemReviewed": {
            "@type": "Claim",
            "author": {
                "@type": "Person",
                "name": "Jane Doe",
                "sameAs": "https://www.wikidata.org/wiki/Q42",
            },
            "datePublished": "2024-03-01",
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": "https://news.example/interview",
                    "name": "Interview",
                    "datePublished": "2024-03-02",
                    "publisher": {"@type": "Organization", "name": "Daily News"},
                }
            ],
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 2,
            "bestRating": 5,
            "worstRating": 0,
            "alternateName": "Mostly False",
            "name": "Mostly False",
        },
    }


def test_no_review_for_a_claim_without_a_final_verdict() -> None:
    pending = review("Pending", -1, final=False, scale="prediction")
    assert claimreview_for(claim(pending), url_base="x/") is None
    assert claimreview_for(claim(), url_base="x/") is None
    with pytest.raises(ValueError, match="without its verdicts"):
        # a claim read without with_reviews=True: a status, but no verdicts
        claimreview_for(dataclasses.replace(claim(review("True", 5)), reviews=()), url_base="x/")


def test_unresolvable_is_sent_by_its_label_alone() -> None:
    verdict = review("Unresolvable", -1, scale="prediction")
    out = claimreview_for(claim(verdict), url_base="x/")
    assert out is not None
    assert out["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Unresolvable",
        "name": "Unresolvable",
    }
    assert rating_for("Unresolvable", None, None, None) == ("prediction", "Unresolvable", None)


def test_export_round_trips_through_the_reader() -> None:
    link = "https://www.politifact.com/factchecks/2024/mar/05/jane-doe/"
    verdicts = [
        claim(review("Pants on Fire", 0, evidence=(link,))),
        claim(review("Came True", 1, scale="prediction")),
    ]
    reviews = [claimreview_for(c, url_base="https://checks.example/c/") for c in verdicts]
    text = json.dumps(feed(r for r in reviews if r is not None), indent=2)
    first, second = rows(text)
    for row, url in ((first, link), (second, "https://checks.example/c/7")):
        assert row.problem is None
        assert row.fields["text"] == "Crime doubled last year."
        assert row.fields["speaker"] == "Jane Doe"
        assert row.fields["said_on"] == "2024-03-01"
        assert row.fields["reviewer"] == "alice"
        assert dt.datetime.fromisoformat(str(row.fields["reviewed_at"])) == WHEN
        assert row.fields["key"] == url and row.fields["evidence"] == [url]
    numbers = [first.fields[f] for f in ("rating_value", "best_rating", "worst_rating")]
    assert rating_for(first.fields["rating"], *numbers) == ("truth-o-meter", "Pants on Fire", None)
    assert rating_for(second.fields["rating"], None, None, None)[:2] == ("prediction", "Came True")


def test_a_broken_block_is_skipped_unless_it_may_be_the_review() -> None:
    other = '<script type="application/ld+json">{"@type": "Ad",</script>'
    good = f'<script type="application/ld+json">{json.dumps(REVIEW)}</script>'
    assert len(rows(f"<html>\n{other}\n{good}</html>")) == 1
    broken = (
        '<script type="application/ld+json">\n{"@type": "ClaimReview",\n</script>'  # ends on line 5
    )
    with pytest.raises(ValidationError, match=r"in\.json: line 5: invalid JSON"):
        rows(f"<html>\n{good}\n{broken}</html>")
