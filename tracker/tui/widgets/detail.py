"""The detail pane: everything about the selected record, loaded in a worker."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget
from textual.worker import get_current_worker

from tracker import services as svc
from tracker.db.database import Database
from tracker.errors import TrackerError
from tracker.services.filters import Filters
from tracker.services.records import (
    ClaimRecord,
    QuoteRecord,
    ReportCard,
    SourceRecord,
    SpeakerRecord,
)
from tracker.services.verification import Checked, describe, stored_check
from tracker.tui.keys import bindings, key_hint
from tracker.tui.messages import ReportsWorkerErrors, WorkerFailed
from tracker.tui.text import literal
from tracker.tui.widgets.report_card import report_card
from tracker.tui.widgets.row_table import draw_now, set_virtual_size

LINKED = 15  # how many related records a detail shows
# While the cursor moves faster than this (a held PageDown or arrow key), the
# detail waits until it rests this long, rather than reading and drawing a
# record between every two key presses.
FOLLOW_DELAY = 0.05


@dataclass(frozen=True)
class QuoteDetail:
    quote: QuoteRecord
    chain: tuple[SourceRecord, ...]
    claims: tuple[ClaimRecord, ...]
    check: Checked | None = None  # the last check against the source's text


@dataclass(frozen=True)
class ClaimDetail:
    claim: ClaimRecord
    quotes: tuple[QuoteRecord, ...]


@dataclass(frozen=True)
class SpeakerDetail:
    speaker: SpeakerRecord
    quotes: tuple[QuoteRecord, ...]
    claims: tuple[ClaimRecord, ...]  # the newest few
    card: ReportCard
    more_quotes: bool


@dataclass(frozen=True)
class SourceDetail:
    source: SourceRecord
    chain: tuple[SourceRecord, ...]
    quotes: tuple[QuoteRecord, ...]


def load_detail(db: Database, entity: str, record_id: int) -> Any:
    """Read what the detail pane shows (runs in a worker thread)."""
    if entity == "quote":
        quote = svc.get_quote(db, record_id)
        chain = svc.source_chain(db, quote.source_id) if quote.source_id else []
        linked = svc.get_claims(db, quote.claim_ids[:LINKED])
        check = stored_check(db, record_id)
        return QuoteDetail(quote, tuple(chain), tuple(linked), check)
    if entity == "claim":
        claim = svc.get_claim(db, record_id)
        resting = svc.get_quotes(db, claim.quote_ids[:LINKED])
        return ClaimDetail(claim, tuple(resting))
    if entity == "speaker":
        speaker = svc.get_speaker(db, record_id)
        page = svc.list_quotes(db, Filters(speaker_id=record_id), limit=LINKED)
        claims = svc.list_claims(db, Filters(speaker_id=record_id), limit=LINKED).items
        card = svc.speaker_report_card(db, record_id)
        return SpeakerDetail(speaker, page.items, claims, card, page.next_cursor is not None)
    if entity == "source":
        source = svc.get_source(db, record_id, with_text=False)
        chain = svc.source_chain(db, record_id)
        quotes = svc.list_quotes(db, Filters(source_id=record_id), limit=LINKED).items
        return SourceDetail(source, tuple(chain[1:]), quotes)
    raise ValueError(entity)


def _field(out: Text, label: str, value: object) -> None:
    if value is None or value == "" or value == ():
        return
    out.append(f"{label}: ", style="bold")
    out.append_text(literal(value))
    out.append("\n")


def _check(out: Text, check: Checked | None) -> None:
    """The last verification (nothing for a quote never checked)."""
    if check is None:
        return
    status = check.status.replace("_", " ")
    if check.similarity is not None and check.status != "no_text":
        status += f" ({check.similarity:g}% similar)"
    if check.stale:
        status += ": stale, the quote or its source's text changed since (tracker verify)"
    _field(out, "Verified", status)
    if check.difference and not check.stale:
        _field(out, "Difference", describe(check.difference))


def _heading(out: Text, title: str) -> None:
    out.append(f"\n{title}\n", style="bold underline")


def _chain(out: Text, chain: tuple[SourceRecord, ...]) -> None:
    for depth, source in enumerate(chain):
        arrow = "  " * depth + ("└ reports on " if depth else "")
        out.append(arrow, style="dim")
        out.append_text(literal(source.title))
        extra = ", ".join(x for x in (source.publisher, source.published_on) if x)
        if extra:
            out.append(" (")
            out.append_text(literal(extra))
            out.append(")")
        out.append(f" #{source.id}\n", style="dim")
    if len(chain) > 1:
        out.append("  primary source: ", style="dim")
        out.append_text(literal(chain[-1].title))
        out.append("\n")


def _claim_line(out: Text, claim: ClaimRecord) -> None:
    out.append(f"#{claim.id} ", style="dim")
    out.append_text(literal(claim.text))
    out.append(f"  [{claim.status or 'unreviewed'}]\n", style="dim")


def _quote_line(out: Text, quote: QuoteRecord) -> None:
    out.append(f"#{quote.id} ", style="dim")
    out.append_text(literal(quote.speaker, "bold"))
    out.append(": ")
    out.append_text(literal(quote.text))
    out.append("\n")


def render_detail(detail: Any, verdict_keys: str = "v") -> Text:
    """What the detail pane shows; ``verdict_keys`` are the keys that record a verdict."""
    out = Text()
    if isinstance(detail, QuoteDetail):
        q = detail.quote
        out.append(f"Quote #{q.id}\n", style="bold")
        out.append_text(literal(q.text, "italic"))
        out.append("\n\n")
        _field(out, "Speaker", q.speaker)
        _field(out, "Said", q.said_on)
        _field(out, "Venue", q.venue)
        _field(out, "Mode", q.mode)
        _field(out, "Tags", ", ".join(q.tags))
        _field(out, "Notes", q.notes)
        _check(out, detail.check)
        if detail.chain:
            _heading(out, "Source")
            _chain(out, detail.chain)
        _heading(out, f"Claims resting on it ({len(q.claim_ids)})")
        for claim in detail.claims:
            _claim_line(out, claim)
        if not q.claim_ids:
            out.append("none\n", style="dim")
    elif isinstance(detail, ClaimDetail):
        c = detail.claim
        out.append(f"Claim #{c.id} ({c.kind})\n", style="bold")
        out.append_text(literal(c.text))
        out.append("\n\n")
        _field(out, "Claimant", c.claimant)
        _field(out, "Said", c.said_on)
        _field(out, "Due", c.due.isoformat() if c.due else None)
        _field(out, "Status", (c.status or "unreviewed") + (" (final)" if c.status_final else ""))
        _field(out, "Tags", ", ".join(c.tags))
        _field(out, "Notes", c.notes)
        _heading(out, f"Review history ({len(c.reviews)})")
        for review in reversed(c.reviews):
            out.append(review.reviewed_at.strftime("%Y-%m-%d %H:%M"), style="dim")
            out.append(" ")
            out.append_text(literal(review.rating, "bold"))
            out.append(f" ({review.scale}) by ", style="dim")
            out.append_text(literal(review.reviewer))
            out.append("\n")
            if review.rationale:
                out.append("  ")
                out.append_text(literal(review.rationale))
                out.append("\n")
            for link in review.evidence:
                out.append("  ↳ ")
                out.append_text(literal(link, "underline"))
                out.append("\n")
        if not c.reviews:
            out.append(f"no verdict yet (press {verdict_keys} to record one)\n", style="dim")
        _heading(out, "Quotes")
        for quote in detail.quotes:
            _quote_line(out, quote)
    elif isinstance(detail, SpeakerDetail):
        s = detail.speaker
        out.append(f"#{s.id} ", style="dim")
        out.append_text(literal(s.name, "bold"))
        out.append(f" ({s.kind})\n")
        _field(out, "Aliases", ", ".join(a.text for a in s.aliases))
        _field(out, "Wikidata", s.wikidata_qid)
        _field(out, "Notes", s.notes)
        if s.roles:
            _heading(out, "Roles")
            for role in s.roles:
                out.append("  ")
                out.append_text(literal(role.label()))
                out.append("\n")
        _heading(out, f"Report card ({detail.card.claims} claims)")
        out.append_text(report_card(detail.card))
        _heading(out, f"Quotes ({s.quote_count})")
        for quote in detail.quotes:
            out.append(f"#{quote.id} {quote.said_on or '':<10} ", style="dim")
            out.append_text(literal(quote.text))
            out.append("\n")
        _heading(out, "Claims")
        for claim in detail.claims:
            _claim_line(out, claim)
    elif isinstance(detail, SourceDetail):
        src = detail.source
        out.append(f"Source #{src.id} ({src.kind})\n", style="bold")
        out.append_text(literal(src.title, "bold"))
        out.append("\n\n")
        _field(out, "Publisher", src.publisher)
        _field(out, "Authors", ", ".join(src.authors))
        _field(out, "Published", src.published_on)
        _field(out, "URL", src.url)
        _field(out, "Notes", src.notes)
        if detail.chain:
            _heading(out, "Reports on")
            _chain(out, detail.chain)
        _heading(out, f"Quotes ({src.quote_count})")
        for quote in detail.quotes:
            _quote_line(out, quote)
    return out


class DetailPane(ReportsWorkerErrors, ScrollView):
    """Shows the detail of one record; loads it in a worker.

    The text is wrapped here and drawn line by line (Textual's line API), so
    showing another record redraws this pane alone; a ``Static`` in a
    scrolling container would lay out the whole screen again each time."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; border-left: vkey $primary 30%; overflow-x: hidden; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("detail")

    @dataclass
    class Loaded(Message):
        key: tuple[str, int]
        detail: Any

    def __init__(self, db: Database, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.db = db
        self.key: tuple[str, int] | None = None
        self._last_show = 0.0
        self._text = Text("Nothing selected", style="dim")
        self._wrapped: list[Text] = []  # self._text wrapped at self._wrapped_at
        self._lines: list[Strip] = []  # ... and drawn
        self._blank = Strip.blank(0)  # a line below the text
        self._wrapped_at = 0

    # -- drawing ---------------------------------------------------------------
    @property
    def text(self) -> Text:
        """What the pane shows."""
        return self._text

    def update(self, text: Text) -> None:
        self._text = text
        self._wrapped_at = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self._wrap()

    def _wrap(self) -> None:
        # Twice at most: a vertical scrollbar appearing narrows the text.
        for _ in range(2):
            width = self.scrollable_content_region.width
            if width <= 0 or width == self._wrapped_at:
                break
            self._wrap_at(width)
            self.refresh()

    def _wrap_at(self, width: int) -> None:
        console = self.app.console
        style = self.rich_style
        self._wrapped = list(self._text.wrap(console, width, overflow="fold"))
        for line in self._wrapped:
            line.rstrip()  # the space a line was broken at
        self._lines = [
            Strip(line.render(console, end="")).apply_style(style) for line in self._wrapped
        ]
        self._blank = Strip.blank(width, style)
        self._wrapped_at = width
        set_virtual_size(self, Size(width, len(self._lines)))

    def size_like(self, shown: DetailPane) -> None:
        """Before this pane is first shown where ``shown`` is (a tab switch):
        wrap its text at the width it will have, with its scrollbar if the
        text will not fit. Done once shown, it took two more layouts of the
        screen: one as the text was wrapped, one as the scrollbar appeared."""
        if self.size.width or not shown.size.width or self._wrapped_at:
            return  # shown before, no model yet, or wrapped already
        room = shown.scrollable_content_region
        width = room.width
        if shown.show_vertical_scrollbar:
            width += shown.styles.scrollbar_size_vertical
        self._wrap_at(width)
        scrollbar = len(self._lines) > room.height
        if scrollbar:
            self._wrap_at(width - self.styles.scrollbar_size_vertical)
        self.set_reactive(Widget.show_vertical_scrollbar, scrollbar)

    def on_resize(self, event: events.Resize) -> None:
        # Shown again at the same width (a tab switch): the lines are as drawn.
        self._wrap()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._wrapped_at = 0  # the theme changed: colour again
        if self.is_mounted:
            self._wrap()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        if index >= len(self._lines):
            return self._blank
        selection = self.text_selection
        span = selection.get_span(index) if selection is not None else None
        if span is None:
            return self._lines[index]
        line = self._wrapped[index].copy()
        start, end = span
        line.stylize(
            self.screen.get_component_rich_style("screen--selection"),
            start,
            len(line) if end == -1 else end,
        )
        return Strip(line.render(self.app.console, end="")).apply_style(self.rich_style)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text selected with the mouse (to copy it)."""
        return selection.extract("\n".join(line.plain for line in self._wrapped)), "\n"

    # -- loading ---------------------------------------------------------------
    def show(self, entity: str, record_id: int | None, detail: Any | None = None) -> None:
        """Show this record: at once, or once the cursor rests if it is moving
        fast; ``detail``: what :meth:`prefetch` read of it, if read already."""
        now = time.monotonic()
        moving = now - self._last_show < FOLLOW_DELAY
        self._last_show = now
        if record_id is None:
            self.key = None
            self.update(Text("Nothing selected", style="dim"))
            return
        if self.key == (entity, record_id):
            return
        if detail is not None:
            self.key = (entity, record_id)  # a read still on its way is dropped
            self.update(render_detail(detail, key_hint(self.app, "tracker.verdict")))
            return
        if self.key is None:  # else the last record stays until this one is read
            self.update(Text("Loading…", style="dim"))
        self.key = (entity, record_id)
        self._load(entity, record_id, FOLLOW_DELAY if moving else 0.0)

    def prefetch(self, entity: str, record_id: int) -> Any | None:
        """This record's detail, read in a list's worker with the page it
        is on; None if the pane shows it already. (``self.key`` is read
        from that thread: at worst a record is read for nothing, or read
        again here.) Not before the database is open: the first page of a
        launch is read without opening it, to show it sooner."""
        if self.key == (entity, record_id) or not self.db.is_open:
            return None
        return load_detail(self.db, entity, record_id)

    def reload(self) -> None:
        if self.key is not None:
            self._load(*self.key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail")
    def _load(self, entity: str, record_id: int, delay: float = 0.0) -> None:
        worker = get_current_worker()
        if delay:
            time.sleep(delay)  # a newer show() cancels this worker meanwhile
            if worker.is_cancelled:
                return
        detail = load_detail(self.db, entity, record_id)
        if not worker.is_cancelled:
            self.post_message(self.Loaded((entity, record_id), detail))

    @on(WorkerFailed)
    def _load_failed(self, message: WorkerFailed) -> None:
        """A record that could not be read: say so here, where it would have been."""
        if message.origin is not self:
            return
        error = message.error
        if isinstance(error, TrackerError):
            message.stop()  # shown here; anything unexpected goes on to the app
        self.update(
            literal(error.message if isinstance(error, TrackerError) else str(error), "red")
        )

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        message.stop()
        if message.key == self.key:
            self.update(render_detail(message.detail, key_hint(self.app, "tracker.verdict")))
            draw_now(self)
