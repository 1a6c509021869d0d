"""Words of a text, normalised for matching, with an offset map back to the original.

Matching compares normalised text: Unicode NFKC, case-folded, one apostrophe,
ASCII quote marks and dashes, Persian and Arabic digits as ASCII digits. Every
word keeps its character span in the *original* text, so a verdict can still
tell `verbatim` from `case_changed` and a span points at what a reader sees.

A word is a run of word characters (letters, digits, combining marks, "_")
with apostrophes allowed between them ("nation's"). Word boundaries are found
with NumPy over code points, so indexing a gigabyte stays fast; indexing and
querying use exactly these functions, so they always agree on word numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np

#: an elision marker inside a quote: "...", ". . .", "…", "[...]", "[…]"
ELISION_RE = re.compile(r"\[\s*(?:…|(?:\.\s*){3,})\s*\]|…|(?:\.\s*){2,}\.")

#: Arabic-Indic and Persian digits, as ASCII digits
FOREIGN_DIGITS = {chr(0x0660 + d): str(d) for d in range(10)} | {chr(0x06F0 + d): str(d) for d in range(10)}
_FOREIGN_DIGIT = re.compile("[" + "".join(FOREIGN_DIGITS) + "]")
_ASCII_DIGITS = str.maketrans(FOREIGN_DIGITS)


def ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits as ASCII digits, one character for one (offsets stay valid); a text without
    any is returned as it is, found fast."""
    return text.translate(_ASCII_DIGITS) if _FOREIGN_DIGIT.search(text) else text


_ONE_TO_ONE = (
    {c: "'" for c in "’‘ʼ`´ʹ′"}
    | {c: '"' for c in "“”„‟«»‹›「」『』″"}
    | {c: "-" for c in "‐‑‒–—―−"}
    | FOREIGN_DIGITS
)


def _typography(text: str) -> str:
    """Quote marks, apostrophes, dashes and digits in their one plain form (one character for one).

    One ``str.replace`` per character that occurs: each is a fast scan, far
    faster than ``str.translate`` or a regex over every character.
    """
    if text.isascii():
        return text.replace("`", "'")
    for char, plain in _ONE_TO_ONE.items():
        if char in text:
            text = text.replace(char, plain)
    return text


_NON_ASCII_RUN = re.compile(r"[A-Za-z]?[^\x00-\x7f]+")  # with the letter a combining mark may follow
_APOSTROPHE = ord("'")


class Normalized(NamedTuple):
    """Normalised text, and for each of its characters the offset of the original character it came from.

    ``offsets`` is None when the two texts are aligned character for character.
    """

    text: str
    offsets: np.ndarray | None


class Token(NamedTuple):
    """One word: its normalised form and its span in the original text."""

    norm: str
    start: int
    end: int


def normalize(text: str) -> Normalized:
    """The normalised text with its offset map (None when every character maps to one character)."""
    if text.isascii():
        return Normalized(_typography(text.lower()), None)
    translated = _typography(text)  # one for one: typography alone needs no offset map
    if translated.isascii():
        return Normalized(translated.lower(), None)
    if unicodedata.is_normalized("NFKC", translated):
        folded = translated.casefold()
        if len(folded) == len(translated):  # a per-character mapping: equal length means one char for one
            return Normalized(folded, None)
    pieces: list[str] = []
    offsets: list[np.ndarray] | None = None
    done = 0
    for run in _NON_ASCII_RUN.finditer(text):
        pieces.append(text[done:run.start()].lower())
        norm, run_offsets = _normalize_run(_typography(run.group()))
        if run_offsets is not None and offsets is None:
            offsets = [np.arange(run.start(), dtype=np.int64)]
        elif offsets is not None:
            offsets.append(np.arange(done, run.start(), dtype=np.int64))
        if offsets is not None:
            offsets.append(run.start() + (run_offsets if run_offsets is not None else np.arange(len(norm))))
        pieces.append(norm)
        done = run.end()
    pieces.append(text[done:].lower())
    if offsets is not None:
        offsets.append(np.arange(done, len(text), dtype=np.int64))
    return Normalized("".join(pieces), np.concatenate(offsets) if offsets is not None else None)


