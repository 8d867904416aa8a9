"""schema.org ClaimReview JSON-LD in and out, as pure functions.

In: :func:`read_claimreviews` finds every ClaimReview in a text (one object,
a list, a ``DataFeed``, an ``@graph``, JSON Lines, or an HTML page's
``<script type="application/ld+json">`` blocks) and turns each into a row
keyed by :data:`.columns.ROW_FIELDS`; :func:`rating_for` puts a publisher's
rating on one of tracker's scales. Out: :func:`claimreview_for` writes one
claim's latest verdict as a ClaimReview with every property search engines
require or recommend for fact-check markup; :func:`feed` wraps several.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from tracker.errors import ValidationError
from tracker.scales import SCALES, TRUTH_O_METER
from tracker.services.records import ClaimRecord, SourceRecord, SpeakerRecord, to_jsonable

CONTEXT = "https://schema.org"

# Row fields beyond columns.ROW_FIELDS: the publisher's numbers, for rating_for.
RATING_NUMBERS = ("rating_value", "best_rating", "worst_rating")


@dataclass(frozen=True)
class ClaimReviewRow:
    line: int  # 1-based line where the ClaimReview object starts (best effort)
    fields: dict[str, object]  # row fields, named as in columns.ROW_FIELDS (+ RATING_NUMBERS)
    raw: dict[str, object] | None  # the ClaimReview as parsed, for a rejects file
    problem: str | None = None  # why this row cannot be imported, if it cannot


# --- reading -------------------------------------------------------------


def read_claimreviews(text: str, name: str = "<stdin>") -> Iterator[ClaimReviewRow]:
    """Every ClaimReview in ``text``, in document order, as a row.

    The whole text is parsed before this returns, so a text that cannot be
    used raises :class:`ValidationError` here (naming ``name`` and the line),
    not halfway through the rows: invalid JSON, an HTML page without a
    ClaimReview block, or nothing typed ClaimReview at all. Objects of other
    types are skipped without a row. A ClaimReview that cannot become a claim
    (no ``claimReviewed``) is a row with ``problem`` set.
    """
    text = text.removeprefix("\ufeff")
    if text.lstrip().startswith("<"):  # JSON never starts with "<"
        documents = _html_documents(text, name)
        nothing = 'no <script type="application/ld+json"> block with a ClaimReview'
    else:
        documents = _json_documents(text, name, first_line=1)
        nothing = "no ClaimReview found" if text.strip() else "the file is empty"
    ids = _node_ids(value for value, _ in documents)
    rows = [
        _row(review, line, ids)
        for value, lines in documents
        for review, line in _claimreviews(value, lines)
    ]
    if not rows:
        raise ValidationError(f"{name}: {nothing}")
    return iter(rows)


class _Lines:
    """Line numbers for the objects of one JSON text, by their order.

    ``json`` reports no positions, so the ``{`` outside strings are found with
    a regex: the k-th object in a pre-order walk of the parsed value starts at
    the k-th ``{``. (An object whose key repeats drops a value, and with it
    the count: lines after it may then be off. Best effort, as promised.)
    """

    _TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|\{')

    def __init__(self, text: str, first_line: int) -> None:
        self._braces = [m.start() for m in self._TOKEN.finditer(text) if m.group() == "{"]
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._first = first_line
        self.counter = itertools.count()

    def of(self, index: int) -> int:
        if index >= len(self._braces):
            return self._first
        return self._first + bisect.bisect(self._newlines, self._braces[index])


_SPACE = re.compile(r"[ \t\r\n]*")  # JSON's whitespace


def _json_documents(text: str, name: str, first_line: int) -> list[tuple[object, _Lines]]:
    """Every JSON value in ``text`` (one, or several one after another as in
    JSON Lines), each with the line finder they share."""
    decoder = json.JSONDecoder()
    lines = _Lines(text, first_line)
    documents: list[tuple[object, _Lines]] = []
    at = 0
    # (_SPACE always matches; the walrus only skips the space between values)
    while (space := _SPACE.match(text, at)) and (at := space.end()) < len(text):
        try:
            value, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            line = first_line + exc.lineno - 1
            raise ValidationError(
                f"{name}: line {line}: invalid JSON: {exc.msg} (column {exc.colno})"
            ) from None
        documents.append((value, lines))
    return documents


class _LdJsonBlocks(HTMLParser):
    """The ``application/ld+json`` script blocks of a page: (first line, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[int, str]] = []
        self._open: tuple[int, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if tag == "script" and kind == "application/ld+json":
            self._open = (self.getpos()[0], [])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            if not self._open[1]:  # lines count from where the content starts
                self._open = (self.getpos()[0], [])
            self._open[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.blocks.append((self._open[0], "".join(self._open[1])))
            self._open = None


def _html_documents(text: str, name: str) -> list[tuple[object, _Lines]]:
    parser = _LdJsonBlocks()
    parser.feed(text)
    parser.close()
    documents: list[tuple[object, _Lines]] = []
    for line, block in parser.blocks:
        try:
            documents += _json_documents(block, name, first_line=line)
        except ValidationError:
            # Pages often carry a broken block of some other type (breadcrumbs,
            # ads): skip it, unless it may have been the ClaimReview wanted.
            if "ClaimReview" in block:
                raise
    return documents


def _types(node: dict[str, object]) -> set[str]:
    """The node's @type(s), without a prefix ("schema:X", "https://schema.org/X")."""
    found = node.get("@type")
    names = found if isinstance(found, list) else [found]
    return {re.split(r"[/:#]", n)[-1] for n in names if isinstance(n, str)}


def _claimreviews(
    value: object, lines: _Lines, inside: bool = False
) -> Iterator[tuple[dict[str, object], int]]:
    """The ClaimReviews in a parsed value, anywhere (DataFeed elements or their
    ``item``, ``@graph``, a page's ``mainEntity``...), but not one inside another.
    Every object is visited, so that the line counter stays in step."""
    if isinstance(value, list):
        for item in value:
            yield from _claimreviews(item, lines, inside)
    elif isinstance(value, dict):
        index = next(lines.counter)
        is_review = not inside and "ClaimReview" in _types(value)
        if is_review:
            yield value, lines.of(index)
        for item in value.values():
            yield from _claimreviews(item, lines, inside or is_review)


def _node_ids(values: Iterable[object]) -> dict[str, dict[str, object]]:
    """Nodes by @id, so that a reference such as ``{"@id": "#claim"}`` (common
    in ``@graph`` documents) can be followed."""
    ids: dict[str, dict[str, object]] = {}
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack += value
        elif isinstance(value, dict):
            if isinstance(value.get("@id"), str) and len(value) > 1:
                ids.setdefault(value["@id"], value)
            stack += value.values()
    return ids


def _node(value: object, ids: dict[str, dict[str, object]]) -> dict[str, object] | None:
    """The (first) object a property holds, with an @id reference followed."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        ref = value.get("@id")
        return ids.get(ref, value) if isinstance(ref, str) and len(value) == 1 else value
    return None


def _text(value: object) -> str | None:
    """A property's text: a string, a ``{"@value": ...}``, or the first of a list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return (value.strip() or None) if isinstance(value, str) else None


def _name(value: object, ids: dict[str, dict[str, object]]) -> str | None:
    """A Person's or Organization's name (or a plain string given instead)."""
    node = _node(value, ids)
    return _text(node.get("name")) if node is not None else _text(value)


def _date_part(value: object) -> str | None:
    """The date of an ISO date-time ("2021-03-04T10:00Z" -> "2021-03-04");
    anything else as written, for the importer's date parser to judge."""
    text = _text(value)
    if text and re.match(r"\d{4}-\d\d-\d\dT", text):
        return text[:10]
    return text


_WIKIDATA = re.compile(r"https?://(?:www\.|m\.)?wikidata\.org/(?:wiki|entity)/(Q\d+)/?$")
_ORGANISATIONS = {"Corporation", "NGO", "PoliticalParty", "Project", "Consortium"}


def _row(review: dict[str, object], line: int, ids: dict[str, dict[str, object]]) -> ClaimReviewRow:
    fields: dict[str, object] = {"record": "claim"}

    def put(field: str, value: object) -> None:
        if value is not None:
            fields[field] = value

    put("text", _text(review.get("claimReviewed")))
    claim = _node(review.get("itemReviewed"), ids) or {}
    claimant = _node(claim.get("author"), ids)
    put("speaker", _name(claim.get("author"), ids))
    if claimant is not None:
        types = _types(claimant)
        if "Person" in types:
            fields["speaker_kind"] = "person"
        elif types & _ORGANISATIONS or any(t.endswith("Organization") for t in types):
            fields["speaker_kind"] = "organisation"
        same_as = claimant.get("sameAs")
        for link in same_as if isinstance(same_as, list) else [same_as]:
            if isinstance(link, str) and (match := _WIKIDATA.match(link.strip())):
                fields["speaker_wikidata"] = match.group(1)
                break
    put("said_on", _date_part(claim.get("datePublished")))

    # Where the claim was made: the first appearance listed, else firstAppearance.
    appearance = claim.get("appearance") or claim.get("firstAppearance")
    first = appearance[0] if isinstance(appearance, list) and appearance else appearance
    if isinstance(first, str) and first.strip():
        fields["source_url"] = fields["source_title"] = first.strip()
    elif (work := _node(first, ids)) is not None:
        url = _text(work.get("url"))
        put("source_url", url)
        put("source_title", _text(work.get("headline")) or _text(work.get("name")) or url)
        put("source_publisher", _name(work.get("publisher"), ids))
        put("published", _date_part(work.get("datePublished")))

    rating = _node(review.get("reviewRating"), ids) or {}
    put("rating", _text(rating.get("alternateName")) or _text(rating.get("name")))
    for field, prop in zip(
        RATING_NUMBERS, ("ratingValue", "bestRating", "worstRating"), strict=True
    ):
        put(field, rating.get(prop))

    # The reviewer: the review's author, else its publisher.
    put("reviewer", _name(review.get("author"), ids) or _name(review.get("publisher"), ids))
    put("reviewed_at", _text(review.get("datePublished")))
    url = _text(review.get("url"))
    if url:  # a ClaimReview's url is its stable key
        fields["key"] = url
        fields["evidence"] = [url]
    problem = None if "text" in fields else "ClaimReview has no claimReviewed"
    return ClaimReviewRow(line=line, fields=fields, raw=review, problem=problem)


# --- ratings -------------------------------------------------------------

# Older spellings of Truth-O-Meter labels that publishers still send.
_ALIASES = {"barely true": "Mostly False", "pants fire": "Pants on Fire"}


def rating_for(
    alternate_name: object, value: object, best: object, worst: object
) -> tuple[str, str, str | None] | str:
    """A publisher's rating as ``(scale key, label, note)``, or why it has none.

    A label on one of tracker's scales (ignoring case, spacing, hyphens and
    punctuation: "Pants on Fire!") is taken as it is, with no note. Otherwise
    the numbers place it on the Truth-O-Meter: the position of ``value``
    between ``worst`` and ``best`` goes to the nearest of its six ratings
    (a tie goes to the less true one), and the note keeps the original,
    e.g. "rated 'Four Pinocchios' (1 on a scale of 1 to 5) by the publisher",
    for the verdict's rationale. Otherwise an error message.
    """
    label = _text(alternate_name)
    if label:
        plain = " ".join(re.sub(r"[^\w\s-]", " ", label).split())
        plain = _ALIASES.get(plain.lower().replace("-", " "), plain)
        for scale in SCALES.values():
            found = scale.rating(plain)
            if found is not None:
                return scale.key, found.label, None
    numbers = [_number(v) for v in (value, best, worst)]
    if None in numbers or numbers[1] == numbers[2]:
        what = (
            f"rating '{label}' is not on a known scale"
            if label
            else "reviewRating has no alternateName"
        )
        return f"{what} and has no numeric ratingValue/bestRating/worstRating"
    at, top, bottom = (n for n in numbers if n is not None)
    position = (at - bottom) / (top - bottom)  # 0 worst .. 1 best, either direction
    if not 0 <= position <= 1:
        return f"ratingValue {_text(value)} is outside the scale {_text(worst)} to {_text(best)}"
    steps = len(TRUTH_O_METER.ratings) - 1
    nearest = math.ceil(position * steps - 0.5 - 1e-9)  # ties round down
    chosen = next(r for r in TRUTH_O_METER.ratings if r.value == nearest)
    shown = f"{_text(value)} on a scale of {_text(worst)} to {_text(best)}"
    note = (
        f"rated '{label}' ({shown}) by the publisher"
        if label
        else f"rated {shown} by the publisher"
    )
    return TRUTH_O_METER.key, chosen.label, note


def _number(value: object) -> float | None:
    """A JSON number, or a string holding one ("4", "4.5"); JSON-LD allows both."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# --- writing -------------------------------------------------------------


def claimreview_for(
    claim: ClaimRecord,
    *,
    url_base: str,
    publisher: str | None = None,
    speaker: SpeakerRecord | None = None,
    appearances: Iterable[SourceRecord] = (),
) -> dict[str, object] | None:
    """One ClaimReview for the claim's latest verdict, or None when it has no
    verdict or its latest is not final (Pending, In the Works...).

    ``claim`` must carry its verdicts (read with ``with_reviews=True``); a
    claim with a status but no verdicts raises ValueError. The review's url is
    the verdict's first http(s) evidence link (an imported ClaimReview's own
    url), else ``url_base`` + the claim's id. The author is ``publisher`` (an
    Organization), else the reviewer (a Person). ``speaker`` (the claimant's
    record) gives the claimant's kind and Wikidata link; ``appearances`` (the
    sources of the claim's quotes) give where the claim was made.
    """
    if not claim.reviews:
        if claim.status is not None:
            raise ValueError(f"claim {claim.id} was read without its verdicts")
        return None
    latest = max(claim.reviews, key=lambda r: (r.reviewed_at, r.id))
    if not latest.final:
        return None

    rating: dict[str, object] = {"@type": "Rating"}
    scale = SCALES.get(latest.scale)
    if scale is not None and latest.rating_value >= 0:
        # Unresolvable (value -1, final) has no place on a line: its label alone
        # is sent, which is all that is required.
        values = [r.value for r in scale.ratings if r.value >= 0]
        rating |= {
            "ratingValue": _plain(latest.rating_value),
            "bestRating": _plain(max(values)),
            "worstRating": _plain(min(values)),
        }
    rating |= {"alternateName": latest.rating, "name": latest.rating}

    item: dict[str, object] = {"@type": "Claim"}
    if claim.claimant:
        kind = (
            "Organization" if speaker is not None and speaker.kind == "organisation" else "Person"
        )
        author: dict[str, object] = {"@type": kind, "name": claim.claimant}
        if speaker is not None and speaker.wikidata_qid:
            author["sameAs"] = f"https://www.wikidata.org/wiki/{speaker.wikidata_qid}"
        item["author"] = author
    if claim.said_on:
        item["datePublished"] = claim.said_on
    works = [_creative_work(s) for s in appearances if s.url or s.title]
    if works:
        item["appearance"] = works

    link = next(iter(latest.evidence), "")
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": link if re.match(r"https?://", link) else f"{url_base}{claim.id}",
        "claimReviewed": claim.text,
        "author": (
            {"@type": "Organization", "name": publisher}
            if publisher
            else {"@type": "Person", "name": latest.reviewer}
        ),
        "datePublished": to_jsonable(latest.reviewed_at),
        "itemReviewed": item,
        "reviewRating": rating,
    }


def _creative_work(source: SourceRecord) -> dict[str, object]:
    work: dict[str, object] = {"@type": "CreativeWork"}
    if source.url:
        work["url"] = source.url
    work["name"] = source.title
    if source.published_on:
        work["datePublished"] = source.published_on
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    return work


def _plain(number: float) -> int | float:
    """5.0 as 5: the numbers read as the scale's own."""
    return int(number) if float(number).is_integer() else number


def feed(reviews: Iterable[dict[str, object]]) -> dict[str, object]:
    """Several ClaimReviews as one schema.org DataFeed."""
    return {"@context": CONTEXT, "@type": "DataFeed", "dataFeedElement": list(reviews)}
