"""The command-line tool: a thin typer layer that parses, calls the library, and renders."""

from __future__ import annotations

import json
import os
import sys
import time
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .archive import Archive
from .articles import load_article
from .documents import read_records
from .errors import MissingExtraError, QuotetraceError, ScriptureError
from .pipeline import extract_report, trace_report
from .quotes import extract_quotes
from .reports import Report, render
from .reports.terminal import build_table
from .scripture.check import ScriptureChecker, own_key
from .scripture.refs import parse_reference
from .scripture.texts import Library, load_library

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  help="Check quotations against their sources.")
archive_app = typer.Typer(no_args_is_help=True, help="Build and inspect an archive of source documents.")
app.add_typer(archive_app, name="archive")
scripture_app = typer.Typer(no_args_is_help=True, help="Check scripture quotes against the verses, in every loaded translation.")
app.add_typer(scripture_app, name="scripture")
err = Console(stderr=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    html = "html"
    csv = "csv"


ArticleArg = typer.Argument(..., help="Article: a .txt, .md or .html file, or an http(s) URL.")
ArchiveOpt = typer.Option(..., "--archive", "-a", help="The archive file (SQLite).")
FormatOpt = typer.Option(Format.table, "--format", "-f", help="Output format.")
OutputOpt = typer.Option(None, "--output", "-o", help="Write the output to this file (html: default ARTICLE.quotetrace.html).")
SpeakerOpt = typer.Option(None, "--speaker", help="Default speaker for quotes without a cue.")
DateOpt = typer.Option(None, "--date", help="The article's date (reference for dates without a year).")
EncodingOpt = typer.Option(None, "--encoding", help="The article's encoding, if not UTF-8 (e.g. cp1252).")
WorkersOpt = typer.Option(os.cpu_count() or 1, "--workers", "-j", help="Processes that split and hash the texts.")
IncludeTextOpt = typer.Option(False, "--include-text", help="JSON: include the article text that offsets point into.")
ScriptureOpt = typer.Option(None, "--scripture", "-s", help="Translation packs: Tanzil .xml or .csv files, or folders of them "
                            "(also $QUOTETRACE_SCRIPTURE). The KJV, WEB and ASV Bibles are built in.")


def _packs(paths: list[Path] | None) -> list[Path]:
    """The scripture packs named on the command line and in $QUOTETRACE_SCRIPTURE."""
    return list(paths or []) + [Path(p) for p in os.environ.get("QUOTETRACE_SCRIPTURE", "").split(os.pathsep) if p]


def _library(paths: list[Path] | None) -> Library:
    """The built-in Bibles and the named packs."""
    with err.status("loading scripture translations…"):
        library = load_library(_packs(paths))
    for warning in library.warnings:
        err.print(f"warning: {warning}")
    return library


def _emit(report: Report, fmt: Format, output: Path | None, article: str) -> None:
    if fmt is Format.html and output is None:
        output = Path(Path(article).stem if "://" not in article else "article").with_suffix(".quotetrace.html")
    if output is not None:
        output.write_text(render(report, fmt.value), encoding="utf-8")
        err.print(f"wrote {output}")
    elif fmt is Format.table:
        Console().print(build_table(report))
    else:
        sys.stdout.write(render(report, fmt.value) + "\n")


@app.command()
def extract(article: str = ArticleArg, format: Format = FormatOpt, output: Path = OutputOpt,
            speaker: str = SpeakerOpt, date: str = DateOpt, encoding: str = EncodingOpt,
            include_text: bool = IncludeTextOpt) -> None:
    """Find the quotations in an article, with who said them and when."""
    loaded = load_article(article, speaker=speaker, date=date, encoding=encoding)
    _emit(extract_report(loaded, include_text), format, output, article)


@app.command()
def trace(article: str = ArticleArg, archive: Path = ArchiveOpt, format: Format = FormatOpt, output: Path = OutputOpt,
          speaker: str = SpeakerOpt, date: str = DateOpt, encoding: str = EncodingOpt,
          include_text: bool = IncludeTextOpt, scripture: list[Path] = ScriptureOpt) -> None:
    """Trace each quotation of an article to its source in the archive, with a verdict.

    Quotes that cite scripture are checked against the verses too (and, when
    packs are given, every quote is looked up among the verses).
    """
    with Archive.open(archive) as store:
        loaded = load_article(article, speaker=speaker, date=date, encoding=encoding)
        report = trace_report(loaded, store, lambda: ScriptureChecker(_library(scripture)), bool(_packs(scripture)), include_text)
    _emit(report, format, output, article)


@scripture_app.command("check")
def scripture_check(article: str = ArticleArg, scripture: list[Path] = ScriptureOpt, format: Format = FormatOpt,
                    output: Path = OutputOpt, encoding: str = EncodingOpt) -> None:
    """Check every quote of an article that cites scripture, and find the verse of those that do not."""
    loaded = load_article(article, encoding=encoding)
    quotes = extract_quotes(loaded)
    report = Report(loaded, quotes, scripture=ScriptureChecker(_library(scripture)).check_quotes(quotes))
    _emit(report, format, output, article)


@scripture_app.command("show")
def scripture_show(reference: str = typer.Argument(..., help='A reference: "John 3:16", "1 Cor 13:4-7", "Quran 2:255".'),
                   scripture: list[Path] = ScriptureOpt) -> None:
    """Print a verse (or a passage) in every loaded translation."""
    ref = parse_reference(reference)
    if ref.error:
        raise ScriptureError(f"{ref.label}: {ref.error}.", "Check the chapter and verse.")
    library = _library(scripture)
    translations = library.of(ref.canon)
    if not translations:
        raise ScriptureError(f"no {ref.canon} translation is loaded.",
                             "Give Tanzil .xml packs with --scripture (or $QUOTETRACE_SCRIPTURE).")
    table = Table(title=ref.label, show_lines=True, expand=True)
    table.add_column("translation", ratio=1)
    table.add_column("text", ratio=4)
    for t in translations:
        text = " ".join(t.verses.get(own_key(t.name, (ref.book, c, v)), "") for c, v in ref.verses).strip()
        table.add_row(f"{t.name}\n{t.title}", text or Text("(not in this translation)", style="dim"))
    Console().print(table)


@archive_app.command("add")
def archive_add(paths: list[Path] = typer.Argument(..., help="JSON Lines (.jsonl, .jsonl.gz), a JSON array (.json), CSV, .txt files or folders of .txt files."),
                archive: Path = ArchiveOpt,
                speaker: str = typer.Option(None, help="Speaker of documents that name none."),
                date: str = typer.Option(None, help="Date of documents that give none (2019-11-03, 2019-11, 2019)."),
                title: str = typer.Option(None, help="Title of documents that give none."),
                url: str = typer.Option(None, help="URL of documents that give none."),
                workers: int = WorkersOpt) -> None:
    """Add documents to an archive (created if missing). Re-adding the same documents changes nothing."""
    defaults = {"speaker": speaker, "date": date, "title": title, "url": url}
    started = time.perf_counter()
    with Archive.open(archive, create=True) as store, Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
    ) as progress:
        task = progress.add_task("reading", total=None)

        def records():
            for path in paths:
                progress.update(task, description=f"adding {path.name}")
                yield from read_records(path, defaults)

        stats = store.add(records(), lambda words: progress.update(task, description=f"{words:,} words"), workers=workers)
    err.print(f"{stats.added} added, {stats.replaced} replaced, {stats.unchanged} unchanged "
              f"({stats.words:,} words) in {time.perf_counter() - started:.1f} s → {archive}")


