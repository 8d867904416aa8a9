"""Checking one import row: its fields, cleaned by the same rules as the
services, and what it becomes (an :class:`Item`), or why not
(:class:`RowRejected`)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from tracker.db.base import utcnow
from tracker.scales import DEFAULT_SCALE_FOR_KIND, get_scale
from tracker.services import claims
from tracker.services.transfer import mapping as maps
from tracker.services.transfer.columns import content_key
from tracker.services.transfer.readers import InputRow
from tracker.services.validation import (
    clean_choice,
    clean_date,
    clean_name,
    clean_partial_date,
    clean_short,
    clean_tags,
    clean_text,
    clean_url,
    parse_offset,
)
from tracker.vocab import CLAIM_KINDS, DATED_KINDS, QUOTE_MODES, SOURCE_KINDS, SPEAKER_KINDS

IGNORED = frozenset({"_line", "_reason", "_raw"})  # a rejects file's own columns


class RowRejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Verdict:
    scale: str
    rating: str
    value: float
    final: bool
    reviewer: str
    reviewed_at: dt.datetime
    rationale: str | None
    evidence: list[str]


@dataclass
class Item:
    """One row, checked: everything needed to write it."""

    row: InputRow
    record: str  # quote | claim | quote+claim
    key: str
    speaker: str | None
    speaker_id: int | None
    speaker_kind: str | None
    speaker_extra: dict[str, Any]
    source: dict[str, Any] | None
    quote: dict[str, Any] | None
    claim: dict[str, Any] | None
    verdicts: list[Verdict]
    quote_keys: list[str]
    on: dt.date | None  # the day for role references
    # The row has a speaker / date-said column (even empty): a claim then
    # does not take its quotes' (as add_claim does when none is given).
    gives_speaker: bool = False
    gives_said: bool = False
    speaker_ref: int | None = None  # decided
    source_ref: int | None = None


class RowChecker:
    """Turns rows into items with one mapping; ``now`` dates verdicts that
    give no date, ``actor`` is the reviewer of verdicts that name none."""

    def __init__(self, mapping: maps.Mapping, actor: str, now: dt.datetime) -> None:
        self.mapping = mapping
        self.actor = actor
        self.started = now

    def item(self, row: InputRow) -> Item:
        m = self.mapping
        if not m.columns:
            unknown = [k for k in row.values if k not in maps.KNOWN_FIELDS and k not in IGNORED]
            if unknown:
                raise RowRejected(f"unknown field {unknown[0]!r} (docs/import.md lists the fields)")
        f = m.fields_of(row.values)
        record = text_of(f.get("record"), "record") or m.record or "quote"
        if record not in ("quote", "claim", "quote+claim"):
            raise RowRejected(f"record must be quote, claim or quote+claim, not {record!r}")
        speaker = text_of(f.get("speaker"), "speaker")
        if speaker and m.speaker_names == "slug":
            slug = speaker
            speaker = maps.slug_name(slug)
            if not text_of(f.get("speaker_kind"), "speaker_kind") and maps.looks_like_organisation(
                slug
            ):
                f["speaker_kind"] = "organisation"
        speaker = clean_name(speaker, "speaker", required=False)
        speaker_id = whole(f.get("speaker_id"), "speaker_id")
        if speaker is None and speaker_id is None and record != "claim":
            raise RowRejected("speaker is empty")
        kind_text = text_of(f.get("speaker_kind"), "speaker_kind")
        speaker_kind = clean_choice(kind_text, "speaker kind", SPEAKER_KINDS) if kind_text else None
        extra = {
            "role": clean_name(
                text_of(f.get("speaker_role"), "speaker_role"), "speaker_role", required=False
            ),
            "party": clean_short(text_of(f.get("speaker_party"), "speaker_party"), "speaker_party"),
            "region": clean_short(
                text_of(f.get("speaker_region"), "speaker_region"), "speaker_region"
            ),
            "wikidata": text_of(f.get("speaker_wikidata"), "speaker_wikidata"),
        }
        source = self._source_fields(f)
        said = clean_partial_date(text_of(f.get("said_on"), "said_on"), "said_on")
        said_on = said.iso() if said else None
        tags = clean_tags([str(t) for t in maps.split_list(f.get("tags"), m.list_separator)])
        notes = clean_text(text_of(f.get("notes"), "notes"), "notes", required=False)
        text_value = clean_text(text_of(f.get("text"), "text"), "text")
        assert text_value is not None
        quote = claim = None
        if record in ("quote", "quote+claim"):
            start = f.get("start_offset")
            end = f.get("end_offset")
            quote = {
                "text": text_value,
                "mode": clean_choice(
                    text_of(f.get("mode"), "mode"), "mode", QUOTE_MODES, default="direct"
                ),
                "said_on": said_on,
                "venue": clean_text(
                    text_of(f.get("venue"), "venue"),
                    "venue",
                    required=False,
                    max_len=1000,
                    single_line=True,
                ),
                "start_offset": parse_offset(start) if not is_blank(start) else None,
                "end_offset": parse_offset(end) if not is_blank(end) else None,
                "prefix": clean_text(
                    text_of(f.get("prefix"), "prefix"), "prefix", required=False, max_len=200
                ),
                "suffix": clean_text(
                    text_of(f.get("suffix"), "suffix"), "suffix", required=False, max_len=200
                ),
                "tags": tags,
                "notes": notes if record == "quote" else None,
            }
            first, last = quote["start_offset"], quote["end_offset"]
            if (first is None) != (last is None):
                raise RowRejected("give both start_offset and end_offset, or neither")
            if isinstance(first, int) and isinstance(last, int) and last < first:
                raise RowRejected("end_offset is before start_offset")
        verdicts: list[Verdict] = []
        quote_keys: list[str] = []
        if record in ("claim", "quote+claim"):
            claim_text = clean_text(
                text_of(f.get("claim_text"), "claim_text"), "claim_text", required=False
            )
            kind = clean_choice(
                text_of(f.get("claim_kind"), "claim_kind"), "claim_kind", CLAIM_KINDS, "fact"
            )
            due = clean_date(text_of(f.get("due"), "due"), "due")
            if due is not None and kind not in DATED_KINDS:
                raise RowRejected(
                    f"only predictions and promises have a due date; this claim is a {kind}"
                )
            if due is not None and said is not None and due < said.first_day():
                raise RowRejected(f"the due date ({due}) is before the date said ({said_on})")
            claim = {
                "text": claim_text or text_value,
                "kind": kind,
                "said_on": said_on,
                "due_on": due,
                "tags": tags,
                "notes": notes,
            }
            verdicts = self._verdicts(f, kind, said_on)
            quote_keys = [str(k) for k in maps.split_list(f.get("quote_keys"), m.list_separator)]
        key = text_of(f.get("key"), "key")
        if key:
            key = m.key_prefix + key
            if len(key) > 500:
                raise RowRejected(f"the key is {len(key):,} characters long; the limit is 500")
        else:
            where = (source.get("url") or source.get("title")) if source else None
            key = content_key(
                speaker or (str(speaker_id) if speaker_id else None), text_value, where
            )
        day = said.first_day() if said is not None and said.precision == "day" else None
        if day is None and source is not None and source.get("published"):
            published = clean_partial_date(source["published"], "published")
            if published is not None and published.precision == "day":
                day = published.first_day()
        return Item(
            row=row,
            record=record,
            key=key,
            speaker=speaker,
            speaker_id=speaker_id,
            speaker_kind=speaker_kind,
            speaker_extra=extra,
            source=source,
            quote=quote,
            claim=claim,
            verdicts=verdicts,
            quote_keys=quote_keys,
            on=day,
            gives_speaker="speaker" in f or "speaker_id" in f,
            gives_said="said_on" in f,
        )

    def _source_fields(self, f: dict[str, object]) -> dict[str, Any] | None:
        title = clean_text(
            text_of(f.get("source_title"), "source_title"),
            "source_title",
            required=False,
            max_len=1000,
            single_line=True,
        )
        url = clean_url(text_of(f.get("source_url"), "source_url"), "source_url")
        if title is None and url is None:
            return None
        published = clean_partial_date(text_of(f.get("published"), "published"), "published")
        kind_text = text_of(f.get("source_kind"), "source_kind")
        return {
            "title": title or url,
            "url": url,
            "kind": clean_choice(kind_text, "source_kind", SOURCE_KINDS, "article"),
            "publisher": clean_name(
                text_of(f.get("source_publisher"), "source_publisher"),
                "source_publisher",
                required=False,
            ),
            "published": published.iso() if published else None,
        }

    def _verdicts(self, f: dict[str, object], kind: str, said_on: str | None) -> list[Verdict]:
        history = f.get("verdicts")
        if not is_blank(history):
            entries = maps.split_list(history, None) if not isinstance(history, list) else history
            out = []
            for entry in entries:
                if not isinstance(entry, dict):
                    raise RowRejected("verdicts must be a list of objects")
                out.append(self._verdict(entry, kind, said_on))
            return out
        if is_blank(f.get("rating")):
            return []
        return [self._verdict(f, kind, said_on)]

    def _verdict(self, f: dict[str, object], kind: str, said_on: str | None) -> Verdict:
        label = maps.rating_label(self.mapping, str(f.get("rating") or "").strip())
        scale_name = text_of(f.get("scale"), "scale") or DEFAULT_SCALE_FOR_KIND[kind]
        scale = get_scale(scale_name)
        rationale = clean_text(
            text_of(f.get("rationale"), "rationale"), "rationale", required=False
        )
        rating = scale.rating(label) if scale is not None else None
        if rating is None and any(not is_blank(f.get(k)) for k in ("rating_value", "best_rating")):
            from tracker.services.transfer.claimreview import rating_for

            found = rating_for(
                label, f.get("rating_value"), f.get("best_rating"), f.get("worst_rating")
            )
            if isinstance(found, str):
                raise RowRejected(found)
            scale = get_scale(found[0])
            assert scale is not None
            rating = scale.rating(found[1])
            if found[2]:
                rationale = f"{rationale}\n{found[2]}" if rationale else found[2]
        if scale is None:
            raise RowRejected(f"unknown rating scale {scale_name!r}")
        if rating is None:
            raise RowRejected(
                f"rating {label!r} is not on the {scale.name} scale; use one of: "
                + ", ".join(scale.labels())
            )
        when = moment(f.get("reviewed_at")) or self.started
        if when > utcnow() + dt.timedelta(minutes=5):
            raise RowRejected(f"reviewed_at {when.isoformat()} is in the future")
        claims._check_reviewed_after_said(when, said_on)
        evidence = [
            e
            for e in (
                clean_url(str(x), "evidence") for x in maps.split_list(f.get("evidence"), None)
            )
            if e
        ]
        return Verdict(
            scale=scale.key,
            rating=rating.label,
            value=rating.value,
            final=rating.final,
            reviewer=clean_name(text_of(f.get("reviewer"), "reviewer"), "reviewer", required=False)
            or self.actor,
            reviewed_at=when,
            rationale=rationale,
            evidence=evidence,
        )

    # -- known keys ------------------------------------------------------


def text_of(value: object, field: str | None = None) -> str | None:
    """A cell as text (None when empty); a number is its digits; anything
    else (a JSON list, object or true/false) is a reject naming the field."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    where = f"{field}: " if field else ""
    raise RowRejected(
        f"{where}expected text, found {type(value).__name__} {json.dumps(value)[:60]}"
    )


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def whole(value: object, field_name: str) -> int | None:
    if is_blank(value):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise RowRejected(f"{field_name} must be a whole number, not {value!r}") from None
    if number < 1:
        raise RowRejected(f"{field_name} must be 1 or more")
    return number


def moment(value: object) -> dt.datetime | None:
    """A review time: an ISO 8601 date or date-time; no zone means UTC."""
    text_value = text_of(value)
    if text_value is None:
        return None
    raw = text_value.strip().replace("Z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise RowRejected(f"reviewed_at {text_value!r} is not an ISO 8601 date or time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)
