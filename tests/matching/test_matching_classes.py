"""The decision a user sees for each class of name variation in issue 14.

Each case indexes one name among a background of other public figures and
matches the other name: ``same`` for the indexed speaker where a careful
person would say so (spellings, scripts, name orders, particles, initials,
honorifics), never ``same`` for a different person with a similar name.
Most cases are checked both ways round (either name indexed).  The per-class
figures on a larger set are ``bench/matching_pairs.py`` (docs/matching.md).
"""

from __future__ import annotations

import pytest

from tracker.matching import SpeakerEntry, SpeakerIndex

BACKGROUND_NAMES = [
    "Angela Merkel",
    "Olaf Scholz",
    "Emmanuel Macron",
    "Vladimir Putin",
    "Sergei Lavrov",
    "Joe Biden",
    "Hunter Biden",
    "Barack Obama",
    "Xi Jinping",
    "Li Keqiang",
    "Moon Jae-in",
    "Kim Yo-jong",
    "Hun Sen",
    "Nikol Pashinyan",
    "Recep Tayyip Erdoğan",
    "Benjamin Netanyahu",
    "Narendra Modi",
    "Ursula von der Leyen",
    "Mahmoud Abbas",
    "Hassan Rouhani",
    "Ali Khamenei",
    "Saad Hariri",
    "Khalid bin Salman",
    "Hamad bin Khalifa Al Thani",
    "Abdullah bin Zayed Al Nahyan",
    "Ivana Trump",
    "Donald Trump",
    "Dmitry Medvedev",
    "Yulia Tymoshenko",
    "Ilham Aliyev",
    "Jean-Luc Mélenchon",
    "Marine Le Pen",
    "Rishi Sunak",
    "Keir Starmer",
    "Justin Trudeau",
    "Mark Smith",
    "John Smith",
    "Maria Garcia",
    "Wei Zhang",
    "Lee Hsien Loong",
]
TARGET = 1000


def _index(name: str, written: str = "") -> SpeakerIndex:
    """``name`` as a speaker among the background (less the two names compared)."""
    bg = [SpeakerEntry(i, n) for i, n in enumerate(BACKGROUND_NAMES) if n not in (name, written)]
    return SpeakerIndex([*bg, SpeakerEntry(TARGET, name)])


def _is_same(query: str, indexed: str) -> bool:
    res = _index(indexed, query).match(query)
    return res.decision == "same" and res.candidates[0].speaker_id == TARGET


# (class, name written, name indexed); checked both ways round unless marked.
SAME_BOTH_WAYS = [
    ("transliteration", "Dmitri Peskov", "Dmitry Peskov"),
    ("transliteration", "Dmitrij Peskov", "Dmitry Peskov"),
    ("transliteration", "Aleksandr Lukashenko", "Alexandr Lukashenko"),
    ("transliteration", "Hasan Rouhani", "Hassan Rouhani"),
    ("transliteration", "Jevgeni Prigozhin", "Yevgeniy Prigozhin"),
    ("transliteration", "Nursultan Nazarbaev", "Nursultan Nazarbayev"),
    ("transliteration", "Volodymyr Zelenskyi", "Volodymyr Zelensky"),
    ("script", "Сергей Шойгу", "Sergei Shoigu"),
    ("script", "Дмитрий Сергеевич Песков", "Dmitry Peskov"),
    ("script", "Ռոբերտ Քոչարյան", "Robert Kocharyan"),
    ("script", "习近平", "Xi Jinping"),
    ("script", "김정은", "Kim Jong Un"),
    ("script", "박근혜", "Park Geun-hye"),
    ("script", "ហ៊ុន ម៉ាណែត", "Hun Manet"),
    ("script", "محمد بن سلمان", "Mohammed bin Salman"),
    ("script", "بشار الأسد", "Bashar al-Assad"),
    ("script", "حسن نصر الله", "Hassan Nasrallah"),
    ("spacing", "Abdulghani Baradar", "Abdul Ghani Baradar"),
    ("spacing", "Moon Jaein", "Moon Jae-in"),
    ("spacing", "Dominique Devillepin", "Dominique de Villepin"),
    ("middle names", "Vladimir Vladimirovich Putin", "Vladimir Putin"),
    ("middle names", "Mohammed bin Salman Al Saud", "Mohammed bin Salman"),
    ("surname first", "Lukashenko Alexander", "Alexander Lukashenko"),
    ("surname first", "ORBÁN Viktor", "Viktor Orbán"),
    ("particles", "Abdel Fattah al-Sisi", "Abdel Fattah el-Sisi"),
    ("particles", "Bashar Assad", "Bashar al-Assad"),
    ("particles", "Usama ibn Laden", "Osama bin Laden"),
    ("nicknames", "Bob Menendez", "Robert Menendez"),
    ("nicknames", "Dima Medvedev", "Dmitry Medvedev"),
    ("short typo", "Joe Bidden", "Joe Biden"),
    ("short typo", "Keir Stramer", "Keir Starmer"),
    ("short typo", "Naftali Bennet", "Naftali Bennett"),
]
SAME_ONE_WAY = [
    ("honorific", "Sheikh Tamim bin Hamad Al Thani", "Tamim bin Hamad Al Thani"),
    ("honorific", "Mullah Abdul Ghani Baradar", "Abdul Ghani Baradar"),
    ("honorific", "Ayatollah Khomeini", "Ruhollah Khomeini"),
    ("honorific", "Monsieur Macron", "Emmanuel Macron"),
    ("honorific", "Lord Cameron", "David Cameron"),
    ("honorific", "Prof. Dr. Christian Drosten", "Christian Drosten"),
    ("surname first", "PESKOV, Dmitry Sergeyevich", "Dmitry Peskov"),
    ("surname first", "PESKOV Dmitry Sergeyevich", "Dmitry Peskov"),
    ("surname first", "XI Jinping", "Xi Jinping"),
    ("initials", "J.-L. Mélenchon", "Jean-Luc Mélenchon"),
    ("initials", "Putin V.V.", "Vladimir Putin"),
    ("initials", "Z. Khalilzad", "Zalmay Khalilzad"),
    ("script", "Xi Jinping", "习近平"),
    ("script", "Saad Hariri", "سعد الحريري"),
]
DIFFERENT_BOTH_WAYS = [
    ("transliteration", "Ivanka Trump", "Ivana Trump"),
    ("transliteration", "Joan Baez", "John Baez"),
    ("transliteration", "Michelle Barnier", "Michel Barnier"),
    ("CJK same romanisation", "黎明", "李明"),
    ("CJK same romanisation", "王怡", "王毅"),
    ("Hangul without spaces", "김정은", "김정일"),
    ("Hangul without spaces", "김영삼", "김영남"),
    ("Hangul without spaces", "이재명", "이재용"),
    ("contradicting initial", "J. Khalilzad", "Zalmay Khalilzad"),
    ("contradicting initial", "Y. Netanyahu", "Benjamin Netanyahu"),
    ("contradicting initial", "Khalilzad J.", "Zalmay Khalilzad"),
    ("short subset", "Hamad bin Khalifa", "Hamad bin Isa Al Khalifa"),
    ("short subset", "Ahmed Shah", "Ahmad Shah Massoud"),
    ("short subset", "Ali Khan", "Liaquat Ali Khan"),
    ("short subset", "Tamim bin Hamad", "Hamad bin Khalifa Al Thani"),
    ("short typo", "Kevin McCarty", "Kevin McCarthy"),
    ("short typo", "Mark Smyth", "Mark Smith"),
    ("particles", "Mohammed bin Nayef", "Mohammed bin Salman"),
    ("script", "محمد بن نايف", "Mohammed bin Salman"),
    ("script", "김정일", "Kim Jong Un"),
    ("honorific", "Mrs Obama", "Barack Obama"),
    ("honorific", "Madame Macron", "Emmanuel Macron"),
]


