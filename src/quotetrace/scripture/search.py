"""Which verses hold some words: an in-memory index of word pairs over every loaded translation.

A quote without a reference, or with a wrong one, is looked up here. Every
verse of every translation is split into words once (NumPy, one pass per
translation); each pair of neighbouring words within a verse is hashed and
kept, sorted, with its verse. A quote's word pairs vote for verses, a rare
pair counting more than a common one ("of the"), and the best few verses
are then aligned word by word by the caller.
"""

from __future__ import annotations

import numpy as np

from ..index import hash_words, quote_hashes, shingles, word_hashes
from ..normalize import index_words
from .texts import Library, VerseKey

_PAIR = 2  # words per shingle: scripture quotes are short ("no compulsion in religion")
_MAX_POSTINGS = 5000  # a pair found in more verses than this says nothing about which verse


class VerseIndex:
    """Word pairs of every verse of a library, for finding a quote's verse."""

    def __init__(self, library: Library) -> None:
        self.rows: list[tuple[int, VerseKey]] = []  # (translation number, verse key)
        self.texts: list[str] = []
        hashes, rows, words = [], [], []
        for number, translation in enumerate(library.translations):
            keys = [k for k, text in translation.verses.items() if text.strip()]
            texts = [translation.verses[k] for k in keys]
            first_row = len(self.rows)
            self.rows.extend((number, k) for k in keys)
            self.texts.extend(texts)
            pair_hashes, verse_of_pair, word_hashes = _pairs(texts)
            hashes.append(pair_hashes)
            rows.append(verse_of_pair + first_row)
            words.append(word_hashes)
        all_hashes = np.concatenate(hashes) if hashes else np.empty(0, np.uint64)
        order = np.argsort(all_hashes, kind="stable")
        self._hashes = all_hashes[order]
        self._rows = (np.concatenate(rows) if rows else np.empty(0, np.int64))[order]
        self._words, self._word_counts = np.unique(np.concatenate(words) if words else np.empty(0, np.uint64), return_counts=True)

    def rarest(self, words: list[str]) -> int:
        """Position of the word of ``words`` that the fewest verse texts use (the one that says most)."""
        hashes = word_hashes(words)
        at = np.minimum(np.searchsorted(self._words, hashes), max(len(self._words) - 1, 0))
        counts = np.where(self._words[at] == hashes, self._word_counts[at], 0) if len(self._words) else np.zeros(len(words))
        return int(np.argmin(np.where(counts == 0, np.iinfo(np.int64).max, counts)))

    def candidates(self, words: list[str], limit: int = 8) -> list[int]:
        """Rows of the verses that share the most (rarity-weighted) word pairs with ``words``, best first."""
        pairs, _ = quote_hashes(words, _PAIR)
        if not len(pairs) or not len(self._hashes):
            return []
        lo = np.searchsorted(self._hashes, pairs, side="left")
        hi = np.searchsorted(self._hashes, pairs, side="right")
        useful = (hi > lo) & (hi - lo <= _MAX_POSTINGS)
        if not useful.any():
            return []
        lo, hi = lo[useful], hi[useful]
        found = np.concatenate([self._rows[a:b] for a, b in zip(lo.tolist(), hi.tolist())])
        weights = np.repeat(1.0 / (hi - lo), hi - lo)
        rows, inverse = np.unique(found, return_inverse=True)
        votes = np.bincount(inverse, weights=weights)
        if len(votes) > limit:
            top = np.argpartition(-votes, limit)[:limit]
            best = top[np.argsort(-votes[top], kind="stable")]
        else:
            best = np.argsort(-votes, kind="stable")
        return rows[best].tolist()


def _pairs(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the neighbouring word pairs inside each verse, the verse (its position in ``texts``) of each,
    and the hashes of all words."""
    if not texts:
        return np.empty(0, np.uint64), np.empty(0, np.int64), np.empty(0, np.uint64)
    joined = "\n".join(texts)
    code_points, starts, ends, originals = index_words(joined)
    verse_starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    verse = np.searchsorted(verse_starts, originals, side="right") - 1
    hashes = hash_words(code_points, starts, ends)
    same_verse = verse[:-1] == verse[1:]
    return shingles(hashes, _PAIR)[same_verse], verse[:-1][same_verse], hashes
