"""Batch tracing: one machine against Spark local[1] and local[2], the same articles against the same archive.

    python bench/batch/run.py                  # the UN gold cases as articles, against the UN General Debates
    python bench/batch/run.py --archive miller # the Miller Center gold cases, against the Miller Center speeches

Each run starts from the raw files, as passim does: one machine builds the
index (`archive add`, 2 processes) and traces every article; Spark traces
them with no index, by a join on shingle hashes. Every run is a separate
process; peak memory is the largest resident size of its whole process tree
(driver, JVM and Python workers), sampled every 0.2 s. Each job runs
``--repeat`` times (3), the jobs interleaved; the table gives each job's
median run. passim's figure is the one the tracing issue measured on this
kind of machine: 98.5 s for 52 MB.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
from process_tree import tree_rss_mb  # noqa: E402
SPEECHES = ROOT.parent / "shared" / "data" / "speeches"
ARCHIVES = {"un": (SPEECHES / "un-general-debates.jsonl.gz", ROOT / "tests" / "gold" / "tracing-un.jsonl"),
            "miller": (SPEECHES / "miller-center.jsonl.gz", ROOT / "tests" / "gold" / "tracing.jsonl")}
PASSIM_SECONDS, PASSIM_MB = 98.5, 52.0


def articles_of(gold: Path) -> list[dict]:
    """Each gold case as a one-quote article, its claim written as articles write it."""
    articles = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        claim, text = case["claim"], f"“{case['quote']}”"
        if claim.get("speaker"):
            text = f"{claim['speaker']} said: {text}"
        if claim.get("date"):
            text += f" [{claim['date']}]"
        articles.append({"id": case["id"], "text": text})
    return articles


def run_single(archive: str, articles: str, tmp: str) -> dict:
    from quotetrace.archive import Archive
    from quotetrace.articles import read_article
    from quotetrace.documents import read_records
    from quotetrace.pipeline import trace_report

    started = time.perf_counter()
    with Archive.open(Path(tmp) / "single.db", create=True) as store:
        store.add(read_records(Path(archive)), workers=2)
        indexed = time.perf_counter()
        quotes = 0
        for line in Path(articles).read_text(encoding="utf-8").splitlines():
            a = json.loads(line)
            quotes += len(trace_report(read_article(a["text"].encode(), a["id"], "markdown"), store).quotes)
    done = time.perf_counter()
    return {"quotes": quotes, "seconds": done - started, "trace_seconds": done - indexed}


def run_spark(archive: str, articles: str, tmp: str, cores: int) -> dict:
    from quotetrace.spark import batch, spark_session

    started = time.perf_counter()
    spark = spark_session(f"local[{cores}]")
    ready = time.perf_counter()
    summary = batch(spark, articles, archive, str(Path(tmp) / f"out-{cores}"))
    done = time.perf_counter()
    spark.stop()
    return {"quotes": summary["quotes"], "seconds": done - started, "startup_seconds": ready - started}


def measured(args: list[str]) -> tuple[dict, float]:
    """Run this script as a child doing one job; its result and the peak memory of its process tree."""
    child = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0.0

    def sample() -> None:
        nonlocal peak
        while child.poll() is None:
            peak = max(peak, tree_rss_mb(child.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = child.communicate()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed")
    return json.loads(out.strip().splitlines()[-1]), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", choices=sorted(ARCHIVES), default="un")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each job; the table gives the median run")
    parser.add_argument("--job", choices=["single", "spark"], help=argparse.SUPPRESS)
    parser.add_argument("--cores", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--files", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:  # a child: do one job, print its figures as JSON
        archive, articles, tmp = args.files
        result = run_single(archive, articles, tmp) if args.job == "single" else run_spark(archive, articles, tmp, args.cores)
        print(json.dumps(result))
        return

    archive, gold = ARCHIVES[args.archive]
    if not archive.exists():
        raise SystemExit(f"{archive} is missing: this benchmark reads ../shared/data")
    articles = articles_of(gold)
    with tempfile.TemporaryDirectory() as tmp:
        articles_path = Path(tmp) / "articles.jsonl"
        articles_path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
        size_mb = (sum(len(json.loads(line)["text"].encode()) for line in _lines(archive)) + articles_path.stat().st_size) / 1e6
        jobs = [("one machine (index build + trace)", ["--job", "single"])]
        jobs += [(f"Spark local[{cores}] (join, no index)", ["--job", "spark", "--cores", str(cores)]) for cores in (1, 2)]
        trials: dict[str, list] = {name: [] for name, _ in jobs}
        for trial in range(args.repeat):  # interleaved, so that a noisy minute does not fall on one job alone
            for number, (name, job) in enumerate(jobs):
                out = Path(tmp) / f"run-{trial}-{number}"  # every run from scratch: nothing built or resumed from another
                out.mkdir()
                trials[name].append(measured([*job, "--files", str(archive), str(articles_path), str(out)]))
                shutil.rmtree(out)
        runs = [(name, *_median(trials[name])) for name, _ in jobs]

    print(f"## Batch tracing: {len(articles)} articles (tests/gold/{gold.name}) against {archive.name} ({size_mb:.0f} MB of text)\n")
    print("| run | quotes | wall s | quotes/s | MB/s | peak MB | vs passim |")
    print("|---|---|---|---|---|---|---|")
    passim = PASSIM_MB / PASSIM_SECONDS
    for name, result, peak in runs:
        mb_s = size_mb / result["seconds"]
        print(f"| {name} | {result['quotes']} | {result['seconds']:.1f} | {result['quotes'] / result['seconds']:.2f} | "
              f"{mb_s:.2f} | {peak:.0f} | {mb_s / passim:.1f}× |")
    single, spark1, spark2 = (r[1] for r in runs)
    print(f"\none machine: {single['trace_seconds']:.1f} s of the {single['seconds']:.1f} s trace the articles once the index is built")
    print(f"Spark: session start {spark2['startup_seconds']:.1f} s; local[2] / local[1] speed-up {spark1['seconds'] / spark2['seconds']:.2f}×")
    print(f"passim: {PASSIM_MB:.0f} MB in {PASSIM_SECONDS} s = {passim:.2f} MB/s (the tracing issue's measurement)")
    walls = {name.split(" (")[0]: ", ".join(f"{result['seconds']:.1f}" for result, _ in trials[name]) for name, _ in jobs}
    print(f"median of {args.repeat} runs of each job; every run's wall seconds: " + "; ".join(f"{k} {v}" for k, v in walls.items()))


def _median(results: list[tuple[dict, float]]) -> tuple[dict, float]:
    """The run with the median wall time (the lower middle one of an even count)."""
    ordered = sorted(results, key=lambda r: r[0]["seconds"])
    return ordered[(len(ordered) - 1) // 2]


def _lines(path: Path):
    import gzip

    with gzip.open(path, "rt", encoding="utf-8") as f:
        yield from f


if __name__ == "__main__":
    main()
