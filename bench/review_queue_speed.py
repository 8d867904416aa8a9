"""Review queue speed (issue 13): what the queue costs on top of the services
it is built on, measured in the same run.

On a fresh SQLite database (real migrations) holding ``--speakers``
speakers, ``--articles`` synthetic articles of ``--per-article``
attributions each are ingested through :func:`review_queue.ingest` with a
finder that returns attributions built from the text (so the extractor's own
time is left out; ``bench/extraction_quality.py`` measures that). Then:

- **ingest** per article, against its baseline: ``add_source`` of the same
  article alone (one unit of work, no queue);
- **list**: the first page (50) of the open queue, and a page deep in it
  (``after`` the middle id), against ``list_quotes``' first page on the
  quotes accepted below (the lists of the rest of the UI);
- **accept** per item (a ``same`` speaker), against its baseline, timed
  in turns:
  ``record_quote`` of the same text, speaker name, source and offsets (what
  accepting calls, without reading the item and writing its status);
- **reject** per item.

Each figure is the median of the repeated operation, in milliseconds; each
operation and its baseline are timed in turns (a sampled article's ingest
and its ``add_source``, an accept and a ``record_quote``), so a busy
machine slows both alike.

    python bench/review_queue_speed.py [--articles 2000] [--per-article 50]
        [--speakers 200] [--sample 200] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker import services as svc  # noqa: E402
from tracker.db.database import Database  # noqa: E402
from tracker.extraction.model import Attribution, Span  # noqa: E402
from tracker.services import review_queue as rq  # noqa: E402
from tracker.services.attribution import Who, record_quote  # noqa: E402
from tracker.services.extracting import Found, SpeakerGuess  # noqa: E402

WORDS = [
    "the",
    "plan",
    "talks",
    "minister",
    "said",
    "would",
    "never",
    "back",
    "down",
    "again",
    "trade",
    "war",
]


def article(n: int, per: int, names: Sequence[str]) -> tuple[str, list[tuple[int, int, str]]]:
    """An article of ``per`` paragraphs, each a quotation and its speaker."""
    parts: list[str] = [f"Article {n}.\n\n"]
    marks: list[tuple[int, int, str]] = []
    offset = len(parts[0])
    for i in range(per):
        words = " ".join(WORDS[(n + i + k) % len(WORDS)] for k in range(12))
        quote = f"{words} {n}-{i},"
        name = names[(n * per + i) % len(names)]
        paragraph = f'"{quote}" {name} said.\n\n'
        marks.append((offset + 1, offset + 1 + len(quote), name))
        parts.append(paragraph)
        offset += len(paragraph)
    return "".join(parts), marks


def finder(marks: list[tuple[int, int, str]], ids: dict[str, int]) -> Callable[..., Any]:
    def find(db: Database, text: str, date: Any) -> list[Found]:
        return [
            Found(
                Attribution("direct", (Span(s, e, text[s:e]),), None, None, name, 0.9),
                SpeakerGuess(name, ids[name], "same"),
            )
            for s, e, name in marks
        ]

    return find


def ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.2f}"


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--per-article", type=int, default=50)
    parser.add_argument("--speakers", type=int, default=200)
    parser.add_argument("--sample", type=int, default=200, help="accepts/rejects/lists timed")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="tracker-queue-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(f"sqlite:///{folder / 'queue.db'}", actor="bench")
    names = [f"Speaker{n:04d} Example" for n in range(args.speakers)]
    ids = {name: svc.add_speaker(db, name).id for name in names}
    svc.add_speaker(db, "warm up")  # the speaker index is built on first use below

    ingest_s: list[float] = []
    source_s: list[float] = []
    every = max(1, args.articles // args.sample)
    started = time.perf_counter()
    for n in range(args.articles):
        text, marks = article(n, args.per_article, names)
        find = finder(marks, ids)
        took = timed(lambda t=text, n=n, f=find: rq.ingest(db, t, title=f"Article {n}", find=f))
        if n % every == 0:  # timed beside its baseline: the same article stored alone
            ingest_s.append(took)
            other = text.replace("Article", "Copy", 1)
            source_s.append(
                timed(lambda n=n, o=other: svc.add_source(db, f"Copy {n}", full_text=o))
            )
    total = time.perf_counter() - started
    items = args.articles * args.per_article

    open_items = rq.list_items(db, statuses=rq.OPEN_STATUSES, limit=1000).items
    first_ids = [i.id for i in open_items[: args.sample]]
    reject_ids = [i.id for i in open_items[args.sample : 2 * args.sample]]
    reject_s = [timed(lambda i=i: rq.reject(db, i)) for i in reject_ids]
    accept_s: list[float] = []
    baseline_s: list[float] = []
    # Accepting an item and its baseline, one after the other (so that both
    # see the same load): record_quote of the next item's text and speaker.
    for i, j in zip(first_ids[0::2], first_ids[1::2], strict=False):
        accept_s.append(timed(lambda i=i: rq.accept(db, i)))
        item = rq.get_item(db, j)
        assert item.speaker_name is not None
        baseline_s.append(
            timed(
                lambda item=item: record_quote(
                    db,
                    item.text,
                    Who(name=item.speaker_name),
                    source_id=item.source_id,
                    start_offset=item.start_offset,
                    end_offset=item.end_offset,
                )
            )
        )
    middle = items // 2  # ids run from 1 in this fresh database
    list_first: list[float] = []
    list_deep: list[float] = []
    quotes_first: list[float] = []
    for _ in range(50):
        list_first.append(timed(lambda: rq.list_items(db, statuses=rq.OPEN_STATUSES)))
        list_deep.append(timed(lambda: rq.list_items(db, statuses=rq.OPEN_STATUSES, after=middle)))
        quotes_first.append(timed(lambda: svc.list_quotes(db)))
    db.close()

    print(f"# review queue speed, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"machine: {platform.machine()}, {platform.processor() or platform.platform()}, "
        f"Python {platform.python_version()}, SQLite file in {folder}"
    )
    print(
        f"{args.articles} articles x {args.per_article} = {items} queue items, "
        f"{args.speakers} speakers; ingested in {total:.1f} s"
    )
    print("| operation | median ms | baseline | baseline ms |")
    print("| --- | --- | --- | --- |")
    print(
        f"| ingest one article ({args.per_article} items) | {ms(ingest_s)} "
        f"| add_source of the same text | {ms(source_s)} |"
    )
    print(f"| accept one item | {ms(accept_s)} | record_quote, same input | {ms(baseline_s)} |")
    print(f"| reject one item | {ms(reject_s)} | | |")
    print(
        f"| open queue, first page of 50 | {ms(list_first)} "
        f"| list_quotes, first page of 50 | {ms(quotes_first)} |"
    )
    print(f"| open queue, page after the middle id | {ms(list_deep)} | | |")


if __name__ == "__main__":
    main()
