"""Rating scales for verdicts.

Each scale is an ordered list of ratings. A rating has a label, a numeric
value (higher is truer / more kept) and whether it is *final*: a claim whose
latest verdict is not final (``Pending``, ``In the Works``...) stays "due for
review" once its due date has passed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rating:
    label: str
    value: float
    final: bool


@dataclass(frozen=True)
class Scale:
    key: str
    name: str
    ratings: tuple[Rating, ...]

    def rating(self, label: str) -> Rating | None:
        """The rating with this label, compared without case or spacing differences."""
        wanted = _fold(label)
        for rating in self.ratings:
            if _fold(rating.label) == wanted:
                return rating
        return None

    def labels(self) -> list[str]:
        return [r.label for r in self.ratings]


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


TRUTH_O_METER = Scale(
    "truth-o-meter",
    "Truth-O-Meter",
    (
        Rating("True", 5, True),
        Rating("Mostly True", 4, True),
        Rating("Half True", 3, True),
        Rating("Mostly False", 2, True),
        Rating("False", 1, True),
        Rating("Pants on Fire", 0, True),
    ),
)

PROMISE_METER = Scale(
    "promise",
    "Promise meter",
    (
        Rating("Not Yet Rated", -1, False),
        Rating("In the Works", -1, False),
        Rating("Stalled", -1, False),
        Rating("Promise Kept", 2, True),
        Rating("Compromise", 1, True),
        Rating("Promise Broken", 0, True),
    ),
)

PREDICTION = Scale(
    "prediction",
    "Prediction",
    (
        Rating("Pending", -1, False),
        Rating("Came True", 1, True),
        Rating("Did Not Come True", 0, True),
        Rating("Unresolvable", -1, True),
    ),
)

SCALES: dict[str, Scale] = {s.key: s for s in (TRUTH_O_METER, PROMISE_METER, PREDICTION)}

# Which scale a claim kind uses unless the reviewer names another.
DEFAULT_SCALE_FOR_KIND = {
    "fact": TRUTH_O_METER.key,
    "opinion": TRUTH_O_METER.key,
    "prediction": PREDICTION.key,
    "promise": PROMISE_METER.key,
}


def get_scale(key: str) -> Scale | None:
    """Look a scale up by key, name, or a few common spellings."""
    folded = _fold(key)
    for scale in SCALES.values():
        if folded in (_fold(scale.key), _fold(scale.name)):
            return scale
    aliases = {
        "truthometer": "truth-o-meter",
        "tom": "truth-o-meter",
        "promises": "promise",
        "promise meter": "promise",
        "predictions": "prediction",
    }
    alias = aliases.get(folded)
    return SCALES.get(alias) if alias else None
