"""The Tracer gives the same answer on a MemoryArchive (what a Spark executor holds) as on the Archive itself."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from quotetrace.index import analyse, quote_hashes
from quotetrace.memory import MemoryArchive
from quotetrace.normalize import tokenize
from quotetrace.trace import Tracer
from quotetrace.verdict import Claim

QUOTES = [
    ("we must not abandon the workers who built this city with their own hands", Claim("Ada Lovelace", "2001")),
    ("Ships are safe in harbour, but that is not what the fleet is built for", Claim("Grace Hopper", "2010")),
    ("The valley has changed since the floods ... the water no longer reaches the square", Claim("Ada Lovelace", "2005")),
    ("A good engineer measures twice and cuts once. Our harbour will be rebuilt, stone by stone", Claim("Ada Lovelace", None)),
    ("nothing anyone in this archive ever said at all", Claim(None, None)),
]


def held(archive, text: str, rowids: list[int] | None = None) -> MemoryArchive:
    """A MemoryArchive of the quote's postings (found in the real index) and of the given (default: all) documents."""
    hashes, _ = quote_hashes([t.norm for t in tokenize(text)], archive.shingle_words)
    postings = []
    for h, (positions, count) in zip(hashes.tolist(), archive.lookup(hashes.tolist())):
        docs, local = archive.locate(positions)
        postings += [(h, count, int(d), int(p)) for d, p in zip(docs, local) if d >= 0]
    rows = archive._db.execute("SELECT rowid, id, speaker, date, title, url, text FROM documents").fetchall()
    documents = []
    for row in rows:
        if rowids is None or row[0] in rowids:
            a = analyse(row[-1], archive.shingle_words, archive.window)
            fields = dict(zip(("rowid", "id", "speaker", "date", "title", "url", "text"), row))
            documents.append({**fields, "words": a.words, "checkpoints": a.checkpoints, "keys": a.keys.astype("<u2").tobytes()})
    return MemoryArchive(documents, postings, archive.shingle_words)


@pytest.mark.parametrize("text, claim", QUOTES)
def test_same_trace_from_memory_as_from_the_archive(archive, text, claim):
    expected = dataclasses.asdict(Tracer(archive).trace_text(text, claim))
    assert dataclasses.asdict(Tracer(held(archive, text)).trace_text(text, claim)) == expected


def test_documents_not_held_are_not_live(archive):
    text = "Ships are safe in harbour, but that is not what ships are built for"
    memory = held(archive, text, rowids=[1])
    assert Tracer(memory).trace_text(text).verdict == "not_found"
    docs, _ = memory.locate(np.array([0, 5, 10**7]))
    assert docs.tolist() == [1, 1, -1]
