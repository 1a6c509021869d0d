"""The web app, in process (httpx over ASGI): every page and API route, escaping, size limits, URL rules, ingest."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

pytest.importorskip("fastapi")

from quotetrace.web import WebSettings, create_app  # noqa: E402

ARTICLE = """---
title: Harbour notes
date: 2011-01-01
---
Ada Lovelace said on March 4, 2001: "we must not abandon the workers who built this city with their own hands."

"A good engineer measures twice and cuts once," said Ada Lovelace [June 1, 2012].
"""
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


class Client:
    """A synchronous face on httpx's ASGI transport: the app runs in process, no socket is opened."""

    def __init__(self, app) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://testserver") as client:
                return await client.request(method, url, **kwargs)
        return asyncio.run(go())

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.request("POST", url, **kwargs)


def make(archive_path, tmp_path, **settings) -> Client:
    return Client(create_app(WebSettings(archive=archive_path, results=tmp_path / "results.db", **settings)))


@pytest.fixture
def client(archive_path, tmp_path) -> Client:
    return make(archive_path, tmp_path)


def test_home_page_has_the_three_ways_in_and_the_archive_size(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'name="text"' in page.text and 'type="file"' in page.text and 'name="url"' in page.text
    assert "Against 3 documents" in page.text


def test_api_trace_follows_the_json_contract_and_gives_a_permalink(client):
    response = client.post("/api/trace", json={"text": ARTICLE, "format": "markdown"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["article"]["title"] == "Harbour notes" and data["article"]["text"].startswith("Ada Lovelace")
    first = data["quotes"][0]
    assert first["speaker"] == "Ada Lovelace" and first["date"] == "2001-03-04"
    assert first["trace"]["verdict"] == "verbatim" and first["trace"]["sources"][0]["doc_id"] == "ada-2001"
    assert data["quotes"][1]["trace"]["speaker_check"] == "mismatch"
    assert data["permalink"] == f"/r/{data['id']}"
    assert client.post("/api/trace", json={"text": ARTICLE, "format": "markdown"}).json()["id"] == data["id"]
    saved = client.get(f"/api/results/{data['id']}").json()
    assert saved["quotes"] == data["quotes"]
    page = client.get(data["permalink"])
    assert page.status_code == 200 and 'id="q1"' in page.text and "Grace Hopper" in page.text


def test_api_extract_gives_the_quotes_without_tracing(client):
    data = client.post("/api/extract", json={"text": ARTICLE, "format": "markdown"}).json()
    assert [q["speaker"] for q in data["quotes"]] == ["Ada Lovelace", "Ada Lovelace"]
    assert all("trace" not in q for q in data["quotes"])


def test_pasted_text_and_uploaded_file_lead_to_the_same_report(client):
    pasted = client.post("/trace", data={"text": ARTICLE})
    assert pasted.status_code == 303 and pasted.headers["location"].startswith("/r/")
    uploaded = client.post("/trace", files={"file": ("../../etc/notes.md", ARTICLE.encode(), "text/markdown")})
    assert uploaded.status_code == 303
    page = client.get(uploaded.headers["location"]).text
    assert "Harbour notes" in page and "notes.md" in page and "etc" not in page.split("<main>")[0]


def test_text_pasted_in_a_browser_form_keeps_its_front_matter(client):
    response = client.post("/trace", data={"text": ARTICLE.replace("\n", "\r\n")})  # browsers send CR LF
    saved = client.get(f"/api/results/{response.headers['location'].rsplit('/', 1)[1]}").json()
    assert saved["article"]["title"] == "Harbour notes" and saved["article"]["date"] == "2011-01-01"
    assert saved["article"]["text"].startswith("Ada Lovelace said")


def test_form_fields_set_title_speaker_and_date(client):
    response = client.post("/trace", data={"text": '"We built higher walls and deeper channels, and the water no longer reaches the square."',
                                           "title": "Floods", "speaker": "Ada Lovelace", "date": "2005"})
    page = client.get(response.headers["location"]).text
    assert "<h1>Floods</h1>" in page and "speaker <span class=\"check-match\">match</span>" in page


def test_bad_input_gets_a_page_that_says_what_to_do_not_a_traceback(client):
    binary = client.post("/trace", files={"file": ("scan.txt", b"\x00\x01\x02PDF", "application/octet-stream")})
    assert binary.status_code == 400 and "binary file" in binary.text and "Traceback" not in binary.text
    nothing = client.post("/trace", data={"text": "  "})
    assert nothing.status_code == 400 and "no article was given" in nothing.text
    both = client.post("/api/trace", json={"text": ARTICLE, "url": "https://example.org/"})
    assert both.status_code == 400 and "one way" in both.json()["error"]
    assert client.post("/api/trace", json={"text": ARTICLE, "date": "someday"}).json()["error"] == "'someday' is not a date."


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "http://127.0.0.1:8000/admin", "http://localhost/",
                                 "http://10.0.0.7/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
                                 "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/"])
def test_urls_that_are_not_public_http_are_refused(client, url):
    response = client.post("/api/trace", json={"url": url})
    assert response.status_code == 400
    assert "not an http(s) address" in response.json()["error"] or "private, loopback or reserved" in response.json()["error"]


def test_a_request_larger_than_the_cap_gets_413_whether_declared_or_streamed(archive_path, tmp_path):
    client = make(archive_path, tmp_path, max_request_bytes=10_000)
    assert client.post("/api/trace", json={"text": "x " * 10_000}).status_code == 413
    assert client.post("/trace", files={"file": ("big.txt", b"word " * 5_000)}).status_code == 413

    async def chunks():  # no Content-Length: the body is counted as it arrives
        for _ in range(50):
            yield b"a" * 1_000
    streamed = client.post("/api/trace", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and "larger than" in streamed.json()["error"]
    assert client.post("/api/trace", json={"text": ARTICLE, "format": "markdown"}).status_code == 200


def test_everything_from_article_and_archive_is_escaped(archive_path, tmp_path):
    client = make(archive_path, tmp_path, allow_ingest=True)
    client.post("/api/documents", json=[{"id": "evil", "speaker": HOSTILE, "title": f"T{HOSTILE}", "url": "javascript:alert(1)",
                                         "date": "2020", "text": f"Our ships will sail at dawn {HOSTILE} and the harbour will be ours again."}])
    article = f'Title {HOSTILE}\n\nShe said: "Our ships will sail at dawn {HOSTILE} and the harbour will be ours again."\n'
    data = client.post("/api/trace", json={"text": article, "title": HOSTILE}).json()
    assert data["quotes"][0]["trace"]["sources"][0]["doc_id"] == "evil"
    pages = [client.get(data["permalink"]).text, client.get("/archive", params={"q": "ships"}).text,
             client.get("/documents/evil").text, client.get("/").text]
    for page in pages:
        assert HOSTILE not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in pages[0]


def test_archive_search_by_words_phrase_speaker_and_dates(client):
    def ids(**params):
        return [d["id"] for d in client.get("/api/search", params=params).json()["documents"]]
    assert ids(q="harbour") == ["ada-2001", "grace-2010"]
    assert ids(q='"ships are safe"') == ["grace-2010"]
    assert ids(q="harbour", speaker="lovelace") == ["ada-2001"]
    assert ids(date_from="2005", date_to="2010") == ["ada-2005", "grace-2010"]
    assert ids(date_to="2005") == ["ada-2001", "ada-2005"]
    assert ids(q="100%") == []
    first = client.get("/api/search", params={"limit": 2}).json()
    assert first["more"] is True and len(first["documents"]) == 2
    page = client.get("/archive", params={"q": "harbour", "speaker": "Grace"})
    assert "Navy yard remarks" in page.text and "Harbour speech" not in page.text


def test_a_document_page_shows_the_passages_saved_results_quote(client):
    assert "No saved result quotes" in client.get("/documents/ada-2001").text
    data = client.post("/api/trace", json={"text": ARTICLE, "format": "markdown"}).json()
    doc = client.get("/api/documents/ada-2001").json()
    assert doc["speaker"] == "Ada Lovelace" and doc["text"].startswith("Friends")
    (quoted,) = doc["quoted"]
    assert doc["text"][quoted["start"]:quoted["end"]].startswith("we must not abandon") and quoted["result_id"] == data["id"]
    page = client.get("/documents/ada-2001").text
    assert f'<a href="/r/{data["id"]}#q1">we must not abandon' in page


def test_unknown_results_and_documents_are_404_and_ids_never_reach_the_file_system(client):
    assert client.get("/r/0123456789abcdef0123").status_code == 404
    assert client.get("/r/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/api/results/nothing").json() == {"error": "There is no saved result with this id."}
    assert client.get("/documents/../../etc/passwd").status_code == 404
    assert client.get("/api/documents/nope").status_code == 404


def test_adding_documents_is_off_unless_allowed(client, archive_path, tmp_path):
    assert client.get("/add").status_code == 403
    assert client.post("/api/documents", json=[{"id": "x", "text": "y"}]).status_code == 403
    assert "add documents" not in client.get("/").text
    allowed = make(archive_path, tmp_path, allow_ingest=True)
    assert allowed.get("/add").status_code == 200
    added = allowed.post("/add", files={"file": ("new.jsonl", json.dumps(
        {"id": "new", "speaker": "Mary Somerville", "date": "1834", "text": "The connexion of the physical sciences is a "
         "theme that runs through every page of nature's book."}).encode())}, data={"title": "Connexion"})
    assert added.status_code == 200 and "1 added" in added.text
    traced = allowed.post("/api/trace", json={"text": 'Somerville wrote: "The connexion of the physical sciences is a theme '
                                                      'that runs through every page of nature\'s book."'}).json()
    source = traced["quotes"][0]["trace"]["sources"][0]
    assert source["doc_id"] == "new" and source["title"] == "Connexion"
    bad = allowed.post("/api/documents", json=[{"id": "ok", "text": "fine"}, {"id": "bad", "date": "soon", "text": "t"}])
    assert bad.status_code == 400 and "line 2" in bad.json()["error"]
    assert allowed.get("/api/search", params={"q": "fine"}).json()["documents"] == []  # all or nothing


def test_openapi_schema_describes_the_api(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/trace", "/api/extract", "/api/search", "/api/archive", "/api/results/{rid}"} <= set(schema["paths"])
    assert set(schema["components"]["schemas"]["ArticleRequest"]["properties"]) >= {"text", "url", "format", "speaker", "date"}
    assert client.get("/docs").status_code == 404  # the interactive docs would load scripts from a CDN


def test_the_app_refuses_to_start_without_an_archive(tmp_path):
    from quotetrace.errors import ArchiveError

    with pytest.raises(ArchiveError, match="there is no archive"):
        create_app(WebSettings(archive=tmp_path / "none.db"))


def test_quotetrace_serve_answers_on_its_port_and_says_what_it_needs(archive_path, tmp_path):
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "quotetrace", "serve", "--archive", str(archive_path), "--port", str(port),
                               "--results", str(tmp_path / "r.db"), "--workers", "2"], stderr=subprocess.PIPE, text=True)
    try:
        deadline, page = time.monotonic() + 30, None
        while page is None and time.monotonic() < deadline:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            except httpx.TransportError:
                time.sleep(0.1)
        assert page is not None and page.status_code == 200 and "Check the quotes" in page.text
        traced = httpx.post(f"http://127.0.0.1:{port}/api/trace", json={"text": ARTICLE, "format": "markdown"}, timeout=30)
        assert traced.json()["quotes"][0]["trace"]["verdict"] == "verbatim"  # a worker process built the app from the settings
    finally:
        server.terminate()
        server.wait(10)
    neither = subprocess.run([sys.executable, "-m", "quotetrace", "serve"], capture_output=True, text=True)
    assert neither.returncode == 1 and neither.stderr.strip() == (
        "quotetrace: error: give either --archive FILE.db or --demo. See: quotetrace serve --help")


def test_archive_info_api(client):
    info = client.get("/api/archive").json()
    assert info["documents"] == 3 and info["first_date"] == "2001-03-04" and info["speakers"] == 2


def test_an_uploaded_html_page_is_read_through_its_main_text(client):
    page = ("<html><head><title>Harbour</title></head><body><nav>menu</nav><article><h1>Harbour</h1><p>Ada Lovelace said: "
            "&ldquo;Our harbour will be rebuilt, stone by stone, and no family will be left behind.&rdquo;</p></article></body></html>")
    response = client.post("/trace", files={"file": ("page.html", page.encode(), "text/html")})
    saved = client.get(f"/api/results/{response.headers['location'].rsplit('/', 1)[1]}").json()
    assert saved["article"]["format"] == "html" and "menu" not in saved["article"]["text"]
    assert saved["quotes"][0]["trace"]["verdict"] == "verbatim"


def test_a_page_on_the_servers_own_network_is_fetched_only_when_allowed(archive_path, tmp_path, page_server):
    body = ("<html><body><article><p>Grace Hopper said: \u201cA good engineer measures twice and cuts once, and a good sailor "
            "reads the sky before the chart.\u201d</p></article></body></html>").encode()
    url = page_server(body) + "/article"
    assert make(archive_path, tmp_path).post("/api/trace", json={"url": url}).status_code == 400
    data = make(archive_path, tmp_path, allow_private_urls=True).post("/api/trace", json={"url": url}).json()
    assert data["article"]["source"] == url
    assert data["quotes"][0]["trace"]["sources"][0]["doc_id"] == "grace-2010"


def test_a_text_file_by_url_is_read_as_text(archive_path, tmp_path, page_server):
    body = 'Grace Hopper said: "A good engineer measures twice and cuts once, and a good sailor reads the sky."\n'.encode()
    url = page_server(body, "text/plain; charset=utf-8") + "/notes.txt"
    data = make(archive_path, tmp_path, allow_private_urls=True).post("/api/trace", json={"url": url}).json()
    assert data["article"]["format"] == "text" and data["quotes"][0]["speaker"] == "Grace Hopper"
