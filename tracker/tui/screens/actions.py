"""What the keys of the main screen do to records: add, edit, delete, verdict,
merge, undo, filters. Database work runs in a worker; the result comes back
as a message and the next step (a form, a confirmation) runs on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input

from tracker import services as svc
from tracker.db.database import Database
from tracker.services.filters import Filters
from tracker.services.records import ClaimRecord, QuoteRecord, SourceRecord, SpeakerRecord
from tracker.tui.keys import key_hint
from tracker.tui.messages import RecordsChanged, ReportsWorkerErrors
from tracker.tui.text import literal, plain
from tracker.tui.widgets.record_list import RecordList

# The forms, dialogs and the services only actions use (merges, undo) are
# imported where they are used: none is needed to show the first list, and
# importing them all made the app about 5% slower to start.
if TYPE_CHECKING:
    from tracker.services import undo
    from tracker.services.merges import MergePlan

ENTITY_OF_TAB = {
    "quotes": "quote",
    "claims": "claim",
    "speakers": "speaker",
    "sources": "source",
    "due": "claim",
    "review": "queue_item",
}
# The lists' record actions that do not apply to the review queue (its own
# keys decide its items: tracker/tui/widgets/review.py).
NOT_ON_REVIEW = frozenset(
    {"add", "edit", "delete", "verdict", "merge", "add_claim", "filters", "clear_filters"}
)


def _label(record: Any) -> str:
    for name in ("text", "name", "title"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return value
    return ""


class RecordActions(ReportsWorkerErrors, Screen[None]):
    """The record actions of the main screen (a base class to keep files small)."""

    db: Database
    filters: Filters
    filter_labels: tuple[str, str]

    @dataclass
    class DbDone(Message):
        then: Callable[[Any], None]
        result: Any

    # Provided by the main screen.
    @property
    def tab(self) -> str:
        raise NotImplementedError

    @property
    def current_list(self) -> RecordList:
        raise NotImplementedError

    @property
    def current(self) -> Any | None:
        raise NotImplementedError

    def apply_filters(self, filters: Filters, labels: tuple[str, str] = ("", "")) -> None:
        raise NotImplementedError

    # -- running database work ---------------------------------------------------------
    def run_db(self, work_fn: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Run ``work_fn`` in a worker thread, then ``then(result)`` on the UI thread."""
        self._run_db(work_fn, then)

    @work(thread=True, exclusive=True, exit_on_error=False, group="action")
    def _run_db(self, work_fn: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self.post_message(self.DbDone(then, work_fn()))

    @on(DbDone)
    def _db_done(self, message: DbDone) -> None:
        message.then(message.result)

    def changed(
        self, entities: set[str], record_id: int | None = None, action: str = "reload"
    ) -> None:
        self.post_message(RecordsChanged(frozenset(entities), record_id, action))

    # -- which actions apply here --------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_search":
            return not isinstance(self.focused, Input)  # typing a search: "/" is text
        try:
            tab, record = self.tab, self.current
        except Exception:
            return True  # not composed yet
        if tab == "review" and action in NOT_ON_REVIEW:
            return False
        if action in ("edit", "delete"):
            return record is not None
        if action == "verdict":
            return tab in ("claims", "due") and record is not None
        if action == "merge":
            return tab == "speakers" and record is not None
        if action == "add_claim":
            return tab == "quotes" and record is not None
        return True

    # -- add and edit ---------------------------------------------------------------------
    def action_add(self) -> None:
        from tracker.tui.screens.people_forms import SourceForm, SpeakerForm
        from tracker.tui.screens.quote_forms import ClaimForm, QuoteForm

        entity = ENTITY_OF_TAB[self.tab]
        forms: dict[str, type[QuoteForm | ClaimForm | SpeakerForm | SourceForm]] = {
            "quote": QuoteForm,
            "claim": ClaimForm,
            "speaker": SpeakerForm,
            "source": SourceForm,
        }
        # Each form is built once per app and loaded each time (Dialog.of).
        form = forms[entity].of(self.app, self.db).load()
        self.app.push_screen(form, lambda r: self._saved(entity, r, "create"))

    def action_add_claim(self) -> None:
        from tracker.tui.screens.quote_forms import ClaimForm

        quote = self.current
        if isinstance(quote, QuoteRecord):
            self.app.push_screen(
                ClaimForm.of(self.app, self.db).load(quote=quote),
                lambda r: self._saved("claim", r, "create"),
            )

    def _saved(self, entity: str, record: Any, action: str) -> None:
        if record is None:
            return
        self.changed({entity}, record.id, action)
        verb = "Added" if action == "create" else "Saved"
        self.notify(f"{verb} {entity} #{record.id}", markup=False)

    def action_edit(self) -> None:
        record = self.current
        if record is None:
            return
        entity = ENTITY_OF_TAB[self.tab]
        db = self.db

        def fetch() -> tuple[Any, str]:
            if entity == "quote":
                return svc.get_quote(db, record.id), ""
            if entity == "claim":
                return svc.get_claim(db, record.id), ""
            if entity == "speaker":
                return svc.get_speaker(db, record.id), ""
            source = svc.get_source(db, record.id, with_text=False)
            chain = svc.source_chain(db, source.reports_on_id) if source.reports_on_id else []
            return source, chain[0].title if chain else ""

        def open_form(found: tuple[Any, str]) -> None:
            from tracker.tui.screens.people_forms import SourceForm, SpeakerForm
            from tracker.tui.screens.quote_forms import ClaimForm, QuoteForm

            fresh, parent_title = found
            done = lambda r: self._saved(entity, r, "update")  # noqa: E731
            app = self.app
            if isinstance(fresh, QuoteRecord):
                app.push_screen(QuoteForm.of(app, db).load(fresh), done)
            elif isinstance(fresh, ClaimRecord):
                app.push_screen(ClaimForm.of(app, db).load(fresh), done)
            elif isinstance(fresh, SpeakerRecord):
                app.push_screen(SpeakerForm.of(app, db).load(fresh), done)
            elif isinstance(fresh, SourceRecord):
                app.push_screen(SourceForm.of(app, db).load(fresh, parent_title), done)

        self.run_db(fetch, open_form)

    # -- delete --------------------------------------------------------------------------
    def action_delete(self) -> None:
        from tracker.tui.modals import ConfirmModal

        record = self.current
        if record is None:
            return
        entity = ENTITY_OF_TAB[self.tab]
        deleters: dict[str, Callable[[Database, int], None]] = {
            "quote": svc.delete_quote,
            "claim": svc.delete_claim,
            "speaker": svc.delete_speaker,
            "source": svc.delete_source,
        }
        body = literal(_label(record))
        if entity == "claim":
            body.append(
                "\n\nIts review history goes with it (it stays in the audit log).", style="dim"
            )
        body.append(
            f"\n\nUndo ({key_hint(self.app, 'tracker.undo')}) can bring it back, with the same number.",
            style="dim",
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_db(
                    lambda: deleters[entity](self.db, record.id),
                    lambda _: self._deleted(entity, record.id),
                )

        self.app.push_screen(
            ConfirmModal.of(self.app).load(
                f"Delete {entity} #{record.id}?", body, yes="Delete", no="Keep"
            ),
            answered,
        )

    def _deleted(self, entity: str, record_id: int) -> None:
        self.changed({entity}, record_id, "delete")
        self.notify(f"Deleted {entity} #{record_id}", markup=False)

    # -- verdicts ----------------------------------------------------------------------------
    def action_verdict(self) -> None:
        claim = self.current
        if not isinstance(claim, ClaimRecord):
            return
        db = self.db

        def open_form(fresh: ClaimRecord) -> None:
            from tracker.tui.screens.verdict import VerdictForm

            def done(review: Any) -> None:
                if review is not None:
                    self.changed({"claim"}, fresh.id, "update")
                    self.notify(
                        plain(f"Verdict on claim #{fresh.id}: {review.rating}"), markup=False
                    )

            self.app.push_screen(VerdictForm.of(self.app, db).load(fresh), done)

        self.run_db(lambda: svc.get_claim(db, claim.id), open_form)

    # -- merge ---------------------------------------------------------------------------------
    def action_merge(self) -> None:
        from tracker.services.merges import merge_speakers, plan_merge
        from tracker.tui.modals import ConfirmModal
        from tracker.tui.screens.merge import MergePicker, describe_plan

        keep = self.current
        if not isinstance(keep, SpeakerRecord):
            return
        db = self.db

        def confirm(plan: MergePlan) -> None:
            def answered(yes: bool | None) -> None:
                if yes:
                    self.run_db(lambda: merge_speakers(db, keep.id, plan.other.id), merged)

            self.app.push_screen(
                ConfirmModal.of(self.app).load(
                    "Merge these speakers?",
                    describe_plan(plan, key_hint(self.app, "tracker.undo")),
                    yes="Merge",
                    no="Cancel",
                ),
                answered,
            )

        def merged(record: SpeakerRecord) -> None:
            self.changed({"speaker", "quote", "claim"})
            self.notify(plain(f"Merged into {record.name} (#{record.id})"), markup=False)

        def picked(other_id: int | None) -> None:
            if other_id is not None:
                self.run_db(lambda: plan_merge(db, keep.id, other_id), confirm)

        self.app.push_screen(MergePicker.of(self.app, db).load(keep), picked)

    # -- undo ------------------------------------------------------------------------------------
    def action_undo(self) -> None:
        from tracker.services import undo
        from tracker.tui.modals import ConfirmModal

        db = self.db

        def confirm(plan: undo.UndoPlan | None) -> None:
            if plan is None:
                self.notify("Nothing of yours to undo", markup=False)
                return
            body = Text("Your last change: ")
            body.append_text(literal(plan.describe()))
            body.append(f"\n{plan.main.at:%Y-%m-%d %H:%M} UTC", style="dim")

            def answered(yes: bool | None) -> None:
                if yes:
                    self.run_db(lambda: undo.undo(db, plan), undone)

            self.app.push_screen(
                ConfirmModal.of(self.app).load("Undo this change?", body, yes="Undo"), answered
            )

        def undone(result: undo.UndoResult) -> None:
            entities = set(result.entities) | (
                {"quote", "claim"} if "speaker" in result.entities else set()
            )
            self.changed(entities)
            self.notify(plain(f"Undone: {result.message}"), markup=False)

        self.run_db(lambda: undo.last_change(db), confirm)

    # -- filters ---------------------------------------------------------------------------------
    def action_filters(self) -> None:
        from tracker.tui.screens.filters import FilterForm

        def done(result: tuple[Filters, str, str] | None) -> None:
            if result is not None:
                filters, speaker, source = result
                self.apply_filters(filters, (speaker, source))

        form = FilterForm.of(self.app, self.db, self.filters, *self.filter_labels)
        self.app.push_screen(form.load(self.filters, *self.filter_labels), done)
