"""The tracing benchmark: quotetrace side by side with tantivy + rapidfuzz, SQLite FTS5 and a brute-force edlib scan.

    python bench/tracing/run.py                 # Miller Center, UN General Debates, synthetic 1 GB
    python bench/tracing/run.py --synthetic-gb 0.2 --no-edlib

Accuracy uses the gold cases in tests/gold (sampled from the archives by
cases.py, with source spans); speed is measured on the same cases, warm, one
quote at a time, and on a synthetic Zipf archive for scale. Everything runs
in one process run so the ratios between tools are comparable. Needs the
bench extras: pip install tantivy edlib.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from quotetrace.archive import Archive
from quotetrace.normalize import words
from quotetrace.trace import Tracer
from quotetrace.verdict import Claim

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SPEECHES = ROOT.parent / "shared" / "data" / "speeches"
sys.path.insert(0, str(HERE))
from cases import read_documents  # noqa: E402
from score import answer_of, score  # noqa: E402

_INGEST = """
import json, resource, sys, time
from quotetrace.archive import Archive
from quotetrace.documents import read_records
from pathlib import Path
started = time.perf_counter()
with Archive.open(sys.argv[2], create=True) as store:
    stats = store.add(read_records(Path(sys.argv[1])), workers=2)
    info = store.info()
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": peak / 1024, "words": stats.words,
                  "index_bytes": info.index_bytes}))
"""


def ingest(source: Path, db: Path) -> dict:
    """Build our archive in a child process; its time, peak memory and index size."""
    for stale in db.parent.glob(db.name + "*"):
        subprocess.run(["rm", "-rf", str(stale)], check=True)
    out = subprocess.run([sys.executable, "-c", _INGEST, str(source), str(db)], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8") as f:
        result["text_bytes"] = sum(len(json.loads(line)["text"].encode()) for line in f)
    return result


def timed(fn, items):
    answers, times = {}, []
    for key, item in items:
        started = time.perf_counter()
        answers[key] = fn(item)
        times.append(time.perf_counter() - started)
    return answers, times


def ours(db: Path, cases: list[dict]):
    with Archive.open(db) as store:
        tracer = Tracer(store)
        run = lambda c: answer_of(tracer.trace_text(c["quote"], Claim(**c["claim"])))  # noqa: E731
        for c in cases[:20]:  # warm the caches, as a long-running service would be
            run(c)
        return timed(run, [(c["id"], c) for c in cases])


def _source_only(doc_id, start=None, end=None) -> dict:
    sources = [] if doc_id is None else [{"doc_id": doc_id, "start": start, "end": end, "part": 0}]
    return {"verdict": None, "flags": [], "speaker_check": None, "date_check": None, "sources": sources}


def tantivy_tool(docs: list[dict], cases: list[dict], folder: Path):
    """tantivy BM25 top 50, re-ranked by rapidfuzz partial_ratio_alignment."""
    import tantivy
    from rapidfuzz import fuzz

    schema = tantivy.SchemaBuilder().add_text_field("id", stored=True).add_text_field("text", stored=False).build()
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer()
    for d in docs:
        writer.add_document(tantivy.Document(id=d["id"], text=d["text"]))
    writer.commit()
    index.reload()
    searcher = index.searcher()
    texts = {d["id"]: d["text"] for d in docs}

    def run(case):
        terms = re.sub(r"[^\w\s]", " ", " ".join(words(case["quote"])))
        if not terms:
            return _source_only(None)
        hits = searcher.search(index.parse_query(terms, ["text"]), 50).hits
        best = None
        for _, address in hits:
            doc_id = searcher.doc(address)["id"][0]
            a = fuzz.partial_ratio_alignment(case["quote"], texts[doc_id], processor=str.lower)
            if best is None or a.score > best[0]:
                best = (a.score, doc_id, a.dest_start, a.dest_end)
        return _source_only(*best[1:]) if best and best[0] >= 60 else _source_only(None)

    return timed(run, [(c["id"], c) for c in cases])


def fts5_tool(docs: list[dict], cases: list[dict], path: Path):
    """SQLite FTS5: the quote's words as one phrase query (finds exact copies only)."""
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, text)")
    db.executemany("INSERT INTO docs VALUES (?, ?)", ((d["id"], d["text"]) for d in docs))
    db.commit()

    def run(case):
        phrase = " ".join(re.sub(r"[^\w]", " ", w) for w in words(case["quote"]))
        row = db.execute("SELECT id FROM docs WHERE docs MATCH ? LIMIT 1", (f'"{phrase}"',)).fetchone() if phrase.strip() else None
        return _source_only(row[0] if row else None)

    return timed(run, [(c["id"], c) for c in cases])


