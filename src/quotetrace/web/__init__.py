"""The web app: a thin FastAPI layer over the same functions as the command line.

Pages: paste, upload or link an article and get its report under a permalink;
browse and search the archive; read a document with the passages that saved
results quote; add documents (off unless ``allow_ingest``). A JSON API does
the same, with its OpenAPI schema at ``/openapi.json``.

Safety: pages are Jinja templates with autoescaping (the report too); request
bodies are capped (413); URLs are fetched under ``fetch.FetchPolicy`` (http(s)
only, public addresses only unless allowed, redirects checked hop by hop); no
part of a request is ever used as a file path.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..archive import Archive
from ..articles import Article, format_of, read_article, url_format
from ..documents import read_upload
from ..errors import InputError, QuotetraceError
from ..fetch import FetchPolicy, fetch
from ..pipeline import extract_report, trace_report
from ..reports.html import render_page
from ..results import ResultStore, result_id
from ..scripture.check import ScriptureChecker
from ..scripture.texts import load_library
from ..trace import Tracer
from .limits import BodyLimit

_RESULT_ID = re.compile(r"[0-9a-f]{20}")
_PAGE_SIZE = 20


@dataclass(frozen=True)
class WebSettings:
    """Everything the app can be told, with its defaults, in one place."""

    archive: Path
    #: saved results (permalinks); default: beside the archive, ARCHIVE.results.db
    results: Path | None = None
    #: let visitors add documents to the archive
    allow_ingest: bool = False
    #: let visitors have loopback, private and link-local addresses fetched
    allow_private_urls: bool = False
    #: largest request body (a pasted article, an upload), in bytes
    max_request_bytes: int = 5_000_000
    fetch_timeout_seconds: float = 15.0
    max_fetch_bytes: int = 10_000_000
    #: requests worked on at once (each worker thread keeps its own archive connection); more wait their turn
    threads: int = 8
    #: scripture packs to load besides the built-in Bibles; given, every quote is looked up among the verses
    scripture: tuple[Path, ...] = ()


class ArticleRequest(BaseModel):
    """An article to check: its text, or the http(s) address of the page."""

    text: str | None = Field(None, description="The article's text (give this or url).")
    url: str | None = Field(None, description="An http(s) address to fetch the article from.")
    format: Literal["text", "markdown", "html"] = Field("text", description="How to read `text`.")
    title: str | None = None
    speaker: str | None = Field(None, description="Default speaker of quotes with no one named.")
    date: str | None = Field(None, description="The article's date (ISO 8601, possibly partial).")


class _Archives:
    """One open archive and tracer per worker thread (SQLite connections stay in their thread), reopened after an ingest."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.generation = 0
        self.write_lock = threading.Lock()
        self._local = threading.local()

    def tracer(self) -> Tracer:
        local = self._local
        if getattr(local, "generation", None) != self.generation:
            if getattr(local, "archive", None) is not None:
                local.archive.close()
            local.archive = Archive.open(self.path)
            local.tracer, local.generation = Tracer(local.archive), self.generation
        return local.tracer

    def archive(self) -> Archive:
        return self.tracer().archive


