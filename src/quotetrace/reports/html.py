"""The HTML renderer: one self-contained page (no external requests).

The article is shown with every quote highlighted by verdict (colour and
symbol); beside it, each quote's card gives the source passage with the
differences marked word by word. Everything from the article or the archive
is escaped.
"""

from __future__ import annotations

import functools
from importlib import resources

from jinja2 import Environment, Template, select_autoescape
from markupsafe import Markup, escape

from ..trace import Trace
from . import Report, renderer
from .explain import explain

VERDICTS = ("verbatim", "elided", "altered", "spliced", "paraphrase", "not_found")
SYMBOLS = {"verbatim": "✓", "elided": "…", "altered": "≠", "spliced": "✂", "paraphrase": "≈", "not_found": "?", "phrase": "·"}
_TEMPLATE = resources.files("quotetrace").joinpath("reports/templates/report.html")


@functools.cache
def _template() -> Template:
    """The report template, compiled once (compiling costs more than rendering)."""
    env = Environment(autoescape=select_autoescape(default=True))
    env.globals.update(symbols=SYMBOLS, verdicts=VERDICTS)
    return env.from_string(_TEMPLATE.read_text("utf-8"))


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
    return render_page(report)


def render_page(report: Report, nav: list[tuple[str, str]] | None = None, permalink: str | None = None) -> str:
    """The report page; the web app adds its navigation links and the result's permalink."""
    traces = report.traces or {}
    counts: dict[str, int] = {}
    for trace in traces.values():
        if trace:
            counts[trace.verdict] = counts.get(trace.verdict, 0) + 1
    mismatches = sum(1 for t in traces.values() if t and "mismatch" in (t.speaker_check, t.date_check))
    return _template().render(
        report=report, article=report.article, quotes=report.quotes, traces=traces, scripture=report.scripture or {},
        traced=report.traces is not None, counts=counts, mismatches=mismatches, body=_article_markup(report),
        explanations={q.id: explain(q, traces.get(q.id)) if report.traces is not None else [] for q in report.quotes},
        around={q.id: _around(t) for q in report.quotes if (t := traces.get(q.id)) and t.sources},
        timeline=timeline_svg(report), nav=nav, permalink=permalink)


def _around(trace: Trace) -> list[tuple[str, str, str]]:
    """(context before, passage, context after) of the first source of each part."""
    shown, seen = [], set()
    for s in trace.sources:
        if s.part not in seen:
            seen.add(s.part)
            at = s.context.find(s.text)
            before, after = (s.context[:at], s.context[at + len(s.text):]) if at >= 0 else ("", "")
            shown.append((before, s.text, after))
    return shown


def timeline_svg(report: Report) -> Markup | None:
    """Claimed dates against the sources' dates, one row per quote that has either; None if no quote has a date."""
    rows = []
    for q in report.quotes:
        t = (report.traces or {}).get(q.id)
        source = t.sources[0].date if t and t.sources else None
        claimed, found = _year(q.date), _year(source)
        if claimed is not None or found is not None:
            rows.append((q.id, claimed, found, bool(t and t.date_check == "mismatch")))
    if not rows:
        return None
    years = [y for _, c, f, _ in rows for y in (c, f) if y is not None]
    lo, hi = min(years) - 1, max(years) + 1
    width, left, right, row_h = 640, 44, 16, 16
    height = 24 + row_h * len(rows)

    def x(year: float) -> float:
        return round(left + (year - lo) / (hi - lo) * (width - left - right), 1)

    step = max(1, round((hi - lo) / 8 / 5) * 5) if hi - lo > 10 else 1
    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             'aria-label="claimed dates against source dates">']
    for year in range(int(lo) + (-int(lo)) % step, int(hi) + 1, step):
        parts.append(f'<line x1="{x(year)}" x2="{x(year)}" y1="4" y2="{height - 14}" stroke="#e2e2e2"/>'
                     f'<text x="{x(year)}" y="{height - 2}" text-anchor="middle" fill="#595959">{year}</text>')
    for n, (qid, claimed, found, mismatch) in enumerate(rows):
        y = 14 + n * row_h
        cls = ' class="mismatch"' if mismatch else ""
        parts.append(f'<a href="#{escape(qid)}"><text x="4" y="{y + 4}"{cls}>{escape(qid)}</text>')
        if claimed is not None and found is not None:
            parts.append(f'<line x1="{x(claimed)}" x2="{x(found)}" y1="{y}" y2="{y}" stroke="#888" stroke-width="2"{cls}/>')
        if found is not None:
            parts.append(f'<rect x="{x(found) - 4}" y="{y - 4}" width="8" height="8" fill="#333"{cls}><title>source: {found:.0f}</title></rect>')
        if claimed is not None:
            parts.append(f'<circle cx="{x(claimed)}" cy="{y}" r="4.5" fill="#fff" stroke="#333" stroke-width="2"{cls}>'
                         f'<title>claimed: {claimed:.0f}</title></circle>')
        parts.append("</a>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _year(date: str | None) -> float | None:
    """An ISO date (possibly partial) as a fractional year."""
    if not date or not date[:4].isdigit():
        return None
    year = float(date[:4])
    if len(date) >= 7 and date[5:7].isdigit():
        year += (int(date[5:7]) - 1) / 12
    return year
