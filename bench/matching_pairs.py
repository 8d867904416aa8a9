"""Per-class quality of the speaker matcher's decisions on the development set.

    python bench/matching_pairs.py                 # table on stdout
    python bench/matching_pairs.py --misses        # also every pair decided wrongly
    python bench/matching_pairs.py --write-docs    # rewrite the block in docs/matching.md

The set is ``bench/data/matching_pairs.tsv`` (issue 14): pairs of real public
figures' names, each ``class, name_a, name_b, same|different, note``.  For each
pair ``name_b`` is a speaker in an index that also holds a background of other
speakers, and ``name_a`` is matched against it:

* the background is one speaker for every other person indexed in the set
  (a ``name_b``; the names linked by ``same`` rows, or written alike, are one
  person) plus
  ``--background`` generated speakers from ``bench/names_gen.py`` (with their
  aliases), so that the common-name and competitor rules see a realistic
  index;
* the person of ``name_a`` and of ``name_b`` are taken out of the background
  for that pair, and ``name_b`` alone stands for its person.

A ``same`` row is right when the decision is ``same`` for ``name_b``'s
speaker; a ``different`` row is a wrong merge when the decision is ``same``
for it.  Reported per class: precision and recall of ``same``, wrong ``same``
on the non-matching rows, and how the other matching rows were answered
(``maybe`` with ``name_b`` first, ``maybe`` with it lower or absent,
``new``).
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from names_gen import NameGen  # noqa: E402

from tracker.matching import SpeakerEntry, SpeakerIndex, normalize_name  # noqa: E402

DATA = ROOT / "bench" / "data" / "matching_pairs.tsv"
DOCS = ROOT / "docs" / "matching.md"
BEGIN = "<!-- pairs:begin -->"
END = "<!-- pairs:end -->"
TEST_ID = 9_999_999  # the speaker standing for name_b (generated ids are smaller)
REP_BASE = 10_000_000  # ids of the set's background speakers


@dataclass(frozen=True)
class Pair:
    line: int
    cls: str
    a: str
    b: str
    same: bool
    note: str


class DataError(Exception):
    """A line of the data file that cannot be read."""


def load(path: Path) -> list[Pair]:
    pairs: list[Pair] = []
    header_seen = False
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        if not header_seen:
            header_seen = True
            if cols[:4] == ["class", "name_a", "name_b", "label"]:
                continue
        if len(cols) < 4 or len(cols) > 5:
            raise DataError(f"{path}:{n}: expected 4 or 5 tab-separated columns, got {len(cols)}")
        cls, a, b, label = (c.strip() for c in cols[:4])
        if label not in ("same", "different"):
            raise DataError(f"{path}:{n}: label must be 'same' or 'different', not {label!r}")
        if not cls or not a or not b:
            raise DataError(f"{path}:{n}: empty class or name")
        pairs.append(Pair(n, cls, a, b, label == "same", cols[4].strip() if len(cols) > 4 else ""))
    if not pairs:
        raise DataError(f"{path}: no pairs")
    return pairs


def _fold(name: str) -> str:
    """Names written alike are one person in the background.

    Alike: equal matching keys (case, accents, hyphens, romanisation
    variants, Cyrillic and Latin) of two words or more ("Mrs Obama" is
    not "Monsieur Obama"), except for Chinese, Japanese and Korean
    characters, where different characters with one romanisation are
    different people (the point of two classes of the set).
    """
    if any(_cjk(c) for c in name):
        return "".join(name.split())
    key = normalize_name(name)
    return key if len(key.split()) >= 2 else name.casefold()


def _cjk(c: str) -> bool:
    n = unicodedata.name(c, "")
    return n.startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA"))


class People:
    """Union-find over the set's names: ``same`` rows and alike spellings are one person."""

    def __init__(self, pairs: list[Pair]) -> None:
        self._up: dict[str, str] = {}
        for p in pairs:
            for n in (p.a, p.b):
                self._find(_fold(n))
            if p.same:
                self._union(_fold(p.a), _fold(p.b))
        for p in pairs:
            if not p.same and self.of(p.a) == self.of(p.b):
                raise DataError(
                    f"{DATA}:{p.line}: {p.a!r} and {p.b!r} are marked different, "
                    "but other rows make them one person"
                )

    def _find(self, x: str) -> str:
        up = self._up.setdefault(x, x)
        while up != x:
            self._up[x] = self._up.setdefault(up, up)
            x, up = up, self._up[up]
        return x

    def _union(self, x: str, y: str) -> None:
        rx, ry = self._find(x), self._find(y)
        if rx != ry:
            self._up[rx] = ry

    def of(self, name: str) -> str:
        return self._find(_fold(name))


@dataclass
class ClassStats:
    same_rows: int = 0
    diff_rows: int = 0
    said_same: int = 0
    right_same: int = 0
    wrong_same: int = 0  # a different row decided same for name_b
    other_same: int = 0  # decided same for some other speaker (wrong on a match row)
    maybe_first: int = 0
    maybe_lower: int = 0
    new: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: ClassStats) -> None:
        for f in [
            "same_rows",
            "diff_rows",
            "said_same",
            "right_same",
            "wrong_same",
            "other_same",
            "maybe_first",
            "maybe_lower",
            "new",
        ]:
            setattr(self, f, getattr(self, f) + getattr(other, f))

    @property
    def precision(self) -> float | None:
        return self.right_same / self.said_same if self.said_same else None

    @property
    def recall(self) -> float | None:
        return self.right_same / self.same_rows if self.same_rows else None

    @property
    def wrong_rate(self) -> float | None:
        return self.wrong_same / self.diff_rows if self.diff_rows else None


