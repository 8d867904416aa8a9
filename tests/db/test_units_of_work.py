"""Units of work inside units of work: one transaction, one change in the
audit log, savepoints for the parts (tracker.db.database.Database)."""

from __future__ import annotations

import pytest

from tracker import services as svc
from tracker.errors import NotFoundError, ValidationError


def test_services_called_in_one_unit_commit_together(demo_db):
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    with demo_db.unit_of_work():
        quote = svc.add_quote(demo_db, "one", speaker_id=biden.id)
        # A read inside the unit sees what it wrote before the commit.
        assert svc.get_quote(demo_db, quote.id).text == "one"
        svc.update_quote(demo_db, quote.id, text="one, edited")
    assert svc.get_quote(demo_db, quote.id).text == "one, edited"
    entries = [e for e in svc.list_changes(demo_db, limit=2)]
    assert {e.action for e in entries} == {"create", "update"}
    assert len({e.change_id for e in entries}) == 1  # one change: undone as one
    assert len({e.at for e in entries}) == 1


def test_a_failure_in_the_unit_leaves_nothing(demo_db):
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    changes = len(svc.list_changes(demo_db, limit=500))
    with pytest.raises(ValidationError), demo_db.unit_of_work():
        svc.add_quote(demo_db, "never saved", speaker_id=biden.id)
        svc.add_quote(demo_db, "   ", speaker_id=biden.id)  # no text: refused
    assert "never saved" not in {q.text for q in svc.list_quotes(demo_db).items}
    assert len(svc.list_changes(demo_db, limit=500)) == changes


def test_a_failed_part_is_rolled_back_alone(demo_db):
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    with demo_db.unit_of_work():
        kept = svc.add_quote(demo_db, "kept", speaker_id=biden.id)
        with pytest.raises(NotFoundError):
            svc.add_quote(demo_db, "refused", speaker_id=biden.id, source_id=9999)
        # An id that is taken is refused the same way.
        with pytest.raises(svc.ConflictError):
            svc.add_quote(demo_db, "same id", speaker_id=biden.id, keep_id=kept.id)
    texts = {q.text for q in svc.list_quotes(demo_db).items}
    assert "kept" in texts and not {"refused", "same id"} & texts


def test_units_in_other_threads_are_their_own(demo_db):
    import threading

    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    seen: list[bool] = []
    with demo_db.unit_of_work():
        quote = svc.add_quote(demo_db, "not yet committed", speaker_id=biden.id)

        def other_thread() -> None:
            try:
                svc.get_quote(demo_db, quote.id)
                seen.append(True)
            except NotFoundError:
                seen.append(False)

        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert seen == [False]  # another thread reads what is committed
    assert svc.get_quote(demo_db, quote.id).text == "not yet committed"
