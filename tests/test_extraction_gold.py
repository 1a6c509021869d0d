"""Accuracy gate for extraction on hand-written passages: every typography, cue, date and reference form
that extraction must read, including unbalanced and hostile ones (tests/gold/extraction.jsonl).

Each gold quote is matched by its exact text; a matched quote is then scored on
its kind (quote or phrase), speaker (as written, case aside), date and the
scripture references given with it. Floors pin today's figures.
"""

from __future__ import annotations

import json
from pathlib import Path

from quotetrace.articles import Article
from quotetrace.quotes import extract_quotes

GOLD = Path(__file__).parent / "gold" / "extraction.jsonl"
FLOORS = {"quote_f1": 1.0, "kind": 1.0, "speaker": 1.0, "date": 1.0, "references": 1.0}


def score() -> tuple[dict[str, float], list[str]]:
    found = predicted = gold_n = 0
    right = {"kind": 0, "speaker": 0, "date": 0, "references": 0}
    misses = []
    for case in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines()):
        article = Article(text=case["text"], source=case["id"], speaker=case["speaker"], date=case["date"])
        quotes = {q.text.strip(): q for q in extract_quotes(article)}
        predicted, gold_n = predicted + len(quotes), gold_n + len(case["quotes"])
        for gold in case["quotes"]:
            q = quotes.get(gold["text"].strip())
            if q is None:
                misses.append(f"{case['id']}: quote {gold['text']!r} not found (got {list(quotes)})")
                continue
            found += 1
            got = {"kind": q.kind, "speaker": (q.speaker or "").casefold() or None, "date": q.date,
                   "references": [s["ref"] for s in q.scripture]}
            want = {"kind": gold["kind"], "speaker": (gold["speaker"] or "").casefold() or None, "date": gold["date"],
                    "references": gold["refs"]}
            for field in right:
                if got[field] == want[field]:
                    right[field] += 1
                else:
                    misses.append(f"{case['id']}: {field} {got[field]!r}, expected {want[field]!r}")
    p, r = found / predicted if predicted else 0.0, found / gold_n
    scores = {"quote_f1": 2 * p * r / (p + r) if p + r else 0.0} | {k: v / found for k, v in right.items()}
    return scores, misses


def test_extraction_gold_gate():
    scores, misses = score()
    below = {k: (round(scores[k], 4), floor) for k, floor in FLOORS.items() if scores[k] < floor}
    assert not below, f"extraction accuracy fell below its floors: {below}\n" + "\n".join(misses)
