"""The CSV renderer: one row per quote, for spreadsheets."""

from __future__ import annotations

import csv as _csv
import io

from . import Report, renderer

COLUMNS = ["id", "kind", "speaker", "speaker_confidence", "date", "text", "verdict", "flags", "speaker_check", "date_check",
           "source_doc", "source_speaker", "source_date", "similarity"]


@renderer("csv")
def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = _csv.writer(out)
    writer.writerow(COLUMNS)
    for q in report.quotes:
        t = (report.traces or {}).get(q.id)
        first = t.sources[0] if t and t.sources else None
        writer.writerow([
            q.id, q.kind, q.speaker or "", q.speaker_confidence if q.speaker_confidence is not None else "", q.date or "", q.text,
            t.verdict if t else "", " ".join(t.flags) if t else "", t.speaker_check if t else "", t.date_check if t else "",
            first.doc_id if first else "", first.speaker or "" if first else "", first.date or "" if first else "",
            t.similarity if t else "",
        ])
    return out.getvalue()