def evaluate(
    pairs: list[Pair], background: int, seed: int, only: str = ""
) -> dict[str, ClassStats]:
    people = People(pairs)
    reps: dict[str, tuple[int, str]] = {}
    for p in pairs:  # one background speaker per person indexed, named as first indexed
        pid = people.of(p.b)
        if pid not in reps:
            reps[pid] = (REP_BASE + len(reps), p.b)
    entries: list[SpeakerEntry] = []
    if background:
        entries.extend(NameGen(seed).speakers(background))
    entries.extend(SpeakerEntry(sid, name) for sid, name in reps.values())
    index = SpeakerIndex(entries)
    stats: dict[str, ClassStats] = defaultdict(ClassStats)
    for p in pairs:
        if only and only not in f"{p.cls}\t{p.a}\t{p.b}":
            continue
        st = stats[p.cls]
        out = {pid for pid in (people.of(p.a), people.of(p.b)) if pid in reps}
        for pid in out:
            index.remove(reps[pid][0])
        index.upsert(SpeakerEntry(TEST_ID, p.b))
        res = index.match(p.a, on=datetime.date(2024, 1, 1))
        index.remove(TEST_ID)
        for pid in out:
            sid, name = reps[pid]
            index.upsert(SpeakerEntry(sid, name))
        if only:
            print(f"{p.a!r} ~ {p.b!r} ({'same' if p.same else 'different'}): {res.decision}")
            for c in res.candidates:
                mark = "*" if c.speaker_id == TEST_ID else " "
                print(f"  {mark} {c.score:5.1f} {c.name}: {c.why}")
        best = res.best
        top = best.speaker_id if best else None
        first = f"{best.name} ({best.score:.1f}: {best.why})" if best else "-"
        if p.same:
            st.same_rows += 1
        else:
            st.diff_rows += 1
        if res.decision == "same":
            if p.same or top == TEST_ID:
                st.said_same += 1
            if top == TEST_ID:
                if p.same:
                    st.right_same += 1
                    continue
                st.wrong_same += 1
                st.misses.append(f"WRONG same  {p.a!r} ~ {p.b!r}: {first}")
            else:
                st.other_same += 1
                st.misses.append(f"same other  {p.a!r} -> {first} (wanted {p.b!r})")
            continue
        if not p.same:
            continue
        if res.decision == "new":
            st.new += 1
            st.misses.append(f"new         {p.a!r} ~ {p.b!r}")
        elif top == TEST_ID:
            st.maybe_first += 1
            st.misses.append(f"maybe 1st   {p.a!r} ~ {p.b!r}: {first}")
        else:
            st.maybe_lower += 1
            st.misses.append(f"maybe lower {p.a!r} ~ {p.b!r}: first {first}")
    return dict(stats)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def table(stats: dict[str, ClassStats]) -> tuple[list[str], ClassStats]:
    lines = [
        "| class | match rows | `same` precision | `same` recall | non-match rows "
        "| wrong `same` | `maybe` (right one first / lower) | `new` |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    total = ClassStats()
    for cls in sorted(stats):
        s = stats[cls]
        total.add(s)
        lines.append(
            f"| {cls} | {s.same_rows} | {_pct(s.precision)} | {_pct(s.recall)} | {s.diff_rows} "
            f"| {s.wrong_same} ({_pct(s.wrong_rate)}) | {s.maybe_first} / {s.maybe_lower} "
            f"| {s.new} |"
        )
    t = total
    lines.append(
        f"| **all** | {t.same_rows} | {_pct(t.precision)} | {_pct(t.recall)} | {t.diff_rows} "
        f"| {t.wrong_same} ({_pct(t.wrong_rate)}) | {t.maybe_first} / {t.maybe_lower} | {t.new} |"
    )
    return lines, total


def f1(t: ClassStats) -> float:
    p, r = t.precision or 0.0, t.recall or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def write_docs(block: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        text = f"{head}{BEGIN}\n{block}\n{END}{tail}"
    else:
        text = text.rstrip("\n") + f"\n\n## Development set\n\n{BEGIN}\n{block}\n{END}\n"
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--background", type=int, default=20_000, help="generated speakers")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--misses", action="store_true", help="list every pair decided wrongly")
    ap.add_argument("--only", default="", help="only rows containing this text, with candidates")
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    try:
        pairs = load(args.data)
        t0 = time.perf_counter()
        stats = evaluate(pairs, args.background, args.seed, args.only)
    except (DataError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    secs = time.perf_counter() - t0
    lines, total = table(stats)
    print("\n".join(lines))
    summary = (
        f"All rows: `same` precision {_pct(total.precision)}, recall {_pct(total.recall)}, "
        f"F1 {f1(total):.2f}; wrong `same` on non-matching rows {total.wrong_same} of "
        f"{total.diff_rows} ({100 * (total.wrong_rate or 0):.1f}%); `same` for another "
        f"speaker than name_b: {total.other_same}."
    )
    print(summary)
    print(f"({len(pairs)} pairs, background {args.background}, {secs:.1f} s)")
    if args.misses:
        for cls in sorted(stats):
            for m in stats[cls].misses:
                print(f"{cls:24} {m}")
    if args.write_docs:
        block = "\n".join(
            [
                f"Measured {datetime.date.today().isoformat()} with "
                f"`python bench/matching_pairs.py --write-docs` ({len(pairs)} pairs in "
                f"`bench/data/matching_pairs.tsv`, {args.background} generated background "
                "speakers).",
                "",
                *lines,
                "",
                summary,
            ]
        )
        write_docs(block)
        print(f"wrote {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
