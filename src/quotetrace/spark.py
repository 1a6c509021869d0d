"""Batch tracing on Apache Spark: the library's own kernels as stages over DataFrames (the ``[spark]`` extra).

    quotes      articles → quotes                    (extract_quotes)
    shingles    quotes → their shingle hashes        (tokenize, quote_hashes)
    documents   archive documents, checked and numbered as ``archive add`` does, analysed
                (analyse: the index's own winnowing); shingles no quote has are dropped here
    candidates  a join of quote and document shingles on the hash; boilerplate shingles dropped; each
                quote's documents ranked by shared shingles, the best few kept
    alignments  per quote, its postings and candidate texts held in a MemoryArchive
                and traced by the Tracer, as on one machine
    verdicts    one row per quote: the JSON contract's fields, as Parquet

No index is needed: the join replaces it. Each stage is written to Parquet
under ``OUT/_stages/<job>/`` and read back when the same job (same inputs,
same options) runs again, so a job that failed resumes after its last
finished stage. ``build_archive`` runs the analysis of a large archive as a
Spark job and writes the single-machine archive and index from it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from .archive import Archive, IngestStats
from .articles import read_article
from .documents import FIELDS, checked_record
from .errors import IngestError, InputError, MissingExtraError, QuotetraceError
from .index import Analysis, analyse, quote_hashes
from .memory import MemoryArchive
from .normalize import tokenize
from .options import DEFAULT_OPTIONS, TraceOptions
from .pipeline import quotes_to_trace
from .reports import Report
from .trace import Tracer, claim_of
from .verdict import Claim

_MISSING = None
try:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession, Window
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    _ANALYSED_ARROW = pa.schema([("rowid", pa.int64()), *[(f, pa.string()) for f in FIELDS],
                                 ("words", pa.int32()), ("checkpoints", pa.binary()), ("keys", pa.binary()),
                                 ("hashes", pa.list_(pa.int64())), ("positions", pa.list_(pa.int32())), ("error", pa.string())])
except ImportError as missing:  # the extra is optional: require_spark() says what to install
    SparkSession, _MISSING = None, missing.name

#: candidate documents kept per quote (the Tracer aligns at most ``max_candidates`` of them per part)
CANDIDATES_PER_QUOTE = 2 * DEFAULT_OPTIONS.max_candidates

_DOCUMENT_SCHEMA = "id string, speaker string, date string, title string, url string, text string"
_ARTICLE_SCHEMA = "id string, text string, title string, date string, speaker string, format string"
_QUOTE_SCHEMA = ("article_id string, qkey string, id string, kind string, text string, traceable boolean, "
                 "claim_speaker string, claim_date string, quote_json string")
_SOURCE = "struct<doc_id:string,speaker:string,date:string,title:string,url:string,start:int,end:int,text:string,context:string,score:double,part:int>"
_RESULT_SCHEMA = (
    "article_id string, id string, text string, start int, end int, speaker string, date string, kind string, parent string, "
    "verdict string, flags array<string>, speaker_check string, date_check string, source_speaker string, source_date string, "
    f"similarity double, sources array<{_SOURCE}>, edits array<struct<op:string,quote:string,source:string>>, quote_json string"
)


def require_spark() -> None:
    """Stop with what to install when the extra is missing."""
    if SparkSession is None:
        raise MissingExtraError(f"batch jobs need PySpark 4, pyarrow and Java 17 ({_MISSING} is not installed).",
                                "Install them with: pip install 'quotetrace[spark]'")


def spark_session(master: str | None = None) -> SparkSession:
    """A session for batch jobs: ``master`` such as ``local[2]``; None keeps what spark-submit set (or ``local[*]``)."""
    require_spark()
    builder = (SparkSession.builder.appName("quotetrace").config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false"))
    if not master and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit, which sets the master
        master = "local[*]"
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run this interpreter, where quotetrace is installed
        builder = builder.config("spark.sql.shuffle.partitions", "8")
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # pyspark reports a JVM that did not start as a plain exception
        raise QuotetraceError(f"Spark could not start ({_first_line(exc)}).",
                              "Spark needs Java 17: install it (apt-get install openjdk-17-jre-headless) or set JAVA_HOME.") from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def job_failure(exc: Exception) -> QuotetraceError | None:
    """A failure inside a Spark job, as a one-line error that says how to go on; None if ``exc`` is not Spark's."""
    if not type(exc).__module__.startswith(("pyspark", "py4j")):
        return None
    return QuotetraceError(f"the Spark job failed: {_first_line(exc)}",
                           "Run the same command again to resume from the last finished stage (--restart starts over).")


