"""Tracing cases with known answers: passages sampled from an archive and changed in known ways.

Every case says what quotetrace should answer: the verdict, the flags it must
carry, the speaker and date checks, and the source span of each part. The
sample is fixed by a seed. A passage is used only if its words occur once in
the whole archive, so the gold source is the only right answer.

    python bench/tracing/cases.py ../shared/data/speeches/miller-center.jsonl.gz --per-kind 12 > tests/gold/tracing.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from quotetrace.dates import dates_agree
from quotetrace.normalize import tokenize, words

KINDS = ("verbatim", "normalised", "trimmed", "elided_marked", "elided_unmarked", "altered",
         "spliced_same", "spliced_other", "spliced_speaker", "wrong_speaker", "wrong_date", "invented")
#: quotetrace finds a passage that shares at least this many consecutive words with a quote (shingle + window - 1)
SEEDABLE_WORDS = 6
_SENTENCE = re.compile(r"[A-Z][^.!?\n\"“”()\[\]]{40,400}?[.!?](?=\s)")
_CLEAN = re.compile(r"^[A-Za-z ,;:'’-]+[.!?]$")


def read_documents(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Sampler:
    """Draws clean sentences from the archive and keeps only passages that occur once in it."""

    def __init__(self, docs: list[dict], seed: int) -> None:
        self.docs = [d for d in docs if d.get("speaker") and d.get("date") and len(d["text"]) > 2000]
        self.rng = random.Random(seed)
        self.haystack = "\x00".join(" " + " ".join(words(d["text"])) + " " for d in docs)
        self.vocabulary = [w for d in self.rng.sample(self.docs, min(50, len(self.docs))) for w in words(d["text"])]
        self.by_speaker: dict[str, list[dict]] = {}
        for d in self.docs:
            self.by_speaker.setdefault(d["speaker"], []).append(d)

    def unique(self, text: str) -> bool:
        return self.haystack.count(" " + " ".join(words(text)) + " ") == 1

    def sentence(self, doc: dict | None = None, min_words: int = 10, max_words: int = 40) -> tuple[dict, int, int]:
        """A clean, unique sentence: its document and its span from first word start to last word end."""
        for _ in range(500):
            d = doc or self.rng.choice(self.docs)
            found = list(_SENTENCE.finditer(d["text"]))
            if not found:
                continue
            m = self.rng.choice(found)
            n = len(m.group().split())
            if min_words <= n <= max_words and _CLEAN.match(m.group()) and self.unique(m.group()):
                tokens = tokenize(m.group())
                return d, m.start() + tokens[0].start, m.start() + tokens[-1].end
        raise LookupError("no clean unique sentence found")

    def other_speaker(self, speaker: str) -> str:
        return self.rng.choice(sorted(s for s in self.by_speaker if s != speaker))


def _part(doc: dict, start: int, end: int) -> dict:
    return {"doc_id": doc["id"], "start": start, "end": end}


def _case(kind: str, quote: str, doc: dict, parts: list[dict], verdict: str, flags: list[str],
          speaker: str | None = None, date: str | None = None, speaker_check: str = "match", date_check: str = "match") -> dict:
    return {"kind": kind, "quote": quote,
            "claim": {"speaker": speaker or doc["speaker"], "date": date or doc["date"]},
            "gold": {"verdict": verdict, "flags": flags, "speaker_check": speaker_check, "date_check": date_check, "parts": parts}}


def make_case(kind: str, s: Sampler) -> dict:
    """One case of the given kind."""
    rng = s.rng
    if kind == "invented":
        quote = " ".join(rng.choice(s.vocabulary) for _ in range(rng.randint(12, 20))).capitalize() + "."
        return {"kind": kind, "quote": quote, "claim": {"speaker": None, "date": None},
                "gold": {"verdict": "not_found", "flags": [], "speaker_check": "unknown", "date_check": "unknown", "parts": []}}
    if kind.startswith("spliced"):
        d1, a1, b1 = s.sentence(min_words=8, max_words=25)
        if kind == "spliced_same":
            for _ in range(100):
                d2, a2, b2 = s.sentence(d1, min_words=8, max_words=25)
                if abs(len(d1["text"][:a2].split()) - len(d1["text"][:a1].split())) > 400:
                    break
            else:
                raise LookupError("no far-apart sentence")
        elif kind == "spliced_other":
            same = [d for d in s.by_speaker[d1["speaker"]] if d["id"] != d1["id"]]
            if not same:
                raise LookupError("a speaker with one document")
            d2, a2, b2 = s.sentence(rng.choice(same), min_words=8, max_words=25)
        else:
            d2, a2, b2 = s.sentence(rng.choice(s.by_speaker[s.other_speaker(d1["speaker"])]), min_words=8, max_words=25)
        quote = d1["text"][a1:b1] + ", " + d2["text"][a2:b2]
        speaker_check = "match" if d2["speaker"] == d1["speaker"] else "mismatch"
        date_check = "match" if dates_agree(d1["date"], d2["date"]) else "mismatch"
        return _case(kind, quote, d1, [_part(d1, a1, b1), _part(d2, a2, b2)], "spliced", [],
                     speaker_check=speaker_check, date_check=date_check)
    doc, a, b = s.sentence(min_words=15 if kind == "altered" else 10)
    text = doc["text"][a:b]
    tokens = tokenize(text)
    if kind == "verbatim":
        return _case(kind, text, doc, [_part(doc, a, b)], "verbatim", [])
    if kind == "normalised":
        changed = text.replace(",", "").replace(";", ",")
        changed = changed[0].lower() + changed[1:] if rng.random() < 0.5 else changed.upper()
        flags = ["case_changed"] + (["punctuation_changed"] if changed.upper() != text.upper() else [])
        return _case(kind, changed, doc, [_part(doc, a, b)], "verbatim", flags)
    if kind == "trimmed":
        lo = rng.randint(2, max(2, len(tokens) // 3))
        part = text[tokens[lo].start:]
        return _case(kind, part, doc, [_part(doc, a + tokens[lo].start, b)], "verbatim", ["trimmed"])
    if kind.startswith("elided"):
        if len(tokens) < 15:
            raise LookupError("too short to keep two seedable pieces")
        lo = rng.randint(SEEDABLE_WORDS, len(tokens) - SEEDABLE_WORDS - 2)
        hi = lo + rng.randint(2, min(6, len(tokens) - lo - SEEDABLE_WORDS))
        marker = " ... " if kind == "elided_marked" else " "
        quote = text[:tokens[lo - 1].end] + marker + text[tokens[hi].start:]
        flag = "marked_elision" if kind == "elided_marked" else "unmarked_elision"
        return _case(kind, quote, doc, [_part(doc, a, b)], "elided", [flag])
    if kind == "altered":
        n = rng.randint(1, min(5, len(tokens) // 4))
        chosen = sorted(rng.sample(range(1, len(tokens) - 1), n))
        pieces, cursor = [], 0
        for i in chosen:
            replacement = rng.choice([w for w in s.vocabulary if w != tokens[i].norm and len(w) > 3])
            pieces += [text[cursor:tokens[i].start], replacement]
            cursor = tokens[i].end
        return _case(kind, "".join(pieces) + text[cursor:], doc, [_part(doc, a, b)], "altered", [])
    if kind == "wrong_speaker":
        return _case(kind, text, doc, [_part(doc, a, b)], "verbatim", [], speaker=s.other_speaker(doc["speaker"]),
                     speaker_check="mismatch")
    if kind == "wrong_date":
        year = int(doc["date"][:4]) + rng.choice([-7, -4, 3, 6])
        return _case(kind, text, doc, [_part(doc, a, b)], "verbatim", [], date=str(year), date_check="mismatch")
    raise ValueError(kind)


def generate(docs: list[dict], per_kind: int, seed: int = 2026) -> Iterator[dict]:
    sampler = Sampler(docs, seed)
    for kind in KINDS:
        made = 0
        while made < per_kind:
            try:
                case = make_case(kind, sampler)
            except LookupError:  # that document had no usable sentence: draw again
                continue
            yield {"id": f"{kind}-{made}", **case}
            made += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path, help="JSON Lines (.gz) of documents with id, speaker, date, text")
    parser.add_argument("--per-kind", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    for case in generate(read_documents(args.archive), args.per_kind, args.seed):
        sys.stdout.write(json.dumps(case, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
