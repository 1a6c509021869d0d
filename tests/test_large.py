"""Large corpora (slow; run with `pytest -m slow`): the UN General Debates ingest in bounded memory."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

UN = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "speeches" / "un-general-debates.jsonl.gz"


@pytest.mark.slow
@pytest.mark.skipif(not UN.exists(), reason="needs ../shared/data")
def test_un_general_debates_ingest_and_trace(tmp_path):
    db = tmp_path / "un.db"
    add = subprocess.run([sys.executable, "-m", "quotetrace", "archive", "add", str(UN), "-a", str(db)],
                         capture_output=True, text=True)
    assert add.returncode == 0, add.stderr
    assert "10952 added" in add.stderr
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1500
    from quotetrace.archive import Archive
    from quotetrace.trace import Tracer

    with Archive.open(db) as store:
        assert store.info().words > 30_000_000
        t = Tracer(store).trace_text("We are not sceptics, but our relative optimism would be strengthened "
                                     "if we found that a spirit of conciliation were gaining ground.")
        assert t.verdict == "verbatim" and t.sources[0].doc_id == "ungdc/ARG_01_1946"
