"""The terminal renderer: a rich table, one row per quote."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..attribution import CONFIDENCE
from . import Report, renderer

VERDICT_STYLES = {
    "verbatim": "bold green", "elided": "yellow", "altered": "bold red", "spliced": "bold magenta",
    "paraphrase": "cyan", "not_found": "dim",
}
CHECK_STYLES = {"match": "green", "mismatch": "bold red", "unknown": "dim"}
SCRIPTURE_STYLES = {"matches": "bold green", "differs": "bold red", "wrong_reference": "bold magenta", "not_found": "dim"}


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
    if report.scripture is not None:
        table.add_column("scripture", ratio=2)
    for q in report.quotes:
        claimed = Text(q.speaker or "?")
        if q.speaker and q.speaker_confidence is not None and q.speaker_confidence < CONFIDENCE["cue"]:
            claimed.append(f" ({q.speaker_confidence:.2f})", style="dim")  # weaker evidence than a cue that names them
        claimed.append(f"\n{q.date or '?'}")
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
        if report.scripture is not None:
            row.append(_scripture_cell(report.scripture.get(q.id)))
        table.add_row(*row)
    return table


def _scripture_cell(check) -> Text:
    if check is None:
        return Text("")
    cell = Text(check.verdict, style=SCRIPTURE_STYLES[check.verdict])
    if check.ref:
        cell.append(f" {check.ref}")
    if check.found:
        cell.append(f"\nthe words are {check.found}", style="bold")
    if check.translations:
        cell.append("\n" + ", ".join(check.translations[:4]) + (" …" if len(check.translations) > 4 else ""), style="dim")
    if check.note:
        cell.append(f"\n{check.note}", style="italic")
    if check.verse_text and check.verdict != "matches":
        cell.append(f"\n“{_short(check.verse_text, 100)}”", style="green")
    for e in [e for e in check.diff if e.op != "equal"][:3]:
        cell.append(f"\n{e.op}: ", style="italic").append(_short(e.quote, 30) or "—", style="red")
        cell.append(" ← ").append(_short(e.source, 30) or "—", style="green")
    return cell


@renderer("table")
def render_table(report: Report) -> str:
    """The table as plain text (no colours), 140 columns wide."""
    buffer = io.StringIO()
    Console(file=buffer, width=140, force_terminal=False, color_system=None).print(build_table(report))
    return buffer.getvalue()
