"""The archive: documents with speaker and date in SQLite, with their shingle index.

An ingest runs in one transaction: it is idempotent (same id and content:
nothing changes; changed content: the old version is replaced) and, if it is
interrupted or meets a bad record, rolls back and leaves the archive as it was.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import re
import signal
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from .documents import FIELDS
from .errors import ArchiveError
from .index import CHECKPOINT_WORDS, MAX_SEGMENT_WORDS, Analysis, ShingleIndex, analyse
from .options import DEFAULT_OPTIONS

APPLICATION_ID = 0x51545243  # "QTRC"
SCHEMA_VERSION = 3
_SQLITE_HEADER = b"SQLite format 3\x00"
# the text comes last: SQLite reads a row's columns in order, so the metadata after a long text would cost a read of it
_SCHEMA = """
CREATE TABLE documents (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    speaker TEXT, date TEXT, title TEXT, url TEXT,
    words INTEGER NOT NULL,
    digest TEXT NOT NULL,
    extra TEXT,
    first_word INTEGER NOT NULL,
    checkpoints BLOB NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX documents_span ON documents (first_word, words);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_BATCH_CHARS = 4_000_000  # text handed to the worker processes at a time
_TERM = re.compile(r'"([^"]+)"|(\S+)')  # a search term: a "quoted phrase" or a word


@dataclass(frozen=True)
class Document:
    """One archive document's metadata, and where its words are."""

    rowid: int
    id: str
    speaker: str | None
    date: str | None
    title: str | None
    url: str | None
    words: int
    first_word: int  # global number of its first word in the index
    checkpoints: bytes  # uint32 character offsets of words 0, 16, 32, … (every CHECKPOINT_WORDS-th)


@dataclass(frozen=True)
class Passage:
    """A stretch of a document's text that starts at a word: what alignment reads instead of the whole text."""

    text: str
    char_start: int  # offset of ``text`` in the document
    word_start: int  # number (within the document) of the first word of ``text``


@dataclass(frozen=True)
class DocumentHit:
    """A document found by ``Archive.search``, with a snippet around the first searched word."""

    id: str
    speaker: str | None
    date: str | None
    title: str | None
    url: str | None
    words: int
    snippet: str


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
    index_segments: int
    index_postings: int
    index_bytes: int


class Archive:
    """An open archive: SQLite for documents, a shingle index folder beside it. Use ``Archive.open``."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        settings = dict(connection.execute("SELECT key, value FROM settings"))
        self.shingle_words = int(settings["shingle_words"])
        self.window = int(settings["window"])
        self.cap = int(settings.get("max_postings", DEFAULT_OPTIONS.max_postings))
        self.index = ShingleIndex(index_path(path))
        self._doc_map: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._index_checked = False

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
        if version < SCHEMA_VERSION:
            _migrate(db, version)
        return cls(path, db)

    @classmethod
    def _create(cls, path: Path) -> Archive:
        try:
            db = _connect(path)
            with db:
                db.executescript(_SCHEMA)
                db.executemany("INSERT INTO settings VALUES (?, ?)", [
                    ("shingle_words", str(DEFAULT_OPTIONS.shingle_words)), ("window", str(DEFAULT_OPTIONS.window)),
                    ("max_postings", str(DEFAULT_OPTIONS.max_postings)), ("next_word", "0"),
                ])
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot create an archive at {path} ({exc}).", "Check that the folder exists and is writable.") from exc
        index_path(path).mkdir(exist_ok=True)
        return cls(path, db)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- ingest ---------------------------------------------------------------

    def add(self, records: Iterable[dict], progress: Callable[[int], None] | None = None, workers: int = 1) -> IngestStats:
        """Add or replace documents, all or nothing; ``progress`` gets the running word count.

        The new documents' shingles become one new index segment. The segment
        is published before the transaction commits: if the process dies in
        between, the segment only names word numbers that no document has,
        and the next ingest starts after them.
        """
        return self.add_analysed(_analysed(records, self.shingle_words, self.window, workers), progress)

    def add_analysed(self, analysed: Iterable[tuple[dict, Analysis]], progress: Callable[[int], None] | None = None) -> IngestStats:
        """``add`` for records analysed elsewhere (by a Spark job) with this archive's ``shingle_words`` and ``window``."""
        stats = IngestStats()
        db = self._db
        db.execute("PRAGMA cache_size = -262144")
        db.execute("BEGIN IMMEDIATE")
        writer, published = None, False
        try:
            self.index = ShingleIndex(self.index.folder)  # another process may have added segments
            self.check_index()
            self.index.remove_orphans()
            before, old_id = self.index.manifest["segments"], self.index.id
            next_word = max(int(self._setting("next_word")), self.index.end)
            writer = self.index.writer(next_word, self.cap)
            for record, analysis in analysed:
                if self._add_one(record, analysis, next_word, stats):
                    writer.add(analysis, next_word)
                    next_word += analysis.words
                if progress:
                    progress(stats.words)
            if stats.added or stats.replaced:
                index_id = old_id or uuid.uuid4().hex
                db.execute("INSERT OR REPLACE INTO settings VALUES ('index_id', ?)", (index_id,))
                self.index.publish(before + [writer.finish()], next_word, index_id)
                published = True
                db.execute("UPDATE settings SET value = ? WHERE key = 'next_word'", (str(next_word),))
            else:
                writer.discard()
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            if published:
                self.index.publish(before, next_word, old_id)
            if writer:
                writer.discard()
            raise
        self._doc_map = None
        return stats

    def _add_one(self, record: dict, analysis: Analysis, first_word: int, stats: IngestStats) -> bool:
        """Store one record; False when it is already there unchanged."""
        extra = {k: v for k, v in record.items() if k not in FIELDS}
        digest = _digest(record)
        old = self._db.execute("SELECT rowid, digest FROM documents WHERE id = ?", (record["id"],)).fetchone()
        stats.words += analysis.words
        if old is not None:
            if old[1] == digest:
                stats.unchanged += 1
                return False
            self._db.execute("DELETE FROM documents WHERE rowid = ?", (old[0],))  # its index entries point nowhere now
            stats.replaced += 1
        else:
            stats.added += 1
        self._db.execute(
            "INSERT INTO documents (id, speaker, date, title, url, text, words, digest, extra, first_word, checkpoints)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record["id"], record.get("speaker"), record.get("date"), record.get("title"), record.get("url"),
             record["text"], analysis.words, digest, json.dumps(extra, default=str) if extra else None,
             first_word, analysis.checkpoints),
        )
        return True

    def reindex(self, progress: Callable[[int], None] | None = None, workers: int = 1) -> int:
        """Rebuild the index from the stored texts (dropping what replaced documents left); returns the postings."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        self.index = ShingleIndex(self.index.folder)
        self.index.folder.mkdir(exist_ok=True)
        self.index.remove_orphans()
        writers = []
        try:
            rows = db.execute("SELECT rowid, text FROM documents ORDER BY first_word, rowid")
            records = ({"rowid": rowid, "text": text} for rowid, text in rows)
            next_word, done = 0, 0
            for record, analysis in _analysed(records, self.shingle_words, self.window, workers):
                if not writers or next_word + analysis.words - writers[-1].base > MAX_SEGMENT_WORDS:
                    writers.append(self.index.writer(next_word, self.cap))
                writers[-1].add(analysis, next_word)
                db.execute("UPDATE documents SET first_word = ?, words = ?, checkpoints = ? WHERE rowid = ?",
                           (next_word, analysis.words, analysis.checkpoints, record["rowid"]))
                next_word += analysis.words
                done += analysis.words
                if progress:
                    progress(done)
            entries = [w.finish() for w in writers]
            index_id = uuid.uuid4().hex
            db.execute("UPDATE settings SET value = ? WHERE key = 'next_word'", (str(next_word),))
            db.execute("INSERT OR REPLACE INTO settings VALUES ('index_id', ?)", (index_id,))
            self.index.publish(entries, next_word, index_id)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            for w in writers:
                w.discard()
            raise
        self._doc_map = None
        return self.index.stats()["postings"]

    def _setting(self, key: str) -> str:
        return self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()[0]

    # -- reading --------------------------------------------------------------

    def check_index(self) -> None:
        """Refuse an index from another build (lost, copied from elsewhere, or cut off by a crash during reindex)."""
        recorded = self._db.execute("SELECT value FROM settings WHERE key = 'index_id'").fetchone()
        if self.index.damage or (recorded[0] if recorded else None) != self.index.id:
            problem = (f"is damaged ({self.index.damage})" if self.index.damage else
                       "is missing" if self.index.id is None else "does not belong to it")
            raise ArchiveError(f"the index of {self.path} ({self.index.folder}) {problem}.",
                               f"Rebuild it with: quotetrace archive reindex --archive {self.path}")

    def lookup(self, hashes: list[int]) -> list[tuple[np.ndarray, int]]:
        """For each shingle hash, the global word numbers where it is indexed and its total count."""
        if not self._index_checked:
            self.check_index()
            self._index_checked = True
        return self.index.lookup(hashes)

    def locate(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Document rowid and word number within it of each global word number (rowid -1: no live document)."""
        if self._doc_map is None:
            rows = np.array(self._db.execute("SELECT first_word, words, rowid FROM documents ORDER BY first_word").fetchall(),
                            dtype=np.int64).reshape(-1, 3)
            self._doc_map = (rows[:, 0], rows[:, 0] + rows[:, 1], rows[:, 2])
        starts, ends, rowids = self._doc_map
        i = np.searchsorted(starts, positions, side="right") - 1
        inside = (i >= 0) & (positions < ends[np.maximum(i, 0)])
        return np.where(inside, rowids[np.maximum(i, 0)], -1), positions - starts[np.maximum(i, 0)]

    def document(self, rowid: int) -> Document:
        row = self._db.execute("SELECT rowid, id, speaker, date, title, url, words, first_word, checkpoints FROM documents WHERE rowid = ?", (rowid,)).fetchone()
        if row is None:
            raise KeyError(rowid)
        return Document(*row)

    def passage(self, doc: Document, first: int, last: int) -> Passage:
        """Text of ``doc`` from the start of word ``first`` to before word ``last`` (at checkpoint granularity, so a little wider)."""
        bounds = passage_bounds(doc, first, last)
        if bounds is None:
            return Passage("", 0, doc.words)
        start, end, word_start = bounds
        if end is not None:
            sql, args = "SELECT substr(text, ?, ?) FROM documents WHERE rowid = ?", (start + 1, end - start, doc.rowid)
        else:
            sql, args = "SELECT substr(text, ?) FROM documents WHERE rowid = ?", (start + 1, doc.rowid)
        return Passage(self._db.execute(sql, args).fetchone()[0], start, word_start)

    def search(self, words: str = "", speaker: str = "", date_from: str = "", date_to: str = "",
               limit: int = 50, offset: int = 0) -> tuple[list[DocumentHit], bool]:
        """Documents holding every word (a "quoted phrase" as one), by speaker (part of the name) and date range,
        oldest first; and whether there are more. Dates may be partial: ``date_to="2005"`` includes all of 2005.

        Words are looked for by a scan of the texts (seconds on a gigabyte); to find a quote's source, trace it.
        """
        terms = [a or b for a, b in _TERM.findall(words)]
        where, args = [], []
        for column, value in [("text", t) for t in terms] + ([("speaker", speaker.strip())] if speaker.strip() else []):
            where.append(f"{column} LIKE ? ESCAPE '\\'")
            args.append("%" + re.sub(r"([%_\\])", r"\\\1", value) + "%")
        if date_from:
            where.append("date >= ?")
            args.append(date_from)
        if date_to:
            where.append("substr(date, 1, ?) <= ?")
            args.extend([len(date_to), date_to])
        sql = ("SELECT rowid, id, speaker, date, title, url, words FROM documents"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY date IS NULL, date, id LIMIT ? OFFSET ?")
        rows = self._db.execute(sql, [*args, limit + 1, offset]).fetchall()
        hits = [DocumentHit(*row[1:], snippet=self._snippet(row[0], terms[0] if terms else "")) for row in rows[:limit]]
        return hits, len(rows) > limit

    def _snippet(self, rowid: int, term: str, width: int = 240) -> str:
        """``width`` characters around the first ``term`` (the start without one), the text read once."""
        start, text = self._db.execute(
            "SELECT start, substr(text, start, ?) FROM (SELECT text, max(1, instr(lower(text), lower(?)) - ?) AS start"
            " FROM documents WHERE rowid = ?)", (width, term, width // 2, rowid)).fetchone()
        return ("…" if start > 1 else "") + " ".join(text.split()) + "…"

    def get(self, doc_id: str) -> tuple[Document, str] | None:
        """A document and its whole text, by id."""
        row = self._db.execute("SELECT rowid, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return (self.document(row[0]), row[1]) if row else None

    def info(self) -> ArchiveInfo:
        db = self._db
        documents, total_words, first, last = db.execute("SELECT count(*), coalesce(sum(words), 0), min(date), max(date) FROM documents").fetchone()
        speakers = db.execute("SELECT count(DISTINCT speaker) FROM documents").fetchone()[0]
        top = db.execute("SELECT speaker, count(*) FROM documents WHERE speaker IS NOT NULL GROUP BY speaker ORDER BY count(*) DESC, speaker LIMIT 5").fetchall()
        index = self.index.stats()
        return ArchiveInfo(str(self.path), documents, total_words, speakers, first, last, [tuple(t) for t in top],
                           self.path.stat().st_size, index["segments"], index["postings"], index["size_bytes"])


def passage_bounds(doc: Document, first: int, last: int) -> tuple[int, int | None, int] | None:
    """Characters ``[start, end)`` (end None: to the end) and first word number of a passage, widened to checkpoints."""
    checkpoints = np.frombuffer(doc.checkpoints, dtype="<u4")
    lo = max(0, first) // CHECKPOINT_WORDS
    hi = -(-max(last, 0) // CHECKPOINT_WORDS)
    if lo >= len(checkpoints):
        return None
    return int(checkpoints[lo]), int(checkpoints[hi]) if hi < len(checkpoints) else None, lo * CHECKPOINT_WORDS


def _digest(record: dict) -> str:
    """Fingerprint of a record's content, to tell a re-added document from a changed one.

    The text is hashed as it is rather than inside the JSON: encoding megabytes of JSON costs more than the ingest.
    """
    metadata = json.dumps({k: v for k, v in record.items() if k != "text"}, sort_keys=True, default=str)
    return hashlib.sha256(f"{metadata}\0{record['text']}".encode()).hexdigest()


def index_path(archive: Path) -> Path:
    """The index folder that belongs to an archive file."""
    return archive.with_name(archive.name + ".index")


def _analysed(records: Iterable[dict], k: int, window: int, workers: int) -> Iterator[tuple[dict, Analysis]]:
    """Each record with its analysis, computed by ``workers`` processes while the caller stores the previous batch."""
    if workers <= 1:
        for record in records:
            yield record, analyse(record["text"], k, window)
        return
    work = partial(analyse, k=k, window=window)
    with multiprocessing.get_context("fork").Pool(workers, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
        pending = None
        for batch in _batches(records):
            job = pool.map_async(work, [r["text"] for r in batch], chunksize=max(1, len(batch) // (4 * workers)))
            if pending:
                yield from zip(pending[0], pending[1].get())
            pending = (batch, job)
        if pending:
            yield from zip(pending[0], pending[1].get())


def _batches(records: Iterable[dict]) -> Iterator[list[dict]]:
    batch, size = [], 0
    for record in records:
        batch.append(record)
        size += len(record["text"])
        if size >= _BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring an older archive to the current schema; from schema 1 (index in SQLite) the index must be rebuilt."""
    with db:
        if version < 2:
            db.execute("ALTER TABLE documents ADD COLUMN first_word INTEGER NOT NULL DEFAULT 0")
            db.execute("ALTER TABLE documents ADD COLUMN checkpoints BLOB NOT NULL DEFAULT x''")
            db.execute("DROP TABLE postings")
            db.executemany("INSERT OR IGNORE INTO settings VALUES (?, ?)", [
                ("max_postings", str(DEFAULT_OPTIONS.max_postings)), ("next_word", "0"), ("index_id", "rebuild"),
            ])
        if version < 3:  # a covering index: where every document's words are, without reading any text
            db.execute("DROP INDEX IF EXISTS documents_first_word")
            db.execute("CREATE INDEX documents_span ON documents (first_word, words)")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = NORMAL")
    return db
