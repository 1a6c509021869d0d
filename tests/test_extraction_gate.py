"""Regression gate for extraction on PolNeAR dev: quote spans and speakers must keep their scores.

Scored as bench/extraction does (direct quotes: Content spans holding quotation
marks; a match at character Jaccard >= 0.5; a speaker right when its mention
overlaps the gold Source). The floors pin today's figures (the targets of the
extraction issue are higher: span F1 0.92, speaker accuracy 0.95).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / ".." / "shared" / "data" / "polnear" / "dev"
sys.path.insert(0, str(ROOT / "bench" / "extraction"))

FLOORS = {"j50_f1": 0.825, "exact_f1": 0.65, "speaker_acc": 0.90, "e2e_f1": 0.745}


@pytest.mark.skipif(not DEV.exists(), reason="needs ../shared/data")
def test_extraction_gate_on_polnear_dev():
    spec = importlib.util.spec_from_file_location("extraction_bench", ROOT / "bench" / "extraction" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)  # bench/*/run.py share a name: load this one under its own
    articles = bench.read_split(DEV)
    scores = bench.score(articles, {a.name: bench.quotetrace_system(a) for a in articles})
    below = {k: (round(scores[k], 4), floor) for k, floor in FLOORS.items() if scores[k] < floor}
    assert not below, f"extraction accuracy fell below its floors: {below}"
