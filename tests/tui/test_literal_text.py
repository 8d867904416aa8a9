"""Text from the database is shown as typed: markup is not interpreted and
control characters are drawn visibly, never sent to the terminal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from tracker import services as svc
from tracker.db.models import Quote
from tracker.display import make_visible, visible_pieces
from tracker.tui.text import CONTROL_STYLE, cell, literal

MARKUP = "[bold red]x[/] and [link=https://evil.example]click[/link] [@click=app.quit]q[/]"


def test_literal_keeps_markup_and_shows_controls():
    assert literal(MARKUP).plain == MARKUP
    shown = literal("a\x1b[31mred\x07\u202eb\x9b")
    assert "\x1b" not in shown.plain and "\x07" not in shown.plain and "\x9b" not in shown.plain
    assert shown.plain == "a\u241b[31mred\u2407<U+202E>b\\x9b"
    assert literal("two\nlines").plain == "two\nlines"
    assert cell("two\nlines\tand tab").plain == "two lines and tab"
    assert cell("x" * 50, 10).plain == "x" * 9 + "…"


BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from("\n\t\x1b\x85\u200b" + BIDI))))
def test_literal_draws_what_the_shared_rule_decides(raw):
    # Which characters are made visible is decided in tracker.display (and
    # tested there); literal() draws the same text and styles the symbols.
    for single_line in (False, True):
        text = literal(raw, "italic", single_line=single_line)
        assert text.plain == make_visible(raw, single_line=single_line)
        assert text.style == "italic"
        offset, symbols = 0, []
        for piece, is_symbol in visible_pieces(raw, single_line=single_line):
            if is_symbol:
                symbols.append((offset, offset + len(piece)))
            offset += len(piece)
        styled = [(s.start, s.end) for s in text.spans if s.style == CONTROL_STYLE]
        assert styled == symbols


def test_control_symbols_are_styled():
    text = literal("a\x1bb\u202e")
    assert [(s.start, s.end, s.style) for s in text.spans] == [
        (1, 2, CONTROL_STYLE),
        (3, 11, CONTROL_STYLE),
    ]
    assert literal("plain").spans == []


async def test_markup_and_escapes_shown_literally(demo_db, make_app, settle, main):
    biden = svc.find_by_name(demo_db, "Joe Biden")[0]
    marked = svc.add_quote(demo_db, MARKUP, speaker_id=biden.id, venue="[i]venue[/i]")
    old = svc.add_quote(demo_db, "placeholder", speaker_id=biden.id)
    # Old or imported data may hold ESC even though services refuse it now.
    with demo_db.unit_of_work() as session:
        session.execute(
            update(Quote).where(Quote.id == old.id).values(text="old \x1b[2J\x1b]8;;x\x07data")
        )
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main(pilot)
        quotes = screen.lists["quotes"]
        row = quotes.table.get_row(old.id)
        assert row[1].plain.startswith("old \u241b[2J\u241b]8;;x\u2407data")
        quotes.select(marked.id)
        await settle(pilot)
        assert MARKUP[:30] in quotes.table.get_row(marked.id)[1].plain
        detail = screen.details["quotes"].text.plain
        assert MARKUP in detail
        assert "[i]venue[/i]" in detail
        quotes.select(old.id)
        await settle(pilot)
        detail = screen.details["quotes"].text.plain
        assert "\x1b" not in detail and "\u241b[2J" in detail
        assert app.is_running  # the [@click=app.quit] text did nothing
