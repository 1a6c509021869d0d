"""An archive held in memory: a few documents, and the postings of the shingles one quote looks up.

A Spark executor has no index to open. The join on shingle hashes brings each
quote the postings it would have looked up and the texts of its candidate
documents; the Tracer then runs on this object exactly as on an Archive. Only
the candidate documents are live: postings elsewhere are dropped, as the
index drops postings of deleted documents.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .archive import Document, Passage, passage_bounds

_GAP = 1 << 20  # word numbers left unused between documents, so no quote's diagonal runs from one into the next
_NONE = np.empty(0, dtype=np.int64)


class MemoryArchive:
    """What the Tracer reads of an archive (``lookup``, ``locate``, ``document``, ``passage``, word keys), from memory."""

    def __init__(self, documents: Iterable[dict], postings: Iterable[tuple[int, int, int, int]], shingle_words: int) -> None:
        """``documents``: records with ``rowid``, ``id``, ``speaker``, ``date``, ``title``, ``url``, ``text`` and their
        analysis (``words``, ``checkpoints``, ``keys`` as little-endian uint16 bytes); ``postings``: (shingle hash,
        its count in the whole archive, rowid, word number in the document)."""
        self.shingle_words = shingle_words
        self.index = self  # word keys are read from here, as from the ShingleIndex
        self._documents: dict[int, Document] = {}
        self._texts: dict[int, str] = {}
        self._keys: list[tuple[int, np.ndarray]] = []
        starts, rowids, first = [], [], 0
        for record in sorted(documents, key=lambda r: r["rowid"]):
            rowid, words = int(record["rowid"]), int(record["words"])
            self._documents[rowid] = Document(rowid, record["id"], record.get("speaker"), record.get("date"),
                                              record.get("title"), record.get("url"), words, first, bytes(record["checkpoints"]))
            self._texts[rowid] = record["text"]
            self._keys.append((first, np.frombuffer(record["keys"], dtype="<u2")))
            starts.append(first)
            rowids.append(rowid)
            first += words + _GAP
        self._starts = np.array(starts, dtype=np.int64)
        self._ends = self._starts + np.array([self._documents[r].words for r in rowids], dtype=np.int64)
        self._rowids = np.array(rowids, dtype=np.int64)
        found: dict[int, list[int]] = {}
        counts: dict[int, int] = {}
        for h, count, rowid, pos in postings:
            counts[h] = count
            doc = self._documents.get(rowid)
            if doc is not None:
                found.setdefault(h, []).append(doc.first_word + pos)
        self._postings = {h: (np.array(sorted(found.get(h, [])), dtype=np.int64), c) for h, c in counts.items()}

    def lookup(self, hashes: list[int]) -> list[tuple[np.ndarray, int]]:
        return [self._postings.get(h, (_NONE, 0)) for h in hashes]

    def locate(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not len(self._starts):
            return np.full(positions.shape, -1, dtype=np.int64), positions
        i = np.searchsorted(self._starts, positions, side="right") - 1
        j = np.maximum(i, 0)
        inside = (i >= 0) & (positions < self._ends[j])
        return np.where(inside, self._rowids[j], -1), positions - self._starts[j]

    def word_keys_at(self, positions: np.ndarray) -> np.ndarray:
        keys = np.zeros(positions.shape, dtype=np.uint16)
        for first, doc_keys in self._keys:
            inside = (positions >= first) & (positions < first + len(doc_keys))
            if inside.any():
                keys[inside] = doc_keys[positions[inside] - first]
        return keys

    def document(self, rowid: int) -> Document:
        return self._documents[rowid]

    def passage(self, doc: Document, first: int, last: int) -> Passage:
        bounds = passage_bounds(doc, first, last)
        if bounds is None:
            return Passage("", 0, doc.words)
        start, end, word_start = bounds
        return Passage(self._texts[doc.rowid][start:end], start, word_start)