def create_app(settings: WebSettings) -> FastAPI:
    """The app for one archive."""
    with Archive.open(settings.archive):  # a missing or foreign archive is reported now, not on the first request
        pass
    archives = _Archives(settings.archive)
    store = ResultStore(settings.results or settings.archive.with_name(settings.archive.name + ".results.db"))
    pages = Environment(loader=PackageLoader("quotetrace", "web/templates"), autoescape=select_autoescape(default=True))
    nav = [("quotetrace", "/"), ("archive", "/archive")] + ([("add documents", "/add")] if settings.allow_ingest else [])
    policy = FetchPolicy(allow_private=settings.allow_private_urls, timeout_seconds=settings.fetch_timeout_seconds,
                         max_bytes=settings.max_fetch_bytes)
    checker_lock, checkers = threading.Lock(), []

    def checker() -> ScriptureChecker:
        with checker_lock:
            if not checkers:
                checkers.append(ScriptureChecker(load_library(list(settings.scripture))))
            return checkers[0]

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # threads beyond the cores only fight over the interpreter lock, and each opens the archive again
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield

    app = FastAPI(title="quotetrace", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Check quotations against their sources (the JSON contract of quotetrace).")
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)

    def page(name: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(pages.get_template(name).render(nav=nav, **context), status_code=status)

    @app.exception_handler(QuotetraceError)
    async def user_error(request: Request, exc: QuotetraceError) -> Response:
        """The one place where a problem the user can fix becomes an HTTP answer."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.problem, "remedy": exc.remedy}, status_code=400)
        return page("message.html", 400, heading="This could not be checked", problem=exc.problem, remedy=exc.remedy, error=True)

    @app.exception_handler(StarletteHTTPException)  # FastAPI's HTTPException, and Starlette's own (404, 413)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return page("message.html", exc.status_code, heading=f"Error {exc.status_code}", problem=exc.detail, error=True)

    # -- the work, shared by pages and API --------------------------------------

    def load(text: str | None, url: str | None, upload: tuple[bytes, str] | None, fmt: str,
             title: str | None, speaker: str | None, date: str | None) -> Article:
        given = [name for name, value in (("text", text and text.strip()), ("url", url and url.strip()), ("file", upload)) if value]
        if len(given) != 1:
            raise InputError("give the article one way: its text, a file or a web address." if given else "no article was given.",
                             "Paste the text, choose a file, or give an http(s) address.")
        if given == ["url"]:
            address = url.strip()
            article = read_article(fetch(address, policy), address, url_format(address), speaker=speaker or None, date=date or None)
        elif given == ["file"]:
            data, filename = upload
            name = Path(filename or "upload.txt").name  # only the name's suffix is used: never a path
            article = read_article(data, name, format_of(name), speaker=speaker or None, date=date or None)
        else:
            article = read_article(text.encode("utf-8"), "pasted text", fmt, speaker=speaker or None, date=date or None)
        return dataclasses.replace(article, title=title) if title else article

    def traced(article: Article) -> tuple[str, dict]:
        report = trace_report(article, archives.tracer(), checker, bool(settings.scripture), include_text=True)
        data = report.to_dict()
        rid = result_id(data)
        if not store.has(rid):
            store.save(rid, data, render_page(report, nav=nav, permalink=f"/r/{rid}"))
        return rid, data

    # -- pages ------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        return page("home.html", info=archives.archive().info(), recent=store.recent(10))

    @app.post("/trace", include_in_schema=False)
    async def trace_page(request: Request) -> Response:
        form = await request.form(max_part_size=settings.max_request_bytes)
        upload = form.get("file")
        file = (await upload.read(), upload.filename or "upload.txt") if isinstance(upload, UploadFile) and upload.filename else None
        fields = {k: (v if isinstance(v := form.get(k), str) else None) for k in ("text", "url", "title", "speaker", "date")}
        article = await run_in_threadpool(load, fields["text"], fields["url"], file, "markdown",
                                          fields["title"], fields["speaker"], fields["date"])
        rid, _ = await run_in_threadpool(traced, article)
        return RedirectResponse(f"/r/{rid}", status_code=303)

    @app.get("/r/{rid}", response_class=HTMLResponse, include_in_schema=False)
    def result_page(rid: str) -> HTMLResponse:
        return HTMLResponse(_saved(rid).html)

    @app.get("/archive", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = "", speaker: str = "", date_from: str = "", date_to: str = "", page_no: int = 1) -> HTMLResponse:
        page_no = max(1, page_no)
        searched = any((q, speaker, date_from, date_to))
        hits, more = archives.archive().search(q, speaker, date_from, date_to, _PAGE_SIZE, (page_no - 1) * _PAGE_SIZE)

        def link(n: int) -> str:
            return "/archive?" + urlencode({"q": q, "speaker": speaker, "date_from": date_from, "date_to": date_to, "page_no": n})

        return page("search.html", q=q, speaker=speaker, date_from=date_from, date_to=date_to, hits=hits, more=more,
                    page=page_no, link=link, searched=searched)

    @app.get("/documents/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(doc_id: str) -> HTMLResponse:
        doc, text = _document(doc_id)
        quoted = store.quoted(doc_id)
        return page("document.html", doc=doc, quoted=quoted, body=_highlighted(text, quoted))

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_page() -> HTMLResponse:
        _ingest_allowed()
        return page("add.html")

    @app.post("/add", include_in_schema=False)
    async def add_submit(request: Request) -> Response:
        _ingest_allowed()
        form = await request.form(max_part_size=settings.max_request_bytes)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("no file was given.", "Choose a .jsonl, .csv or .txt file.")
        defaults = {k: v for k in ("speaker", "date", "title") if isinstance(v := form.get(k), str) and v}
        stats = await run_in_threadpool(ingest, await upload.read(), upload.filename, defaults)
        return page("message.html", heading="Documents added", problem=f"{stats['added']} added, {stats['replaced']} replaced, "
                    f"{stats['unchanged']} unchanged ({stats['words']:,} words).")

    # -- the JSON API -------------------------------------------------------------

    # the contract is plain JSON already: JSONResponse skips FastAPI's slower re-encoding of it
    @app.post("/api/trace", summary="Trace every quote of an article", tags=["articles"], response_class=JSONResponse)
    def api_trace(body: ArticleRequest) -> JSONResponse:
        """The JSON contract (article text included), with the result's id and permalink."""
        rid, data = traced(load(body.text, body.url, None, body.format, body.title, body.speaker, body.date))
        return JSONResponse({**data, "id": rid, "permalink": f"/r/{rid}"})

    @app.post("/api/extract", summary="Find the quotes of an article", tags=["articles"], response_class=JSONResponse)
    def api_extract(body: ArticleRequest) -> JSONResponse:
        article = load(body.text, body.url, None, body.format, body.title, body.speaker, body.date)
        return JSONResponse(extract_report(article, True).to_dict())

    @app.get("/api/results/{rid}", summary="A saved result", tags=["articles"])
    def api_result(rid: str) -> Response:
        return Response(_saved(rid).json, media_type="application/json")

    @app.get("/api/archive", summary="What the archive holds", tags=["archive"])
    def api_archive() -> dict:
        return archives.archive().info().__dict__

    @app.get("/api/search", summary="Search the archive's documents", tags=["archive"])
    def api_search(q: str = "", speaker: str = "", date_from: str = "", date_to: str = "", limit: int = 20, offset: int = 0) -> dict:
        """Documents holding every word (a "quoted phrase" as one), by speaker and date range, oldest first."""
        hits, more = archives.archive().search(q, speaker, date_from, date_to, min(max(limit, 1), 200), max(offset, 0))
        return {"documents": [dataclasses.asdict(h) for h in hits], "more": more}

    @app.get("/api/documents/{doc_id:path}", summary="A document, with the passages saved results quote", tags=["archive"])
    def api_document(doc_id: str) -> dict:
        doc, text = _document(doc_id)
        fields = {k: getattr(doc, k) for k in ("id", "speaker", "date", "title", "url", "words")}
        return {**fields, "text": text, "quoted": [dataclasses.asdict(p) for p in store.quoted(doc_id)]}

    @app.post("/api/documents", summary="Add documents to the archive (when the server allows it)", tags=["archive"])
    def api_add(records: list[dict]) -> dict:
        _ingest_allowed()
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
        return ingest(data, "request.jsonl", {})

    # -- helpers ------------------------------------------------------------------

    def ingest(data: bytes, filename: str, defaults: dict[str, str]) -> dict:
        with archives.write_lock, Archive.open(settings.archive) as archive:
            stats = archive.add(read_upload(data, Path(filename).name, defaults))
            archives.generation += 1
        return dataclasses.asdict(stats)

    def _ingest_allowed() -> None:
        if not settings.allow_ingest:
            raise HTTPException(403, "Adding documents is turned off on this server (start it with --allow-ingest).")

    def _saved(rid: str):
        saved = store.get(rid) if _RESULT_ID.fullmatch(rid) else None
        if saved is None:
            raise HTTPException(404, "There is no saved result with this id.")
        return saved

    def _document(doc_id: str):
        found = archives.archive().get(doc_id)
        if found is None:
            raise HTTPException(404, "There is no document with this id in the archive.")
        return found

    return app


def app_from_environment() -> FastAPI:
    """The app for ``$QUOTETRACE_WEB_SETTINGS`` (JSON of WebSettings): what each worker process of ``serve --workers`` builds."""
    fields = json.loads(os.environ["QUOTETRACE_WEB_SETTINGS"])
    paths = {"archive": Path(fields["archive"]), "results": Path(fields["results"]) if fields.get("results") else None,
             "scripture": tuple(Path(p) for p in fields.get("scripture", ()))}
    return create_app(WebSettings(**{**fields, **paths}))


def settings_json(settings: WebSettings) -> str:
    """WebSettings as JSON, for ``app_from_environment``."""
    return json.dumps(dataclasses.asdict(settings), default=str)


def _highlighted(text: str, quoted: list) -> Markup:
    """The document's text with each quoted passage marked and linked to the result that quotes it."""
    parts, cursor = [], 0
    for n, p in enumerate(quoted, 1):
        start = max(p.start, cursor)
        if start >= p.end:
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(Markup('<mark id="p{}" title="{}"><a href="/r/{}#{}">{}</a></mark>').format(
            n, p.verdict, p.result_id, p.quote_id, text[start:p.end]))
        cursor = p.end
    parts.append(escape(text[cursor:]))
    return Markup("").join(parts)