@archive_app.command("info")
def archive_info(archive: Path = ArchiveOpt, json_output: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show what an archive holds: documents, words, speakers, date range."""
    with Archive.open(archive) as store:
        info = store.info()
    if json_output:
        print(json.dumps(info.__dict__, indent=2))
        return
    print(f"archive    {info.path} ({info.size_bytes / 1e6:.1f} MB)")
    print(f"documents  {info.documents:,}")
    print(f"words      {info.words:,}")
    print(f"speakers   {info.speakers:,}" + (f" (most: {', '.join(f'{s} {n}' for s, n in info.top_speakers)})" if info.top_speakers else ""))
    print(f"dates      {info.first_date or '?'} … {info.last_date or '?'}")
    print(f"index      {info.index_postings:,} postings in {info.index_segments} segment(s), {info.index_bytes / 1e6:.1f} MB"
          + (" (run `quotetrace archive reindex` to merge them)" if info.index_segments > 8 else ""))


@archive_app.command("reindex")
def archive_reindex(archive: Path = ArchiveOpt, workers: int = WorkersOpt) -> None:
    """Rebuild the archive's shingle index from its documents (after an upgrade, or to compact it)."""
    started = time.perf_counter()
    with Archive.open(archive) as store, Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
    ) as progress:
        task = progress.add_task("reindexing", total=None)
        postings = store.reindex(lambda words: progress.update(task, description=f"{words:,} words"), workers=workers)
    err.print(f"reindexed {archive}: {postings:,} postings in {time.perf_counter() - started:.1f} s")


@app.command()
def demo(output: Path = typer.Option(Path("quotetrace-demo.html"), "--output", "-o", help="Where to write the HTML report."),
         rebuild: bool = typer.Option(False, help="Rebuild the cached State of the Union archive.")) -> None:
    """Trace the sample essay against State of the Union addresses (1790–2026)."""
    from .demo import demo_archive, demo_article_path

    db = demo_archive(rebuild=rebuild, console=err)
    with Archive.open(db) as store:
        report = trace_report(load_article(str(demo_article_path())), store)
    Console().print(build_table(report))
    output.write_text(render(report, "html"), encoding="utf-8")
    err.print(f"wrote {output}")


