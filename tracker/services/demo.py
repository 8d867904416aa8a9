"""The example article (a 2021 Bloomberg report on U.S.-Russian talks about
Afghan power-sharing) as demo data: what a fact-checker records from it.

Only short quotations and their metadata are written here, never the
article's full text. Loading is idempotent and atomic: it is one unit of
work (all of it is saved, or nothing), which takes the write lock before
its first look-up, so two runs at once cannot both create a record; and
every record, each claim's verdict included, is found by its natural key
(speaker name, source title, quote text, claim text) before it is created,
so a run converges to the full demo from any partial state and a second run
adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from tracker.db.database import Database
from tracker.db.models import Claim, Quote, Review, Source, Speaker
from tracker.services import claims, quotes, sources, speakers
from tracker.services.speakers import RoleInput

ARTICLE = "U.S, Russia in Joint Push for Afghan Power-Sharing Despite Spat"
INTERVIEW = "Joe Biden interviewed by George Stephanopoulos"
DOHA = "Agreement for Bringing Peace to Afghanistan (U.S.-Taliban agreement)"
US_PRESIDENT = "the U.S. president"

SPEAKERS: list[dict[str, object]] = [
    {
        "name": "Joe Biden",
        "qid": "Q6279",
        "aliases": ["Biden", "President Joe Biden", "Joseph R. Biden Jr."],
        "roles": [
            RoleInput("President", "United States", "2021-01-20", None, (US_PRESIDENT,)),
            RoleInput("Vice President", "United States", "2009-01-20", "2017-01-20"),
        ],
    },
    {
        "name": "Donald Trump",
        "qid": "Q22686",
        "aliases": ["Trump", "former President Donald Trump"],
        "roles": [
            RoleInput("President", "United States", "2017-01-20", "2021-01-20", (US_PRESIDENT,))
        ],
    },
    {
        "name": "Vladimir Putin",
        "qid": "Q7747",
        "aliases": ["Putin"],
        "roles": [RoleInput("President", "Russia", "2012-05-07", None)],
    },
    {
        "name": "Zalmay Khalilzad",
        "aliases": ["Khalilzad"],
        "roles": [
            RoleInput(
                "Special Envoy for Afghanistan Reconciliation",
                "United States",
                "2018-09-04",
                "2021-10-18",
            )
        ],
    },
    {
        "name": "Ashraf Ghani",
        "aliases": ["Ghani", "President Ashraf Ghani"],
        "roles": [RoleInput("President", "Afghanistan", "2014-09-29", "2021-08-15")],
    },
    {
        "name": "Sergei Lavrov",
        "aliases": [
            "Lavrov",
            ("Sergey Lavrov", "variant"),
            "Russian Foreign Minister Sergei Lavrov",
        ],
        "roles": [RoleInput("Foreign Minister", "Russia", "2004-03-09", None)],
    },
    {
        "name": "Michael Kugelman",
        "aliases": ["Kugelman"],
        "roles": [RoleInput("Deputy Director, Asia Program", "Wilson Center", None, None)],
    },
    # No alias for the article's misspelling "Stephanophoulos": matching finds it.
    {
        "name": "George Stephanopoulos",
        "aliases": ["Stephanopoulos"],
        "roles": [RoleInput("Chief Anchor", "ABC News", None, None)],
    },
    {
        "name": "Biden administration",
        "kind": "organisation",
        "aliases": ["the Biden administration"],
    },
    {
        "name": "Russia",
        "kind": "organisation",
        "aliases": ["the Kremlin", "Moscow", "Russian government"],
    },
    {
        "name": "United States government",
        "kind": "organisation",
        "aliases": ["Washington", "U.S. government"],
    },
    {"name": "Taliban", "kind": "organisation", "aliases": ["the Taliban"]},
]


@dataclass(frozen=True)
class DemoQuote:
    speaker: str
    text: str
    mode: str
    start: int
    end: int
    said: str | None
    venue: str | None = None
    notes: str | None = None
    tags: tuple[str, ...] = ()


ABC = "ABC News interview, aired 2021-03-17"
MOSCOW = "Moscow talks on Afghanistan, opening remarks"

# The 13 attributions of the article, with character offsets into its text.
QUOTES: list[DemoQuote] = [
    DemoQuote(
        "Joe Biden",
        "his Kremlin counterpart Vladimir Putin is a \u201ckiller.\u201d",
        "mixed",
        262,
        315,
        "2021-03-17",
        ABC,
        tags=("russia",),
    ),
    DemoQuote(
        "Biden administration",
        "it\u2019s considering going ahead with a planned pull-out of all U.S. troops by May 1",
        "indirect",
        655,
        735,
        "2021-03",
        notes="Signaled to President Ashraf Ghani.",
        tags=("withdrawal",),
    ),
    DemoQuote(
        "Russia",
        "the U.S. proposal for an interim government of national unity bringing together the "
        "Taliban and Afghan leaders",
        "indirect",
        1035,
        1145,
        "2021-03",
        tags=("power-sharing",),
    ),
    DemoQuote(
        "Sergei Lavrov",
        "the U.S. and the Taliban to stick to a peace deal signed in February last year that "
        "was to pave the way for the exit of all American forces in 14 months",
        "indirect",
        1349,
        1501,
        "2021-03-18",
        MOSCOW,
        tags=("withdrawal",),
    ),
    DemoQuote(
        "Sergei Lavrov",
        "of the danger of escalating fighting in Afghanistan",
        "indirect",
        1513,
        1564,
        "2021-03-18",
        MOSCOW,
        notes="The article names him by pronoun ('He warned').",
    ),
    DemoQuote(
        "Ashraf Ghani",
        "that elections should be the only way to form a new government",
        "indirect",
        1689,
        1751,
        "2021-03",
        notes="'last week', relative to the article.",
        tags=("power-sharing",),
    ),
    DemoQuote(
        "Michael Kugelman",
        "\u201cThe Biden administration will go all-in on this. Expect it to try to build a "
        "large consensus both in Afghanistan and overseas that pressures Ghani to accept the power-sharing "
        "idea,\u201d",
        "direct",
        1754,
        1936,
        "2021-03-18",
        tags=("power-sharing",),
    ),
    DemoQuote(
        "Michael Kugelman",
        "\u201cWashington may even threaten to withhold some future financial aid.\u201d",
        "direct",
        2047,
        2116,
        "2021-03-18",
        notes="Continues the previous quote; no cue of its own.",
    ),
    DemoQuote(
        "Donald Trump",
        "that he hoped all troops would exit the country by May as agreed with the group",
        "indirect",
        2336,
        2415,
        None,
        notes="The article names him by pronoun ('He stated').",
        tags=("withdrawal",),
    ),
    DemoQuote(
        "Joe Biden",
        "it will be \u201ctough\u201d to meet the May 1 deadline",
        "mixed",
        2429,
        2474,
        "2021-03-17",
        ABC,
        tags=("withdrawal",),
    ),
    DemoQuote(
        "Joe Biden",
        "If the timeline is extended, it won\u2019t be by \u201ca lot longer.\u201d",
        "mixed",
        2527,
        2596,
        "2021-03-17",
        ABC,
        notes="Split around the cue 'he added': 2527-2554 and 2566-2596.",
        tags=("withdrawal",),
    ),
    DemoQuote(
        "Joe Biden",
        "that Putin is a killer",
        "indirect",
        2696,
        2718,
        "2021-03-17",
        ABC,
        notes="Named as 'the U.S. president'; agreed with George Stephanopoulos (misspelled "
        "'Stephanophoulos' in the article).",
        tags=("russia",),
    ),
    DemoQuote(
        "Russia", "an apology from Biden", "indirect", 2796, 2817, "2021-03", tags=("russia",)
    ),
]


@dataclass(frozen=True)
class DemoReview:
    scale: str
    rating: str
    rationale: str
    at: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoClaim:
    text: str
    kind: str
    claimant: str | None
    quotes: tuple[int, ...]  # indexes into QUOTES
    said: str | None
    due: str | None = None
    review: DemoReview | None = None
    tags: tuple[str, ...] = ()


CLAIMS: list[DemoClaim] = [
    DemoClaim(
        "It will be \u201ctough\u201d to meet the May 1 deadline to withdraw U.S. troops from Afghanistan",
        "prediction",
        "Joe Biden",
        (9,),
        "2021-03-17",
        "2021-05-01",
        DemoReview(
            "prediction",
            "Came True",
            "On 2021-04-14 the withdrawal was postponed to September 11: the May 1 deadline was not met.",
            "2021-04-15T12:00:00+00:00",
        ),
        ("withdrawal",),
    ),
    DemoClaim(
        "If the withdrawal timeline is extended, it \u201cwon\u2019t be by a lot longer\u201d than May 1",
        "promise",
        "Joe Biden",
        (10,),
        "2021-03-17",
        "2021-05-01",
        None,
        ("withdrawal",),
    ),
    DemoClaim(
        "The Biden administration will go \u201call-in\u201d on power-sharing and build a consensus that "
        "pressures Ghani to accept it",
        "prediction",
        "Michael Kugelman",
        (6,),
        "2021-03-18",
        None,
        None,
        ("power-sharing",),
    ),
    DemoClaim(
        "Washington may even threaten to withhold some future financial aid from Afghanistan",
        "prediction",
        "Michael Kugelman",
        (7,),
        "2021-03-18",
    ),
    DemoClaim(
        "Trump had reduced the U.S. troop presence in Afghanistan to 2,500, the lowest number since the 2001 "
        "invasion",
        "fact",
        None,
        (),
        "2021-03-18",
        None,
        DemoReview(
            "truth-o-meter",
            "True",
            "The drawdown to 2,500 troops was completed on 2021-01-15, before the handover.",
            "2021-03-19T09:00:00+00:00",
        ),
        ("withdrawal",),
    ),
    DemoClaim(
        "The February 2020 U.S.-Taliban deal was to pave the way for the exit of all American forces in "
        "14 months",
        "fact",
        "Sergei Lavrov",
        (3,),
        "2021-03-18",
        None,
        DemoReview(
            "truth-o-meter",
            "True",
            "The agreement was signed in Doha on 2020-02-29; 14 months later is 2021-05-01, the "
            "deadline in its text.",
            "2021-03-19T09:30:00+00:00",
        ),
        ("withdrawal",),
    ),
    DemoClaim(
        "Elections should be the only way to form a new Afghan government",
        "opinion",
        "Ashraf Ghani",
        (5,),
        "2021-03",
        None,
        None,
        ("power-sharing",),
    ),
    DemoClaim(
        "Vladimir Putin is a \u201ckiller\u201d",
        "opinion",
        "Joe Biden",
        (0, 11),
        "2021-03-17",
        None,
        None,
        ("russia",),
    ),
]


@dataclass(frozen=True)
class DemoSummary:
    speakers: int
    sources: int
    quotes: int
    claims: int
    reviews: int
    created: int  # how many records this run added (0 on a second run)


def load_demo(db: Database, article_text: str | None = None) -> DemoSummary:
    """Fill the database with the example article's content (idempotent).

    ``article_text``, when given, is stored as the article source's full
    text (so `tracker verify` can check the demo's quotes against it); the
    text itself is never part of tracker (see :func:`seed_article`)."""
    with db.unit_of_work():
        return _load(db, article_text)


def seed_article() -> str | None:
    """The example article's text from the project's shared folder beside
    this repository (``../shared/seed/article.txt``), when it is there: it
    is a news publisher's text, read where it lies, never copied here."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "article.txt"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _load(db: Database, article_text: str | None = None) -> DemoSummary:
    created = 0
    speaker_ids: dict[str, int] = {}
    for spec in SPEAKERS:
        name = str(spec["name"])
        existing = _speaker_id(db, name)
        if existing is None:
            record = speakers.add_speaker(
                db,
                name,
                kind=str(spec.get("kind", "person")),
                aliases=spec.get("aliases", []),  # type: ignore[arg-type]
                roles=spec.get("roles", []),  # type: ignore[arg-type]
                wikidata_qid=spec.get("qid"),  # type: ignore[arg-type]
            )
            existing = record.id
            created += 1
        speaker_ids[name] = existing

    doha = _source_id(db, DOHA)
    if doha is None:
        doha = sources.add_source(
            db,
            DOHA,
            kind="document",
            publisher="U.S. Department of State",
            published_on="2020-02-29",
            url="https://www.state.gov/wp-content/uploads/2020/02/Agreement-For-Bringing-Peace-to-Afghanistan-02.29.20.pdf",
            notes="Signed in Doha; the article calls it 'a peace deal signed in February last year'.",
        ).id
        created += 1
    interview = _source_id(db, INTERVIEW)
    if interview is None:
        interview = sources.add_source(
            db,
            INTERVIEW,
            kind="interview",
            publisher="ABC News",
            published_on="2021-03-17",
            authors=["George Stephanopoulos"],
            notes="Aired Wednesday 2021-03-17 on ABC News.",
        ).id
        created += 1
    article = _source_id(db, ARTICLE)
    if article is None:
        article = sources.add_source(
            db,
            ARTICLE,
            kind="article",
            publisher="Bloomberg L.P.",
            published_on="2021-03-18",
            reports_on_id=interview,
            notes="Reports Biden's ABC News interview and the Moscow talks of Thursday 2021-03-18.",
            full_text=article_text,
        ).id
        created += 1
    elif article_text is not None and not sources.get_source(db, article).full_text:
        sources.update_source(db, article, full_text=article_text)

    quote_ids: list[int] = []
    for q in QUOTES:
        existing = _quote_id(db, q.text, speaker_ids[q.speaker])
        if existing is None:
            existing = quotes.add_quote(
                db,
                q.text,
                speaker_id=speaker_ids[q.speaker],
                source_id=article,
                mode=q.mode,
                said_on=q.said,
                venue=q.venue,
                start_offset=q.start,
                end_offset=q.end,
                tags=q.tags,
                notes=q.notes,
            ).id
            created += 1
        quote_ids.append(existing)

    reviews = 0
    for c in CLAIMS:
        existing = _claim_id(db, c.text)
        if existing is None:
            existing = claims.add_claim(
                db,
                c.text,
                kind=c.kind,
                claimant_id=speaker_ids[c.claimant] if c.claimant else None,
                quote_ids=[quote_ids[i] for i in c.quotes],
                said_on=c.said,
                due=c.due,
                tags=c.tags,
            ).id
            created += 1
        if c.review is not None:
            if not _has_review(db, existing, c.review.rating):
                claims.add_review(
                    db,
                    existing,
                    scale=c.review.scale,
                    rating=c.review.rating,
                    rationale=c.review.rationale,
                    reviewer="tracker demo",
                    reviewed_at=dt.datetime.fromisoformat(c.review.at),
                    evidence=c.review.evidence,
                )
                created += 1
            reviews += 1
    return DemoSummary(len(speaker_ids), 3, len(quote_ids), len(CLAIMS), reviews, created)


def _speaker_id(db: Database, name: str) -> int | None:
    with db.reading() as session:
        return session.scalar(
            select(Speaker.id).where(Speaker.name == name).order_by(Speaker.id).limit(1)
        )


def _source_id(db: Database, title: str) -> int | None:
    with db.reading() as session:
        return session.scalar(
            select(Source.id).where(Source.title == title).order_by(Source.id).limit(1)
        )


def _quote_id(db: Database, text: str, speaker_id: int) -> int | None:
    with db.reading() as session:
        return session.scalar(
            select(Quote.id)
            .where(Quote.text == text, Quote.speaker_id == speaker_id)
            .order_by(Quote.id)
            .limit(1)
        )


def _has_review(db: Database, claim_id: int, rating: str) -> bool:
    with db.reading() as session:
        found = session.scalar(
            select(Review.id).where(Review.claim_id == claim_id, Review.rating == rating).limit(1)
        )
        return found is not None


def _claim_id(db: Database, text: str) -> int | None:
    with db.reading() as session:
        return session.scalar(
            select(Claim.id).where(Claim.text == text).order_by(Claim.id).limit(1)
        )
