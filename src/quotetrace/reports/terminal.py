"""The terminal renderer: a rich table, one row per quote."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import Report, renderer

VERDICT_STYLES = {
    "verbatim": "bold green", "elided": "yellow", "altered": "bold red", "spliced": "bold magenta",
    "paraphrase": "cyan", "not_found": "dim",
}
CHECK_STYLES = {"match": "green", "mismatch": "bold red", "unknown": "dim"}


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_table(report: Report) -> Table:
    """The rich Table of a report, for printing with colours to a terminal."""
    traced = report.traces is not None
    title = report.article.title or report.article.source
    table = Table(title=f"{title}: {len(report.quotes)} quotes", show_lines=True, expand=True)
    table.add_column("#", no_wrap=True)
    table.add_column("quote", ratio=3)
    table.add_column("claimed", ratio=1)
    if traced:
        table.add_column("verdict", ratio=1)
        table.add_column("source", ratio=2)
    for q in report.quotes:
        claimed = Text(f"{q.speaker or '?'}\n{q.date or '?'}")
        row: list = [q.id, _short(q.text), claimed]
        if traced:
            t = report.traces.get(q.id)
            if t is None:
                row += [Text("phrase (not traced)", style="dim"), ""]
            else:
                verdict = Text(t.verdict, style=VERDICT_STYLES[t.verdict])
                if t.flags:
                    verdict.append("\n" + ", ".join(t.flags), style="italic")
                verdict.append("\nspeaker ").append(t.speaker_check, style=CHECK_STYLES[t.speaker_check])
                verdict.append("\ndate ").append(t.date_check, style=CHECK_STYLES[t.date_check])
                source = Text()
                for s in t.sources[:3]:
                    source.append(f"{s.speaker or '?'}, {s.date or '?'}\n", style="bold")
                    source.append(f"{s.title or s.doc_id}\n", style="dim")
                for e in t.edits[:4]:
                    source.append(f"{e.op}: ", style="italic")
                    source.append(_short(e.quote, 30) or "—", style="red")
                    source.append(" ← ")
                    source.append(_short(e.source, 30) or "—", style="green")
                    source.append("\n")
                row += [verdict, source]
        table.add_row(*row)
    return table


@renderer("table")
def render_table(report: Report) -> str:
    """The table as plain text (no colours), 140 columns wide."""
    buffer = io.StringIO()
    Console(file=buffer, width=140, force_terminal=False, color_system=None).print(build_table(report))
    return buffer.getvalue()
