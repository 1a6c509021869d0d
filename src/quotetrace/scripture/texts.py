"""Verse texts: translation packs, loaded into one library.

Packs come from three places: the KJV, WEB and ASV Bibles of the
``pythonbible`` packages (built in), Qur'an translations in Tanzil's XML
(``<sura index><aya index text>``), and CSV files with the columns
``book,chapter,verse,text`` (the World English Bible CSV of
``bible-en/web.csv.gz``, or a pack of your own: ``book`` is a Bible book's name
or number, or ``Quran``). A pack is named after its file (``en.sahih``) and a
pack loaded later replaces a built-in one of the same name.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ScriptureError
from .books import BIBLE, QURAN, QURAN_BOOK, find_bible_book, surah_numbers

VerseKey = tuple[int, int, int]  # (book, chapter, verse); book is QURAN_BOOK for the Qur'an

#: the Bibles of the pythonbible packages, by pythonbible's version names (it is imported when they are loaded: its
#: import alone takes a few hundred milliseconds)
_BUILT_IN = {"kjv": "KING_JAMES", "web": "WORLD_ENGLISH", "asv": "AMERICAN_STANDARD"}
_FOOTNOTE = re.compile(r"\{[^}]*\}")  # the WEB CSV's inline notes
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # Tanzil's header comment holds "--", which XML forbids


@dataclass
class Translation:
    """One translation: its verses by key."""

    name: str
    canon: str
    title: str
    verses: dict[VerseKey, str] = field(default_factory=dict)
    source: str = ""


@dataclass
class Library:
    """Every loaded translation, and what went wrong loading them (problems that did not stop the load)."""

    translations: list[Translation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, translation: Translation) -> None:
        self.translations = [t for t in self.translations if t.name != translation.name] + [translation]

    def of(self, canon: str) -> list[Translation]:
        return [t for t in self.translations if t.canon == canon]


def load_library(paths: list[Path] = (), built_in: bool = True) -> Library:
    """The built-in Bibles plus every pack in ``paths`` (files, or folders of .xml and .csv files)."""
    library = Library()
    if built_in:
        for name, version in _BUILT_IN.items():
            library.add(_pythonbible(name, version))
    for path in paths:
        for file in _pack_files(Path(path)):
            translation = load_pack(file)
            library.warnings.extend(_gaps(translation))
            library.add(translation)
    return library


def load_pack(path: Path) -> Translation:
    """One pack file, by its format."""
    name = path.name.lower()
    if name.endswith(".xml"):
        return _tanzil(path)
    if name.endswith((".csv", ".csv.gz")):
        return _csv(path)
    raise ScriptureError(f"{path}: not a translation pack.", "Give Tanzil .xml files or .csv files with book,chapter,verse,text.")


def _pack_files(path: Path) -> list[Path]:
    if not path.exists():
        raise ScriptureError(f"{path}: no such file or folder.", "Check the --scripture path.")
    if path.is_file():
        return [path]
    files = sorted(p for p in path.iterdir() if p.name.lower().endswith((".xml", ".csv", ".csv.gz")))
    if not files:
        raise ScriptureError(f"{path} holds no translation packs.", "Put Tanzil .xml or .csv packs in it.")
    return files


def _pythonbible(name: str, version_name: str) -> Translation:
    """A Bible of the pythonbible packages; the KJV's [supplied words] lose their brackets."""
    import pythonbible

    version = pythonbible.Version[version_name]
    translation = Translation(name, BIBLE, f"{version.value} ({version.name.replace('_', ' ').title()})", source="pythonbible")
    for verse_id in pythonbible.verses.VERSE_IDS:
        book, chapter, verse = verse_id // 1_000_000, verse_id // 1000 % 1000, verse_id % 1000
        if book > 66:  # the Apocrypha: not in these versions
            continue
        try:
            text = pythonbible.get_verse_text(verse_id, version=version)
        except pythonbible.VersionMissingVerseError:
            continue
        if text:
            translation.verses[(book, chapter, verse)] = text.replace("[", "").replace("]", "")
    return translation


