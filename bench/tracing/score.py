"""Scores of a tracer's answers against the gold cases of cases.py (shared by the bench and the CI gate).

An answer is a dict with ``verdict``, ``flags``, ``speaker_check``,
``date_check`` and ``sources`` (``doc_id``, ``start``, ``end``, ``part``); a
tool that gives no verdict leaves those keys None.
"""

from __future__ import annotations

from collections import Counter

EXACT_KINDS = ("verbatim", "normalised", "trimmed", "elided_marked", "elided_unmarked", "wrong_speaker", "wrong_date")


def answer_of(trace) -> dict:
    """A quotetrace Trace as an answer."""
    return {"verdict": trace.verdict, "flags": list(trace.flags), "speaker_check": trace.speaker_check,
            "date_check": trace.date_check,
            "sources": [{"doc_id": s.doc_id, "start": s.start, "end": s.end, "part": s.part} for s in trace.sources]}


def _overlap(a: dict, b: dict) -> int:
    if a["doc_id"] != b["doc_id"]:
        return 0
    if a["start"] is None:  # the right document, place unknown
        return 1
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def span_f1(predicted: dict, gold: dict) -> float:
    common = _overlap(predicted, gold)
    if not common:
        return 0.0
    p, r = common / (predicted["end"] - predicted["start"]), common / (gold["end"] - gold["start"])
    return 2 * p * r / (p + r)


def score(cases: list[dict], answers: dict[str, dict]) -> dict[str, float | None]:
    """The figures of the tracing issue, over the cases that have an answer."""
    exact, altered, spans, part_found, part_total, part_predicted, part_right = [], [], [], 0, 0, 0, 0
    flags_ok, verdict_pairs = [], []
    mismatch = {"speaker_check": Counter(), "date_check": Counter()}
    for case in cases:
        answer, gold = answers.get(case["id"]), case["gold"]
        if answer is None:
            continue
        sources = answer["sources"]
        if case["kind"] in EXACT_KINDS or case["kind"] == "altered":
            right = bool(sources) and sources[0]["doc_id"] == gold["parts"][0]["doc_id"]
            (altered if case["kind"] == "altered" else exact).append(right)
            if not sources or sources[0]["start"] is not None:  # a tool that cannot locate a passage has no span score
                spans.append(span_f1(sources[0], gold["parts"][0]) if sources else 0.0)
        if case["kind"].startswith("spliced"):
            part_total += len(gold["parts"])
            part_found += sum(any(_overlap(s, g) for s in sources) for g in gold["parts"])
            firsts = {}
            for s in sources:
                firsts.setdefault(s.get("part", 0), s)
            part_predicted += len(firsts)
            part_right += sum(any(_overlap(s, g) for g in gold["parts"]) for s in firsts.values())
        if answer["verdict"] is not None:
            verdict_pairs.append((gold["verdict"], answer["verdict"]))
            flags_ok.append(set(gold["flags"]) <= set(answer["flags"]))
            for check in mismatch:
                said, truth = answer[check] == "mismatch", gold[check] == "mismatch"
                mismatch[check][(said, truth)] += 1
    recall = part_found / part_total if part_total else None
    precision = part_right / part_predicted if part_predicted else (None if recall is None else 0.0)
    return {
        "cases": len([c for c in cases if c["id"] in answers]),
        "source_acc_exact": _mean(exact), "source_acc_altered": _mean(altered), "span_f1": _mean(spans),
        "splice_parts_recall": recall,
        "splice_parts_f1": (2 * precision * recall / (precision + recall) if precision and recall else 0.0) if recall is not None else None,
        "verdict_macro_f1": _macro_f1(verdict_pairs) if verdict_pairs else None,
        "flags_acc": _mean(flags_ok),
        "speaker_mismatch_precision": _precision(mismatch["speaker_check"]) if verdict_pairs else None,
        "date_mismatch_precision": _precision(mismatch["date_check"]) if verdict_pairs else None,
    }


def _mean(values: list) -> float | None:
    return sum(values) / len(values) if values else None


def _precision(counts: Counter) -> float:
    said = counts[(True, True)] + counts[(True, False)]
    return counts[(True, True)] / said if said else 1.0


def _macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = sorted({g for g, _ in pairs})
    f1s = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)