def read_table(spark: SparkSession, uri: str, schema: str) -> DataFrame:
    """JSON Lines (plain or compressed) or Parquet, from a local path or any URI Spark reads; the fields of ``schema``."""
    try:
        if uri.rstrip("/").endswith(".parquet") or _exists(spark, uri.rstrip("/") + "/_SUCCESS"):
            table = spark.read.parquet(uri)
            return table.select(*[F.col(f).cast("string") if f in table.columns else F.lit(None).cast("string").alias(f)
                                  for f in (part.split()[0] for part in schema.split(","))])
        return spark.read.schema(schema).option("mode", "FAILFAST").json(uri)  # a schema: no pass over the data to infer one
    except Exception as exc:  # Spark reports every failure as one of its own exception types
        raise InputError(f"{uri} cannot be read ({_first_line(exc)}).", "Give JSON Lines or Parquet files.") from exc


# -- stages -------------------------------------------------------------------------


def documents_stage(docs: DataFrame, k: int, window: int, wanted: np.ndarray | None = None) -> DataFrame:
    """Archive documents checked as ``archive add`` checks them, numbered in input order (as a fresh archive numbers
    them), each analysed once as the index analyses it: word count, checkpoints, word keys, winnowed shingles.

    With ``wanted`` (sorted shingle hashes: those the quotes look up), only the
    shingles among them are kept: the rest could never join. A record that
    ``archive add`` would refuse gets its reason in ``error`` (see ``refuse_bad_documents``).
    """
    spark = docs.sparkSession
    shared = spark.sparkContext.broadcast(wanted) if wanted is not None else None
    # numbers that grow in input order; a compressed file is read as one partition: spread it over the cores
    records = docs.withColumn("rowid", F.monotonically_increasing_id() + 1).repartition(max(2, spark.sparkContext.defaultParallelism * 2))

    def analysed(batches):
        for batch in batches:
            columns: dict[str, list] = {name: [] for name in _ANALYSED_ARROW.names}
            hashes, positions = [], []
            for row in batch.to_pylist():
                try:
                    record, error = checked_record({k: v for k, v in row.items() if v is not None and k != "rowid"}, "archive", row["rowid"]), None
                except IngestError as exc:
                    record, error = {"text": ""}, str(exc)
                a = analyse(record["text"], k, window)
                kept = _among(a.hashes, shared.value) if shared is not None else slice(None)
                for name, value in [("rowid", row["rowid"]), *((f, record.get(f)) for f in FIELDS), ("words", a.words),
                                    ("checkpoints", a.checkpoints), ("keys", a.keys.astype("<u2").tobytes()), ("error", error)]:
                    columns[name].append(value)
                hashes.append(a.hashes[kept].astype(np.int64))  # shingle hashes are 63-bit: they fit
                positions.append(a.positions[kept].astype(np.int32))
            offsets = pa.array(np.cumsum([0] + [len(h) for h in hashes]).astype(np.int32))
            columns["hashes"] = pa.ListArray.from_arrays(offsets, pa.array(np.concatenate(hashes) if hashes else np.empty(0, np.int64)))
            columns["positions"] = pa.ListArray.from_arrays(offsets, pa.array(np.concatenate(positions) if positions else np.empty(0, np.int32)))
            yield pa.RecordBatch.from_arrays([pa.array(columns[f.name], f.type) if isinstance(columns[f.name], list) else columns[f.name]
                                              for f in _ANALYSED_ARROW], schema=_ANALYSED_ARROW)

    return records.mapInArrow(analysed, from_arrow_schema(_ANALYSED_ARROW))


