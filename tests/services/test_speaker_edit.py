"""Editing a speaker as a form does (name, aliases, new roles) is one
service call, one change, undone as one."""

from __future__ import annotations

import pytest

from tracker import services as svc
from tracker.errors import ConflictError, ValidationError
from tracker.services import undo


def lavrov(db):
    return svc.find_by_name(db, "Sergei Lavrov")[0]


def test_name_aliases_and_roles_in_one_change(demo_db) -> None:
    before = lavrov(demo_db)
    plain = [a.text for a in before.aliases if a.kind != "role"]
    record = svc.edit_speaker(
        demo_db,
        before.id,
        expected_version=before.version,
        name="Sergey Lavrov",
        aliases=[*plain[1:], "S. V. Lavrov"],
        new_roles=[svc.RoleInput("Ambassador", "United Nations", "1994-01-01", "2004-03-09")],
    )
    assert record.name == "Sergey Lavrov"
    assert "S. V. Lavrov" in {a.text for a in record.aliases}
    assert plain[0] not in {a.text for a in record.aliases}
    assert "Ambassador" in {r.title for r in record.roles}
    plan = undo.last_change(demo_db)
    assert len({e.change_id for e in plan.entries}) == 1 and len(plan.entries) >= 3
    undo.undo(demo_db, plan)
    back = svc.get_speaker(demo_db, before.id)
    assert back.name == "Sergei Lavrov"
    assert {a.text for a in back.aliases} == {a.text for a in before.aliases}
    assert {r.title for r in back.roles} == {r.title for r in before.roles}


def test_nothing_is_saved_when_one_part_is_refused(demo_db) -> None:
    before = lavrov(demo_db)
    with pytest.raises(ValidationError):
        svc.edit_speaker(demo_db, before.id, name="Sergey Lavrov", aliases=["ok", "\x1b bad"])
    after = svc.get_speaker(demo_db, before.id)
    assert (after.name, after.version) == (before.name, before.version)


def test_a_stale_form_is_refused(demo_db) -> None:
    before = lavrov(demo_db)
    svc.update_speaker(demo_db, before.id, notes="someone else")
    with pytest.raises(ConflictError):
        svc.edit_speaker(demo_db, before.id, expected_version=before.version, name="X")
