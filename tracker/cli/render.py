"""Human-readable output of single records. User text is always literal:
every value goes through :func:`~tracker.cli.output.shown`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from tracker.cli.console import out, shown
from tracker.services.records import ClaimRecord, QuoteRecord, SourceRecord, SpeakerRecord


def _fields(title: str, rows: Sequence[tuple[str, object]]) -> None:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for label, value in rows:
        if value is None or value == "" or value == ():
            continue
        grid.add_row(Text(label), shown(value))
    out.print(Text(title, style="bold underline"))
    out.print(grid)


def show_quote(quote: QuoteRecord, chain: Sequence[SourceRecord]) -> None:
    _fields(
        f"Quote {quote.id}",
        [
            ("text", quote.text),
            ("speaker", f"{quote.speaker} (#{quote.speaker_id})"),
            ("mode", quote.mode),
            ("said", quote.said_on),
            ("venue", quote.venue),
            (
                "source",
                " <- reported by ".join(reversed([f"{s.title} (#{s.id})" for s in chain])) or None,
            ),
            (
                "offsets",
                f"{quote.start_offset}-{quote.end_offset}"
                if quote.start_offset is not None
                else None,
            ),
            ("tags", ", ".join(quote.tags)),
            ("claims", ", ".join(f"#{c}" for c in quote.claim_ids)),
            ("notes", quote.notes),
        ],
    )


def show_claim(claim: ClaimRecord) -> None:
    _fields(
        f"Claim {claim.id}",
        [
            ("text", claim.text),
            ("kind", claim.kind),
            ("claimant", f"{claim.claimant} (#{claim.claimant_id})" if claim.claimant else None),
            ("said", claim.said_on),
            ("due", claim.due),
            ("status", claim.status or "unreviewed"),
            ("quotes", ", ".join(f"#{q}" for q in claim.quote_ids)),
            ("tags", ", ".join(claim.tags)),
            ("notes", claim.notes),
        ],
    )
    if claim.reviews:
        t = Table(title="Verdicts", header_style="bold")
        for column in ("when", "rating", "scale", "reviewer", "rationale"):
            t.add_column(column, overflow="fold")
        for r in claim.reviews:
            t.add_row(
                *(
                    shown(v)
                    for v in (
                        r.reviewed_at.strftime("%Y-%m-%d %H:%M UTC"),
                        r.rating,
                        r.scale,
                        r.reviewer,
                        r.rationale or "",
                    )
                )
            )
        out.print(t)


def show_speaker(speaker: SpeakerRecord) -> None:
    _fields(
        f"Speaker {speaker.id}",
        [
            ("name", speaker.name),
            ("kind", speaker.kind),
            ("wikidata", speaker.wikidata_qid),
            ("party", speaker.party),
            ("region", speaker.region),
            ("aliases", "; ".join(f"{a.text} ({a.kind})" for a in speaker.aliases)),
            ("roles", "; ".join(r.label() for r in speaker.roles)),
            ("quotes", speaker.quote_count),
            ("claims", speaker.claim_count),
            ("notes", speaker.notes),
        ],
    )


def show_source(source: SourceRecord, chain: Sequence[SourceRecord]) -> None:
    _fields(
        f"Source {source.id}",
        [
            ("title", source.title),
            ("kind", source.kind),
            ("publisher", source.publisher),
            ("authors", ", ".join(source.authors)),
            ("url", source.url),
            ("published", source.published_on),
            ("accessed", source.accessed_on),
            ("reports on", " -> ".join(f"{s.title} (#{s.id})" for s in chain[1:]) or None),
            ("full text", f"{len(source.full_text or '')} characters" if source.has_text else None),
            ("quotes", source.quote_count),
            ("notes", source.notes),
        ],
    )