def _among(hashes: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which of ``hashes`` are in the sorted array ``wanted``."""
    at = np.minimum(np.searchsorted(wanted, hashes), max(len(wanted) - 1, 0))
    return (wanted[at] == hashes) if len(wanted) else np.zeros(len(hashes), bool)


def refuse_bad_documents(docs: DataFrame) -> None:
    """Stop with the first record that ``archive add`` would refuse, as it would (nothing is traced or written)."""
    bad = docs.where(F.col("error").isNotNull()).select("error").first()
    if bad is not None:
        raise IngestError(bad.error.split(". ")[0] + ".", "Fix that record and run again.")


def analysis_of(row) -> Analysis:
    """The Analysis of a row of ``documents_stage``, as ``analyse`` gave it."""
    return Analysis(row.words, bytes(row.checkpoints), np.frombuffer(row.keys, dtype="<u2"),
                    np.array(row.hashes, dtype=np.uint64), np.array(row.positions, dtype=np.int64))


def extract_stage(articles: DataFrame) -> DataFrame:
    """Every quote of every article (phrases included), with what tracing needs and its contract dict."""
    def quotes_of(row) -> Iterator[dict]:
        article_id = row.id or ""
        fmt = row.format if row.format in ("text", "markdown", "html") else "markdown"
        try:
            article = read_article((row.text or "").encode("utf-8"), article_id, fmt, speaker=row.speaker, date=row.date)
        except QuotetraceError:
            return  # an empty or unreadable article has no quotes
        if row.title:
            article = dataclasses.replace(article, title=row.title)
        quotes = quotes_to_trace(article)
        for quote, item in zip(quotes, Report(article, quotes).to_dict()["quotes"]):
            claim = claim_of(quote)
            yield {"article_id": article_id, "qkey": f"{article_id}\x1f{quote.id}", "id": quote.id, "kind": quote.kind,
                   "text": quote.text, "traceable": claim is not None, "claim_speaker": claim and claim.speaker,
                   "claim_date": claim and claim.date, "quote_json": json.dumps(item, ensure_ascii=False)}

    return articles.sparkSession.createDataFrame(articles.rdd.flatMap(quotes_of), _QUOTE_SCHEMA, verifySchema=False)


def shingle_stage(quotes: DataFrame, k: int) -> DataFrame:
    """(qkey, hash): the shingles each traceable quote looks up."""
    def hashes_of(row) -> Iterator[tuple[str, int]]:
        shingles, _ = quote_hashes([t.norm for t in tokenize(row.text)], k)
        for h in set(shingles.tolist()):
            yield row.qkey, h

    rdd = quotes.where("traceable").select("qkey", "text").rdd.flatMap(hashes_of)
    return quotes.sparkSession.createDataFrame(rdd, "qkey string, hash long", verifySchema=False)


def postings(docs: DataFrame) -> DataFrame:
    """(hash, rowid, pos): the documents' shingles, one row each, exploded from their analyses."""
    pairs = docs.select("rowid", F.explode(F.arrays_zip("hashes", "positions")).alias("p"))
    return pairs.select(F.col("p.hashes").alias("hash"), "rowid", F.col("p.positions").alias("pos"))


def candidates_stage(shingles: DataFrame, postings: DataFrame, options: TraceOptions = DEFAULT_OPTIONS,
                     per_quote: int = CANDIDATES_PER_QUOTE) -> DataFrame:
    """(qkey, hash, count, rowid, pos): each quote's postings in its best candidate documents.

    ``count`` is the shingle's count in the whole archive (a seed votes with
    its rarity); shingles more common than ``max_postings`` are boilerplate and
    dropped, as the index drops them. Documents are ranked by the rarity of
    the shingles they share with the quote, so that the source of a short
    spliced part outranks documents that share only common phrases.
    """
    wanted = postings.join(shingles.select("hash").distinct(), "hash")  # the quotes' shingles, each posting once
    counts = wanted.groupBy("hash").count().where(F.col("count") <= options.max_postings)
    hits = shingles.join(counts, "hash").join(wanted, "hash")
    # a document's share of the quote, each shingle weighted by its rarity, as the Tracer's seeds vote
    shared = hits.select("qkey", "rowid", "hash", "count").distinct().groupBy("qkey", "rowid").agg(F.sum(1.0 / F.col("count")).alias("shared"))
    rank = F.row_number().over(Window.partitionBy("qkey").orderBy(F.desc("shared"), "rowid"))
    best = shared.withColumn("rank", rank).where(F.col("rank") <= per_quote).select("qkey", "rowid")
    return hits.join(best, ["qkey", "rowid"]).select("qkey", "hash", "count", "rowid", "pos")


def alignment_stage(quotes: DataFrame, candidates: DataFrame, docs: DataFrame, k: int,
                    options: TraceOptions = DEFAULT_OPTIONS) -> DataFrame:
    """(qkey, trace_json): each traceable quote traced by the Tracer against its candidates, held in memory."""
    hits = candidates.groupBy("qkey").agg(F.collect_list(F.struct("hash", "count", "rowid", "pos")).alias("hits"))
    held = F.struct("rowid", "id", "speaker", "date", "title", "url", "text", "words", "checkpoints", "keys")
    wanted = F.broadcast(candidates.select("qkey", "rowid").distinct())  # small: the documents' texts are read where they lie, not shuffled
    texts = wanted.join(docs, "rowid").groupBy("qkey").agg(F.collect_list(held).alias("docs"))
    bundles = (quotes.where("traceable").select("qkey", "text", "claim_speaker", "claim_date")
               .join(hits, "qkey", "left").join(texts, "qkey", "left"))

    def traced(row) -> tuple[str, str]:
        memory = MemoryArchive([d.asDict() for d in row.docs or []], [tuple(h) for h in row.hits or []], k)
        trace = Tracer(memory, options).trace_text(row.text, Claim(row.claim_speaker, row.claim_date))
        return row.qkey, json.dumps(dataclasses.asdict(trace), ensure_ascii=False)

    return quotes.sparkSession.createDataFrame(bundles.rdd.map(traced), "qkey string, trace_json string", verifySchema=False)


def verdicts_stage(quotes: DataFrame, traces: DataFrame) -> DataFrame:
    """One row per quote: the contract's fields as columns, and the whole quote (trace included) as ``quote_json``."""
    def result(row) -> dict:
        item = json.loads(row.quote_json)
        trace = json.loads(row.trace_json) if row.trace_json else None
        item["trace"] = trace and {**trace, "scripture_check": None}
        t = trace or {}
        return {"article_id": row.article_id, **{k: item.get(k) for k in ("id", "text", "start", "end", "speaker", "date", "kind", "parent")},
                **{k: t.get(k) for k in ("verdict", "speaker_check", "date_check", "source_speaker", "source_date", "similarity")},
                "flags": t.get("flags"), "sources": t.get("sources"),
                "edits": [{k: e[k] for k in ("op", "quote", "source")} for e in t.get("edits", [])] if trace else None,
                "quote_json": json.dumps(item, ensure_ascii=False)}

    rows = quotes.join(traces, "qkey", "left").select("article_id", "quote_json", "trace_json")
    return quotes.sparkSession.createDataFrame(rows.rdd.map(result), _RESULT_SCHEMA, verifySchema=False)


# -- jobs ---------------------------------------------------------------------------


def batch(spark: SparkSession, articles_uri: str, archive_uri: str, out: str, options: TraceOptions = DEFAULT_OPTIONS,
          restart: bool = False, progress: Callable[[str], None] | None = None) -> dict:
    """Trace every quote of the articles against the archive; results in ``OUT/quotes`` (Parquet) and ``OUT/summary``.

    Returns the summary: articles, quotes, quotes traced, counts by verdict and check.
    """
    k, window = options.shingle_words, options.window
    job = hashlib.sha256(json.dumps([articles_uri, archive_uri, dataclasses.asdict(options)]).encode()).hexdigest()[:12]
    stages = f"{out.rstrip('/')}/_stages/{job}"
    if restart:
        _delete(spark, f"{out.rstrip('/')}/_stages")

    rebuilt = restart

    def stage(name: str, build: Callable[[], DataFrame], path: str | None = None) -> DataFrame:
        """The stage's saved output, unless it or a stage before it had to be computed in this run."""
        nonlocal rebuilt
        path = path or f"{stages}/{name}"
        if rebuilt or not _exists(spark, path + "/_SUCCESS"):
            rebuilt = True
            if progress:
                progress(name)
            build().write.mode("overwrite").parquet(path)
        elif progress:
            progress(f"{name} (done before: resumed)")
        return spark.read.parquet(path)

    articles = read_table(spark, articles_uri, _ARTICLE_SCHEMA)
    quotes = stage("quotes", lambda: extract_stage(articles))
    shingles = stage("shingles", lambda: shingle_stage(quotes, k))

    def analysed() -> DataFrame:
        wanted = np.unique(np.array([r.hash for r in shingles.select("hash").distinct().collect()], dtype=np.int64))
        return documents_stage(read_table(spark, archive_uri, _DOCUMENT_SCHEMA), k, window, wanted.astype(np.uint64))

    docs = stage("documents", analysed)
    refuse_bad_documents(docs)
    candidates = stage("candidates", lambda: candidates_stage(shingles, postings(docs), options))
    traces = stage("alignments", lambda: alignment_stage(quotes, candidates, docs, k, options))
    results = stage("verdicts", lambda: verdicts_stage(quotes, traces), path=f"{out.rstrip('/')}/quotes")  # the last stage is the result
    summary = _summary(results)
    spark.createDataFrame([(json.dumps(summary),)], "summary string").coalesce(1).write.mode("overwrite").text(f"{out.rstrip('/')}/summary")
    return summary


def build_archive(spark: SparkSession, docs_uri: str, archive_path: Path,
                  progress: Callable[[int], None] | None = None) -> IngestStats:
    """Add a large archive's documents to a single-machine archive, their analysis (the costly part) done by Spark.

    The driver writes the SQLite file and the index segment as ``archive add``
    does, all or nothing, from the analyses streamed back in input order.
    """
    with Archive.open(archive_path, create=True) as archive:
        docs = documents_stage(read_table(spark, docs_uri, _DOCUMENT_SCHEMA), archive.shingle_words, archive.window).cache()
        refuse_bad_documents(docs)
        rows = docs.orderBy("rowid").toLocalIterator(prefetchPartitions=True)
        records = (({k: v for k in FIELDS if (v := getattr(row, k)) is not None}, analysis_of(row)) for row in rows)
        return archive.add_analysed(records, progress)


def _summary(results: DataFrame) -> dict:
    rows = results.groupBy("verdict", "speaker_check", "date_check").count().collect()
    verdicts: dict[str, int] = {}
    for r in rows:
        verdicts[r.verdict or "not traced (phrase)"] = verdicts.get(r.verdict or "not traced (phrase)", 0) + r["count"]
    return {
        "articles": results.select("article_id").distinct().count(),
        "quotes": sum(r["count"] for r in rows),
        "traced": sum(r["count"] for r in rows if r.verdict),
        "verdicts": dict(sorted(verdicts.items())),
        "speaker_mismatch": sum(r["count"] for r in rows if r.speaker_check == "mismatch"),
        "date_mismatch": sum(r["count"] for r in rows if r.date_check == "mismatch"),
    }


def _filesystem(spark: SparkSession, uri: str):
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), path


def _exists(spark: SparkSession, uri: str) -> bool:
    fs, path = _filesystem(spark, uri)
    return bool(fs.exists(path))


def _delete(spark: SparkSession, uri: str) -> None:
    fs, path = _filesystem(spark, uri)
    fs.delete(path, True)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
