"""Seeds for tracing: hashed word shingles, winnowed for the index and looked up for a quote.

The index keeps, for each document, the minimiser of every window of
``window`` consecutive shingle hashes (winnowing): a fraction of all shingles,
yet any run of ``shingle_words + window - 1`` words that a quote shares with a
document shares at least one indexed shingle. A quote looks up every one of
its shingles.
"""

from __future__ import annotations

from functools import lru_cache
from hashlib import blake2b

import numpy as np

_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93], dtype=np.uint64)


@lru_cache(maxsize=1 << 20)
def word_hash(word: str) -> int:
    """A stable 64-bit hash of a normalised word (the same in every process)."""
    return int.from_bytes(blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def shingle_hashes(words: list[str], k: int) -> np.ndarray:
    """Hash of each run of ``k`` words, as non-negative int64 (fits SQLite's INTEGER)."""
    if len(words) < k:
        return np.empty(0, dtype=np.int64)
    w = np.fromiter((word_hash(x) for x in words), dtype=np.uint64, count=len(words))
    n = len(words) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for i in range(k):
        h ^= w[i:i + n] * _MULTIPLIERS[i % len(_MULTIPLIERS)]
        h = (h << np.uint64(13)) | (h >> np.uint64(51))
    h ^= h >> np.uint64(29)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(32)
    return (h >> np.uint64(1)).astype(np.int64)


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Positions of the minimum hash of every ``window`` consecutive hashes (rightmost on ties)."""
    if len(hashes) == 0:
        return np.empty(0, dtype=np.int64)
    if len(hashes) <= window:
        return np.array([len(hashes) - 1 - int(np.argmin(hashes[::-1]))], dtype=np.int64)
    windows = np.lib.stride_tricks.sliding_window_view(hashes[::-1], window)
    # argmin on the reversed array picks the rightmost minimum of each window
    rightmost = len(hashes) - 1 - (np.argmin(windows, axis=1) + np.arange(len(windows)))
    return np.unique(rightmost)
