"""The JSON renderer: the contract of DESIGN.md, one object."""

from __future__ import annotations

import json as _json

from . import Report, renderer


@renderer("json")
def render_json(report: Report) -> str:
    return _json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
