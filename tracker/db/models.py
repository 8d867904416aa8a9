"""The schema, as typed SQLAlchemy models. Alembic migrations own the
database; these models must agree with them (a test runs autogenerate's
comparison and expects no difference)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from tracker.db.base import Base, UTCDateTime, utcnow
from tracker.vocab import (
    ALIAS_KINDS,
    CLAIM_KINDS,
    QUOTE_MODES,
    SOURCE_KINDS,
    SPEAKER_KINDS,
)

# Ids are never reused (migration 0003): a deleted record's number is not
# given to the next one, so an undo or a note naming "#14" cannot reach
# another record.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Timestamped:
    """Created/updated times and a version counter.

    ``version`` is SQLAlchemy's ``version_id_col``: an UPDATE whose row was
    changed by someone else since it was read fails instead of silently
    overwriting (no lost updates between concurrent editors)."""

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Speaker(Timestamped, Base):
    __tablename__ = "speakers"
    __table_args__ = (CheckConstraint(_in("kind", SPEAKER_KINDS), name="kind"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="person")
    name: Mapped[str] = mapped_column(String(500), index=True)
    wikidata_qid: Mapped[str | None] = mapped_column(String(20), unique=True)
    notes: Mapped[str | None] = mapped_column(Text)
    party: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))  # a U.S. state, a country

    aliases: Mapped[list[SpeakerAlias]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="SpeakerAlias.id"
    )
    roles: Mapped[list[SpeakerRole]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="SpeakerRole.id"
    )


class SpeakerRole(Base):
    __tablename__ = "speaker_roles"
    __table_args__ = (
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates"
        ),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    organisation: Mapped[str | None] = mapped_column(String(500))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)

    speaker: Mapped[Speaker] = relationship(back_populates="roles")


class SpeakerAlias(Base):
    __tablename__ = "speaker_aliases"
    __table_args__ = (
        UniqueConstraint("speaker_id", "text"),
        CheckConstraint(_in("kind", ALIAS_KINDS), name="kind"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(500), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="name")
    # A role reference ("the U.S. president") may be tied to the role it names,
    # so that it resolves only on dates when the role was held.
    role_id: Mapped[int | None] = mapped_column(
        ForeignKey("speaker_roles.id", ondelete="SET NULL"), index=True
    )

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")


class Source(Timestamped, Base):
    __tablename__ = "sources"
    __table_args__ = (CheckConstraint(_in("kind", SOURCE_KINDS), name="kind"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="article")
    title: Mapped[str] = mapped_column(String(1000))
    publisher: Mapped[str | None] = mapped_column(String(500))
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    url: Mapped[str | None] = mapped_column(String(2000), index=True)
    published_on: Mapped[str | None] = mapped_column(String(10))  # PartialDate ISO prefix
    accessed_on: Mapped[dt.date | None] = mapped_column(Date)
    full_text: Mapped[str | None] = mapped_column(Text)
    reports_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


quote_tags = Table(
    "quote_tags",
    Base.metadata,
    Column("quote_id", ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)

claim_tags = Table(
    "claim_tags",
    Base.metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)

claim_quotes = Table(
    "claim_quotes",
    Base.metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("quote_id", ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Quote(Timestamped, Base):
    __tablename__ = "quotes"
    __table_args__ = (
        CheckConstraint(_in("mode", QUOTE_MODES), name="mode"),
        CheckConstraint(
            "start_offset IS NULL OR end_offset IS NULL OR (start_offset >= 0 AND end_offset >= start_offset)",
            name="offsets",
        ),
        Index("ix_quotes_speaker_id_id", "speaker_id", "id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="RESTRICT"))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    mode: Mapped[str] = mapped_column(String(10), default="direct")
    said_on: Mapped[str | None] = mapped_column(String(10), index=True)  # PartialDate ISO prefix
    venue: Mapped[str | None] = mapped_column(String(1000))
    start_offset: Mapped[int | None] = mapped_column(Integer)
    end_offset: Mapped[int | None] = mapped_column(Integer)
    prefix: Mapped[str | None] = mapped_column(String(200))
    suffix: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    # The last check against the source's text (tracker.services.verification;
    # migration 0007): derived data, written without bumping ``version``.
    verify_status: Mapped[str | None] = mapped_column(String(10))
    verify_start: Mapped[int | None] = mapped_column(Integer)
    verify_end: Mapped[int | None] = mapped_column(Integer)
    verify_similarity: Mapped[float | None] = mapped_column(Float)
    verify_checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    verify_digest: Mapped[str | None] = mapped_column(String(64))

    speaker: Mapped[Speaker] = relationship()
    source: Mapped[Source | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=quote_tags, order_by=Tag.name)


class Claim(Timestamped, Base):
    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint(_in("kind", CLAIM_KINDS), name="kind"),
        Index("ix_claims_due_on_status_final", "due_on", "status_final"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="fact")
    claimant_id: Mapped[int | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="RESTRICT"), index=True
    )
    said_on: Mapped[str | None] = mapped_column(String(10))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    # The latest review's rating, kept in the same transaction as the review
    # insert so that "status" filters and the due list need no subquery.
    status: Mapped[str | None] = mapped_column(String(50), index=True)
    status_final: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)

    claimant: Mapped[Speaker | None] = relationship()
    quotes: Mapped[list[Quote]] = relationship(secondary=claim_quotes, order_by=Quote.id)
    tags: Mapped[list[Tag]] = relationship(secondary=claim_tags, order_by=Tag.name)
    reviews: Mapped[list[Review]] = relationship(
        back_populates="claim",
        order_by="(Review.reviewed_at, Review.id)",
        cascade="all, delete-orphan",
    )


class Review(Base):
    """One verdict. Append-only: services never update or delete a review."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_claim_id_reviewed_at", "claim_id", "reviewed_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    scale: Mapped[str] = mapped_column(String(50))
    rating: Mapped[str] = mapped_column(String(50))
    rating_value: Mapped[float] = mapped_column(Float)
    final: Mapped[bool] = mapped_column(Boolean)
    rationale: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)

    claim: Mapped[Claim] = relationship(back_populates="reviews")


