"""The archive: documents with speaker and date in SQLite, with their shingle index.

An ingest runs in one transaction: it is idempotent (same id and content:
nothing changes; changed content: the old version is replaced) and, if it is
interrupted or meets a bad record, rolls back and leaves the archive as it was.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .documents import FIELDS
from .errors import ArchiveError
from .index import shingle_hashes, winnow
from .normalize import words
from .options import DEFAULT_OPTIONS

APPLICATION_ID = 0x51545243  # "QTRC"
SCHEMA_VERSION = 1
_SQLITE_HEADER = b"SQLite format 3\x00"
_SCHEMA = """
CREATE TABLE documents (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    speaker TEXT, date TEXT, title TEXT, url TEXT,
    text TEXT NOT NULL,
    words INTEGER NOT NULL,
    digest TEXT NOT NULL,
    extra TEXT
);
CREATE TABLE postings (
    hash INTEGER NOT NULL, doc INTEGER NOT NULL, pos INTEGER NOT NULL,
    PRIMARY KEY (hash, doc, pos)
) WITHOUT ROWID;
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Document:
    """One archive document."""

    rowid: int
    id: str
    speaker: str | None
    date: str | None
    title: str | None
    url: str | None
    text: str


@dataclass
class IngestStats:
    """What an ingest did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    words: int = 0


@dataclass(frozen=True)
class ArchiveInfo:
    """What is inside an archive."""

    path: str
    documents: int
    words: int
    speakers: int
    first_date: str | None
    last_date: str | None
    top_speakers: list[tuple[str, int]]
    size_bytes: int


class Archive:
    """An open archive. Use ``Archive.open`` and close it (or use ``with``)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        settings = dict(connection.execute("SELECT key, value FROM settings"))
        self.shingle_words = int(settings["shingle_words"])
        self.window = int(settings["window"])

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False) -> Archive:
        """Open the archive at ``path``; with ``create``, make it if there is none."""
        path = Path(path)
        if path.is_dir():
            raise ArchiveError(f"{path} is a folder, not an archive.", "Give a file name such as speeches.db.")
        if not path.exists() or path.stat().st_size == 0:
            if not create:
                raise ArchiveError(f"there is no archive at {path}.", f"Create one with: quotetrace archive add FILES --archive {path}")
            return cls._create(path)
        with open(path, "rb") as f:
            if f.read(16) != _SQLITE_HEADER:
                raise ArchiveError(f"{path} is not a quotetrace archive (not an SQLite database).", "Give the path of an archive made by `quotetrace archive add`, or a new file name.")
        db = _connect(path)
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            db.close()
            raise ArchiveError(f"{path} is damaged ({exc}).", "Restore it from a copy or build it again with `quotetrace archive add`.") from exc
        if app_id != APPLICATION_ID:
            db.close()
            raise ArchiveError(f"{path} is an SQLite database but not a quotetrace archive.", "Give the path of an archive made by `quotetrace archive add`, or a new file name.")
        if version > SCHEMA_VERSION:
            db.close()
            raise ArchiveError(f"{path} was made by a newer quotetrace (schema {version}).", "Upgrade quotetrace: pip install -U quotetrace")
        return cls(path, db)

    @classmethod
    def _create(cls, path: Path) -> Archive:
        try:
            db = _connect(path)
            with db:
                db.executescript(_SCHEMA)
                db.executemany("INSERT INTO settings VALUES (?, ?)", [("shingle_words", str(DEFAULT_OPTIONS.shingle_words)), ("window", str(DEFAULT_OPTIONS.window))])
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot create an archive at {path} ({exc}).", "Check that the folder exists and is writable.") from exc
        return cls(path, db)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- ingest ---------------------------------------------------------------

    def add(self, records: Iterable[dict], progress: Callable[[int], None] | None = None) -> IngestStats:
        """Add or replace documents, all or nothing; ``progress`` gets each document's word count."""
        stats = IngestStats()
        db = self._db
        db.execute("PRAGMA cache_size = -262144")
        try:
            db.execute("BEGIN IMMEDIATE")
            for record in records:
                self._add_one(record, stats)
                if progress:
                    progress(stats.words)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return stats

    def _add_one(self, record: dict, stats: IngestStats) -> None:
        extra = {k: v for k, v in record.items() if k not in FIELDS}
        digest = hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()
        old = self._db.execute("SELECT rowid, digest, text FROM documents WHERE id = ?", (record["id"],)).fetchone()
        doc_words = words(record["text"])
        stats.words += len(doc_words)
        if old is not None:
            if old[1] == digest:
                stats.unchanged += 1
                return
            self._db.executemany("DELETE FROM postings WHERE hash = ? AND doc = ? AND pos = ?", self._postings(old[0], words(old[2])))
            self._db.execute("DELETE FROM documents WHERE rowid = ?", (old[0],))
            stats.replaced += 1
        else:
            stats.added += 1
        cursor = self._db.execute(
            "INSERT INTO documents (id, speaker, date, title, url, text, words, digest, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record["id"], record.get("speaker"), record.get("date"), record.get("title"), record.get("url"),
             record["text"], len(doc_words), digest, json.dumps(extra, default=str) if extra else None),
        )
        self._db.executemany("INSERT OR IGNORE INTO postings VALUES (?, ?, ?)", self._postings(cursor.lastrowid, doc_words))

    def _postings(self, rowid: int, doc_words: list[str]) -> Iterable[tuple[int, int, int]]:
        hashes = shingle_hashes(doc_words, self.shingle_words)
        positions = winnow(hashes, self.window)
        return zip(hashes[positions].tolist(), [rowid] * len(positions), positions.tolist())

    def reindex(self, progress: Callable[[int], None] | None = None) -> int:
        """Rebuild the shingle index from the stored texts; returns the number of postings."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM postings")
            done = 0
            for rowid, text in self._db.execute("SELECT rowid, text FROM documents").fetchall():
                doc_words = words(text)
                self._db.executemany("INSERT OR IGNORE INTO postings VALUES (?, ?, ?)", self._postings(rowid, doc_words))
                done += len(doc_words)
                if progress:
                    progress(done)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return self._db.execute("SELECT count(*) FROM postings").fetchone()[0]

    # -- reading --------------------------------------------------------------

    def postings(self, shingle: int, limit: int) -> list[tuple[int, int]]:
        """``(document rowid, word position)`` of up to ``limit`` occurrences of a shingle hash."""
        return self._db.execute("SELECT doc, pos FROM postings WHERE hash = ? LIMIT ?", (shingle, limit)).fetchall()

    def document(self, rowid: int) -> Document:
        row = self._db.execute("SELECT rowid, id, speaker, date, title, url, text FROM documents WHERE rowid = ?", (rowid,)).fetchone()
        if row is None:
            raise KeyError(rowid)
        return Document(*row)

    def info(self) -> ArchiveInfo:
        db = self._db
        documents, total_words, first, last = db.execute("SELECT count(*), coalesce(sum(words), 0), min(date), max(date) FROM documents").fetchone()
        speakers = db.execute("SELECT count(DISTINCT speaker) FROM documents").fetchone()[0]
        top = db.execute("SELECT speaker, count(*) FROM documents WHERE speaker IS NOT NULL GROUP BY speaker ORDER BY count(*) DESC, speaker LIMIT 5").fetchall()
        return ArchiveInfo(str(self.path), documents, total_words, speakers, first, last, [tuple(t) for t in top], self.path.stat().st_size)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = NORMAL")
    return db
