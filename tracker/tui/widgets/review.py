"""The Review tab: the queue of attributions found in ingested articles.

The list (:class:`ReviewList`) holds the open items (pending and skipped),
oldest article first, in article order. Beside it :class:`ReviewPane` shows
the article with the current attribution highlighted (its words, its cue and
the speaker as written, each in its own style) and the proposal: the quote,
its mode and the speaker. One key decides: accept, edit then accept, reject,
skip (``review.*`` in :mod:`tracker.tui.keys`). Every decision runs in a
worker through :mod:`tracker.services.review_queue`; accepting records the
quote through the attribution service, so a speaker the matcher is unsure
of (or a new one) is asked about first (:mod:`tracker.tui.screens.review_forms`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.worker import get_current_worker

from tracker.db.database import Database
from tracker.services.filters import Filters
from tracker.services.records import Page
from tracker.tui.keys import bindings, key_hint
from tracker.tui.messages import RecordsChanged, ReportsWorkerErrors, WorkerFailed
from tracker.tui.text import cell, literal, plain
from tracker.tui.widgets.detail import DetailPane
from tracker.tui.widgets.record_list import PAGE_SIZE, RecordList
from tracker.tui.widgets.row_table import Cells, Column

if TYPE_CHECKING:
    from tracker.services.attribution import Who
    from tracker.services.review_queue import QueueItemRecord

ENTITY = "queue_item"
OPEN = ("pending", "skipped")

# How the article shows the current attribution: the words, the cue, the
# speaker as written. CONTENT_STYLE also marks the line the view scrolls to.
CONTENT_STYLE = "bold reverse"
CUE_STYLE = "bold underline"
SOURCE_STYLE = "bold italic underline"


def _queue() -> Any:
    # Imported in workers only: the queue service loads SQLAlchemy.
    from tracker.services import review_queue

    return review_queue


class ReviewList(RecordList):
    """The open queue items; the review keys act on the selected one."""

    entity = ENTITY
    title = "Review queue"
    columns = (
        Column("id", "#", 6, "right"),
        Column("status", "Status", 8),
        Column("speaker", "Speaker", 16),
        Column("text", "Proposed quote", None),
    )
    BINDINGS: ClassVar[list[BindingType]] = bindings("review")

    @dataclass
    class Decided(Message):
        """A decision came back from the service (on the UI thread)."""

        item: QueueItemRecord
        outcome: Any
        edited: bool = False

    def fetch(self, text: str, filters: Filters, after: int | None) -> Page[Any]:
        page: Page[Any] = _queue().list_items(
            self.db, statuses=OPEN, text=text or None, after=after, limit=PAGE_SIZE
        )
        return page

    def fetch_one(self, record_id: int) -> Any:
        item = _queue().get_item(self.db, record_id)
        return item if item.status in OPEN else None

    def matches(self, record: Any) -> bool:
        return False  # where a re-opened item goes in the order: the database says

    def row(self, record: QueueItemRecord) -> Cells:
        status = cell(record.status, style="italic" if record.status == "skipped" else "")
        speaker = record.speaker or record.speaker_name or ""
        return (
            Text(str(record.id), style="dim"),
            status,
            cell(speaker, style="" if record.speaker_name else "dim"),
            cell(record.text),
        )

    # -- the review keys ------------------------------------------------------------
    def _selected(self) -> QueueItemRecord | None:
        item = self.current
        if item is None:
            self.app.bell()
        return item

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "edit_accept", "reject", "skip"):
            return self.current is not None
        return True

    def action_accept(self, who: Who | None = None) -> None:
        item = self._selected()
        if item is not None:
            self._decide("accept", item, who)

    def action_edit_accept(self) -> None:
        from tracker.tui.screens.review_forms import ReviewEditForm

        item = self._selected()
        if item is not None:
            view = self.screen.query_one(ReviewPane).view
            published = view.published_on if view is not None and view.item.id == item.id else None
            self.app.push_screen(
                ReviewEditForm.of(self.app, self.db, item, published).load(item, published),
                lambda outcome: self._edited(item, outcome),
            )

    def action_reject(self) -> None:
        item = self._selected()
        if item is not None:
            self._decide("reject", item, None)

    def action_skip(self) -> None:
        item = self._selected()
        if item is not None:
            self._decide("skip", item, None)

    def action_reload_queue(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="review")
    def _decide(self, what: str, item: QueueItemRecord, who: Who | None) -> None:
        rq = _queue()
        if what == "accept":
            outcome = rq.accept(self.db, item.id, who, expected_version=item.version)
        elif what == "reject":
            outcome = rq.reject(self.db, item.id, expected_version=item.version)
        else:
            outcome = rq.skip(self.db, item.id, expected_version=item.version)
        self.post_message(self.Decided(item, outcome))

    def _edited(self, item: QueueItemRecord, outcome: Any) -> None:
        if outcome is not None:  # saved (else the form was left)
            self.post_message(self.Decided(item, outcome, edited=True))

    @on(Decided)
    def _decided(self, message: Decided) -> None:
        message.stop()
        from tracker.services.attribution import NeedsChoice, Refused

        rq = _queue()
        item, outcome = message.item, message.outcome
        if isinstance(outcome, rq.Accepted):
            self._accepted(outcome)
        elif isinstance(outcome, NeedsChoice):
            self._ask_speaker(item, outcome)
        elif isinstance(outcome, Refused):
            # Most often: no speaker was found. The form asks for one.
            self.app.notify(plain(outcome.reason), severity="warning", markup=False)
            self.action_edit_accept()
        elif isinstance(outcome, rq.AlreadyDecided):
            self.app.notify(plain(outcome.message), severity="warning", markup=False)
            self.refresh_record(item.id)
        elif isinstance(outcome, rq.QueueItemRecord):
            self._status_changed(item, outcome)

    def _accepted(self, outcome: Any) -> None:
        quote = outcome.quote
        if outcome.already_recorded:
            self.app.notify(
                plain(f"Quote #{quote.id} by {quote.speaker} already: linked, not recorded again"),
                markup=False,
            )
            self.refresh_record(outcome.item.id)
            return
        created = " (a new speaker)" if outcome.speaker_created else ""
        self.app.notify(
            plain(f"Accepted as quote #{quote.id} by {quote.speaker}{created}"), markup=False
        )
        self.refresh_record(outcome.item.id)  # no longer open: its row goes
        self.post_message(RecordsChanged(frozenset({"quote"}), quote.id, "create"))
        self.post_message(RecordsChanged(frozenset({"source"}), quote.source_id, "update"))
        if outcome.speaker_created:
            self.post_message(RecordsChanged(frozenset({"speaker"}), quote.speaker_id, "create"))
        else:
            self.post_message(RecordsChanged(frozenset({"speaker"}), quote.speaker_id, "update"))

    def _status_changed(self, before: QueueItemRecord, after: QueueItemRecord) -> None:
        if after.status == "rejected":
            self.app.notify(f"Rejected item #{after.id}", markup=False)
            self.remove_record(after.id)
            return
        # Skipped: it stays, marked, and the cursor goes on to the next one.
        self.records[after.id] = after
        self.table.update_row(after.id, self.row(after))
        self.table.action_cursor_down()

    def _ask_speaker(self, item: QueueItemRecord, question: Any) -> None:
        from tracker.tui.screens.review_forms import SpeakerChoiceModal

        def answered(who: Who | None) -> None:
            if who is not None:
                self._decide("accept", item, who)

        self.app.push_screen(SpeakerChoiceModal.of(self.app, question).load(question), answered)


@dataclass(frozen=True)
class ReviewView:
    """What the pane shows for one item (read in a worker)."""

    item: QueueItemRecord
    article: str
    published_on: str | None


def load_review(db: Database, item_id: int) -> ReviewView:
    rq = _queue()
    from tracker.services import sources

    item = rq.get_item(db, item_id)
    source = sources.get_source(db, item.source_id, with_text=True)
    return ReviewView(item, source.full_text or "", source.published_on)


def article_text(article: str, item: QueueItemRecord) -> Text:
    """The article with the item's spans styled. Each piece of text goes
    through :func:`literal` (never markup; invisible characters shown)."""
    marks: list[tuple[int, int, str]] = [(s.start, s.end, CONTENT_STYLE) for s in item.content]
    if item.cue is not None:
        marks.append((item.cue.start, item.cue.end, CUE_STYLE))
    if item.source_span is not None:
        marks.append((item.source_span.start, item.source_span.end, SOURCE_STYLE))
    cuts = sorted({0, len(article), *(p for s, e, _ in marks for p in (s, e))})
    out = Text(end="")
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= end:
            continue
        style = next((st for s, e, st in marks if s <= start and end <= e), "")
        out.append_text(literal(article[start:end], style))
    return out


def proposal_text(view: ReviewView, keys: dict[str, str]) -> Text:
    item = view.item
    out = Text(end="")
    out.append(f"Item #{item.id}", style="bold")
    out.append(f" · #{item.position} in ", style="dim")
    out.append_text(literal(item.source, "dim"))
    out.append(f" (source #{item.source_id})\n", style="dim")
    out.append(f"status: {item.status}\n\n", style="italic")
    out.append("Quote", style="bold underline")
    out.append(f"  {item.mode}, confidence {item.confidence:.2f}\n", style="dim")
    out.append_text(literal(item.text))
    out.append("\n\n")
    out.append("Speaker", style="bold underline")
    out.append("\n")
    if item.speaker_name is None:
        out.append("none found: give one with edit\n", style="italic")
    else:
        out.append_text(literal(item.speaker_name, "bold"))
        guess = {
            "same": "matches",
            "maybe": "could be more than one speaker: you choose on accept",
            "new": "matches nobody: accepting asks to create the speaker",
        }.get(item.speaker_guess or "", "")
        if item.speaker_guess == "same" and item.speaker:
            out.append(f"\n{guess} ", style="dim")
            out.append_text(literal(item.speaker))
            out.append(f" (#{item.speaker_id})", style="dim")
        elif guess:
            out.append(f"\n{guess}", style="dim")
        out.append("\n")
    if item.source_span is not None:
        out.append("as written: ", style="dim")
        out.append_text(literal(item.source_span.text, SOURCE_STYLE))
        out.append("\n")
    if item.cue is not None:
        out.append("cue: ", style="dim")
        out.append_text(literal(item.cue.text, CUE_STYLE))
        out.append("\n")
    out.append("\nSaid on ", style="dim")
    out.append(view.published_on or "(unknown)", style="")
    out.append(" (the article's date)\n\n", style="dim")
    out.append(
        f"{keys['accept']} accept · {keys['edit']} edit & accept · "
        f"{keys['reject']} reject · {keys['skip']} skip",
        style="dim",
    )
    return out


class ArticleView(DetailPane):
    """The article, scrolled to the highlighted attribution."""

    DEFAULT_CSS = """
    ArticleView { width: 2fr; }
    """

    def __init__(self, db: Database, *, id: str | None = None) -> None:
        super().__init__(db, id=id)
        self._scroll_to_mark = False

    def show_article(self, text: Text) -> None:
        self._scroll_to_mark = True
        self.update(text)

    def _wrap(self) -> None:
        super()._wrap()
        if self._scroll_to_mark and self._wrapped:
            self._scroll_to_mark = False
            line = next(
                (
                    i
                    for i, wrapped in enumerate(self._wrapped)
                    if any(span.style == CONTENT_STYLE for span in wrapped.spans)
                ),
                0,
            )
            self.scroll_to(y=max(0, line - 3), animate=False, immediate=True)

    @property
    def mark_line(self) -> int | None:
        """The first wrapped line of the highlighted words (for tests)."""
        for i, wrapped in enumerate(self._wrapped):
            if any(span.style == CONTENT_STYLE for span in wrapped.spans):
                return i
        return None


class ProposalView(DetailPane):
    DEFAULT_CSS = """
    ProposalView { width: 1fr; }
    """


class ReviewPane(ReportsWorkerErrors, Horizontal):
    """The article and the proposal of the item selected in the list."""

    DEFAULT_CSS = """
    ReviewPane { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("review")

    @dataclass
    class Loaded(Message):
        item_id: int
        view: ReviewView

    def __init__(self, db: Database, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.db = db
        self.key: tuple[str, int] | None = None
        self.view: ReviewView | None = None
        self.article = ArticleView(db, id="review-article")
        self.proposal = ProposalView(db, id="review-proposal")

    def compose(self) -> ComposeResult:
        yield self.article
        yield self.proposal

    def prefetch(self, entity: str, record_id: int) -> None:
        """Nothing is read ahead: an item's article is read when shown."""
        return None

    def show(self, entity: str, record_id: int | None, detail: Any | None = None) -> None:
        if record_id is None:
            self.key = None
            self.view = None
            self.article.update(Text("The review queue is empty.", style="dim"))
            self.proposal.update(
                Text("Add an article with: tracker ingest FILE --title ...", style="dim")
            )
            return
        if self.key == (entity, record_id):
            return
        self.key = (entity, record_id)
        self._load(record_id)

    def reload(self) -> None:
        if self.key is not None:
            self._load(self.key[1])

    def focus(self, scroll_visible: bool = True) -> ReviewPane:
        self.article.focus(scroll_visible)
        return self

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail")
    def _load(self, item_id: int) -> None:
        view = load_review(self.db, item_id)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(item_id, view))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        message.stop()
        if self.key is None or message.item_id != self.key[1]:
            return
        self.view = message.view
        self.article.show_article(article_text(message.view.article, message.view.item))
        keys = {
            name: key_hint(self.app, f"review.{name}")
            for name in ("accept", "edit", "reject", "skip")
        }
        self.proposal.update(proposal_text(message.view, keys))

    @on(WorkerFailed)
    def _load_failed(self, message: WorkerFailed) -> None:
        from tracker.errors import NotFoundError

        if message.origin is self and isinstance(message.error, NotFoundError):
            message.stop()  # the item went (an undo): the list reloads
            self.proposal.update(literal(message.error.message, "red"))

    # The review keys work from the article too: they act on the list's item.
    def _list(self) -> ReviewList:
        return self.screen.query_one(ReviewList)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "edit_accept", "reject", "skip"):
            return self.key is not None
        return True

    def action_accept(self) -> None:
        self._list().action_accept()

    def action_edit_accept(self) -> None:
        self._list().action_edit_accept()

    def action_reject(self) -> None:
        self._list().action_reject()

    def action_skip(self) -> None:
        self._list().action_skip()

    def action_reload_queue(self) -> None:
        self._list().reload()
