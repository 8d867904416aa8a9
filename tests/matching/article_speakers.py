"""Speakers of the example article, shared by the tests (and the bench)."""

from __future__ import annotations

import datetime as dt

from tracker.matching import RoleEntry, SpeakerEntry

D = dt.date
US = "United States"

ARTICLE_SPEAKERS: list[SpeakerEntry] = [
    SpeakerEntry(
        1,
        "Joe Biden",
        aliases=(("Biden", "name"), ("President Joe Biden", "variant")),
        roles=(RoleEntry("President", US, D(2021, 1, 20), None, ("the U.S. president",)),),
        quote_count=12,
    ),
    SpeakerEntry(
        2,
        "Donald Trump",
        roles=(
            RoleEntry("President", US, D(2017, 1, 20), D(2021, 1, 20), ("the U.S. president",)),
        ),
        quote_count=9,
    ),
    SpeakerEntry(
        3,
        "Vladimir Putin",
        roles=(RoleEntry("President", "Russia", D(2012, 5, 7), None),),
        quote_count=4,
    ),
    SpeakerEntry(
        4,
        "Zalmay Khalilzad",
        roles=(RoleEntry("Special Envoy for Afghanistan", US, D(2018, 9, 5), D(2021, 10, 18)),),
    ),
    SpeakerEntry(
        5,
        "Ashraf Ghani",
        roles=(RoleEntry("President", "Afghanistan", D(2014, 9, 29), D(2021, 8, 15)),),
    ),
    SpeakerEntry(
        6,
        "Sergei Lavrov",
        roles=(RoleEntry("Foreign Minister", "Russia", D(2004, 3, 9), None),),
    ),
    SpeakerEntry(7, "Michael Kugelman"),
    SpeakerEntry(
        8,
        "George Stephanopoulos",
        roles=(RoleEntry("Chief Anchor", "ABC News", D(2010, 1, 1), None),),
    ),
    SpeakerEntry(9, "Biden administration", kind="organisation"),
    SpeakerEntry(10, "Russia", kind="organisation"),
    SpeakerEntry(11, "the Kremlin", kind="organisation"),
    SpeakerEntry(12, "the Taliban", kind="organisation"),
]

# (text as written in the article, expected speaker id)
ARTICLE_NAME_FORMS: list[tuple[str, int]] = [
    ("Joe Biden", 1),
    ("Biden", 1),
    ("President Joe Biden", 1),
    ("Donald Trump", 2),
    ("former President Donald Trump", 2),
    ("his Kremlin counterpart Vladimir Putin", 3),
    ("Vladimir Putin", 3),
    ("Putin", 3),
    ("U.S. special envoy for Afghanistan, Zalmay Khalilzad", 4),
    ("Zalmay Khalilzad", 4),
    ("President Ashraf Ghani", 5),
    ("Ghani", 5),
    ("Russian Foreign Minister Sergei Lavrov", 6),
    ("Sergey Lavrov", 6),
    ("LAVROV, Sergei", 6),
    ("Lavrov", 6),
    (
        "Michael Kugelman, deputy director of the Asia program at the Wilson Center "
        "research group in Washington",
        7,
    ),
    ("ABC News Chief Anchor George Stephanophoulos", 8),
    ("Stephanophoulos", 8),
    ("George Stephanopoulos", 8),
    ("Biden administration", 9),
    ("the Biden administration", 9),
    ("Russia", 10),
    ("the Kremlin", 11),
    ("Kremlin", 11),
    ("the Taliban", 12),
    ("Taliban", 12),
]
