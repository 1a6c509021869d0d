"""Accuracy gate for tracing: gold cases sampled from real speeches must keep their scores (pinned floors).

The cases (tests/gold/tracing*.jsonl) come from bench/tracing/cases.py with a
fixed seed: verbatim, normalised, trimmed, elided, altered, spliced, wrongly
attributed and invented quotes, each with its source span.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from quotetrace.archive import Archive
from quotetrace.documents import read_records
from quotetrace.trace import Tracer
from quotetrace.verdict import Claim

ROOT = Path(__file__).resolve().parents[1]
SPEECHES = ROOT / ".." / "shared" / "data" / "speeches"
sys.path.insert(0, str(ROOT / "bench" / "tracing"))
from score import answer_of, score  # noqa: E402

FLOORS = {
    "source_acc_exact": 0.995, "source_acc_altered": 0.98, "span_f1": 0.97, "splice_parts_recall": 1.0,
    "splice_parts_f1": 0.97, "verdict_macro_f1": 0.97, "flags_acc": 0.97,
    "speaker_mismatch_precision": 0.995, "date_mismatch_precision": 0.995,
}


def gate(archive_file: Path, gold_file: Path, tmp_path: Path) -> dict:
    cases = [json.loads(line) for line in gold_file.read_text().splitlines()]
    with Archive.open(tmp_path / "gate.db", create=True) as store:
        store.add(read_records(archive_file), workers=2)
        tracer = Tracer(store)
        answers = {c["id"]: answer_of(tracer.trace_text(c["quote"], Claim(**c["claim"]))) for c in cases}
    scores = score(cases, answers)
    below = {k: (round(scores[k], 4), floor) for k, floor in FLOORS.items() if scores[k] is None or scores[k] < floor}
    assert not below, f"tracing accuracy fell below its floors: {below}"
    return scores


@pytest.mark.skipif(not (SPEECHES / "miller-center.jsonl.gz").exists(), reason="needs ../shared/data")
def test_tracing_gold_gate_miller_center(tmp_path):
    gate(SPEECHES / "miller-center.jsonl.gz", ROOT / "tests" / "gold" / "tracing.jsonl", tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(not (SPEECHES / "un-general-debates.jsonl.gz").exists(), reason="needs ../shared/data")
def test_tracing_gold_gate_un_general_debates(tmp_path):
    gate(SPEECHES / "un-general-debates.jsonl.gz", ROOT / "tests" / "gold" / "tracing-un.jsonl", tmp_path)
