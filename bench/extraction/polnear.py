"""PolNeAR (brat standoff) as gold direct quotes: their character spans and their sources' spans.

A direct quote is a ``Content`` span holding a double quotation mark; a quote
split by its cue (``"X," he said, "Y."``) is one discontinuous span, so one
gold quote. Where an article has several annotation files (annotator
training), the first is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

QUOTE_MARKS = re.compile(r"[\"“”„«»]")


@dataclass
class GoldQuote:
    spans: list[tuple[int, int]]
    sources: list[tuple[int, int]]  # the Source span(s) of its attribution; empty if unannotated

    @property
    def chars(self) -> set[int]:
        return {i for a, b in self.spans for i in range(a, b)}


@dataclass
class GoldArticle:
    name: str
    text: str
    quotes: list[GoldQuote]


def read_split(folder: Path) -> list[GoldArticle]:
    articles = []
    for txt in sorted(folder.glob("*.txt")):
        annotations = sorted(folder.glob(txt.stem + "_*.ann"))
        if annotations:
            text = txt.read_text(encoding="utf-8")
            articles.append(GoldArticle(txt.stem, text, _quotes(text, annotations[0].read_text(encoding="utf-8"))))
    return articles


def _quotes(text: str, ann: str) -> list[GoldQuote]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events = []
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            label, _, ranges = fields[1].partition(" ")
            spans[fields[0]] = (label, [tuple(map(int, r.split())) for r in ranges.split(";")])
        elif line.startswith("E") and len(fields) >= 2:
            events.append(dict(arg.split(":", 1) for arg in fields[1].split()))
    source_of = {}
    for event in events:
        if "Content" in event and "Source" in event and event["Source"] in spans:
            source_of.setdefault(event["Content"], []).extend(spans[event["Source"]][1])
    return [GoldQuote(ranges, source_of.get(tid, [])) for tid, (label, ranges) in spans.items()
            if label == "Content" and any(QUOTE_MARKS.search(text[a:b]) for a, b in ranges)]
