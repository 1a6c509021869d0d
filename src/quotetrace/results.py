"""Saved results: a report kept under a permalink, and the archive passages that reports quote.

A result's id is a digest of its JSON, so the same article traced against the
same archive gets the same permalink, and saving it twice keeps one copy. The
store is its own SQLite file: the archive is never written to by reading it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import ArchiveError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    id TEXT PRIMARY KEY, created REAL NOT NULL, title TEXT, source TEXT, quotes INTEGER NOT NULL,
    json TEXT NOT NULL, html TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS quoted (
    doc_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    result_id TEXT NOT NULL REFERENCES results (id), quote_id TEXT NOT NULL, verdict TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quoted_doc ON quoted (doc_id, start);
"""


@dataclass(frozen=True)
class SavedResult:
    id: str
    created: float
    title: str | None
    source: str | None
    quotes: int
    json: str
    html: str


@dataclass(frozen=True)
class QuotedPassage:
    """A stretch of an archive document that a saved result traced a quote to."""

    start: int
    end: int
    result_id: str
    quote_id: str
    verdict: str
    title: str | None


def result_id(report: dict) -> str:
    """The permalink id of a report (its JSON contract, article text included)."""
    return hashlib.sha256(json.dumps(report, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]


class ResultStore:
    """Results by id in one SQLite file, safe to use from several threads."""

    def __init__(self, path: str | Path) -> None:
        try:
            # several worker processes may share the file: readers do not wait for a writer, a writer waits its turn
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot open the results file {path} ({exc}).",
                               "Give a writable path with --results.") from exc
        self._lock = threading.Lock()

    def save(self, rid: str, report: dict, html: str) -> None:
        """Keep a report (its JSON contract) and its rendered page; again under the same id changes nothing."""
        rows = [(s["doc_id"], s["start"], s["end"], rid, q["id"], q["trace"]["verdict"])
                for q in report["quotes"] if q.get("trace") for s in q["trace"]["sources"]]
        article = report["article"]
        with self._lock, self._db:
            self._db.execute("BEGIN")
            if self._db.execute("SELECT 1 FROM results WHERE id = ?", (rid,)).fetchone():
                return
            self._db.execute("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (rid, time.time(), article.get("title"), article.get("source"), len(report["quotes"]),
                              json.dumps(report, ensure_ascii=False), html))
            self._db.executemany("INSERT INTO quoted VALUES (?, ?, ?, ?, ?, ?)", rows)

    def has(self, rid: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM results WHERE id = ?", (rid,)).fetchone() is not None

    def get(self, rid: str) -> SavedResult | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM results WHERE id = ?", (rid,)).fetchone()
        return SavedResult(*row) if row else None

    def recent(self, limit: int = 20) -> list[SavedResult]:
        with self._lock:
            rows = self._db.execute("SELECT id, created, title, source, quotes, '', '' FROM results "
                                    "ORDER BY created DESC LIMIT ?", (limit,)).fetchall()
        return [SavedResult(*row) for row in rows]

    def quoted(self, doc_id: str) -> list[QuotedPassage]:
        """Every passage of a document that saved results quote, in text order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT q.start, q.end, q.result_id, q.quote_id, q.verdict, r.title FROM quoted q "
                "JOIN results r ON r.id = q.result_id WHERE q.doc_id = ? ORDER BY q.start, q.end", (doc_id,)).fetchall()
        return [QuotedPassage(*row) for row in rows]

    def close(self) -> None:
        self._db.close()