def _normalize_run(run: str) -> tuple[str, np.ndarray | None]:
    """One run of non-ASCII characters; offsets are None when it keeps its length char for char."""
    if run.isascii():
        return run, None
    if unicodedata.is_normalized("NFKC", run):
        folded = run.casefold()  # a per-character mapping: equal length means one char for one
        if len(folded) == len(run):
            return folded, None
    pieces, offsets = [], []
    i = 0
    while i < len(run):  # a base character with its combining marks normalises as one cluster
        j = i + 1
        while j < len(run) and unicodedata.combining(run[j]):
            j += 1
        norm = _typography(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", run[i:j]).casefold()))
        pieces.append(norm)
        offsets.extend([i] * len(norm))
        i = j
    return "".join(pieces), np.array(offsets, dtype=np.int64)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_" or unicodedata.category(c)[0] == "M"


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    """Whether each Basic Multilingual Plane code point is a word character."""
    return np.fromiter(map(_is_word_char, map(chr, range(0x10000))), dtype=bool, count=0x10000)


_LATIN1_WORD = np.array([_is_word_char(chr(c)) for c in range(256)], dtype=bool)


def _is_word(code_points: np.ndarray) -> np.ndarray:
    if code_points.dtype == np.uint8:
        is_word = _LATIN1_WORD[code_points]
    else:
        table = _word_table()
        is_word = table[np.minimum(code_points, 0xFFFF)]
        astral = np.flatnonzero(code_points > 0xFFFF)
        for i in astral:
            is_word[i] = _is_word_char(chr(code_points[i]))
    inner = np.flatnonzero(code_points[1:-1] == _APOSTROPHE) + 1  # "nation's": an apostrophe between word characters
    if len(inner):
        is_word[inner] = is_word[inner - 1] & is_word[inner + 1]
    return is_word


def code_points_of(norm: str) -> np.ndarray:
    try:
        return np.frombuffer(norm.encode("latin-1"), dtype=np.uint8)
    except UnicodeEncodeError:
        pass
    return np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)


def word_bounds(norm: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The code points of normalised text and the start and end offsets of its words."""
    code_points = code_points_of(norm)
    if len(code_points) == 0:
        empty = np.empty(0, dtype=np.int64)
        return code_points, empty, empty
    edges = np.diff(_is_word(code_points).view(np.int8), prepend=np.int8(0), append=np.int8(0))
    return code_points, np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def word_spans(norm: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The words of normalised text with their start and end offsets in it."""
    _, starts, ends = word_bounds(norm)
    return [norm[s:e] for s, e in zip(starts.tolist(), ends.tolist())], starts, ends


def index_words(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What indexing needs of a document, without a string per word: the code points of its
    normalised text, its words' start and end offsets there, and the original offset where each starts."""
    normalized = normalize(text)
    code_points, starts, ends = word_bounds(normalized.text)
    originals = normalized.offsets[starts] if normalized.offsets is not None and len(starts) else starts
    return code_points, starts, ends, originals


class Tokens(Sequence[Token]):
    """The words of a text as three parallel lists; a ``Token`` is made only when one is asked for.

    Tracing reads thousands of passage words per quote and compares most of
    them only by their normalised form: building an object per word cost more
    than the alignment.
    """

    __slots__ = ("norms", "starts", "ends")

    def __init__(self, norms: list[str], starts: list[int], ends: list[int]) -> None:
        self.norms, self.starts, self.ends = norms, starts, ends

    def __len__(self) -> int:
        return len(self.norms)

    def __getitem__(self, i):  # an int gives a Token, a slice a list of them
        if isinstance(i, slice):
            return list(map(Token, self.norms[i], self.starts[i], self.ends[i]))
        return Token(self.norms[i], self.starts[i], self.ends[i])

    def __iter__(self) -> Iterator[Token]:
        return map(Token, self.norms, self.starts, self.ends)


def tokenize(text: str) -> Tokens:
    """All words of ``text`` with their spans in ``text``."""
    normalized = normalize(text)
    found, starts, ends = word_spans(normalized.text)
    if normalized.offsets is None:
        return Tokens(found, starts.tolist(), ends.tolist())
    offsets = normalized.offsets
    return Tokens(found, offsets[starts].tolist(), (offsets[ends - 1] + 1).tolist())


def words(text: str) -> list[str]:
    """The normalised words of ``text`` alone."""
    return word_spans(normalize(text).text)[0]


def elision_points(text: str, tokens: Sequence[Token]) -> set[int]:
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


_SENTENCE_END = ".!?"  # not ";": "…not the solution to our problem; government is the problem" is one sentence
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["


_WRAPPED_LINE = 40  # a line at least this long that stops inside a sentence was wrapped (hard-wrapped text)


def starts_sentence(text: str, pos: int) -> bool:
    """Whether the word at ``pos`` is the first of a sentence (or of a line that a sentence does not run over)."""
    i = pos - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    while i >= 0 and text[i] in _CLOSERS:
        i -= 1
    return i < 0 or (text[i] == "\n" and not wraps(text, i)) or text[i] in _SENTENCE_END or text[i] == ":"


def ends_sentence(text: str, pos: int) -> bool:
    """Whether the word ending at ``pos`` is the last of a sentence (or of a line that a sentence does not run over)."""
    i = pos
    while i < len(text) and text[i] in _CLOSERS:
        i += 1
    return i >= len(text) or text[i] in _SENTENCE_END or (text[i] == "\n" and not wraps(text, i))


def wraps(text: str, newline: int) -> bool:
    """Whether the line break at ``newline`` only wraps a sentence, as in hard-wrapped text: the next line goes on in
    lower case, or a long line stops on a lower-case word or a comma and the next line has text."""
    after = newline + 1
    while after < len(text) and text[after] in " \t":
        after += 1
    if after >= len(text) or text[after] == "\n":
        return False
    if text[after].islower():
        return True
    before = newline - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    line_start = text.rfind("\n", 0, max(before, 0)) + 1
    return before >= 0 and (text[before].islower() or text[before] in ",-") and before - line_start >= _WRAPPED_LINE
