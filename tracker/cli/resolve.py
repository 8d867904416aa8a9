"""Turning a speaker named on the command line into a speaker record."""

from __future__ import annotations

from tracker import services as svc
from tracker.cli.params import looks_like_id
from tracker.db.database import Database
from tracker.errors import ValidationError
from tracker.services.records import SpeakerRecord
from tracker.services.validation import clean_id, clean_partial_date


def resolve_speaker(
    db: Database,
    value: str,
    *,
    said_on: str | None = None,
    create: bool = False,
    field: str = "speaker",
) -> SpeakerRecord:
    """An id, or a name matched through the speaker index.

    Anything that looks like a whole number (``12``, ``0``, ``-1``) is an
    id, checked as one: an error naming ``field`` (the option) if it is not
    a valid one, never a name to match.

    A confident match (``same``) is used; a question (``maybe``) is an error
    listing the choices, because a wrong attribution is worse than asking;
    no match is an error unless ``create`` is set."""
    text = value.strip()
    if looks_like_id(text):
        return svc.get_speaker(db, clean_id(text, field))
    # Imported here: the matcher is not needed to start the CLI (or the UI).
    from tracker.services import speaker_index

    said = clean_partial_date(said_on, "date said")
    on = said.first_day() if said and said.precision == "day" else None
    result = speaker_index.match_speaker(db, text, on=on)
    if result.decision == "same" and result.candidates:
        return svc.get_speaker(db, result.candidates[0].speaker_id)
    if result.decision == "maybe" and not create:
        choices = "; ".join(f"{c.speaker_id} {c.name} ({c.why})" for c in result.candidates)
        raise ValidationError(
            f"{text!r} could be more than one speaker: {choices}. Give the speaker's id instead"
        )
    if create:
        return svc.add_speaker(db, text)
    raise ValidationError(
        f"no speaker matches {text!r}; add one with `tracker add speaker` or pass --new-speaker"
    )