def edlib_tool(docs: list[dict], cases: list[dict]):
    """Brute force: edlib's infix alignment of the quote against every document (the accuracy oracle)."""
    import edlib

    lowered = [(d["id"], d["text"].lower()) for d in docs]

    def run(case):
        query, best = case["quote"].lower(), None
        for doc_id, text in lowered:
            k = len(query) // 3 if best is None else best[0] - 1
            if k < 0:
                break
            r = edlib.align(query, text, mode="HW", task="locations", k=k)
            if r["editDistance"] >= 0 and (best is None or r["editDistance"] < best[0]):
                best = (r["editDistance"], doc_id, r["locations"][0][0], r["locations"][0][1] + 1)
        return _source_only(*best[1:]) if best else _source_only(None)

    return timed(run, [(c["id"], c) for c in cases])


def synthetic(path: Path, gigabytes: float, seed: int = 7) -> None:
    """Documents of Zipf-distributed made-up words, with speakers and dates."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array(["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), rng.integers(2, 10))) for _ in range(200_000)])
    target, written, n = int(gigabytes * 1e9), 0, 0
    with open(path, "w", encoding="utf-8") as f:
        while written < target:
            ids = np.minimum(rng.zipf(1.2, size=8000), len(vocabulary)) - 1
            body = vocabulary[ids]
            body[::17] = np.char.add(body[::17], ".")
            text = " ".join(body.tolist())
            f.write(json.dumps({"id": f"syn-{n}", "speaker": f"Speaker {n % 500}", "date": f"{1950 + n % 70}-01-01", "text": text}) + "\n")
            written += len(text)
            n += 1


def scale_queries(path: Path, count: int, seed: int = 11) -> list[dict]:
    rng = np.random.default_rng(seed)
    docs = read_documents(path)
    cases = []
    for i in range(count):
        d = docs[int(rng.integers(len(docs)))]
        w = d["text"].split()
        start, n = int(rng.integers(0, len(w) - 40)), int(rng.integers(8, 30))
        cases.append({"id": f"s{i}", "kind": "verbatim", "quote": " ".join(w[start:start + n]),
                      "claim": {"speaker": d["speaker"], "date": d["date"]},
                      "gold": {"verdict": "verbatim", "flags": [], "speaker_check": "match", "date_check": "match",
                               "parts": [{"doc_id": d["id"], "start": 0, "end": 1}]}})
    return cases


def article_end_to_end(db: Path, cases: list[dict], store: Archive | None = None) -> float:
    """Seconds to extract and trace an article of 20 quotes, as `quotetrace trace` does in process; the archive is
    opened too unless ``store`` is one already open (as in a service)."""
    from quotetrace.articles import Article
    from quotetrace.quotes import extract_quotes
    from quotetrace.trace import trace_quotes

    text = "\n\n".join(f'The speaker said: "{c["quote"]}."' for c in cases[:20])
    started = time.perf_counter()
    with Archive.open(db) if store is None else contextlib.nullcontext(store) as archive:
        quotes = extract_quotes(Article(text=text, source="bench"))
        trace_quotes(quotes, archive)
    return time.perf_counter() - started


def articles_end_to_end(db: Path, cases: list[dict], runs: int = 5) -> tuple[float, float, float]:
    """The first 20-quote article of a process (it compiles the attribution patterns once), then the medians of
    ``runs`` more (other quotes each) that open the archive, and of ``runs`` more against an archive kept open."""
    first = article_end_to_end(db, cases)
    opening = statistics.median(article_end_to_end(db, cases[20 * i:]) for i in range(1, runs + 1))
    with Archive.open(db) as store:
        article_end_to_end(db, cases[-20:], store)  # the store's first look-ups map its files
        kept = statistics.median(article_end_to_end(db, cases[20 * i:], store) for i in range(runs + 1, 2 * runs + 1))
    return first, opening, kept


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _ms(times: list[float]) -> tuple[str, str]:
    ordered = sorted(times)
    return f"{1000 * statistics.median(ordered):.2f}", f"{1000 * ordered[int(0.95 * (len(ordered) - 1))]:.2f}"


def table(title: str, rows: dict[str, tuple[dict, list[float]]]) -> None:
    metrics = ["source_acc_exact", "source_acc_altered", "span_f1", "splice_parts_recall", "splice_parts_f1",
               "verdict_macro_f1", "flags_acc", "speaker_mismatch_precision", "date_mismatch_precision"]
    print(f"\n## {title}\n")
    print("| tool | cases | " + " | ".join(metrics) + " | p50 ms | p95 ms |")
    print("|---" * (len(metrics) + 4) + "|")
    for tool, (scores, times) in rows.items():
        p50, p95 = _ms(times)
        print(f"| {tool} | {scores['cases']} | " + " | ".join(_fmt(scores[m]) for m in metrics) + f" | {p50} | {p95} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    parser.add_argument("--synthetic-gb", type=float, default=1.0)
    parser.add_argument("--no-edlib", action="store_true")
    parser.add_argument("--no-others", action="store_true", help="only quotetrace (no tantivy, FTS5, edlib)")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    builds = {}
    for name, source, gold in (("Miller Center", SPEECHES / "miller-center.jsonl.gz", ROOT / "tests/gold/tracing.jsonl"),
                               ("UN General Debates", SPEECHES / "un-general-debates.jsonl.gz", ROOT / "tests/gold/tracing-un.jsonl")):
        db = args.cache / (source.name.split(".")[0] + ".db")
        builds[name] = ingest(source, db)
        cases = [json.loads(line) for line in gold.read_text().splitlines()]
        rows = {"quotetrace": _scored(cases, *ours(db, cases))}
        if not args.no_others:
            docs = read_documents(source)
            with tempfile.TemporaryDirectory() as tmp:
                rows["tantivy BM25 top-50 + rapidfuzz"] = _scored(cases, *tantivy_tool(docs, cases, Path(tmp)))
                rows["SQLite FTS5 phrase"] = _scored(cases, *fts5_tool(docs, cases, Path(tmp) / "fts.db"))
            if name == "Miller Center" and not args.no_edlib:
                rows["edlib brute force (oracle)"] = _scored(cases, *edlib_tool(docs, cases))
        table(f"{name}: {len(cases)} gold cases", rows)

    synthetic_path = args.cache / f"synthetic-{args.synthetic_gb:g}gb.jsonl"
    if not synthetic_path.exists():
        synthetic(synthetic_path, args.synthetic_gb)
    db = args.cache / f"synthetic-{args.synthetic_gb:g}gb.db"
    builds[f"synthetic {args.synthetic_gb:g} GB"] = ingest(synthetic_path, db)
    cases = scale_queries(synthetic_path, 500)
    answers, times = ours(db, cases)
    found = sum(bool(a["sources"]) and a["sources"][0]["doc_id"] == c["gold"]["parts"][0]["doc_id"] for c, a in zip(cases, answers.values()))
    p50, p95 = _ms(times)
    print(f"\n## Scale: synthetic {args.synthetic_gb:g} GB archive, {len(cases)} verbatim quotes of 8–30 words\n")
    first, opening, kept = articles_end_to_end(db, cases)
    print(f"quotetrace: accuracy@1 {found / len(cases):.3f}, p50 {p50} ms, p95 {p95} ms per quote (warm)")
    print(f"a 20-quote article end to end (quotes extracted and traced; medians of 5): {1000 * kept:.0f} ms with the "
          f"archive open (a service), {1000 * opening:.0f} ms opening the archive too; the first in a process, which "
          f"also compiles the attribution patterns: {1000 * first:.0f} ms")
    print("\n## Index builds (quotetrace archive add, 2 worker processes)\n")
    print("| archive | text MB | seconds | MB/s | peak MB | index MB | index / text |")
    print("|---|---|---|---|---|---|---|")
    for name, b in builds.items():
        mb = b["text_bytes"] / 1e6
        print(f"| {name} | {mb:.0f} | {b['seconds']:.1f} | {mb / b['seconds']:.1f} | {b['peak_mb']:.0f} | "
              f"{b['index_bytes'] / 1e6:.0f} | {b['index_bytes'] / b['text_bytes']:.2f} |")


def _scored(cases, answers, times):
    return score(cases, answers), times


if __name__ == "__main__":
    main()