class AuditEntry(Base):
    """Every create, update and delete made through the services, written in
    the same transaction as the change. ``change_id`` groups the entries of
    one unit of work, so a whole change can be shown or undone together."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[str] = mapped_column(String(32), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    summary: Mapped[str | None] = mapped_column(String(500))


class Import(Base):
    """One run of ``tracker import``: what was read and what it did. Its
    records are found through :class:`RecordKey` and :class:`ImportCreated`."""

    __tablename__ = "imports"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[str] = mapped_column(String(32), index=True)
    file: Mapped[str] = mapped_column(String(1000))
    format: Mapped[str] = mapped_column(String(20))
    mapping: Mapped[str | None] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    counts: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class RecordKey(Base):
    """An imported quote's or claim's stable key: importing the row again
    finds the record instead of adding it twice."""

    __tablename__ = "record_keys"
    __table_args__ = (UniqueConstraint("entity", "record_id"),)

    entity: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(500), primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("imports.id", ondelete="SET NULL"), index=True
    )


class ImportCreated(Base):
    """A speaker or source an import created (undone with it)."""

    __tablename__ = "import_created"

    import_id: Mapped[int] = mapped_column(
        ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True
    )
    entity: Mapped[str] = mapped_column(String(10), primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer, primary_key=True)


QUEUE_STATUSES = ("pending", "accepted", "rejected", "skipped")
SPEAKER_GUESSES = ("same", "maybe", "new")


class QueueItem(Timestamped, Base):
    """One attribution found in an ingested article, awaiting a person's
    decision (migration 0005). Offsets index ``sources.full_text``; ``spans``
    is ``{"content": [[start, end], ...], "cue": [start, end] | None,
    "source": [start, end] | None}``."""

    __tablename__ = "review_queue"
    __table_args__ = (
        CheckConstraint(_in("mode", QUOTE_MODES), name="mode"),
        CheckConstraint(_in("status", QUEUE_STATUSES), name="status"),
        CheckConstraint(
            f"speaker_guess IS NULL OR {_in('speaker_guess', SPEAKER_GUESSES)}",
            name="speaker_guess",
        ),
        CheckConstraint("start_offset >= 0 AND end_offset >= start_offset", name="offsets"),
        UniqueConstraint("source_id", "position"),
        Index("ix_review_queue_status_source_id_position", "status", "source_id", "position"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # order in the article, from 1
    mode: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)  # the proposed quote text
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    spans: Mapped[dict[str, Any]] = mapped_column(JSON)
    speaker_name: Mapped[str | None] = mapped_column(String(500))
    speaker_guess: Mapped[str | None] = mapped_column(String(10))
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="SET NULL"), index=True
    )
    confidence: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    quote_id: Mapped[int | None] = mapped_column(
        ForeignKey("quotes.id", ondelete="SET NULL"), index=True
    )
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
