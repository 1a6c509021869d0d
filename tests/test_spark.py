"""Spark batch tracing gives what one machine gives: the same verdicts, sources and edits on the tracing gold set.

Run with ``pytest -m spark`` (needs the [spark] extra and Java 17; CI runs it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.spark
pytest.importorskip("pyspark")

from quotetrace.archive import Archive  # noqa: E402
from quotetrace.articles import read_article  # noqa: E402
from quotetrace.documents import read_records  # noqa: E402
from quotetrace.pipeline import trace_report  # noqa: E402
from quotetrace.spark import batch, build_archive, spark_session  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MILLER = ROOT.parent / "shared" / "data" / "speeches" / "miller-center.jsonl.gz"
GOLD = ROOT / "tests" / "gold" / "tracing.jsonl"


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]")
    yield session
    session.stop()


def article_of(case: dict) -> dict:
    """A gold case as a one-quote article: the claim is written the way articles write it."""
    claim = case["claim"]
    text = f"“{case['quote']}”"
    if claim.get("speaker"):
        text = f"{claim['speaker']} said: {text}"
    if claim.get("date"):
        text += f" [{claim['date']}]"
    return {"id": case["id"], "text": text}


def single_machine(articles: list[dict], archive: Archive) -> dict[tuple[str, str], dict]:
    results = {}
    for a in articles:
        report = trace_report(read_article(a["text"].encode(), a["id"], "markdown"), archive)
        for quote in json.loads(json.dumps(report.to_dict()))["quotes"]:  # as JSON, the contract's form
            results[a["id"], quote["id"]] = quote
    return results


def spark_results(spark, out: Path) -> dict[tuple[str, str], dict]:
    return {(r.article_id, r.id): json.loads(r.quote_json) for r in spark.read.parquet(str(out / "quotes")).collect()}


@pytest.mark.skipif(not MILLER.exists(), reason="needs ../shared/data")
def test_spark_and_one_machine_agree_on_the_tracing_gold_set(spark, tmp_path):
    cases = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    articles = [article_of(c) for c in cases]
    (tmp_path / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    with Archive.open(tmp_path / "miller.db", create=True) as archive:
        archive.add(read_records(MILLER), workers=2)
        expected = single_machine(articles, archive)
    summary = batch(spark, str(tmp_path / "articles.jsonl"), str(MILLER), str(tmp_path / "out"))
    got = spark_results(spark, tmp_path / "out")
    assert set(got) == set(expected) and summary["quotes"] == len(expected)
    differ = [key for key in expected if got[key] != expected[key]]
    assert not differ, f"{len(differ)} of {len(expected)} quotes differ, first {differ[0]}: {got[differ[0]]} != {expected[differ[0]]}"
    assert summary["verdicts"]["spliced"] > 0 and summary["speaker_mismatch"] > 0


def test_a_rerun_resumes_from_the_finished_stages_and_gives_the_same_results(spark, tmp_path):
    docs = [{"id": "ada", "speaker": "Ada Lovelace", "date": "2001-03-04", "text": "Our harbour will be rebuilt, stone by stone, and no family will be left behind."},
            {"id": "grace", "speaker": "Grace Hopper", "date": "2010", "text": "A good engineer measures twice and cuts once, and a good sailor reads the sky."}]
    articles = [{"id": "a", "text": 'Grace Hopper said: "Our harbour will be rebuilt, stone by stone, and no family will be left behind."'}]
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    (tmp_path / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles))
    run = [str(tmp_path / "articles.jsonl"), str(tmp_path / "docs.jsonl"), str(tmp_path / "out")]
    first_stages: list[str] = []
    batch(spark, *run, progress=first_stages.append)
    first = spark_results(spark, tmp_path / "out")
    (trace,) = [q["trace"] for q in first.values()]
    assert trace["verdict"] == "verbatim" and trace["speaker_check"] == "mismatch" and trace["source_speaker"] == "Ada Lovelace"
    again: list[str] = []
    batch(spark, *run, progress=again.append)
    assert first_stages == ["quotes", "shingles", "documents", "candidates", "alignments", "verdicts"]
    assert again == [f"{s} (done before: resumed)" for s in first_stages]
    assert spark_results(spark, tmp_path / "out") == first


def test_an_archive_built_by_spark_is_the_archive_add_would_build(spark, tmp_path, corpus_file):
    stats = build_archive(spark, str(corpus_file), tmp_path / "spark.db")
    with Archive.open(tmp_path / "plain.db", create=True) as plain:
        assert plain.add(read_records(corpus_file)) == stats and stats.added == 3
    with Archive.open(tmp_path / "spark.db") as built, Archive.open(tmp_path / "plain.db") as plain:
        text = "The sea does not forgive the careless, and neither does the budget committee."
        article = read_article(f'Grace Hopper said: "{text}"'.encode(), "a.txt")
        assert trace_report(article, built).to_dict() == trace_report(article, plain).to_dict()
        assert built.info().index_postings == plain.info().index_postings


def test_the_batch_commands_print_a_summary_and_say_what_is_wrong(tmp_path, corpus_file):
    import subprocess
    import sys

    article = {"id": "a", "text": 'Grace Hopper said: "Ships are safe in harbour, but that is not what ships are built for." [2010]'}
    (tmp_path / "articles.jsonl").write_text(json.dumps(article) + "\n")
    run = subprocess.run([sys.executable, "-m", "quotetrace", "batch", str(tmp_path / "articles.jsonl"), "--archive", str(corpus_file),
                          "--out", str(tmp_path / "out"), "--master", "local[1]"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["verdicts"] == {"verbatim": 1} and summary["speaker_mismatch"] == 0
    (tmp_path / "bad.jsonl").write_text(json.dumps({"id": "x", "date": "someday", "text": "words"}) + "\n")
    bad = subprocess.run([sys.executable, "-m", "quotetrace", "batch", str(tmp_path / "articles.jsonl"), "--archive",
                          str(tmp_path / "bad.jsonl"), "--out", str(tmp_path / "out2"), "--master", "local[1]"], capture_output=True, text=True)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines()[-1] == "quotetrace: error: archive, line 1: 'someday' is not a date. Fix that record and run again."


def test_without_pyspark_the_batch_command_says_what_to_install(monkeypatch):
    from quotetrace import spark as batch_jobs
    from quotetrace.errors import MissingExtraError

    monkeypatch.setattr(batch_jobs, "SparkSession", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'quotetrace\[spark\]'"):
        batch_jobs.require_spark()
