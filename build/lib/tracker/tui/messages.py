"""Messages shared across the app. Widget-specific messages live with their widget."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class RecordsChanged(Message):
    """Records of these kinds changed in the database (posted to the app).

    ``record_id`` and ``action`` ("create", "update", "delete") name one
    record when one changed; ``action`` "reload" asks lists to reload."""

    entities: frozenset[str]
    record_id: int | None = None
    action: str = "reload"


@dataclass
class ShowRecord(Message):
    """Jump to a record: show its tab and select it (e.g. from a detail link)."""

    entity: str
    record_id: int


@dataclass
class WorkerFailed(Message):
    """A worker raised: posted to the app, which reports it in one place."""

    node: object
    error: BaseException


def forward_worker_error(node: object, event: object) -> None:
    """Call from ``on_worker_state_changed``: send a failed worker's error to the app."""
    from textual.dom import DOMNode
    from textual.worker import Worker, WorkerState

    if (
        isinstance(event, Worker.StateChanged)
        and event.state == WorkerState.ERROR
        and isinstance(node, DOMNode)
        and event.worker.error is not None
    ):
        node.app.post_message(WorkerFailed(node, event.worker.error))
