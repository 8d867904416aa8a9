"""A speaker's report card: how many of their claims got each verdict,
drawn as bars, one scale at a time (as fact-checking sites show per person)."""

from __future__ import annotations

from rich.text import Text

from tracker.scales import SCALES, Scale
from tracker.services.records import ReportCard
from tracker.tui.text import literal

BAR = "█"
WIDTH = 20


def _style(scale: Scale, label: str) -> str:
    rating = scale.rating(label)
    if rating is None or rating.value < 0 or not rating.final:
        return "dim"
    best = max(r.value for r in scale.ratings)
    share = rating.value / best if best else 0
    if share >= 0.75:
        return "green"
    if share >= 0.4:
        return "yellow"
    return "red"


def _scale_of(label: str) -> Scale | None:
    for scale in SCALES.values():
        if scale.rating(label) is not None:
            return scale
    return None


def report_card(card: ReportCard) -> Text:
    """Bars per rating for the claims' latest verdicts; unreviewed counted apart
    (the counts come from :func:`tracker.services.speaker_report_card`)."""
    counts = dict(card.verdicts)
    unreviewed = card.unreviewed
    out = Text()
    if not counts:
        out.append("No verdicts yet", style="dim italic")
    by_scale: dict[str, list[tuple[str, int]]] = {}
    other: list[tuple[str, int]] = []
    for label, n in counts.items():
        scale = _scale_of(label)
        if scale is None:
            other.append((label, n))
        else:
            by_scale.setdefault(scale.key, []).append((label, n))
    top = max(counts.values(), default=1)
    for key, found in by_scale.items():
        scale = SCALES[key]
        out.append(f"{scale.name}\n", style="underline")
        present = dict(found)
        for rating in scale.ratings:
            n = present.get(rating.label, 0)
            if not n and not rating.final:
                continue
            bar = BAR * max(1 if n else 0, round(WIDTH * n / top))
            out.append(f"  {rating.label:<18} ")
            out.append(bar, style=_style(scale, rating.label))
            out.append(f" {n}\n")
    for label, n in other:
        out.append("  ")
        out.append_text(literal(label[:18].ljust(18), single_line=True))
        out.append(f" {BAR * max(1, round(WIDTH * n / top))} {n}\n")
    if unreviewed:
        out.append(f"\n{unreviewed} claim(s) without a verdict", style="dim")
    return out
