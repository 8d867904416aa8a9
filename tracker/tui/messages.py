"""Messages shared across the app. Widget-specific messages live with their widget."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState


@dataclass
class RecordsChanged(Message):
    """Records of these kinds changed in the database (posted to the app).

    ``record_id`` and ``action`` ("create", "update", "delete") name one
    record when one changed; ``action`` "reload" asks lists to reload."""

    entities: frozenset[str]
    record_id: int | None = None
    action: str = "reload"


@dataclass
class WorkerFailed(Message):
    """A worker of ``origin`` raised ``error``.

    Posted to ``origin`` and bubbling up to the app, which tells the user
    (``TrackerApp``). On the way a widget may show the error where it
    happened and stop the message: a form beside the field at fault, keeping
    what was typed."""

    error: BaseException
    origin: MessagePump
    group: str  # the worker's group ("save", "list", ...)
    worker: Worker[object] | None = None  # which one (a kept form ignores an earlier opening's)


class ReportsWorkerErrors(MessagePump):
    """Base for every screen and widget that runs workers: a worker that
    fails is reported as a :class:`WorkerFailed` message, from here only.

    Workers are declared as STYLE.md says,
    ``@work(thread=True, exclusive=True, exit_on_error=False, group=...)``:
    without ``exit_on_error=False`` a failed worker would end the app."""

    def _on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Textual calls this handler of every class in the MRO: subclasses add
        # their own without replacing it.
        error = event.worker.error
        if event.state == WorkerState.ERROR and error is not None:
            self.post_message(WorkerFailed(error, self, event.worker.group, event.worker))