def _tanzil(path: Path) -> Translation:
    raw = _read(path)
    header = re.search(r"Name:\s*(.+)", raw)
    try:
        root = ET.fromstring(_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), raw))
    except ET.ParseError as exc:
        line = exc.position[0]
        raise ScriptureError(f"{path}, line {line}: not valid XML ({exc}).",
                             "Use the file as Tanzil publishes it (<quran><sura index><aya index text>).") from exc
    translation = Translation(_pack_name(path), QURAN, header.group(1).strip() if header else _pack_name(path), source=str(path))
    for sura in root.iter("sura"):
        for aya in sura.iter("aya"):
            try:
                key = (QURAN_BOOK, int(sura.get("index", "")), int(aya.get("index", "")))
            except ValueError:
                raise ScriptureError(f"{path}: a <sura> or <aya> without a numeric index.", "Each needs index=\"N\".") from None
            translation.verses[key] = aya.get("text", "")
    if not translation.verses:
        raise ScriptureError(f"{path}: no <aya> elements.", "Give a Tanzil translation file.")
    return translation


def _csv(path: Path) -> Translation:
    rows = csv.reader(io.StringIO(_read(path)))
    header = [h.strip().lower() for h in next(rows, [])]
    if {"book", "chapter", "verse", "text"} <= set(header):
        columns = [header.index(c) for c in ("book", "chapter", "verse", "text")]
    elif len(header) == 5:  # the bible-en layout: id,book,chapter,verse,text under a placeholder header
        columns = [1, 2, 3, 4]
    else:
        raise ScriptureError(f"{path}, line 1: no book, chapter, verse and text columns.",
                             "Start the file with a header line: book,chapter,verse,text")
    translation, canon = Translation(_pack_name(path), BIBLE, _pack_name(path), source=str(path)), None
    for line, row in enumerate(rows, 2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            book_cell, chapter, verse, text = (row[i] for i in columns)
            if columns[3] == len(header) - 1:  # text is the last column: a comma in it needs no quoting
                text = ",".join(row[columns[3]:])
            book, book_canon = _book(book_cell)
            key = (book, int(chapter), int(verse))
        except (IndexError, ValueError) as exc:
            raise ScriptureError(f"{path}, line {line}: cannot read this verse ({exc}).",
                                 "Each line needs a known book, a chapter and verse number, and the text.") from None
        if canon not in (None, book_canon):
            raise ScriptureError(f"{path}, line {line}: a pack holds one scripture, not Bible and Qur'an together.",
                                 "Split it into two files.")
        canon = book_canon
        translation.verses[key] = _FOOTNOTE.sub("", text).strip()
    translation.canon = canon or BIBLE
    return translation


def _book(cell: str) -> tuple[int, str]:
    cell = cell.strip()
    if re.fullmatch(r"(?i)qur['’]?an|koran", cell):
        return QURAN_BOOK, QURAN
    if cell.isdigit() and 1 <= int(cell) <= 66:
        return int(cell), BIBLE
    book = find_bible_book(cell)
    if book is None:
        raise ValueError(f"unknown book {cell!r}")
    return book.number, BIBLE


def _read(path: Path) -> str:
    try:
        data = gzip.decompress(path.read_bytes()) if path.name.lower().endswith(".gz") else path.read_bytes()
        return data.decode("utf-8-sig")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ScriptureError(f"{path}: cannot be read ({exc}).", "Check the file.") from exc
    except UnicodeDecodeError as exc:
        raise ScriptureError(f"{path}: not UTF-8 text (byte {exc.start}).", "Save the pack as UTF-8.") from exc


def _pack_name(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".csv", ".xml"):
        name = name.removesuffix(suffix)
    return name


def _gaps(translation: Translation) -> list[str]:
    """Verses a Qur'an pack lacks (a Bible pack may hold one testament, so only the Qur'an is counted)."""
    if translation.canon != QURAN:
        return []
    missing = [f"{s}:{v}" for s, surah in surah_numbers().items() for v in range(1, surah.verses + 1)
               if not translation.verses.get((QURAN_BOOK, s, v), "").strip()]
    if not missing:
        return []
    return [f"{translation.source}: {len(missing)} verses missing or empty (first: {missing[0]}); they cannot be checked."]
