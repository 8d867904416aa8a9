"""Turning a speaker named on the command line into a speaker record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracker import services as svc
from tracker.cli.params import looks_like_id
from tracker.db.database import Database
from tracker.errors import ValidationError
from tracker.services.records import SpeakerRecord
from tracker.services.validation import clean_id

if TYPE_CHECKING:
    from tracker.services.attribution import ClaimOutcome, NeedsChoice, QuoteOutcome, Who


def resolve_speaker(
    db: Database,
    value: str,
    *,
    said_on: str | None = None,
    field: str = "speaker",
) -> SpeakerRecord:
    """An id, or a name matched through the speaker index.

    Anything that looks like a whole number (``12``, ``0``, ``-1``) is an
    id, checked as one: an error naming ``field`` (the option) if it is not
    a valid one, never a name to match.

    The decision is the attribution service's
    (:mod:`tracker.services.attribution`): a confident match (``same``) is
    used; a question (``maybe``) is an error listing the choices, because a
    wrong attribution is worse than asking; no match is an error. This
    look-up creates nothing; ``add quote`` and ``add claim`` go through
    :func:`who` and the service instead."""
    text = value.strip()
    if looks_like_id(text):
        return svc.get_speaker(db, clean_id(text, field))
    # Imported here: the matcher is not needed to start the CLI (or the UI).
    from tracker.services.attribution import NeedsChoice, Who, day_for_roles, find_speaker

    found = find_speaker(db, Who(name=text), day_for_roles(said_on))
    if isinstance(found, NeedsChoice):
        raise ValidationError(choice_message(found), field)
    return found


def who(value: str, *, create: bool = False, field: str = "speaker") -> Who:
    """A NAME_OR_ID option as the attribution service takes it."""
    from tracker.services.attribution import Who

    text = value.strip()
    if looks_like_id(text):
        return Who(speaker_id=clean_id(text, field))
    return Who(name=text, allow_new=create)


def recorded(outcome: QuoteOutcome | ClaimOutcome) -> Any:
    """The record of an outcome, or the error that tells the user what to do."""
    from tracker.services.attribution import NeedsChoice, Refused

    if isinstance(outcome, NeedsChoice):
        raise ValidationError(choice_message(outcome), outcome.field)
    if isinstance(outcome, Refused):
        raise ValidationError(outcome.reason, outcome.field)
    return outcome.record


def choice_message(question: NeedsChoice) -> str:
    if question.decision == "maybe":
        return question.message
    hint = " or pass --new-speaker" if question.field == "--speaker" else ""
    return f"no speaker matches {question.name!r}; add one with `tracker add speaker`{hint}"
