"""Quote verification speed (issue 13): 10,000 quotes against 2,000-word
sources with :func:`tracker.services.verification.verify_text`, beside a
brute-force baseline in the same run: rapidfuzz's
``fuzz.partial_ratio_alignment`` of the raw quote against the raw source
(no normalisation, no position map, no word difference).

The texts are synthetic (a seeded random draw from a 3,000-word vocabulary,
with sentence punctuation, curly quotation marks and dashes); each source is
2,000 words. The quotes are a third verbatim passages (10-40 words, some with
changed case, straight marks or doubled spaces), a third altered (one word
changed, dropped or added), a third sentences not in the source. Only the
comparison is timed (not the database: ``verify_quotes`` adds one SELECT and
one executemany UPDATE).

    python bench/verify_speed.py [--quotes 10000] [--sources 100] [--words 2000] [--seed 13]
"""

from __future__ import annotations

import argparse
import collections
import platform
import random
import time

from rapidfuzz import fuzz

from tracker.services.verification import verify_text


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(2, 10))))
    return sorted(words)


def make_source(rng: random.Random, vocabulary: list[str], words: int) -> str:
    out = []
    for i in range(words):
        word = rng.choice(vocabulary)
        if i % 12 == 0:
            word = word.capitalize()
        if i % 12 == 11:
            word += "."
        elif rng.random() < 0.03:
            word = "\u201c" + word + "\u201d"
        elif rng.random() < 0.02:
            word += " \u2014"
        out.append(word)
    return " ".join(out)


def make_quote(rng: random.Random, source: str, vocabulary: list[str], kind: str) -> str:
    if kind == "absent":
        return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(10, 40)))
    words = source.split(" ")
    length = rng.randint(10, 40)
    at = rng.randrange(0, len(words) - length)
    chosen = words[at : at + length]
    if kind == "altered":
        i = rng.randrange(1, length - 1)
        change = rng.choice(("change", "drop", "add"))
        if change == "change":
            chosen[i] = rng.choice(vocabulary)
        elif change == "drop":
            del chosen[i]
        else:
            chosen.insert(i, rng.choice(vocabulary))
    quote = " ".join(chosen)
    if kind == "verbatim" and rng.random() < 0.5:
        quote = quote.lower().replace("\u201c", '"').replace("\u201d", '"').replace(" ", "  ", 1)
    return quote


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=10_000)
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--words", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    vocabulary = make_vocabulary(rng, 3_000)
    sources = [make_source(rng, vocabulary, args.words) for _ in range(args.sources)]
    kinds = ("verbatim", "altered", "absent")
    cases = []
    for i in range(args.quotes):
        source = sources[i % len(sources)]
        kind = kinds[i % 3]
        cases.append((kind, make_quote(rng, source, vocabulary, kind), source))

    start = time.perf_counter()
    statuses: collections.Counter[tuple[str, str]] = collections.Counter()
    for kind, quote, source in cases:
        statuses[(kind, verify_text(quote, source).status)] += 1
    ours = time.perf_counter() - start

    start = time.perf_counter()
    for _, quote, source in cases:
        fuzz.partial_ratio_alignment(quote, source)
    baseline = time.perf_counter() - start

    print(f"python {platform.python_version()} on {platform.machine()}, {platform.processor()}")
    print(f"{args.quotes} quotes, {args.sources} sources of {args.words} words (seed {args.seed})")
    print(
        f"verify_text:                      {ours:7.2f} s  ({ours / args.quotes * 1e3:.2f} ms/quote)"
    )
    print(
        f"baseline partial_ratio_alignment: {baseline:7.2f} s  "
        f"({baseline / args.quotes * 1e3:.2f} ms/quote)"
    )
    for (kind, status), n in sorted(statuses.items()):
        print(f"  made {kind:9} -> {status:10} {n}")


if __name__ == "__main__":
    main()
