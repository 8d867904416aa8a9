"""Every article of the PolNeAR development split gives output the issue's
scoring rule accepts whole: zero contract errors (skipped without
../shared). The figures themselves are bench/extraction_quality.py's."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from tracker.services.extracting import find_attributions, found_as_json

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SCORER = SHARED / "eval" / "polnear_score.py"
DEV = SHARED / "data" / "polnear-dev" / "text"


def scorer() -> ModuleType:
    if not SCORER.exists() or not DEV.is_dir():
        pytest.skip("../shared/eval or ../shared/data/polnear-dev is not present (fresh clone)")
    spec = importlib.util.spec_from_file_location("polnear_score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_dev_article_meets_the_contract() -> None:
    ps = scorer()
    articles = sorted(DEV.glob("*.txt"))
    assert articles
    found = 0
    for path in articles:
        text = ps.read_text(str(path))
        out = json.dumps(found_as_json(find_attributions(None, text, date=None)))
        predictions, errors = ps.validate(out, text)
        assert errors == [], (path.name, errors[:3])
        found += len(predictions or [])
    assert found > 10 * len(articles)  # a news article reports a lot of speech
