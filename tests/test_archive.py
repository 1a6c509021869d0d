"""The archive: ingest from every format, idempotence, replacement, and all-or-nothing on bad input."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from conftest import SPEECHES
from quotetrace.archive import Archive, index_path
from quotetrace.documents import read_records
from quotetrace.errors import ArchiveError, IngestError
from quotetrace.index import Analysis, ShingleIndex, hash_words, quote_hashes
from quotetrace.normalize import index_words, words
from quotetrace.trace import Tracer


def add(db: Path, path: Path, **defaults):
    with Archive.open(db, create=True) as store:
        return store.add(read_records(path, defaults))


def info(db: Path):
    with Archive.open(db) as store:
        return store.info()


def test_jsonl_gz_ingest_and_info(tmp_path):
    path = tmp_path / "s.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(s) + "\n" for s in SPEECHES)
    stats = add(tmp_path / "a.db", path)
    assert (stats.added, stats.unchanged) == (3, 0)
    i = info(tmp_path / "a.db")
    assert (i.documents, i.speakers, i.first_date, i.last_date) == (3, 2, "2001-03-04", "2010-06-01")
    assert i.words == sum(len(s["text"].split()) for s in SPEECHES)


def test_a_json_array_of_records_is_read_like_json_lines(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(SPEECHES, indent=2))
    assert add(tmp_path / "a.db", path).added == 3
    path.write_text(json.dumps([SPEECHES[0], "not a record"]))
    with pytest.raises(IngestError, match="record 2: not a JSON object"):
        add(tmp_path / "b.db", path)


def test_readding_changes_nothing_and_changed_text_replaces(tmp_path, corpus_file):
    db = tmp_path / "a.db"
    add(db, corpus_file)
    assert add(db, corpus_file).unchanged == 3
    changed = [dict(SPEECHES[0], text="An entirely new text about the lighthouse keepers of the north coast.")]
    corpus_file.write_text(json.dumps(changed[0]) + "\n")
    assert add(db, corpus_file).replaced == 1
    assert info(db).documents == 3
    with Archive.open(db) as store:
        tracer = Tracer(store)
        assert tracer.trace_text("the lighthouse keepers of the north coast").verdict == "verbatim"
        assert tracer.trace_text("we must not abandon the workers who built this city").verdict == "not_found"


def test_csv_and_txt_folder_with_sidecar_and_defaults(tmp_path):
    csv_path = tmp_path / "docs.csv"
    csv_path.write_text('id,speaker,date,text\nc1,Ada Lovelace,2001,"The river remembers every promise, we make."\n')
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "one.txt").write_text("A speech about bridges and canals in the valley.")
    (folder / "two.txt").write_text("A speech about ships and the sea and the sky.")
    (folder / "two.json").write_text(json.dumps({"speaker": "Grace Hopper", "date": "2010-06-01"}))
    db = tmp_path / "a.db"
    add(db, csv_path)
    add(db, folder, speaker="Ada Lovelace", date="2003")
    with Archive.open(db) as store:
        docs = {store.document(r).id: store.document(r) for r in range(1, 4)}
    assert (docs["one"].speaker, docs["one"].date) == ("Ada Lovelace", "2003")
    assert (docs["two"].speaker, docs["two"].date) == ("Grace Hopper", "2010-06-01")
    assert docs["c1"].date == "2001"


@pytest.mark.parametrize("line, message", [
    ("{not json", "line 2: not valid JSON"),
    ('{"id": "x", "speaker": "A"}', 'line 2: the record has no "text"'),
    ('{"id": "x", "text": "words here", "date": "someday"}', "line 2: 'someday' is not a date"),
    ("[1, 2]", "line 2: not a JSON object"),
])
def test_bad_record_stops_ingest_and_leaves_archive_unchanged(tmp_path, corpus_file, line, message):
    db = tmp_path / "a.db"
    add(db, corpus_file)
    before = info(db)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "new", "text": "A new document that must not be added."}) + "\n" + line + "\n")
    with pytest.raises(IngestError, match=message):
        add(db, bad)
    assert info(db) == before


def test_paths_that_are_not_archives(tmp_path):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("hello")
    with pytest.raises(ArchiveError, match="not a quotetrace archive"):
        Archive.open(text_file)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ArchiveError, match="SQLite database but not a quotetrace archive"):
        Archive.open(other, create=True)
    with pytest.raises(ArchiveError, match="there is no archive"):
        Archive.open(tmp_path / "missing.db")


def test_reindex_rebuilds_the_same_index(archive):
    before = archive.info().index_postings
    assert archive.reindex() == before > 0
    assert Tracer(archive).trace_text("Ships are safe in harbour, but that is not what ships are built for.").verdict == "verbatim"


def test_interrupted_ingest_rolls_back_and_leaves_the_index_usable_without_debris(tmp_path, corpus_file):
    db = tmp_path / "a.db"
    add(db, corpus_file)

    def records():
        yield {"id": "partial", "text": "The lighthouse keepers of the north coast were never paid."}
        raise KeyboardInterrupt

    with Archive.open(db) as store, pytest.raises(KeyboardInterrupt):
        store.add(records())
    assert info(db).documents == 3
    with Archive.open(db) as store:
        tracer = Tracer(store)
        assert tracer.trace_text("Ships are safe in harbour, but that is not what ships are built for.").verdict == "verbatim"
        assert tracer.trace_text("The lighthouse keepers of the north coast were never paid.").verdict == "not_found"
        assert store.info().index_segments == 1
    assert len(list(index_path(db).glob("seg-*"))) == 1


def test_adding_documents_adds_a_segment_and_replacing_one_hides_its_old_words(tmp_path, corpus_file):
    db = tmp_path / "a.db"
    add(db, corpus_file)
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps({"id": "grace-2010", "speaker": "Grace Hopper", "date": "2010-06-01",
                               "text": "A completely different speech about compilers and nanoseconds of wire."}) + "\n")
    add(db, new)
    with Archive.open(db) as store:
        assert store.info().index_segments == 2
        tracer = Tracer(store)
        assert tracer.trace_text("about compilers and nanoseconds of wire").verdict == "verbatim"
        assert tracer.trace_text("Ships are safe in harbour, but that is not what ships are built for.").verdict == "not_found"
        store.reindex()
        assert store.info().index_segments == 1
        assert Tracer(store).trace_text("about compilers and nanoseconds of wire").verdict == "verbatim"


def test_parallel_ingest_builds_the_same_index(tmp_path, corpus_file):
    for workers in (1, 2):
        with Archive.open(tmp_path / f"w{workers}.db", create=True) as store:
            store.add(read_records(corpus_file), workers=workers)
    hashes = quote_hashes(words(SPEECHES[1]["text"]), 3)[0].tolist()
    with Archive.open(tmp_path / "w1.db") as one, Archive.open(tmp_path / "w2.db") as two:
        assert [p.tolist() for p, _ in one.lookup(hashes)] == [p.tolist() for p, _ in two.lookup(hashes)]


def test_spilled_build_equals_in_memory_build_and_boilerplate_keeps_only_a_count(tmp_path, monkeypatch):
    rng = np.random.default_rng(7)
    hashes = rng.integers(0, 2**63, size=5000, dtype=np.uint64)
    hashes[::10] = 12345  # one shingle everywhere: boilerplate
    positions = np.arange(5000)
    results = []
    for spill in (10**9, 700):
        monkeypatch.setattr("quotetrace.index._SPILL_POSTINGS", spill)
        folder = tmp_path / f"idx{spill}"
        folder.mkdir()
        index = ShingleIndex(folder)
        writer = index.writer(100, cap=50)
        for lo in range(0, 5000, 250):
            keys = np.zeros(250, dtype=np.uint16)
            writer.add(Analysis(250, b"", keys, hashes[lo:lo + 250], positions[lo:lo + 250] - lo), 100 + lo)
        index.publish([writer.finish()], 5100, "test")
        results.append(ShingleIndex(folder).lookup([int(h) for h in hashes[:40]]))
    for (p1, c1), (p2, c2) in zip(*results):
        assert p1.tolist() == p2.tolist() and c1 == c2
    positions_of_common, count = results[0][0]
    assert (positions_of_common.tolist(), count) == ([], 500)
    assert results[0][1][0].tolist() == [101]


def test_missing_index_says_how_to_rebuild(tmp_path, corpus_file):
    db = tmp_path / "a.db"
    add(db, corpus_file)
    shutil.rmtree(index_path(db))
    with Archive.open(db) as store, pytest.raises(ArchiveError, match="reindex"):
        Tracer(store).trace_text("Ships are safe in harbour")
    with Archive.open(db) as store:
        store.reindex()
        assert Tracer(store).trace_text("Ships are safe in harbour, but that is not what ships are built for.").verdict == "verbatim"


def test_index_of_an_older_format_asks_for_a_reindex(tmp_path, corpus_file):
    db = tmp_path / "a.db"
    add(db, corpus_file)
    manifest = index_path(db) / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"version": 2', '"version": 1'))
    with Archive.open(db) as store, pytest.raises(ArchiveError, match="index format 1.*reindex"):
        Tracer(store).trace_text("Ships are safe in harbour")


def test_schema_1_archive_is_migrated_and_asks_for_a_reindex(tmp_path):
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.executescript("""
        CREATE TABLE documents (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, speaker TEXT, date TEXT, title TEXT,
                                url TEXT, text TEXT NOT NULL, words INTEGER NOT NULL, digest TEXT NOT NULL, extra TEXT);
        CREATE TABLE postings (hash INTEGER NOT NULL, doc INTEGER NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (hash, doc, pos)) WITHOUT ROWID;
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO settings VALUES ('shingle_words', '3'), ('window', '4');
        INSERT INTO documents VALUES (1, 'x', 'Ada Lovelace', '2001', NULL, NULL, 'The engine weaves algebraic patterns as the loom weaves flowers.', 11, 'd', NULL);
        PRAGMA application_id = 1364480579;
        PRAGMA user_version = 1;
    """)
    con.close()
    with Archive.open(db) as store, pytest.raises(ArchiveError, match="reindex"):
        Tracer(store).trace_text("weaves algebraic patterns as the loom")
    with Archive.open(db) as store:
        store.reindex()
        assert Tracer(store).trace_text("weaves algebraic patterns as the loom").verdict == "verbatim"


def test_word_hashes_do_not_depend_on_where_a_word_stands():
    words = ["été", "nation's", "x" * 3000, "the"]  # accented, apostrophe, a word hashed whole, a common one
    alone = hash_words(*index_words(" ".join(words))[:3])
    far = hash_words(*index_words("filler " * 300_000 + " ".join(words))[:3])  # past the first 1M-character chunk
    assert far[-4:].tolist() == alone.tolist()
    assert len(set(alone.tolist())) == 4
