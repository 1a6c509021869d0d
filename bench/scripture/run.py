"""The scripture benchmark: loading the packs, checking references, finding uncited verses, and accuracy.

    python bench/scripture/run.py

Loads the three built-in Bibles and the 16 Qur'an translations of
../shared/data/scripture/quran-en, then times (medians of one run) and scores
the gold cases of tests/gold/scripture.jsonl and a larger held-out set
generated with another seed.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
QURAN = ROOT.parent / "shared" / "data" / "scripture" / "quran-en"
sys.path.insert(0, str(HERE))

from quotetrace.scripture.check import ScriptureChecker  # noqa: E402
from quotetrace.scripture.refs import parse_reference  # noqa: E402
from quotetrace.scripture.texts import load_library  # noqa: E402
from scripture_score import run_case, score  # noqa: E402


def _ms(times: list[float]) -> str:
    ordered = sorted(times)
    return f"p50 {1000 * statistics.median(ordered):.2f} ms, p95 {1000 * ordered[int(0.95 * (len(ordered) - 1))]:.2f} ms"


def main() -> None:
    started = time.perf_counter()
    library = load_library([QURAN])
    loaded = time.perf_counter() - started
    checker = ScriptureChecker(library)
    started = time.perf_counter()
    checker.index  # noqa: B018  (built on first use; timed here)
    indexed = time.perf_counter() - started
    counts = {canon: len(library.of(canon)) for canon in ("bible", "quran")}
    verses = sum(len(t.verses) for t in library.translations)
    print(f"\n## Loading: {counts['bible']} Bible and {counts['quran']} Qur'an translations, {verses:,} verses\n")
    print(f"packs loaded in {loaded:.2f} s; word-pair index built in {indexed:.2f} s")

    gold = [json.loads(line) for line in (ROOT / "tests" / "gold" / "scripture.jsonl").read_text().splitlines()]
    held_out = [json.loads(line) for line in subprocess.run(
        [sys.executable, str(HERE / "cases.py"), "--seed", "7", "--scale", "5"], capture_output=True, text=True, check=True,
    ).stdout.splitlines()]

    cited = [c for c in held_out if c["cited"]]
    uncited = [c for c in held_out if c["kind"] == "uncited"]
    refs = [parse_reference(c["cited"]) for c in cited]
    parse_times = []
    for c in cited:
        begun = time.perf_counter()
        parse_reference(c["cited"])
        parse_times.append(time.perf_counter() - begun)
    for label, pass_name in (("first check (cold: verse words not cached)", "cold"), ("same checks again (warm)", "warm")):
        check_times = []
        for c, ref in zip(cited, refs):
            begun = time.perf_counter()
            checker.check(c["quote"], ref)
            check_times.append(time.perf_counter() - begun)
        print(f"check a cited quote, {label}: {_ms(check_times)} ({len(cited)} quotes)")
    find_times = []
    for c in uncited:
        begun = time.perf_counter()
        checker.check(c["quote"])
        find_times.append(time.perf_counter() - begun)
    print(f"parse a reference: {_ms(parse_times)}")
    print(f"find the verse of an uncited quote among all {verses:,} verses: {_ms(find_times)} ({len(uncited)} quotes)")

    print("\n## Accuracy\n")
    print("| cases | n | references read | verdicts | verse named |")
    print("|---|---|---|---|---|")
    for name, cases in (("gold (tests/gold/scripture.jsonl, seed 2026)", gold), ("held out (seed 7, ×5)", held_out)):
        s = score(cases, {c["id"]: run_case(checker, c) for c in cases})
        print(f"| {name} | {s['cases']} | {s['references']:.3f} | {s['verdicts']:.3f} | {s['verse_named']:.3f} |")


if __name__ == "__main__":
    main()