@app.command()
def serve(archive: Path = typer.Option(None, "--archive", "-a", help="The archive file (SQLite)."),
          demo: bool = typer.Option(False, "--demo", help="Serve the demo's State of the Union archive (built on first use)."),
          results: Path = typer.Option(None, help="Where saved results (permalinks) are kept (default: ARCHIVE.results.db)."),
          host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0: every interface)."),
          port: int = typer.Option(8000, help="Port to listen on."),
          allow_ingest: bool = typer.Option(False, help="Let visitors add documents to the archive from the page and the API."),
          allow_private_urls: bool = typer.Option(False, help="Let visitors have loopback, private and link-local addresses fetched."),
          max_request_mb: float = typer.Option(5.0, help="Largest request (pasted text or upload) accepted, in MB."),
          workers: int = typer.Option(1, "--workers", "-j", help="Server processes (each opens the archive; use the cores)."),
          scripture: list[Path] = ScriptureOpt) -> None:
    """Serve the web app: paste, upload or link an article and see its report; browse and search the archive."""
    try:
        import uvicorn

        from .web import WebSettings, create_app, settings_json
    except ImportError as exc:
        raise MissingExtraError(f"the web app needs {exc.name}.", "Install it with: pip install 'quotetrace[web]'") from exc
    if demo == (archive is not None):
        raise QuotetraceError("give either --archive FILE.db or --demo.", "See: quotetrace serve --help")
    if demo:
        from .demo import demo_archive

        archive = demo_archive(console=err)
    settings = WebSettings(archive=archive, results=results, allow_ingest=allow_ingest, allow_private_urls=allow_private_urls,
                           max_request_bytes=int(max_request_mb * 1_000_000), scripture=tuple(_packs(scripture)))
    web_app = create_app(settings)  # also checks the archive before any worker starts
    err.print(f"quotetrace: serving {archive} on http://{host}:{port}/ with {workers} process(es) (Ctrl-C stops)")
    if workers > 1:
        os.environ["QUOTETRACE_WEB_SETTINGS"] = settings_json(settings)
        uvicorn.run("quotetrace.web:app_from_environment", factory=True, workers=workers, host=host, port=port, log_level="warning")
    else:
        uvicorn.run(web_app, host=host, port=port, log_level="warning")


@app.command("batch")
def batch_command(articles: str = typer.Argument(..., help="Articles: JSON Lines (id, text; optionally title, date, speaker, format) or Parquet; a path or any URI Spark reads."),
                  archive: str = typer.Option(..., "--archive", "-a", help="Archive documents: JSON Lines or Parquet (id, speaker, date, title, url, text)."),
                  out: str = typer.Option(..., "--out", "-o", help="Where results go: OUT/quotes (Parquet, one row per quote) and OUT/summary."),
                  master: str = typer.Option(None, help="Spark master, such as local[2] (default: what spark-submit set, else local[*])."),
                  restart: bool = typer.Option(False, help="Recompute every stage instead of resuming the last run.")) -> None:
    """Trace the quotes of many articles against a large archive on Apache Spark (an optional extra); no index needed."""
    from . import spark as batch_jobs

    batch_jobs.require_spark()
    started = time.perf_counter()
    session = batch_jobs.spark_session(master)
    try:
        summary = batch_jobs.batch(session, articles, archive, out, restart=restart, progress=lambda stage: err.print(f"stage: {stage}"))
    except Exception as exc:
        raise (batch_jobs.job_failure(exc) or exc) from exc
    print(json.dumps(summary, indent=2))
    err.print(f"{summary['quotes']:,} quotes of {summary['articles']:,} articles in {time.perf_counter() - started:.1f} s → {out}/quotes")


@app.command("batch-index")
def batch_index(documents: str = typer.Argument(..., help="Documents: JSON Lines or Parquet (id, speaker, date, title, url, text); a path or any URI Spark reads."),
                archive: Path = ArchiveOpt,
                master: str = typer.Option(None, help="Spark master, such as local[2] (default: what spark-submit set, else local[*]).")) -> None:
    """Add a large archive's documents to a single-machine archive, their analysis done by a Spark job."""
    from . import spark as batch_jobs

    batch_jobs.require_spark()
    started = time.perf_counter()
    session = batch_jobs.spark_session(master)
    try:
        stats = batch_jobs.build_archive(session, documents, archive)
    except Exception as exc:
        raise (batch_jobs.job_failure(exc) or exc) from exc
    err.print(f"{stats.added} added, {stats.replaced} replaced, {stats.unchanged} unchanged "
              f"({stats.words:,} words) in {time.perf_counter() - started:.1f} s → {archive}")


def main() -> None:
    """Entry point: one-line errors with exit status 1, never a traceback for a user's mistake."""
    try:
        app()
    except QuotetraceError as exc:
        print(f"quotetrace: error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        print("quotetrace: interrupted; nothing was changed.", file=sys.stderr)
        raise SystemExit(130) from None
