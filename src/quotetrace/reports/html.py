"""The HTML renderer: one self-contained page (no external requests).

The article is shown with every quote highlighted by verdict (colour and
symbol); beside it, each quote's card gives the source passage with the
differences marked word by word. Everything from the article or the archive
is escaped.
"""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

from . import Report, renderer

SYMBOLS = {"verbatim": "✓", "elided": "…", "altered": "≠", "spliced": "✂", "paraphrase": "≈", "not_found": "?", "phrase": "·"}
EXPLANATIONS = {
    "verbatim": "The source has these words, in this order.",
    "elided": "The source has every word, in order, with words left out between them.",
    "altered": "Words were replaced, added or removed compared with the source.",
    "spliced": "The quote joins passages that are not next to each other in the sources.",
    "paraphrase": "Only a loose match was found: many words differ.",
    "not_found": "Nothing in the archive supports this quote.",
}


def _environment() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True))
    env.globals.update(symbols=SYMBOLS, explanations=EXPLANATIONS)
    return env


def _article_markup(report: Report) -> Markup:
    """The article text with each quote wrapped in a <mark>, nested quotes nested."""
    text = report.article.text
    events: list[tuple[int, int, str]] = []  # (offset, order, html) – closings before openings at one offset
    for q in report.quotes:
        trace = (report.traces or {}).get(q.id)
        verdict = trace.verdict if trace else ("phrase" if q.kind == "phrase" else "pending")
        opening = Markup('<a class="q v-{v}" href="#{id}" id="at-{id}" title="{v}">').format(v=verdict, id=q.id)
        badge = Markup('<sup>{s}{n}</sup>').format(s=SYMBOLS.get(verdict, ""), n=q.id[1:])
        events.append((q.start, 1 + (10**9 - q.end) / 10**10, str(opening)))
        events.append((q.end, 0 - q.start / 10**10, "</a>" + str(badge)))
    events.sort(key=lambda e: (e[0], e[1]))
    parts, cursor = [], 0
    for offset, _, tag in events:
        parts.append(str(escape(text[cursor:offset])))
        parts.append(tag)
        cursor = offset
    parts.append(str(escape(text[cursor:])))
    return Markup("".join(parts))


@renderer("html")
def render_html(report: Report) -> str:
    template = _environment().from_string(
        resources.files("quotetrace").joinpath("reports/templates/report.html").read_text("utf-8")
    )
    counts: dict[str, int] = {}
    for trace in (report.traces or {}).values():
        if trace:
            counts[trace.verdict] = counts.get(trace.verdict, 0) + 1
    return template.render(report=report, article=report.article, quotes=report.quotes,
                           traces=report.traces or {}, scripture=report.scripture or {}, counts=counts,
                           body=_article_markup(report))
