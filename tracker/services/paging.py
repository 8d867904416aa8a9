"""Keyset paging, newest first, with optional full-text matching.

Every list (quotes, claims, speakers) pages by id: the caller passes back
the last page's ``next_cursor`` as ``after``, so a page costs about the
same wherever it is in a million rows. With search text alone, the page's
ids come straight from the full-text index, newest first
(:func:`tracker.db.search.matching_ids`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from tracker.db import search as fts
from tracker.services.validation import clean_id


def keyset_page(
    session: Session,
    stmt: Select[Any],
    id_column: InstrumentedAttribute[int],
    conds: Sequence[ColumnElement[bool]],
    *,
    after: int | None,
    limit: int,
    text: str | None = None,
    kind: fts.Kind | None = None,
    scalars: bool = True,
) -> tuple[list[Any], int | None]:
    """One page of rows (``limit`` at most) and the cursor for the next page
    (``None`` on the last page). ``scalars``: the first column of each row
    (an ORM entity); otherwise whole rows, one of which is labelled ``id``."""
    page = stmt
    if after is not None:
        after = clean_id(after, "after")
        page = page.where(id_column < after)
    if text and fts.words(text) and kind is not None:
        if not conds:
            # Text alone: the index yields the page's ids directly, newest first.
            ids = fts.matching_ids(session, text, kind, before=after, limit=limit + 1)
            page = page.where(id_column.in_(ids))
        else:
            # Text and filters: the filters drive (they use the table's
            # indexes) and each candidate is checked against the matches.
            sub = fts.matching(session, text, kind)
            assert sub is not None
            page = page.where(*conds, id_column.in_(select(sub.c.ref_id)))
    else:
        page = page.where(*conds)
    page = page.order_by(id_column.desc()).limit(limit + 1)
    result = session.scalars(page) if scalars else session.execute(page)
    rows: list[Any] = list(result)
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = int(rows[-1].id) if more and rows else None
    return rows, cursor
