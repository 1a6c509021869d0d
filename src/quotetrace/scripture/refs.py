"""Scripture references: finding them in running text and parsing them.

Bible: a book name in any common form, then chapter, verses, ranges and lists
(``John 3:16``, ``Jn 3:16-18``, ``1 Cor. 13:4–7``, ``II Kings 2:11``,
``Rom 8:28, 31``, ``Ps 23``). Qur'an: ``Quran 2:255``, ``(Qur’an, 3:103]``,
``Q 5:32``, ``Surah Al-Baqarah, verse 255``, ``Sura 2, ayah 255``,
``Al-Baqarah 2:255``, and a bare ``(5:32)`` where the text around it already
cites the Qur'an. A reference that names a verse that does not exist
(``John 99:1``, ``Quran 115:1``) is kept, with the reason in ``error``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ScriptureError
from ..normalize import ascii_digits
from ..stretches import around
from .books import BIBLE, QURAN, QURAN_BOOK, Book, find_bible_book, find_surah, surah_numbers

_NUM = r"\d{1,3}"
_DASH = r"\s*[-‐‑‒–—]\s*"
_SEP = r"\s*[:.]\s*"
_ITEM = rf"(?:{_NUM}{_SEP})?{_NUM}(?:{_DASH}(?:{_NUM}{_SEP})?{_NUM})?"
#: chapter[:verse[-verse]] then more verses or chapter:verses after commas or semicolons
_NOT_A_BOOK = r"(?!\s*(?-i:[A-Z]))"  # "Jn 3:16; 1 Cor 13:4": the "1" belongs to the next reference
_BODY = (rf"{_NUM}(?:{_SEP}{_NUM}(?:{_DASH}(?:{_NUM}{_SEP})?{_NUM})?|{_DASH}{_NUM})?"
         rf"(?:\s*[,;]\s*{_ITEM}(?![\d:]){_NOT_A_BOOK})*(?![\d]|{_SEP}\d)")
_QBODY = rf"{_NUM}{_SEP}{_NUM}(?:{_DASH}{_NUM})?(?:\s*,\s*{_NUM}(?:{_DASH}{_NUM})?(?![\d:]){_NOT_A_BOOK})*(?!\d)"
_QURAN_NAME = r"(?:(?:the\s+)?(?:holy\s+)?(?:al-?\s?)?(?:qur['’ʼ`]?[aā]n|kor[aā]n|coran))"
_SURAH_WORD = r"(?:s[uū]r[aā]h?t?|soorah)"
_VERSE_WORD = r"(?:verses?|[aā]y[aā]h?s?|[aā]y[aā]t|aya|vv?\.)"
_SURAH_NAME = r"(?:(?:[Aa][lnrstdz]h?|Aal|Ash|Adh)[-\s]+)?[A-Z][\w'’ʼʾʿ]*(?:-[\w'’ʼʾʿ]+)*(?:\s+[A-Z][\w'’ʼʾʿ]*(?:-[\w'’ʼʾʿ]+)*){0,2}"
_QURAN_CONTEXT = re.compile(rf"{_QURAN_NAME}|\b{_SURAH_WORD}\b|\b[aā]y[aā]h\b", re.IGNORECASE)
_NUMBER = re.compile(r"(?<!\d)\d{1,3}(?![\d%])")  # chapters and verses: not years, not percentages
_BEFORE_NUMBER = 60  # room for "Surah Al-Baqarah, verse " or "Acts of the Apostles " before the first number
_AFTER_NUMBER = 60  # and for the verses, ranges and lists after it
_BODY_RE = re.compile(_BODY)
_WORD = re.compile(r"[^\W_]+\.?")  # a word of a book name: "Song", "1", "Cor.", "II"
_MAX_BOOK_WORDS = 5
_CONTEXT_CHARS = 600  # a bare "(5:32)" reads as the Qur'an when it is cited this close before


@dataclass(frozen=True)
class Range:
    """Verses ``chapter:verse_start`` to ``chapter_end:verse_end``."""

    chapter: int
    verse_start: int
    chapter_end: int
    verse_end: int


@dataclass(frozen=True)
class Reference:
    """A scripture reference: which verses it names, and whether they exist."""

    canon: str  # "bible" or "quran"
    book: int  # Bible book number, or QURAN_BOOK
    book_name: str  # "John", "Quran"
    ranges: tuple[Range, ...]
    text: str  # as written
    error: str | None = None  # why no such verse exists
    surah: str | None = None  # the surah's name, for the Qur'an

    @property
    def label(self) -> str:
        """``John 3:16–18``, ``Romans 8:28, 31; 9:1``, ``Psalms 23``, ``Quran 2:255``."""
        text, chapter = "", None
        for r in self.ranges:
            if r.chapter == r.chapter_end == chapter:
                piece = ", " + (f"{r.verse_start}" if r.verse_start == r.verse_end else f"{r.verse_start}–{r.verse_end}")
            else:
                whole = r.chapter == r.chapter_end and r.verse_start == 1 and r.verse_end == verse_count(self.canon, self.book, r.chapter)
                if whole:
                    piece = f"{r.chapter}"
                elif r.chapter == r.chapter_end:
                    piece = f"{r.chapter}:{r.verse_start}" + ("" if r.verse_start == r.verse_end else f"–{r.verse_end}")
                else:
                    piece = f"{r.chapter}:{r.verse_start}–{r.chapter_end}:{r.verse_end}"
                piece = ("; " if text else "") + piece
            text += piece
            chapter = r.chapter_end
        return f"{self.book_name} {text}"

    @property
    def verses(self) -> list[tuple[int, int]]:
        """Every ``(chapter, verse)`` named, in order (verse counts bound the ranges that cross chapters)."""
        out = []
        for r in self.ranges:
            for chapter in range(r.chapter, r.chapter_end + 1):
                first = r.verse_start if chapter == r.chapter else 1
                last = r.verse_end if chapter == r.chapter_end else verse_count(self.canon, self.book, chapter) or first
                out.extend((chapter, v) for v in range(first, last + 1))
        return out

    def to_dicts(self) -> list[dict]:
        """The JSON contract: one entry per range."""
        return [{"ref": Reference(self.canon, self.book, self.book_name, (r,), self.text).label, "book": self.book_name,
                 "chapter": r.chapter, "verse_start": r.verse_start, "chapter_end": r.chapter_end,
                 "verse_end": r.verse_end, "error": self.error} for r in self.ranges]


@dataclass(frozen=True)
class Found:
    """A reference and where it stands in the text."""

    start: int
    end: int
    reference: Reference


def verse_count(canon: str, book: int, chapter: int) -> int | None:
    """Verses in a chapter (a surah), or None if there is no such chapter."""
    if canon == QURAN:
        surah = surah_numbers().get(chapter)
        return surah.verses if surah else None
    import pythonbible  # slow to import (it compiles its patterns): only when a Bible reference is checked

    try:
        return pythonbible.get_number_of_verses(pythonbible.Book(book), chapter)
    except (pythonbible.InvalidChapterError, ValueError, KeyError):
        return None


def chapter_count(canon: str, book: int) -> int:
    if canon == QURAN:
        return 114
    import pythonbible

    return pythonbible.get_number_of_chapters(pythonbible.Book(book))


def parse_reference(text: str) -> Reference:
    """One reference given on its own (``John 3:16``, ``Quran 2:255``, ``2:255`` for the Qur'an)."""
    cleaned = ascii_digits(text.strip())
    if re.fullmatch(rf"\(?{_QBODY}\)?", cleaned):
        cleaned = f"Quran {cleaned.strip('()')}"
    found = find_references(cleaned)
    if len(found) == 1 and not cleaned[:found[0].start].strip(" ([") and not cleaned[found[0].end:].strip(" )].,;"):
        return found[0].reference
    named = re.match(r"\s*((?:[123]\s*)?[^\W\d][\w'’ .-]*?)\s*\d", cleaned)
    if named and not found:
        raise ScriptureError(f"unknown book or surah {named.group(1)!r} in {text!r}.",
                             "Use a Bible book (John, 1 Cor, Ps) or the Qur'an (Quran 2:255, Surah Al-Baqarah 255).")
    raise ScriptureError(f"cannot read {text!r} as a scripture reference.",
                         "Write a book or surah and chapter:verse, e.g. \"John 3:16\", \"1 Cor 13:4-7\", \"Quran 2:255\".")


def find_references(text: str) -> list[Found]:
    """Every scripture reference in running text, in order.

    Every reference but a bare surah name holds a number, so the patterns
    (the Bible's is a long alternation of book names) only search the few
    stretches of text around numbers: scanning a whole article with them
    would cost more than all the rest of extraction.
    """
    text = ascii_digits(text)  # one character for one: offsets stay valid
    numbers = list(_NUMBER.finditer(text))
    windows = around(numbers, _BEFORE_NUMBER, _AFTER_NUMBER, len(text))
    found: list[Found] = _bible_references(text, numbers)
    for pattern, make in _patterns():
        stretches = [(0, len(text))] if pattern is _SURAH_RE else windows
        for lo, hi in stretches:
            for m in pattern.finditer(text, lo, hi):
                ref = make(m, text)
                if ref is not None:
                    found.append(Found(m.start(), m.end(), ref))
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return kept


def _patterns():
    return [(_QURAN_RE, _quran), (_SURAH_RE, _surah), (_NAMED_RE, _named_surah), (_BARE_RE, _bare)]


_QURAN_RE = re.compile(
    rf"(?<![\w])(?:{_QURAN_NAME}|Q\.?(?=\s*\d))[\s,.:]*(?:[(\[]\s*)?(?:{_SURAH_WORD}\s+(?P<name>{_SURAH_NAME})[\s,]*)?"
    rf"(?:[(\[]\s*)?(?P<body>{_QBODY})", re.IGNORECASE)
_SURAH_RE = re.compile(
    rf"(?<![\w])(?i:{_SURAH_WORD})\s+(?P<name>{_NUM}|{_SURAH_NAME})"
    rf"(?:[\s,]*(?:[(\[]\s*)?(?P<body>{_QBODY})|[\s,]+(?:(?i:{_VERSE_WORD})\s*)?(?P<verse>{_NUM}(?:{_DASH}{_NUM})?)(?![\d:]))?")
_ARTICLE_NAME = r"(?:[Aa][lnrstdz]h?|Aal|Ash|Adh)[-\s][A-Z][\w'’ʼʾʿ]*"
_NAMED_RE = re.compile(rf"(?<![\w])(?P<name>{_ARTICLE_NAME}|[A-Z][\w'’ʼʾʿ]*(?:-[A-Z][\w'’ʼʾʿ]*)?)\s*,?\s*(?P<body>{_QBODY})")
_BARE_RE = re.compile(rf"[(\[]\s*(?P<body>{_QBODY})\s*[)\]]")


def _bible_references(text: str, numbers: list[re.Match]) -> list[Found]:
    """Bible references: a chapter (and verses) right after the name of a book, looked up in the book table.

    The words just before each number are tried, longest first ("Song of
    Songs 2:1", "1 Cor. 13:4", "II Kings 2:11"); a book must be written
    with a capital ("am 5:30" is a time).
    """
    found = []
    for number in numbers:
        body = _BODY_RE.match(text, number.start())
        if not body:
            continue
        words, end = [], number.start()  # the words right before the number, nearest first, spaces between
        for word in reversed(list(_WORD.finditer(text, max(0, number.start() - _BEFORE_NUMBER), number.start()))):
            cut = word.start() > 0 and text[word.start() - 1].isalnum()  # the window began inside this word
            if text[word.end():end].strip() or cut or len(words) == _MAX_BOOK_WORDS:
                break
            words.append(word)
            end = word.start()
        for first in reversed(words):
            name = text[first.start():number.start()]
            book = find_bible_book(name)
            if book and (name[0].isupper() or name[0].isdigit()):
                ref = _reference(BIBLE, book.number, book.name, body.group(), text[first.start():body.end()])
                found.append(Found(first.start(), body.end(), ref))
                break
    return found


def _quran(m: re.Match, text: str) -> Reference | None:
    ref = _reference(QURAN, QURAN_BOOK, "Quran", m.group("body"), m.group())
    return _with_surah(ref, m.group("name"))


def _surah(m: re.Match, text: str) -> Reference | None:
    surah = _surah_named(m.group("name"))
    if surah is None:
        return None
    if m.group("body"):
        return _with_surah(_reference(QURAN, QURAN_BOOK, "Quran", m.group("body"), m.group()), m.group("name"))
    verses = m.group("verse")
    body = f"{surah.number}:{verses}" if verses else f"{surah.number}"
    return _reference(QURAN, QURAN_BOOK, "Quran", body, m.group(), surah.name)


def _named_surah(m: re.Match, text: str) -> Reference | None:
    """``Al-Baqarah 2:255``; a name without the article (``Yunus 10:86``) only when it agrees with the number."""
    surah = _surah_named(m.group("name"))
    if surah is None:
        return None
    ref = _with_surah(_reference(QURAN, QURAN_BOOK, "Quran", m.group("body"), m.group()), m.group("name"))
    if not re.match(_ARTICLE_NAME, m.group("name")) and ref.ranges[0].chapter != surah.number:
        return None
    return ref


def _bare(m: re.Match, text: str) -> Reference | None:
    """A bare ``(5:32)``: the Qur'an only if the text just before cites it."""
    if not _QURAN_CONTEXT.search(text, max(0, m.start() - _CONTEXT_CHARS), m.start()):
        return None
    return _reference(QURAN, QURAN_BOOK, "Quran", m.group("body"), m.group())


def _surah_named(name: str) -> Book | None:
    """The surah a captured name means, trying fewer trailing words ("An-Nisa Verse" → "An-Nisa")."""
    words = name.split()
    for n in range(len(words), 0, -1):
        surah = find_surah(" ".join(words[:n]))
        if surah:
            return surah
    return None


def _with_surah(ref: Reference, name: str | None) -> Reference:
    """Note the surah's name; a name that contradicts the number makes the reference invalid."""
    if not ref.ranges:
        return ref
    surah = surah_numbers().get(ref.ranges[0].chapter)
    if name:
        named = _surah_named(name)
        if named and surah and named.number != surah.number and not ref.error:
            return Reference(ref.canon, ref.book, ref.book_name, ref.ranges, ref.text,
                             f"surah {named.name} is number {named.number}, not {surah.number}", named.name)
    return Reference(ref.canon, ref.book, ref.book_name, ref.ranges, ref.text, ref.error, surah.name if surah else None)


def _reference(canon: str, book: int, book_name: str, body: str, written: str, surah: str | None = None) -> Reference:
    ranges = _ranges(body)
    if ranges and ranges[0].verse_start == 0:
        r = ranges[0]
        if canon == BIBLE and chapter_count(canon, book) == 1:  # "Jude 3": a one-chapter book counts verses
            ranges = [Range(1, r.chapter, 1, r.chapter_end)]
        else:  # whole chapters ("Ps 23")
            ranges = [Range(r.chapter, 1, r.chapter_end, verse_count(canon, book, r.chapter_end) or 1)]
    error = None
    for r in ranges:
        error = error or _invalid(canon, book, book_name, r)
    return Reference(canon, book, book_name, tuple(ranges), written.strip(), error, surah)


def _ranges(body: str) -> list[Range]:
    """Ranges of a reference body: ``3:16-18, 20; 4:1``; a lone chapter gives verse 0 (the whole chapter)."""
    ranges: list[Range] = []
    chapter: int | None = None
    for item in re.split(r"\s*[,;]\s*", body.strip()):
        ends = re.split(_DASH, item)
        points = []
        for end in ends:
            numbers = [int(n) for n in re.split(_SEP, end)]
            points.append(numbers)
        first = points[0]
        if len(first) == 2:
            chapter, verse = first
        elif chapter is None:  # whole chapters: "Ps 23", "Ps 23-24"
            ranges.append(Range(first[0], 0, points[-1][0], 0))
            continue
        else:
            verse = first[0]
        last = points[-1]
        end_chapter, end_verse = (last if len(last) == 2 else (chapter, last[0]))
        ranges.append(Range(chapter, verse, end_chapter, end_verse))
    return ranges


def _invalid(canon: str, book: int, book_name: str, r: Range) -> str | None:
    chapters = chapter_count(canon, book)
    what = "the Qur'an has 114 surahs" if canon == QURAN else f"{book_name} has {chapters} chapters"
    for chapter, verse in ((r.chapter, r.verse_start), (r.chapter_end, r.verse_end)):
        if not 1 <= chapter <= chapters:
            return f"no {'surah' if canon == QURAN else 'chapter'} {chapter}: {what}"
        count = verse_count(canon, book, chapter) or 0
        if verse > count:
            place = f"surah {chapter}" if canon == QURAN else f"{book_name} {chapter}"
            return f"no verse {verse}: {place} has {count} verses"
    if (r.chapter_end, r.verse_end) < (r.chapter, r.verse_start):
        return f"the range {r.chapter}:{r.verse_start}–{r.chapter_end}:{r.verse_end} runs backwards"
    return None
