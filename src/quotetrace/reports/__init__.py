"""Rendering a result: a registry of output formats over one result object.

A Report is computed first and rendered after; every renderer takes the same
Report and returns text (terminal, JSON, HTML, CSV).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from ..articles import Article
from ..quotes import Quote
from ..scripture.check import ScriptureCheck
from ..trace import Trace


@dataclass
class Report:
    """An article, its quotes and (after tracing) their traces, by quote id."""

    article: Article
    quotes: list[Quote]
    traces: dict[str, Trace | None] | None = None
    scripture: dict[str, ScriptureCheck] | None = None  # by quote id, for the quotes whose scripture was checked
    include_text: bool = False
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The JSON contract of DESIGN.md (see docs/json-schema.md)."""
        article = {k: getattr(self.article, k) for k in ("source", "title", "date", "speaker", "format")}
        if self.include_text:
            article["text"] = self.article.text
        quotes = []
        for q in self.quotes:
            item = {k: getattr(q, k) for k in ("id", "text", "start", "end", "speaker", "speaker_source", "speaker_confidence", "speaker_span", "content_span", "date", "scripture", "parent", "continues", "kind")}
            check = (self.scripture or {}).get(q.id)
            check = dataclasses.asdict(check) if check else None
            if self.traces is not None:
                trace = self.traces.get(q.id)
                item["trace"] = dataclasses.asdict(trace) | {"scripture_check": check} if trace else None
            elif self.scripture is not None:
                item["scripture_check"] = check
            quotes.append(item)
        return {"article": article, "quotes": quotes, **self.meta}


Renderer = Callable[[Report], str]
RENDERERS: dict[str, Renderer] = {}


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    """Register a renderer under a format name."""
    def register(fn: Renderer) -> Renderer:
        RENDERERS[name] = fn
        return fn
    return register


def render(report: Report, fmt: str) -> str:
    return RENDERERS[fmt](report)


from . import csv, html, json, terminal  # noqa: E402,F401  (registers the renderers)
