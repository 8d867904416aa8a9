"""services.extracting: speakers decided by the attribution rule, and the
``--json`` shape."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tracker.db.database import Database
from tracker.services.extracting import find_attributions, found_as_json

# Written for this test, about the demo database's speakers.
ARTICLE = (
    "President Joe Biden said the talks would go on. Sergei Lavrov urged both sides "
    "to stay calm. \u201cWe are ready,\u201d he said. The U.S. president told reporters "
    "that a deal was near. Priya Natarajan, a lawyer in Ohio, said the law was clear."
)


def test_each_name_is_decided_by_the_attribution_rule(demo_db: Database) -> None:
    found = find_attributions(demo_db, ARTICLE, date=dt.date(2021, 3, 18))
    by_cue = {
        (f.attribution.cue.text if f.attribution.cue else None, f.speaker.name): f
        for f in found
        if f.speaker
    }
    biden = by_cue[("said", "Joe Biden")].speaker
    assert biden is not None and biden.decision == "same" and biden.speaker_id is not None
    lavrov = by_cue[("urged", "Sergei Lavrov")].speaker
    assert lavrov is not None and lavrov.decision == "same"
    he = next(f for f in found if f.attribution.mode == "direct")
    assert he.speaker is not None and he.speaker == lavrov  # "he" is Lavrov, one decision
    stranger = next(f for f in found if f.speaker and f.speaker.name == "Priya Natarajan")
    assert stranger.speaker is not None
    assert stranger.speaker.decision == "new" and stranger.speaker.speaker_id is None


def test_a_role_phrase_resolves_by_the_article_date(demo_db: Database) -> None:
    text = "The U.S. president said the troops would stay."
    on_2021 = find_attributions(demo_db, text, date=dt.date(2021, 3, 18))[0].speaker
    on_2020 = find_attributions(demo_db, text, date=dt.date(2020, 3, 18))[0].speaker
    assert on_2021 is not None and on_2020 is not None
    assert on_2021.decision == on_2020.decision == "same"
    assert on_2021.speaker_id != on_2020.speaker_id  # Biden, then Trump


def test_without_a_database_every_name_is_new() -> None:
    found = find_attributions(None, ARTICLE, date=None)
    assert found
    assert {f.speaker.decision for f in found if f.speaker} == {"new"}
    assert {f.speaker.speaker_id for f in found if f.speaker} == {None}


def test_the_json_shape_is_exactly_the_documented_one(demo_db: Database) -> None:
    data = found_as_json(find_attributions(demo_db, ARTICLE, date=None))
    assert list(data) == ["attributions"]
    for item in data["attributions"]:
        assert list(item) == ["mode", "content", "cue", "source", "speaker", "confidence"]
        assert item["mode"] in ("direct", "mixed", "indirect")
        assert item["content"] and all(list(s) == ["start", "end", "text"] for s in item["content"])
        for key in ("cue", "source"):
            assert item[key] is None or list(item[key]) == ["start", "end", "text"]
        for span in [*item["content"], item["cue"], item["source"]]:
            if span is not None:
                assert ARTICLE[span["start"] : span["end"]] == span["text"]
        speaker = item["speaker"]
        assert speaker is None or list(speaker) == ["name", "speaker_id", "decision"]
        assert 0.0 <= item["confidence"] <= 1.0
    json.dumps(data)  # plain JSON types only


def test_extracting_writes_nothing(demo_db: Database, db_path: Path) -> None:
    before = db_path.read_bytes()
    find_attributions(demo_db, ARTICLE, date=dt.date(2021, 3, 18))
    demo_db.close()
    assert db_path.read_bytes() == before
