"""The books of the Bible and the surahs of the Qur'an, by every name people give them.

Names and aliases live in the data tables beside this module
(``data/bible-books.tsv``, ``data/quran-surahs.tsv``); this module only
folds a written name to a key, so "1 Cor.", "I Corinthians" and "First
Corinthians" find the same book, and "Al-Baqarah", "al Baqara" and
"Baqarah" the same surah.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

BIBLE = "bible"
QURAN = "quran"
QURAN_BOOK = 0  # the Qur'an is one book: a reference's chapter is the surah

_ORDINALS = {"i": "1", "ii": "2", "iii": "3", "first": "1", "second": "2", "third": "3",
             "1st": "1", "2nd": "2", "3rd": "3"}
_ARTICLE = re.compile(r"^(?:the |a[lnrstdz][- ]|ash[- ]|adh[- ]|aal[- ]e[- ]|al[- ]i[- ])")


@dataclass(frozen=True)
class Book:
    """A book of the Bible, or a surah of the Qur'an (``canon`` says which)."""

    canon: str
    number: int
    name: str
    english: str | None = None
    verses: int | None = None  # a surah's number of verses (Bible counts come from pythonbible)


def bible_key(name: str) -> str:
    """A Bible book name folded for lookup: "I Cor." → "1cor", "Song of Songs" → "songofsongs"."""
    words = re.findall(r"[a-z0-9]+", _plain(name))
    if len(words) > 1 and words[0] in _ORDINALS:
        words[0] = _ORDINALS[words[0]]
    return "".join(words)


def surah_key(name: str) -> str:
    """A surah name folded for lookup, so transliteration habits do not matter.

    Drops the article (al-, an-, ash-, the…), apostrophes, hyphens, spaces, a
    final h, and doubled letters; reads "ee" as "i" and "oo"/"ou" as "u".
    """
    plain = _ARTICLE.sub("", _plain(name).replace("’", "'").replace("ʿ", "'"))
    letters = re.sub(r"[^a-z]", "", plain)
    letters = letters.replace("ee", "i").replace("oo", "u").replace("ou", "u")
    letters = re.sub(r"(.)\1+", r"\1", letters)
    return letters[:-1] if letters.endswith("h") and len(letters) > 3 else letters


def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def read_table(table: str) -> list[list[str]]:
    text = files("quotetrace.scripture").joinpath("data", table).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def bible_books() -> dict[str, Book]:
    """Every Bible book by each of its keys."""
    books: dict[str, Book] = {}
    for number, name, aliases in read_table("bible-books.tsv"):
        book = Book(BIBLE, int(number), name)
        for alias in [name, *aliases.split("|")]:
            books[bible_key(alias)] = book
    return books


@lru_cache(maxsize=1)
def surahs() -> dict[str, Book]:
    """Every surah by each of its keys."""
    table: dict[str, Book] = {}
    for number, name, english, aliases, verses in read_table("quran-surahs.tsv"):
        surah = Book(QURAN, int(number), name, english, int(verses))
        for alias in [name, english, *aliases.split("|")]:
            table[surah_key(alias)] = surah
    return table


@lru_cache(maxsize=1)
def surah_numbers() -> dict[int, Book]:
    return {s.number: s for s in surahs().values()}


@lru_cache(maxsize=1)
def bible_numbers() -> dict[int, Book]:
    return {b.number: b for b in bible_books().values()}


def find_bible_book(name: str) -> Book | None:
    return bible_books().get(bible_key(name))


def find_surah(name: str) -> Book | None:
    """A surah by name or by number ("2", "Al-Baqarah")."""
    name = name.strip()
    if name.isdigit():
        return surah_numbers().get(int(name))
    return surahs().get(surah_key(name))
