"""Gold cases for scripture checks, sampled from the loaded translations with a fixed seed.

    python bench/scripture/cases.py > tests/gold/scripture.jsonl
    python bench/scripture/cases.py --seed 7 --scale 5 > held-out.jsonl

Each case is one line of an article: a quote and (usually) the reference cited
beside it, written in one of the many ways people write references. Kinds:
right (the cited verse, verbatim), wrong (a neighbouring or other verse cited),
uncited (no reference: the verse must be found), altered (one or two words
replaced), invented (prose from UN speeches, cited as a verse), invalid (a
verse that does not exist cited for real words), and the famous sayings.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

from quotetrace.normalize import words  # noqa: E402
from quotetrace.scripture.books import QURAN, bible_numbers, read_table, surah_numbers  # noqa: E402
from quotetrace.scripture.texts import load_library  # noqa: E402

BIBLE_STYLES = ["{name} {c}:{v}", "{abbr} {c}:{v}", "{abbr}. {c}:{v}", "{name} {c}.{v}"]
QURAN_STYLES = ["Quran {c}:{v}", "Qur’an, {c}:{v}", "Q {c}:{v}", "Surah {surah}, verse {v}", "Sura {c}, ayah {v}",
                "{surah} {c}:{v}", "Koran {c}:{v}", "Qur'an {c}: {v}"]
ABBREVIATIONS = {int(number): aliases.split("|")[0] for number, _, aliases in read_table("bible-books.tsv")}
COUNTS = {"right": 20, "wrong": 14, "uncited": 10, "altered": 10, "invented": 5, "invalid": 5}
FAMOUS = [
    ("Money is the root of all evil", "1 Timothy 6:10", "1 Timothy 6:10", "differs", None),
    ("God helps those who help themselves", None, None, "not_found", None),
    ("Pride goes before a fall", "Proverbs 16:18", "Proverbs 16:18", "differs", None),
    ("There is no compulsion in religion", "Qur'an 2:256", "Quran 2:256", "matches", None),
    ("O you who have believed, seek help through patience and prayer. Indeed, Allah is with the patient.",
     "Qur’an 2:152", "Quran 2:152", "wrong_reference", "Quran 2:153"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=int, default=1, help="multiply the number of cases of each kind")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    library = load_library([DATA / "scripture" / "quran-en"])
    translations = [t for t in library.translations if t.name in ("kjv", "web", "asv", "en.sahih", "en.pickthall",
                                                                  "en.yusufali", "en.hilali", "en.itani")]
    all_text = {t.name: " ".join(" ".join(words(v)) for v in t.verses.values()) for t in translations}
    prose = [json.loads(line)["text"] for line in gzip.open(DATA / "speeches" / "un-general-debates.jsonl.gz", "rt")][:400]
    cases = []

    def verse():
        """A verse of 8 to 40 words whose wording occurs nowhere else in its translation."""
        while True:
            t = rng.choice(translations)
            key = rng.choice(list(t.verses))
            text = t.verses[key].strip()
            norm = " ".join(words(text))
            if 8 <= len(norm.split()) <= 40 and all_text[t.name].count(norm) == 1:
                return t, key, text

    def cite(canon: str, chapter: int, v: int, book: int) -> tuple[str, str]:
        if canon == QURAN:
            surah = surah_numbers()[chapter].name
            return rng.choice(QURAN_STYLES).format(c=chapter, v=v, surah=surah), f"Quran {chapter}:{v}"
        name = bible_numbers()[book].name
        abbr = ABBREVIATIONS[book]
        return rng.choice(BIBLE_STYLES).format(name=name, abbr=abbr, c=chapter, v=v), f"{name} {chapter}:{v}"

    for kind, count in COUNTS.items():
        made = 0
        while made < count * args.scale:
            t, (book, chapter, v), text = verse()
            true_written, true_label = cite(t.canon, chapter, v, book)
            case = {"id": f"{kind}-{made}", "kind": kind, "translation": t.name}
            if kind == "right":
                case |= {"quote": text, "cited": true_written, "ref": true_label, "verdict": "matches", "found": None}
            elif kind == "uncited":
                case |= {"quote": text, "cited": None, "ref": None, "verdict": "matches", "found": true_label}
            elif kind == "wrong":
                other = v + rng.choice([-1, 1]) if rng.random() < 0.6 else rng.randint(1, v + 20)
                other_text = t.verses.get((book, chapter, other))
                if other == v or not other_text or " ".join(words(other_text)) == " ".join(words(text)):
                    continue
                written, label = cite(t.canon, chapter, other, book)
                case |= {"quote": text, "cited": written, "ref": label, "verdict": "wrong_reference", "found": true_label}
            elif kind == "altered":
                tokens = text.split()
                for _ in range(rng.randint(1, 2)):
                    i = rng.randrange(1, len(tokens) - 1)
                    tokens[i] = rng.choice(["silver", "mountains", "tomorrow", "strangers", "river", "kingdoms", "bread"])
                case |= {"quote": " ".join(tokens), "cited": true_written, "ref": true_label, "verdict": "differs", "found": None}
            elif kind == "invented":
                sentences = [s for s in re.split(r"(?<=[.!?])\s+", rng.choice(prose)) if 10 <= len(s.split()) <= 30]
                if not sentences:
                    continue
                case |= {"quote": rng.choice(sentences), "cited": true_written, "ref": true_label, "verdict": "not_found",
                         "found": None, "translation": None}
            elif kind == "invalid":
                written, label = cite(t.canon, chapter, v + 400, book)
                case |= {"quote": text, "cited": written, "ref": label, "verdict": "wrong_reference", "found": true_label,
                         "invalid": True}
            cases.append(case)
            made += 1
    for i, (quote, written, label, verdict, found) in enumerate(FAMOUS):
        cases.append({"id": f"famous-{i}", "kind": "famous", "quote": quote, "cited": written, "ref": label,
                      "verdict": verdict, "found": found, "translation": None})
    for case in cases:
        sys.stdout.write(json.dumps(case, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
