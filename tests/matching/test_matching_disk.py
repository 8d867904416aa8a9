"""An index saved to a file and read from it as it is used (disk.py) gives
exactly the answers of the index it was saved from: matches, suggestions,
role phrases, names in other scripts; after changes made over the file; and
after saving that again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest
from article_speakers import ARTICLE_SPEAKERS

from tracker.matching import RoleEntry, SpeakerEntry, SpeakerIndex

GIVEN = [
    "John",
    "Mary",
    "James",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "Ahmed",
    "Fatima",
    "Wei",
    "Yuki",
    "Olga",
    "Sergei",
    "Jose",
    "Maria",
    "Kwame",
    "Ngozi",
]
SURNAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
]
OTHER_SCRIPTS = ["محمد مرسي", "习近平", "文在寅", "Владимир Путин", "김정은", "安倍晋三"]


def population() -> list[SpeakerEntry]:
    rng = random.Random(7)
    out = list(ARTICLE_SPEAKERS)
    next_id = 100
    for given in GIVEN:
        for surname in rng.sample(SURNAMES, 12):
            aliases: tuple[tuple[str, str], ...] = ()
            if rng.random() < 0.3:
                aliases = ((f"{given[0]}. {surname}", "variant"),)
            if rng.random() < 0.1:
                aliases += ((f"{given} {surname[:-1]}", "misspelling"),)
            out.append(
                SpeakerEntry(
                    next_id, f"{given} {surname}", "person", aliases, (), rng.randrange(50)
                )
            )
            next_id += 1
    for text in OTHER_SCRIPTS:
        out.append(SpeakerEntry(next_id, text, quote_count=3))
        next_id += 1
    for org in ("World Health Organization", "Ministry of Foreign Affairs", "Taliban"):
        out.append(
            SpeakerEntry(next_id, org, "organisation", (("WHO", "name"),) if org[0] == "W" else ())
        )
        next_id += 1
    return out


def queries(people: list[SpeakerEntry]) -> list[tuple[str, dt.date | None]]:
    rng = random.Random(11)
    names = [p.name for p in rng.sample(people, 80)]
    typos = [n[: len(n) // 2] + n[len(n) // 2 + 1 :] for n in names]
    fixed = [
        "Stephanophoulos",
        "Biden",
        "President Biden",
        "the U.S. president",
        "Obama",
        "J. Smith",
        "Smith",
        "WHO",
        "Mohamed Morsi",
        "Xi Jinping",
        "Putin",
        "Nobody Atall",
    ]
    days = [None, dt.date(2021, 3, 20), dt.date(2016, 1, 1)]
    return [(q, rng.choice(days)) for q in names + typos + fixed]


def answers(index: SpeakerIndex, qs: list[tuple[str, dt.date | None]]) -> list[object]:
    out: list[object] = []
    for q, on in qs:
        out.append(index.match(q, on=on))
        out.append(index.suggest(q[:2], on=on))
        out.append(index.suggest(q[:4], on=on))
    out.append(index.match_many(qs[:30]))
    return out


def change(index: SpeakerIndex, people: list[SpeakerEntry]) -> None:
    for p in people[10:40]:
        index.upsert(dataclasses.replace(p, name=p.name + " Jr", quote_count=p.quote_count + 7))
    for p in people[40:60]:
        index.remove(p.id)
    role = RoleEntry("Director-General", "WTO", dt.date(2021, 3, 1), None, ("the WTO chief",))
    index.upsert(SpeakerEntry(9000, "Ngozi Okonjo-Iweala", roles=(role,), quote_count=2))
    index.upsert(SpeakerEntry(9001, "Zorblax Quentin", aliases=(("Zorb Q", "variant"),)))
    index.upsert(SpeakerEntry(9002, "عبد الله", quote_count=1))


@pytest.fixture(scope="module")
def people() -> list[SpeakerEntry]:
    return population()


def test_a_file_answers_as_the_index_it_was_saved_from(people, tmp_path: Path) -> None:
    built = SpeakerIndex(people)
    built.save(tmp_path / "index.sqlite", {"mine": 1})
    opened = SpeakerIndex.open(tmp_path / "index.sqlite")
    assert opened is not None
    on_file, meta = opened
    assert meta["mine"] == 1
    qs = queries(people)
    assert len(on_file) == len(built) and on_file.alias_count == built.alias_count
    assert answers(on_file, qs) == answers(built, qs)


def test_changes_over_the_file_and_a_second_save_answer_alike(people, tmp_path: Path) -> None:
    built = SpeakerIndex(people)
    built.save(tmp_path / "first.sqlite", {})
    on_file, _meta = SpeakerIndex.open(tmp_path / "first.sqlite")  # type: ignore[misc]
    change(built, people)
    change(on_file, people)
    qs = queries(people) + [
        ("Zorb Q", None),
        ("the WTO chief", dt.date(2022, 1, 1)),
        ("Ngozi Okonjo", None),
        (people[12].name + " Jr", None),
        (people[45].name, None),
        ("عبد الله", None),
    ]
    assert len(on_file) == len(built)
    assert answers(on_file, qs) == answers(built, qs)
    on_file.save(tmp_path / "second.sqlite", {})
    again, _meta = SpeakerIndex.open(tmp_path / "second.sqlite")  # type: ignore[misc]
    assert answers(again, qs) == answers(built, qs)


def test_the_file_is_replaced_whole_and_an_open_one_keeps_reading(people, tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    SpeakerIndex(people[:50]).save(path, {})
    old, _meta = SpeakerIndex.open(path)  # type: ignore[misc]
    SpeakerIndex(people).save(path, {})  # another process saves a newer copy
    assert len(old) == 50 and old.match(people[20].name).decision == "same"
    new, _meta = SpeakerIndex.open(path)  # type: ignore[misc]
    assert len(new) == len(people)
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00" + b"\x00" * 200, b"junk" * 300])
def test_a_file_that_is_not_an_index_is_none(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "index.sqlite"
    path.write_bytes(content)
    assert SpeakerIndex.open(path) is None
    assert SpeakerIndex.open(tmp_path / "missing.sqlite") is None