@pytest.mark.parametrize(("cls", "written", "indexed"), SAME_BOTH_WAYS)
def test_same_either_way_round(cls: str, written: str, indexed: str) -> None:
    assert _is_same(written, indexed), f"{cls}: {written!r} should be {indexed!r}"
    assert _is_same(indexed, written), f"{cls}: {indexed!r} should be {written!r}"


@pytest.mark.parametrize(("cls", "written", "indexed"), SAME_ONE_WAY)
def test_same(cls: str, written: str, indexed: str) -> None:
    assert _is_same(written, indexed), f"{cls}: {written!r} should be {indexed!r}"


@pytest.mark.parametrize(("cls", "written", "indexed"), DIFFERENT_BOTH_WAYS)
def test_never_same_for_a_different_person(cls: str, written: str, indexed: str) -> None:
    assert not _is_same(written, indexed), f"{cls}: {written!r} is not {indexed!r}"
    assert not _is_same(indexed, written), f"{cls}: {indexed!r} is not {written!r}"


def test_the_reason_names_the_rule() -> None:
    """What the form shows: why a spelling or another script was accepted."""
    why = _index("Dmitry Peskov").match("Dmitri Peskov").candidates[0].why
    assert "exact" in why or "variant" in why
    why = _index("Mohammed bin Salman").match("محمد بن سلمان").candidates[0].why
    assert "another script" in why
    why = _index("Bashar al-Assad").match("Bashar Assad").candidates[0].why
    assert "particle" in why


def test_a_name_in_its_own_characters_comes_first() -> None:
    idx = SpeakerIndex([SpeakerEntry(1, "李明"), SpeakerEntry(2, "Li Ming")])
    res = idx.match("李明")
    assert res.candidates[0].speaker_id == 1
    assert res.candidates[1].speaker_id == 2  # the same romanisation: perhaps him
    other = idx.match("黎明")  # another Li Ming: never merged with 李明
    assert not (other.decision == "same" and other.candidates[0].speaker_id == 1)
    assert SpeakerIndex([SpeakerEntry(1, "李明")]).match("李明").decision == "same"


def test_a_form_of_address_that_does_not_fit_is_a_question() -> None:
    idx = _index("Barack Obama")
    res = idx.match("Mrs Obama")
    assert res.decision == "maybe"
    assert "please confirm" in res.candidates[0].why
    assert idx.match("Mr Obama").decision == "same"
    assert _index("Angela Merkel").match("Frau Merkel").decision == "same"
