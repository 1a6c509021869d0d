"""Words of a text, normalised for matching, with offsets back to the original.

Matching compares normalised words (NFKC, case-folded, one apostrophe); every
word keeps its character span in the original text, so a verdict can still
tell `verbatim` from `case_changed` and a span points at the characters a
reader sees. Indexing and querying must use exactly these functions.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

#: a word: letters or digits, with inner apostrophes kept ("nation's", "don’t")
WORD_RE = re.compile(r"\w+(?:['’‘ʼ`]\w+)*")
#: an elision marker inside a quote: "...", ". . .", "…", "[...]", "[…]"
ELISION_RE = re.compile(r"\[\s*(?:…|(?:\.\s*){3,})\s*\]|…|(?:\.\s*){2,}\.")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


class Token(NamedTuple):
    """One word: its normalised form and its span in the original text."""

    norm: str
    start: int
    end: int


def norm_word(word: str) -> str:
    """The form under which two spellings of a word count as the same word."""
    if word.isascii():
        return word.lower().replace("`", "'")
    return unicodedata.normalize("NFKC", word.translate(_APOSTROPHES)).casefold()


def tokenize(text: str) -> list[Token]:
    """All words of ``text`` with their spans."""
    return [Token(norm_word(m.group()), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def words(text: str) -> list[str]:
    """The normalised words of ``text`` alone: the fast path used when indexing."""
    return [norm_word(w) for w in WORD_RE.findall(text)]


def elision_points(text: str, tokens: list[Token]) -> set[int]:
    """Indices of the tokens that an elision marker in ``text`` stands before.

    A marker after the last word yields ``len(tokens)``.
    """
    points: set[int] = set()
    index = 0
    for marker in ELISION_RE.finditer(text):
        while index < len(tokens) and tokens[index].start < marker.start():
            index += 1
        points.add(index)
    return points


_SENTENCE_END = ".!?;"
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["


def starts_sentence(text: str, pos: int) -> bool:
    """Whether the word at ``pos`` is the first of a sentence (or of a line)."""
    i = pos - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    while i >= 0 and text[i] in _CLOSERS:
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in _SENTENCE_END or text[i] == ":"


def ends_sentence(text: str, pos: int) -> bool:
    """Whether the word ending at ``pos`` is the last of a sentence (or of a line)."""
    i = pos
    while i < len(text) and text[i] in _CLOSERS:
        i += 1
    return i >= len(text) or text[i] in _SENTENCE_END or text[i] == "\n"
