"""The shingle index: hashed word shingles on disk, opened with mmap, looked up for each quote.

Every document word has a global number (the archive gives each document a
range). The index keeps, for each document, the minimiser of every window of
``window`` consecutive shingle hashes (winnowing): a fraction of all shingles,
yet any run of ``shingle_words + window - 1`` words that a quote shares with a
document shares at least one indexed shingle. A quote looks up all of its
shingles.

On disk the index is a folder of immutable segments and a manifest that lists
them. A segment holds its postings sorted by hash: a directory of bucket
offsets (top bits of the hash), then for each posting the low 32 bits of its
hash and its word number (32 bits, relative to the segment's base), 8 bytes a
posting in all. A shingle found more than ``cap`` times in a segment is
boilerplate ("Mr. President, allow me to congratulate you"): only its count is
kept. Segments are built in a streaming way: postings are spilled to
partition files by the top bits of their hash and each partition is sorted on
its own, so memory stays bounded whatever the archive's size. Adding
documents adds a segment; the manifest is replaced atomically, so a reader
never sees half an index.
"""

from __future__ import annotations

import json
import mmap
import os
import shutil
import uuid
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b
from pathlib import Path

import numpy as np

from .normalize import code_points_of, index_words

#: a document keeps the character offset of every 16th word, to read a passage without reading it all
CHECKPOINT_WORDS = 16
MANIFEST = "manifest.json"
FORMAT_VERSION = 2  # 2: word hashes computed from code points

_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93], dtype=np.uint64)
_PARTITION_BITS = 8
_SPILL_POSTINGS = 8_000_000  # postings buffered in memory before they are spilled to partition files
_BUCKET_TARGET = 16  # average postings per directory bucket
MAX_SEGMENT_WORDS = 2**32 - 1  # a segment numbers its words in 32 bits
_POSTING = np.dtype([("h", np.uint64), ("p", np.uint32)])  # a posting in the temporary files of a build


_HASH_BASE = 0x100000001B3  # odd, so invertible modulo 2**64
_HASH_CHUNK = 1 << 20  # words hashed at a time start within this many characters: bounds the memory
_LONG_WORD = 1 << 10  # longer words (junk, mostly) are hashed whole with blake2b


@lru_cache(maxsize=1)
def _powers() -> tuple[np.ndarray, np.ndarray]:
    """``B**i`` and ``B**-i`` modulo 2**64 for every offset a chunk can reach."""
    size = _HASH_CHUNK + _LONG_WORD
    one = np.ones(1, dtype=np.uint64)
    up = np.concatenate([one, np.cumprod(np.full(size - 1, _HASH_BASE, dtype=np.uint64))])
    down = np.concatenate([one, np.cumprod(np.full(size - 1, pow(_HASH_BASE, -1, 2**64), dtype=np.uint64))])
    return up, down


