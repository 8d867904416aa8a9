"""``tracker verify [QUOTE_ID] [--json]`` (issue 13, docs/verification.md)."""

from __future__ import annotations

import json

from cli_helpers import Invoke

from tracker import services as svc
from tracker.db.database import Database

TEXT = "Officials said \u201cwe will not back down\u201d and left the room quietly after the talks."


def _quotes(db: Database) -> tuple[int, int, int]:
    ada = svc.add_speaker(db, "Ada Official").id
    source = svc.add_source(db, "Talks", full_text=TEXT).id
    same = svc.add_quote(db, "We will not back down", speaker_id=ada, source_id=source).id
    changed = svc.add_quote(
        db, "left the room angrily after the talks.", speaker_id=ada, source_id=source
    ).id
    bare = svc.add_quote(db, "[bold]no source[/bold]", speaker_id=ada).id
    return same, changed, bare


def test_json_shape(db: Database, invoke: Invoke) -> None:
    same, changed, bare = _quotes(db)
    result = invoke("verify", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [set(d) for d in data] == [
        {"quote_id", "status", "start", "end", "similarity", "difference", "stale"}
    ] * 3
    by_id = {d["quote_id"]: d for d in data}
    assert by_id[same]["status"] == "verbatim" and by_id[same]["difference"] == []
    assert TEXT[by_id[same]["start"] : by_id[same]["end"]] == "we will not back down"
    altered = by_id[changed]
    assert altered["status"] == "altered" and altered["stale"] is False
    assert altered["difference"] == [{"op": "changed", "quote": "angrily", "source": "quietly"}]
    assert TEXT[altered["start"] : altered["end"]] == "left the room quietly after the talks."
    assert 0 < altered["similarity"] < 100
    assert by_id[bare] == {
        "quote_id": bare,
        "status": "no_text",
        "start": None,
        "end": None,
        "similarity": None,
        "difference": [],
        "stale": False,
    }


def test_one_quote_as_a_table(db: Database, invoke: Invoke) -> None:
    _, changed, bare = _quotes(db)
    result = invoke("verify", str(changed))
    assert result.exit_code == 0, result.output
    assert "altered" in result.output and "angrily" in result.output
    assert "verbatim" not in result.output
    shown = invoke("verify", str(bare))
    assert "no_text" in shown.output and "1 quote checked" in shown.output


def test_an_unknown_quote_is_one_line_and_exit_1(db: Database, invoke: Invoke) -> None:
    result = invoke("verify", "424242")
    assert result.exit_code == 1
    assert "no quote with id 424242" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_an_empty_database_runs(db: Database, invoke: Invoke) -> None:
    result = invoke("verify", "--json")
    assert result.exit_code == 0 and json.loads(result.output) == []
