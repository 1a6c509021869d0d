"""Accuracy gate for scripture checks: gold cases sampled from the translations must keep their scores.

The cases (tests/gold/scripture.jsonl) come from bench/scripture/cases.py with
a fixed seed: right, wrong, missing and invalid references, altered words,
prose cited as scripture, and the famous misquotations; each is read from a
line of an article, so reading the reference beside the quote counts too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from quotetrace.scripture.check import ScriptureChecker
from quotetrace.scripture.texts import load_library

ROOT = Path(__file__).resolve().parents[1]
QURAN = ROOT / ".." / "shared" / "data" / "scripture" / "quran-en"
sys.path.insert(0, str(ROOT / "bench" / "scripture"))
from scripture_score import run_case, score  # noqa: E402

FLOORS = {"references": 1.0, "verdicts": 0.95, "verse_named": 0.95}


@pytest.mark.skipif(not QURAN.exists(), reason="needs ../shared/data")
def test_scripture_gold_gate():
    cases = [json.loads(line) for line in (ROOT / "tests" / "gold" / "scripture.jsonl").read_text().splitlines()]
    checker = ScriptureChecker(load_library([QURAN]))
    scores = score(cases, {c["id"]: run_case(checker, c) for c in cases})
    below = {k: (round(scores[k], 4), floor) for k, floor in FLOORS.items() if scores[k] < floor}
    assert not below, f"scripture accuracy fell below its floors: {below}"
