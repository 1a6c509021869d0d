"""Reading archive documents from files: JSON Lines or a JSON array (plain or .gz), CSV, and .txt.

Every reader yields plain ``dict`` records with ``id``, ``speaker``, ``date``,
``title``, ``url``, ``text`` (and any other fields, kept as extras). A record
that cannot be used raises IngestError naming the file and line, so an ingest
stops before it changes anything.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .dates import parse_date
from .errors import IngestError, InputError
from .textfiles import decode, read_text

FIELDS = ("id", "speaker", "date", "title", "url", "text")


def read_records(path: Path, defaults: dict[str, str] | None = None) -> Iterator[dict]:
    """The document records of a file or of a folder of ``.txt`` files.

    ``defaults`` fill in metadata that a record lacks (``speaker``, ``date``,
    ``title``, ``url``), as given on the command line.
    """
    defaults = {k: v for k, v in (defaults or {}).items() if v}
    if not path.exists():
        raise InputError(f"{path}: no such file or folder.", "Check the path and try again.")
    if path.is_dir():
        files = sorted(path.rglob("*.txt"))
        if not files:
            raise InputError(f"{path} holds no .txt files.", "Give JSON Lines, CSV or .txt files.")
        for file in files:
            yield checked_record({**defaults, **_txt_record(file, root=path)}, file.name, 1, str(file))
        return
    if path.suffix.lower() == ".txt":
        yield checked_record({**defaults, **_txt_record(path, root=path.parent)}, path.name, 1, str(path))
        return
    _format(path.name)  # an unknown format is refused before the file is opened
    with open(path, "rb") as raw:
        yield from _read_stream(raw, path.name, str(path), defaults)


def read_upload(data: bytes, filename: str, defaults: dict[str, str] | None = None) -> Iterator[dict]:
    """The document records of an uploaded file's bytes; ``filename`` only tells the format and names it in messages."""
    defaults = {k: v for k, v in (defaults or {}).items() if v}
    if filename.lower().endswith(".txt"):
        text = decode(data, filename)
        stem = Path(filename).name.rsplit(".", 1)[0] or "upload"
        yield checked_record({"title": stem, **defaults, "id": stem, "text": text}, filename, 1)
        return
    _format(filename)
    yield from _read_stream(io.BytesIO(data), filename, filename, defaults)


def _format(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith((".jsonl", ".jsonl.gz", ".json", ".ndjson", ".ndjson.gz", ".json.gz")):
        return "jsonl"
    if lowered.endswith((".csv", ".csv.gz")):
        return "csv"
    raise InputError(f"{name}: unknown document format.", "Give .jsonl, .jsonl.gz, .csv or .txt files, or a folder of .txt files.")


def _read_stream(raw: BinaryIO, name: str, where: str, defaults: dict[str, str]) -> Iterator[dict]:
    """Records of a JSON Lines or CSV byte stream (gzip-compressed if ``name`` ends in .gz)."""
    source = gzip.GzipFile(fileobj=raw) if name.lower().endswith(".gz") else raw
    stream = io.TextIOWrapper(source, encoding="utf-8-sig", errors="strict", newline="")
    if _format(name) == "jsonl":
        for line_no, record in _jsonl(stream, where):
            yield checked_record({**defaults, **{k: v for k, v in record.items() if v is not None}}, name, line_no, where)
    else:
        for line_no, record in _csv(stream, where):
            yield checked_record({**defaults, **{k: v for k, v in record.items() if v}}, name, line_no, where)


def _jsonl(stream: io.TextIOBase, path: str) -> Iterator[tuple[int, dict]]:
    """Records of JSON Lines; a file that holds one JSON array of records (as a .json export may) is read whole."""
    line_no = 0
    try:
        first = stream.readline()
        if first.lstrip().startswith("["):
            records = _parsed(first + stream.read(), path)  # an error names the line in the file
            if not isinstance(records, list):
                raise IngestError(f"{path}: not a JSON array of records.", "Give one object per line, or an array of objects; nothing was added.")
            for number, record in enumerate(records, 1):
                yield number, _object(record, f"{path}, record {number}")
            return
        for line_no, line in enumerate(itertools.chain([first], stream), 1):
            if line.strip():
                yield line_no, _object(_parsed(line, path, line_no), f"{path}, line {line_no}")
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError, OSError) as exc:
        raise IngestError(f"{path}, after line {line_no}: cannot be read ({exc}).", "Give UTF-8 JSON Lines, plain or gzip-compressed; nothing was added.") from exc


def _parsed(text: str, path: str, line_no: int | None = None):
    """The JSON value of ``text`` (line ``line_no`` of the file, or all of it)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{path}, line {line_no if line_no is not None else exc.lineno}"
        raise IngestError(f"{where}: not valid JSON ({exc.msg}).", "Fix or remove that record; nothing was added.") from exc


def _object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise IngestError(f"{where}: not a JSON object.", "Each record must be an object with a \"text\" field; nothing was added.")
    return value


def _csv(stream: io.TextIOBase, path: str) -> Iterator[tuple[int, dict]]:
    csv.field_size_limit(sys.maxsize)
    try:
        reader = csv.DictReader(stream)
        if reader.fieldnames is None or "text" not in reader.fieldnames:
            raise IngestError(f"{path}: the CSV header has no \"text\" column.", f"Name the columns {', '.join(FIELDS)}; nothing was added.")
        for record in reader:
            yield reader.line_num, record
    except (UnicodeDecodeError, csv.Error, gzip.BadGzipFile, EOFError, OSError) as exc:
        raise IngestError(f"{path}: cannot be read as CSV ({exc}).", "Give UTF-8 CSV with a header row; nothing was added.") from exc


def _txt_record(file: Path, root: Path) -> dict:
    """A .txt document; metadata from a sidecar ``NAME.json`` beside it, if any."""
    record = {"id": file.relative_to(root).with_suffix("").as_posix(), "text": read_text(file), "title": file.stem}
    sidecar = file.with_suffix(".json")
    if sidecar.exists():
        try:
            meta = json.loads(decode(sidecar.read_bytes(), str(sidecar)))
        except json.JSONDecodeError as exc:
            raise IngestError(f"{sidecar}: not valid JSON ({exc.msg}).", "Fix the sidecar file; nothing was added.") from exc
        if not isinstance(meta, dict):
            raise IngestError(f"{sidecar}: not a JSON object.", "A sidecar holds one object such as {\"speaker\": …, \"date\": …}.")
        record.update({k: v for k, v in meta.items() if v is not None and k != "text"})
    return record


def checked_record(record: dict, name: str, line_no: int, path: str | None = None) -> dict:
    """The record with a text, a string id and an ISO date, or an IngestError saying why not."""
    where = f"{path or name}, line {line_no}"
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError(f"{where}: the record has no \"text\".", "Every document needs its text; nothing was added.")
    record["id"] = str(record.get("id") or f"{name}:{line_no}")
    date = record.get("date")
    if date is not None:
        iso = parse_date(str(date))
        if iso is None:
            raise IngestError(f"{where}: {date!r} is not a date.", "Write dates as 2019-11-03, 2019-11 or 2019; nothing was added.")
        record["date"] = iso
    for key in ("speaker", "title", "url"):
        if key in record and not isinstance(record[key], str):
            record[key] = str(record[key])
    return record
