"""Shared fixtures: a small archive of made-up speeches, and helpers to run the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotetrace.archive import Archive

SPEECHES = [
    {"id": "ada-2001", "speaker": "Ada Lovelace", "date": "2001-03-04", "title": "Harbour speech",
     "text": "Friends, we gather at the harbour tonight. In this present crisis, we must not abandon the workers "
             "who built this city with their own hands. Our harbour will be rebuilt, stone by stone, and no family "
             "will be left behind. The river remembers every promise we make.\n\nWe will open the new bridge in the "
             "spring. The old mills along the canal will become schools and libraries for the children of the valley."},
    {"id": "ada-2005", "speaker": "Ada Lovelace", "date": "2005", "title": "Valley address",
     "text": "The valley has changed since the floods. We built higher walls and deeper channels, and the water no "
             "longer reaches the square. Let no one say that the valley forgot its farmers, because the farmers "
             "fed the valley through every winter of the war."},
    {"id": "grace-2010", "speaker": "Grace Hopper", "date": "2010-06-01", "title": "Navy yard remarks",
     "text": "Ships are safe in harbour, but that is not what ships are built for. A good engineer measures twice "
             "and cuts once, and a good sailor reads the sky before the chart. The sea does not forgive the "
             "careless, and neither does the budget committee."},
]


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    path = tmp_path / "speeches.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in SPEECHES), encoding="utf-8")
    return path


@pytest.fixture
def archive(tmp_path: Path, corpus_file: Path):
    from quotetrace.documents import read_records

    with Archive.open(tmp_path / "a.db", create=True) as store:
        store.add(read_records(corpus_file))
        yield store


@pytest.fixture
def archive_path(tmp_path: Path, corpus_file: Path) -> Path:
    """The made-up speeches as an archive file, closed (for code that opens it itself)."""
    from quotetrace.documents import read_records

    path = tmp_path / "speeches.db"
    with Archive.open(path, create=True) as store:
        store.add(read_records(corpus_file))
    return path


@pytest.fixture
def page_server():
    """Serve bytes on a loopback port: ``page_server(body, content_type)`` gives the URL of ``/page``."""
    import http.server
    import threading

    servers = []

    def serve(body: bytes, content_type: str = "text/html; charset=utf-8") -> str:
        class Page(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