def hash_words(code_points: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A stable 64-bit hash of each word (``code_points[start:end]``), the same in every process.

    A polynomial hash of the code points, vectorised over a whole document:
    ``sum (c_j + 1) * B**(j - start)`` is a difference of two prefix sums
    times ``B**-start``. A strong bit mixer then spreads it.
    """
    lengths = ends - starts
    h = np.empty(len(starts), dtype=np.uint64)
    up, down = _powers()
    first = 0
    while first < len(starts):
        base = int(starts[first])
        last = int(np.searchsorted(starts, base + _HASH_CHUNK))
        chunk = first + np.flatnonzero(lengths[first:last] <= _LONG_WORD)
        if len(chunk):
            stop = int(ends[chunk].max())
            weighted = (code_points[base:stop].astype(np.uint64) + np.uint64(1)) * up[:stop - base]
            prefix = np.concatenate([np.zeros(1, dtype=np.uint64), np.cumsum(weighted)])
            s, e = starts[chunk] - base, ends[chunk] - base
            h[chunk] = (prefix[e] - prefix[s]) * down[s]
        first = last
    for i in np.flatnonzero(lengths > _LONG_WORD):
        word = code_points[starts[i]:ends[i]].astype("<u4").tobytes()
        h[i] = int.from_bytes(blake2b(word, digest_size=8).digest(), "little")
    h ^= lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def word_hashes(words: list[str]) -> np.ndarray:
    """``hash_words`` of words given as strings (a quote's)."""
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    starts = np.cumsum(lengths + 1) - lengths - 1
    return hash_words(code_points_of(" ".join(words)), starts, starts + lengths)


def quote_hashes(words: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """What a quote looks up: the hash of each run of ``k`` words, and the key of each word."""
    hashes = word_hashes(words)
    return shingles(hashes, k), _keys(hashes)


def _keys(hashes: np.ndarray) -> np.ndarray:
    """A 16-bit key of each word: enough to verify a candidate passage without reading its text."""
    return (hashes >> np.uint64(48)).astype(np.uint16)


def shingles(w: np.ndarray, k: int) -> np.ndarray:
    """Hash of each run of ``k`` consecutive word hashes, as non-negative 63-bit integers in uint64."""
    if len(w) < k:
        return np.empty(0, dtype=np.uint64)
    n = len(w) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for i in range(k):
        h ^= w[i:i + n] * _MULTIPLIERS[i % len(_MULTIPLIERS)]
        h = (h << np.uint64(13)) | (h >> np.uint64(51))
    h ^= h >> np.uint64(29)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(32)
    return h >> np.uint64(1)


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Positions of the minimum hash of every ``window`` consecutive hashes (rightmost on ties)."""
    n = len(hashes)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    if n <= window:
        return np.array([n - 1 - int(np.argmin(hashes[::-1]))], dtype=np.int64)
    windows = n - window + 1
    best, at = hashes[window - 1:], np.arange(window - 1, n)
    for offset in range(window - 2, -1, -1):  # right to left: a strictly smaller hash wins, so ties keep the rightmost
        candidate = hashes[offset:offset + windows]
        smaller = candidate < best
        best = np.where(smaller, candidate, best)
        at = np.where(smaller, np.arange(offset, offset + windows), at)
    # consecutive windows often share their minimum: ascending, so a repeat sits next to its twin
    return at[np.diff(at, prepend=-1) != 0]


@dataclass(frozen=True)
class Analysis:
    """What indexing needs of one document: its word count, checkpoints and winnowed shingles."""

    words: int
    checkpoints: bytes  # uint32 character offsets of words 0, 16, 32, …
    keys: np.ndarray  # uint16 key of every word
    hashes: np.ndarray  # uint64 hashes of the indexed shingles
    positions: np.ndarray  # their word numbers within the document


def analyse(text: str, k: int, window: int) -> Analysis:
    """Split a document into words and pick the shingles to index: the work that runs in parallel."""
    code_points, starts, ends, originals = index_words(text)
    word_hashes = hash_words(code_points, starts, ends)
    hashes = shingles(word_hashes, k)
    positions = winnow(hashes, window)
    checkpoints = originals[::CHECKPOINT_WORDS].astype("<u4").tobytes()
    return Analysis(len(starts), checkpoints, _keys(word_hashes), hashes[positions], positions)


class SegmentWriter:
    """Builds one segment from postings given in increasing word-number order, in bounded memory."""

    def __init__(self, folder: Path, base: int, cap: int) -> None:
        self.name = f"seg-{uuid.uuid4().hex[:12]}"
        self.path = folder / self.name
        self.path.mkdir(parents=True)
        self.base = base
        self.cap = cap
        self.end = base
        self._hashes: list[np.ndarray] = []
        self._positions: list[np.ndarray] = []
        self._buffered = 0
        self._spilled = False
        self._words = open(self.path / "words.u16", "wb")

    def add(self, analysis: Analysis, first_word: int) -> None:
        """One document, whose words are numbered from ``first_word`` (right after the previous one's)."""
        if first_word != self.end:
            raise ValueError("documents must be added in word-number order, without gaps")
        end = first_word + analysis.words
        if end - self.base > MAX_SEGMENT_WORDS:
            raise OverflowError("a segment covers at most 2**32 words")
        self._words.write(analysis.keys.astype("<u2").tobytes())
        hashes, positions = analysis.hashes, analysis.positions + first_word
        self._hashes.append(hashes.astype(np.uint64, copy=False))
        self._positions.append((positions - self.base).astype(np.uint32))
        self._buffered += len(hashes)
        self.end = end
        if self._buffered >= _SPILL_POSTINGS:
            self._spill()

    def _spill(self) -> None:
        hashes, positions = self._take()
        part = (hashes >> np.uint64(63 - _PARTITION_BITS)).astype(np.uint8)
        order = np.argsort(part, kind="stable")  # a radix sort for bytes
        bounds = np.concatenate([[0], np.cumsum(np.bincount(part, minlength=1 << _PARTITION_BITS))])
        rows = np.empty(len(order), dtype=_POSTING)
        rows["h"], rows["p"] = hashes[order], positions[order]
        for p in np.flatnonzero(np.diff(bounds)):
            with open(self.path / f"part-{p:03d}.tmp", "ab") as f:
                rows[bounds[p]:bounds[p + 1]].tofile(f)
        self._spilled = True

    def _take(self) -> tuple[np.ndarray, np.ndarray]:
        hashes = np.concatenate(self._hashes) if self._hashes else np.empty(0, np.uint64)
        positions = np.concatenate(self._positions) if self._positions else np.empty(0, np.uint32)
        self._hashes, self._positions, self._buffered = [], [], 0
        return hashes, positions

    def _partitions(self):
        """Postings in groups whose hashes are ordered between groups, each group in word order."""
        if not self._spilled:
            yield self._take()
            return
        if self._buffered:
            self._spill()
        for p in range(1 << _PARTITION_BITS):
            file = self.path / f"part-{p:03d}.tmp"
            if file.exists():
                rows = np.fromfile(file, dtype=_POSTING)
                file.unlink()
                yield rows["h"], rows["p"]

    def finish(self) -> dict:
        """Write the segment's files; returns its manifest entry."""
        self._words.close()
        sorted_parts, frequent, total = [], [], 0
        for hashes, positions in self._partitions():
            order = np.argsort(hashes)  # postings of one shingle need no particular order
            hashes, positions = hashes[order], positions[order]
            first = np.flatnonzero(np.diff(hashes, prepend=~hashes[:1])) if len(hashes) else np.empty(0, np.int64)
            counts = np.diff(first, append=len(hashes))
            common = counts > self.cap
            if common.any():
                frequent.append(np.stack([hashes[first[common]], counts[common].astype(np.uint64)], axis=1))
                keep = np.repeat(~common, counts)
                hashes, positions = hashes[keep], positions[keep]
            file = self.path / f"sorted-{len(sorted_parts):03d}.tmp"
            rows = np.empty(len(hashes), dtype=_POSTING)
            rows["h"], rows["p"] = hashes, positions
            rows.tofile(file)
            sorted_parts.append(file)
            total += len(hashes)
        bucket_bits = max(_PARTITION_BITS, int(np.ceil(np.log2(max(total, 1) / _BUCKET_TARGET))))
        directory = np.zeros((1 << bucket_bits) + 1, dtype=np.uint64)
        with open(self.path / "keys.u32", "wb") as keys, open(self.path / "pos.u32", "wb") as pos:
            for file in sorted_parts:
                rows = np.fromfile(file, dtype=_POSTING)
                file.unlink()
                buckets, counts = np.unique(rows["h"] >> np.uint64(63 - bucket_bits), return_counts=True)
                directory[buckets.astype(np.int64) + 1] += counts.astype(np.uint64)
                keys.write((rows["h"] & np.uint64(0xFFFFFFFF)).astype("<u4").tobytes())
                pos.write(rows["p"].astype("<u4").tobytes())
        np.cumsum(directory, out=directory)
        directory.astype("<u8").tofile(self.path / "dir.u64")
        common = np.concatenate(frequent) if frequent else np.empty((0, 2), dtype=np.uint64)
        common[np.argsort(common[:, 0])].astype("<u8").tofile(self.path / "frequent.u64")
        return {"name": self.name, "base": self.base, "end": self.end, "postings": total, "bucket_bits": bucket_bits}

    def discard(self) -> None:
        self._words.close()
        shutil.rmtree(self.path, ignore_errors=True)


class Segment:
    """One immutable segment, memory-mapped."""

    def __init__(self, folder: Path, entry: dict) -> None:
        path = folder / entry["name"]
        self.base = int(entry["base"])
        self.end = int(entry["end"])
        self.words = _map(path / "words.u16", "<u2")
        self.shift = 63 - int(entry["bucket_bits"])
        self.directory = _map(path / "dir.u64", "<u8")
        self.keys = _map(path / "keys.u32", "<u4")
        self.positions = _map(path / "pos.u32", "<u4")
        common = np.fromfile(path / "frequent.u64", dtype="<u8").reshape(-1, 2)
        self.frequent = dict(zip(common[:, 0].tolist(), common[:, 1].tolist()))

    def lookup(self, hashes: list[int]) -> list[tuple[np.ndarray, int]]:
        """For each shingle hash, the global word numbers where it is indexed and how often it occurs here.

        All buckets are read at once (a quote looks up a few dozen shingles:
        a loop per shingle costs more than the reading).
        """
        h = np.array(hashes, dtype=np.uint64)
        buckets = (h >> np.uint64(self.shift)).astype(np.int64)
        lo, hi = self.directory[buckets].astype(np.int64), self.directory[buckets + 1].astype(np.int64)
        sizes = hi - lo
        owner = np.repeat(np.arange(len(h)), sizes)
        at = np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
        hit = self.keys[at] == (h & np.uint64(0xFFFFFFFF)).astype(np.uint32)[owner]
        found = np.split(self.positions[at[hit]].astype(np.int64) + self.base, np.cumsum(np.bincount(owner[hit], minlength=len(h)))[:-1])
        return [(_NONE, self.frequent[x]) if x in self.frequent else (f, len(f)) for x, f in zip(hashes, found)]


_NONE = np.empty(0, dtype=np.int64)


def _map(path: Path, dtype: str) -> np.ndarray:
    """A read-only array over a memory-mapped file (a plain ndarray: cheaper to slice than np.memmap)."""
    if not path.stat().st_size:
        return np.empty(0, dtype=dtype)
    with open(path, "rb") as f:
        return np.frombuffer(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ), dtype=dtype)


class ShingleIndex:
    """The index folder: its manifest and segments."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.damage: str | None = None
        empty = {"version": FORMAT_VERSION, "id": None, "segments": [], "end": 0}
        manifest = folder / MANIFEST
        try:
            self.manifest = json.loads(manifest.read_text()) if manifest.exists() else empty
            if self.manifest["version"] != FORMAT_VERSION:
                raise ValueError(f"index format {self.manifest['version']}, this quotetrace reads format {FORMAT_VERSION}")
            self.segments = [Segment(folder, e) for e in self.manifest["segments"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:  # an index we cannot read is rebuilt, not trusted
            self.damage = f"{type(exc).__name__}: {exc}"
            self.manifest, self.segments = empty, []

    @property
    def end(self) -> int:
        """Word numbers below this are taken: new documents start here."""
        return int(self.manifest["end"])

    @property
    def id(self) -> str | None:
        """Names one build of the index; the archive records it, so a mismatch shows a stale index."""
        return self.manifest["id"]

    def lookup(self, hashes: list[int]) -> list[tuple[np.ndarray, int]]:
        """For each shingle hash: its indexed word numbers and its total count."""
        if len(self.segments) == 1:
            return self.segments[0].lookup(hashes)
        per_segment = [s.lookup(hashes) for s in self.segments]
        return [(np.concatenate([f[0] for f in found]), sum(f[1] for f in found))
                for found in zip(*per_segment)] if per_segment else [(_NONE, 0) for _ in hashes]

    def word_keys_at(self, positions: np.ndarray) -> np.ndarray:
        """The 16-bit key of the word at each global word number (0 where there is none)."""
        keys = np.zeros(positions.shape, dtype=np.uint16)
        for segment in self.segments:
            inside = (positions >= segment.base) & (positions < segment.base + len(segment.words))
            if inside.any():
                keys[inside] = segment.words[positions[inside] - segment.base]
        return keys

    def writer(self, base: int, cap: int) -> SegmentWriter:
        return SegmentWriter(self.folder, base, cap)

    def publish(self, entries: list[dict], end: int, index_id: str | None) -> None:
        """Make exactly these segments the index, by replacing the manifest atomically; drop the others' files."""
        manifest = {"version": FORMAT_VERSION, "id": index_id, "segments": entries, "end": end}
        tmp = self.folder / f"{MANIFEST}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(manifest, indent=1))
        os.replace(tmp, self.folder / MANIFEST)
        dropped = {e["name"] for e in self.manifest["segments"]} - {e["name"] for e in entries}
        self.manifest = manifest
        self.segments = [Segment(self.folder, e) for e in entries]
        for name in dropped:
            shutil.rmtree(self.folder / name, ignore_errors=True)

    def remove_orphans(self) -> None:
        """Delete segment folders no manifest lists (left by an interrupted build)."""
        listed = {e["name"] for e in self.manifest["segments"]}
        for path in self.folder.glob("seg-*"):
            if path.name not in listed:
                shutil.rmtree(path, ignore_errors=True)

    def stats(self) -> dict:
        size = sum(f.stat().st_size for f in self.folder.rglob("*") if f.is_file()) if self.folder.exists() else 0
        return {"segments": len(self.segments), "postings": sum(e["postings"] for e in self.manifest["segments"]), "size_bytes": size}
