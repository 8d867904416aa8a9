"""Several people on one database (issue 12): each person here is a
``Database`` of their own on the same file or server (their own engine and
connections, as another process has), working at the same time."""

from __future__ import annotations

import io
import threading

import pytest
from sqlalchemy import select

from tracker import services as svc
from tracker.db.database import Database
from tracker.db.models import Quote
from tracker.errors import ConflictError
from tracker.services.transfer.pipeline import ImportRequest, run_import


def test_the_second_of_two_edits_of_one_record_is_refused(demo_db: Database) -> None:
    ann = Database(demo_db.url, actor="ann")
    bob = Database(demo_db.url, actor="bob")
    try:
        opened_by_ann = svc.get_quote(ann, 1)
        opened_by_bob = svc.get_quote(bob, 1)
        svc.update_quote(ann, 1, expected_version=opened_by_ann.version, text="Ann's wording")
        with pytest.raises(ConflictError, match="changed"):
            svc.update_quote(bob, 1, expected_version=opened_by_bob.version, text="Bob's wording")
        # Nothing of Bob's went in, and Ann's edit is whole.
        assert svc.get_quote(demo_db, 1).text == "Ann's wording"
        assert [c.actor for c in svc.list_changes(demo_db, "quote", 1, limit=1)] == ["ann"]
        # Reloaded, Bob can edit.
        fresh = svc.get_quote(bob, 1)
        svc.update_quote(bob, 1, expected_version=fresh.version, text="Bob's wording")
        assert svc.get_quote(ann, 1).text == "Bob's wording"
    finally:
        ann.close()
        bob.close()


def test_an_import_beside_someone_editing(demo_db: Database) -> None:
    """A batched import and a person editing quotes at the same time: no
    error reaches either, every edit is there, every row imported once."""
    rows = 600
    csv = "text,speaker,said_on\n" + "".join(
        f"imported words number {n},Joe Biden,2021-03-{n % 28 + 1:02d}\n" for n in range(rows)
    )
    importer = Database(demo_db.url, actor="importer")
    editor = Database(demo_db.url, actor="editor")
    errors: list[BaseException] = []
    reports: list[object] = []

    def run() -> None:
        try:
            request = ImportRequest(name="desk.csv", fmt="csv", batch_size=50)
            reports.append(run_import(importer, io.BytesIO(csv.encode()), request))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    edits = 0
    try:
        while thread.is_alive() or edits < 20:
            quote_id = edits % 13 + 1
            current = svc.get_quote(editor, quote_id)
            svc.update_quote(
                editor, quote_id, expected_version=current.version, notes=f"edit {edits}"
            )
            edits += 1
        thread.join()
        assert not errors, errors
        assert reports[0].inserted == rows  # type: ignore[attr-defined]
        with demo_db.reading() as session:
            texts = session.scalars(
                select(Quote.text).where(Quote.text.like("imported words number %"))
            ).all()
        assert sorted(texts) == sorted(f"imported words number {n}" for n in range(rows))
        # The last edit of each quote is what is stored: no update was lost.
        last = {}
        for n in range(edits):
            last[n % 13 + 1] = f"edit {n}"
        for quote_id, notes in last.items():
            assert svc.get_quote(demo_db, quote_id).notes == notes
    finally:
        thread.join()
        importer.close()
        editor.close()
