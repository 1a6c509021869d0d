"""The archive: ingest from every format, idempotence, replacement, and all-or-nothing on bad input."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import SPEECHES
from quotetrace.archive import Archive
from quotetrace.documents import read_records
from quotetrace.errors import ArchiveError, IngestError


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


def test_readding_changes_nothing_and_changed_text_replaces(tmp_path, corpus_file):
    db = tmp_path / "a.db"
    add(db, corpus_file)
    assert add(db, corpus_file).unchanged == 3
    changed = [dict(SPEECHES[0], text="An entirely new text about the lighthouse keepers of the north coast.")]
    corpus_file.write_text(json.dumps(changed[0]) + "\n")
    assert add(db, corpus_file).replaced == 1
    assert info(db).documents == 3
    with Archive.open(db) as store:
        from quotetrace.trace import Tracer
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


def test_interrupted_ingest_rolls_back(tmp_path, corpus_file):
    db = tmp_path / "a.db"
    add(db, corpus_file)

    def records():
        yield {"id": "partial", "text": "This one is added before the interruption."}
        raise KeyboardInterrupt

    with Archive.open(db) as store, pytest.raises(KeyboardInterrupt):
        store.add(records())
    assert info(db).documents == 3


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
    before = archive._db.execute("SELECT count(*) FROM postings").fetchone()[0]
    assert archive.reindex() == before > 0
