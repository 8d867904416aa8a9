"""Who said it: the one place where a name as written becomes a speaker and
a quote or claim is recorded against it.

Every front end is a thin adapter over :func:`record_quote` and
:func:`record_claim`: the CLI's ``add quote`` and ``add claim``, the
terminal UI's forms, the importer and the extraction review queue. Each
passes what it knows (the name as written or the speaker a person picked,
whether a new speaker may be created, the text, the date said, the source)
and gets back a typed outcome:

- :class:`Recorded`: the record, its speaker, and whether the speaker was
  created;
- :class:`NeedsChoice`: the name could be more than one speaker (``maybe``)
  or matches nobody while creating was not allowed (``new``); the
  candidates come with it, so a person can pick one and call again with its
  id, or confirm a new speaker;
- :class:`Refused`: the input is not valid; the reason names the field.

Nothing is written unless the whole change is accepted: the speaker (if
new) and the record are one unit of work, one change in the audit log
(undone together). The unit takes the write lock before the name is
matched, and the speaker index is brought up to date inside it, so two
processes recording the same new name at once create one speaker.

The rule for a name (as ``docs/cli.md`` states it):

- ``same``: the matched speaker is used;
- ``maybe``: a question for a person, never answered by creating a speaker,
  even when creating is allowed (a third "Obama" is worse than a question);
- ``new``: created if allowed, else a question.

A role reference ("the U.S. president") resolves by the date said, or,
without one, the source's date of publication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from tracker.db.database import Database
from tracker.errors import ValidationError
from tracker.services import claims, quotes, sources, speakers
from tracker.services.records import ClaimRecord, QuoteRecord, SpeakerRecord
from tracker.services.validation import clean_id, clean_name, clean_partial_date

if TYPE_CHECKING:  # the matcher is imported when a name is first matched
    from tracker.matching import Candidate

R = TypeVar("R", QuoteRecord, ClaimRecord)


@dataclass(frozen=True)
class Who:
    """What a front end knows about who said it.

    Either ``speaker_id`` (a speaker a person picked, or an id typed) or
    ``name`` as written. ``allow_new``: a new speaker may be created when
    the name matches nobody. ``confirmed_new``: a person has seen the
    candidates and chose to create a new speaker for ``name`` anyway (the
    form's "+ new"). ``kind`` is the new speaker's kind."""

    name: str | None = None
    speaker_id: int | None = None
    allow_new: bool = False
    confirmed_new: bool = False
    kind: str = "person"


@dataclass(frozen=True)
class Recorded(Generic[R]):
    record: R
    speaker: SpeakerRecord | None
    speaker_created: bool = False
    decision: str | None = None  # the matcher's, when a name was matched


@dataclass(frozen=True)
class NeedsChoice:
    name: str
    decision: str  # "maybe" or "new"
    candidates: tuple[Candidate, ...]
    field: str

    @property
    def message(self) -> str:
        if self.decision == "maybe":
            choices = "; ".join(f"{c.speaker_id} {c.name} ({c.why})" for c in self.candidates)
            return (
                f"{self.name!r} could be more than one speaker: {choices}. "
                "Give the speaker's id instead"
            )
        return f"no speaker matches {self.name!r}"


@dataclass(frozen=True)
class Refused:
    reason: str
    field: str | None = None


QuoteOutcome = Recorded[QuoteRecord] | NeedsChoice | Refused
ClaimOutcome = Recorded[ClaimRecord] | NeedsChoice | Refused


@dataclass(frozen=True)
class SpeakerResolution:
    """A speaker decided: found (``same``), picked, or created (``new``)."""

    record: SpeakerRecord | None
    created: bool = False
    decision: str | None = None
    speaker_id: int | None = None  # set even when the record was not read (decide_speaker)

    @property
    def id(self) -> int | None:
        return self.record.id if self.record is not None else self.speaker_id


def record_quote(
    db: Database,
    text: str,
    who: Who,
    *,
    source_id: int | None = None,
    mode: str = "direct",
    said_on: str | None = None,
    venue: str | None = None,
    start_offset: int | None = None,
    end_offset: int | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    tags: Iterable[str] = (),
    notes: str | None = None,
) -> QuoteOutcome:
    """Resolve who said it and record the quote, in one unit of work."""
    if who.name is None and who.speaker_id is None:
        return Refused("a quote needs a speaker", "speaker")

    def write(speaker_id: int | None) -> QuoteRecord:
        assert speaker_id is not None
        return quotes.add_quote(
            db,
            text,
            speaker_id=speaker_id,
            source_id=source_id,
            mode=mode,
            said_on=said_on,
            venue=venue,
            start_offset=start_offset,
            end_offset=end_offset,
            prefix=prefix,
            suffix=suffix,
            tags=tags,
            notes=notes,
        )

    return _attributed(db, who, "speaker", write, said_on, source_id)


def record_claim(
    db: Database,
    text: str,
    claimant: Who | None = None,
    *,
    kind: str = "fact",
    quote_ids: Iterable[int] = (),
    said_on: str | None = None,
    due: str | dt.date | None = None,
    tags: Iterable[str] = (),
    notes: str | None = None,
) -> ClaimOutcome:
    """Resolve the claimant (if one is named) and record the claim, in one
    unit of work. Without a claimant the claim's quotes' speaker is used."""

    def write(claimant_id: int | None) -> ClaimRecord:
        return claims.add_claim(
            db,
            text,
            kind=kind,
            claimant_id=claimant_id,
            quote_ids=quote_ids,
            said_on=said_on,
            due=due,
            tags=tags,
            notes=notes,
        )

    return _attributed(db, claimant, "claimant", write, said_on, None)


def amend_quote(
    db: Database,
    quote_id: int,
    who: Who | None,
    *,
    expected_version: int | None = None,
    **fields: object,
) -> QuoteOutcome:
    """Edit a quote, and its speaker when ``who`` is given (resolved, or
    created, as for a new quote), in one unit of work."""

    def write(speaker_id: int | None) -> QuoteRecord:
        changes = fields if speaker_id is None else {**fields, "speaker_id": speaker_id}
        return quotes.update_quote(db, quote_id, expected_version=expected_version, **changes)

    source = fields.get("source_id")
    return _attributed(
        db,
        who,
        "speaker",
        write,
        fields.get("said_on"),
        source if isinstance(source, int) else None,
    )


def amend_claim(
    db: Database,
    claim_id: int,
    claimant: Who | None,
    *,
    expected_version: int | None = None,
    **fields: object,
) -> ClaimOutcome:
    """Edit a claim, and its claimant when ``claimant`` is given, in one unit of work."""

    def write(claimant_id: int | None) -> ClaimRecord:
        changes = fields if claimant_id is None else {**fields, "claimant_id": claimant_id}
        return claims.update_claim(db, claim_id, expected_version=expected_version, **changes)

    return _attributed(db, claimant, "claimant", write, fields.get("said_on"), None)


def _attributed(
    db: Database,
    who: Who | None,
    field: str,
    write: Callable[[int | None], R],
    said_on: object,
    source_id: int | None,
) -> Recorded[R] | NeedsChoice | Refused:
    """The one sequence every use case shares: the day for role references,
    the index built before the lock, then in one unit of work the write lock,
    the speaker decided (and created if need be) and ``write`` called with
    its id (None when ``who`` is None). Bad input becomes Refused."""
    if who is not None and who.name is None and who.speaker_id is None:
        who = None
    try:
        on = _day_for_roles(db, str(said_on) if said_on else None, source_id)
        if who is not None:
            _prepare(db, who)
        with db.unit_of_work() as session:
            session.connection()  # the write lock, before the name is matched
            found = SpeakerResolution(None)
            if who is not None:
                resolved = _resolve(db, who, on, field)
                if isinstance(resolved, NeedsChoice):
                    return resolved
                found = resolved
            record = write(found.record.id if found.record else None)
            return Recorded(record, found.record, found.created, found.decision)
    except ValidationError as exc:
        return Refused(exc.message, exc.field)


def find_speaker(db: Database, who: Who, on: dt.date | None = None) -> SpeakerRecord | NeedsChoice:
    """The same decision, for a look-up that creates nothing (a filter, a
    merge target): the speaker, or the question to ask."""
    _prepare(db, who)
    found = _decide(db, who, on, "speaker")
    if isinstance(found, NeedsChoice):
        return found
    if isinstance(found, _CreateNew):
        return NeedsChoice(found.name, "new", (), "speaker")
    assert found.record is not None
    return found.record


def _prepare(db: Database, who: Who) -> None:
    """Build the speaker index before the write lock is taken, so a cold
    build (seconds on a big database) does not hold other writers up."""
    if who.speaker_id is None and not who.confirmed_new:
        from tracker.services.speaker_index import directory

        directory(db).index()


@dataclass(frozen=True)
class CreateNew:
    """The decision to create a speaker for ``name`` (allowed, and nobody matched)."""

    name: str


_CreateNew = CreateNew


def decide_speaker(
    db: Database, who: Who, on: dt.date | None = None, field: str = "speaker"
) -> NeedsChoice | SpeakerResolution | CreateNew:
    """The rule of the module doc, writing nothing: the speaker found
    (``same``, or the id given), a new speaker to create, or the question.
    The importer calls it inside its own unit of work, holding the lock,
    and creates the speakers it is told to. A speaker found by name comes
    with its id only (``record`` None): reading the whole record would cost
    more than the match."""
    return _decide(db, who, on, field, load=False)


def _resolve(
    db: Database, who: Who, on: dt.date | None, field: str
) -> NeedsChoice | SpeakerResolution:
    found = _decide(db, who, on, field)
    if isinstance(found, _CreateNew):
        return SpeakerResolution(speakers.add_speaker(db, found.name, kind=who.kind), True, "new")
    return found


def _decide(
    db: Database, who: Who, on: dt.date | None, field: str, *, load: bool = True
) -> NeedsChoice | SpeakerResolution | _CreateNew:
    """The rule of the module doc, writing nothing. ``load``: read the
    record of a speaker found by name (else its id only)."""
    if who.speaker_id is not None:
        return SpeakerResolution(speakers.get_speaker(db, clean_id(who.speaker_id, field)))
    name = clean_name(who.name, field)
    assert name is not None
    if who.confirmed_new:
        return _CreateNew(name)
    from tracker.services.speaker_index import directory

    result = directory(db).match(name, on=on)
    if result.decision == "same" and result.candidates:
        found = result.candidates[0].speaker_id
        if not load:
            return SpeakerResolution(None, False, "same", speaker_id=found)
        return SpeakerResolution(speakers.get_speaker(db, found), False, "same")
    if result.decision == "new" and who.allow_new:
        return _CreateNew(name)
    return NeedsChoice(name, result.decision, result.candidates, field)


def day_for_roles(date: str | None, field: str = "date said") -> dt.date | None:
    """The day a date names, for resolving a role reference ("the U.S.
    president"): None when it is empty or known only to the month or year;
    ValidationError naming ``field`` when it is not a date."""
    day = clean_partial_date(date, field)
    return day.first_day() if day is not None and day.precision == "day" else None


def _day_for_roles(db: Database, said_on: str | None, source_id: int | None) -> dt.date | None:
    """The day said, else the source's day of publication."""
    if clean_partial_date(said_on, "date said") is not None:
        return day_for_roles(said_on)
    if source_id is None:
        return None
    published = sources.get_source(db, clean_id(source_id, "source"), with_text=False)
    return day_for_roles(published.published_on, "published")
