"""Full-text search: finds quotes, claims and speakers; stays in sync with
every change; treats whatever the user types as words, never as syntax."""

from __future__ import annotations

import pytest

from tracker import services as svc
from tracker.db.database import Database
from tracker.services import Filters


def found(db: Database, text: str, kind: str | None = None) -> set[tuple[str, int]]:
    hits = svc.search(db, text) if kind is None else svc.search(db, text, kinds=[kind])
    return {(h.kind, h.id) for h in hits}


def test_killer_finds_bidens_quote_on_the_demo(demo_db: Database) -> None:
    hits = svc.search(demo_db, "killer")
    quotes = [h for h in hits if h.kind == "quote"]
    assert quotes
    assert {h.speaker for h in quotes} == {"Joe Biden"}
    assert "that Putin is a killer" in {h.text for h in quotes}
    assert all(h.speaker_id == quotes[0].speaker_id for h in quotes)
    claims = [h for h in hits if h.kind == "claim"]
    assert [h.text for h in claims] == ["Vladimir Putin is a \u201ckiller\u201d"]


def test_deadline_finds_a_quote_and_a_claim(demo_db: Database) -> None:
    hits = svc.search(demo_db, "deadline")
    kinds = {h.kind for h in hits}
    assert kinds == {"quote", "claim"}
    assert all("deadline" in h.text for h in hits)
    # Hits come grouped by kind: quotes, then claims, then speakers.
    order = [h.kind for h in hits]
    assert order == sorted(order, key=["quote", "claim", "speaker"].index)


def test_speaker_names_and_aliases_are_searchable(demo_db: Database) -> None:
    assert {h.text for h in svc.search(demo_db, "Kremlin", kinds=["speaker"])} == {"Russia"}
    assert {h.text for h in svc.search(demo_db, "Sergey", kinds=["speaker"])} == {"Sergei Lavrov"}


def test_search_stays_in_sync_with_create_update_and_delete(db: Database) -> None:
    ada = svc.add_speaker(db, "Ada Lovelace")
    quote = svc.add_quote(db, "The engine weaves algebraic patterns", speaker_id=ada.id)
    claim = svc.add_claim(db, "Engines can compose elaborate music")
    assert found(db, "algebraic") == {("quote", quote.id)}
    assert found(db, "elaborate music") == {("claim", claim.id)}

    svc.update_quote(db, quote.id, text="Imagination is the discovering faculty")
    svc.update_claim(db, claim.id, text="Engines cannot originate anything")
    assert found(db, "algebraic") == set()
    assert found(db, "elaborate") == set()
    assert found(db, "imagination") == {("quote", quote.id)}
    assert found(db, "originate") == {("claim", claim.id)}

    svc.update_speaker(db, ada.id, name="Augusta Ada King")
    assert found(db, "Lovelace") == set()
    assert found(db, "Augusta") == {("speaker", ada.id)}
    svc.add_alias(db, ada.id, "Countess of Lovelace")
    assert found(db, "countess") == {("speaker", ada.id)}
    svc.remove_alias(db, ada.id, "Countess of Lovelace")
    assert found(db, "countess") == set()

    svc.delete_quote(db, quote.id)
    svc.delete_claim(db, claim.id)
    assert found(db, "imagination") == set()
    assert found(db, "originate") == set()
    svc.delete_speaker(db, ada.id)
    assert found(db, "Augusta") == set()


def test_a_refused_change_leaves_the_index_alone(db: Database) -> None:
    ada = svc.add_speaker(db, "Ada")
    quote = svc.add_quote(db, "analytical engine", speaker_id=ada.id)
    with pytest.raises(svc.ValidationError):
        svc.update_quote(db, quote.id, text="poetical science", said_on="2021-02-30")
    assert found(db, "analytical") == {("quote", quote.id)}
    assert found(db, "poetical") == set()


def test_last_word_is_a_prefix(demo_db: Database) -> None:
    assert ("quote", 12) in found(demo_db, "kill")
    assert ("quote", 12) in found(demo_db, "putin kil")
    # Only the last word may be unfinished.
    assert ("quote", 12) not in found(demo_db, "kil putin")


def test_diacritics_and_case_do_not_matter(db: Database) -> None:
    speaker = svc.add_speaker(db, "José Martí")
    quote = svc.add_quote(db, "Crítica de la Razón", speaker_id=speaker.id)
    assert found(db, "CRITICA razon") == {("quote", quote.id)}
    assert found(db, "jose marti") == {("speaker", speaker.id)}


SYNTAX_QUERIES = [
    '"killer',
    'killer"',
    "killer*",
    "*killer",
    "killer(",
    "-killer",
    "(killer",
    "killer)",
    "killer:",
    "^killer",
    "killer +",
    "{killer}",
]


def test_fts_syntax_in_queries_is_just_text(demo_db: Database) -> None:
    # One demo database for every query: loading it is the slow part.
    for query in SYNTAX_QUERIES:
        assert ("quote", 12) in found(demo_db, query), query


def test_operators_are_words_that_must_appear(demo_db: Database) -> None:
    for query in ["putin OR nobody", "putin AND nobody", "putin NOT killer", "body:putin"]:
        assert found(demo_db, query, "quote") == set(), query
    assert found(demo_db, "NEAR putin", "quote") == set()


def test_a_quote_with_quotation_marks_can_be_found(db: Database) -> None:
    ada = svc.add_speaker(db, "Ada")
    quote = svc.add_quote(db, 'a "quoted" word, a * star and NEAR(x) OR -y: z', speaker_id=ada.id)
    for query in ['a "quoted" word', '"quoted"', "NEAR OR", "star -y", "(x) z"]:
        assert found(db, query, "quote") == {("quote", quote.id)}, query


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "-", "()", '""'])
def test_a_query_without_words_is_refused(db: Database, query: str) -> None:
    with pytest.raises(svc.ValidationError, match="give some words"):
        svc.search(db, query)


def test_search_with_filters(demo_db: Database) -> None:
    biden = svc.find_by_name(demo_db, "Joe Biden")[0].id
    hits = svc.search(demo_db, "May", Filters(speaker_id=biden))
    assert hits
    assert {h.speaker for h in hits} == {"Joe Biden"}
    assert "speaker" not in {h.kind for h in hits}
    promises = svc.search(demo_db, "May", Filters(kind="promise"))
    assert {h.kind for h in promises} == {"claim"}
    assert {h.id for h in promises} == {2}


def test_search_of_an_unknown_kind_is_refused(demo_db: Database) -> None:
    with pytest.raises(svc.ValidationError, match="cannot search sources"):
        svc.search(demo_db, "killer", kinds=["sources"])


def test_search_limit(demo_db: Database) -> None:
    assert len(svc.search(demo_db, "the", kinds=["quote"], limit=3)) == 3
