"""An article through the whole pipeline: extract, trace, check scripture, as one Report.

The command line and the web app both call these, so a result is the same
whichever way it was asked for.
"""

from __future__ import annotations

from collections.abc import Callable

from .archive import Archive
from .articles import Article
from .options import DEFAULT_OPTIONS
from .quotes import Quote, extract_quotes
from .reports import Report
from .scripture.check import ScriptureChecker
from .trace import Tracer


def extract_report(article: Article, include_text: bool = False) -> Report:
    """The quotes of an article, untraced."""
    return Report(article, extract_quotes(article), include_text=include_text)


def quotes_to_trace(article: Article) -> list[Quote]:
    """The quotes of an article as tracing sees them (short ones are phrases, not traced): one definition for every path."""
    return extract_quotes(article, min_quote_words=DEFAULT_OPTIONS.min_quote_words)


def trace_report(article: Article, archive: Archive | Tracer, checker: Callable[[], ScriptureChecker] | None = None,
                 look_up_uncited: bool = False, include_text: bool = False) -> Report:
    """The quotes of an article, each traced in the archive.

    Quotes that cite scripture are checked against the verses; with
    ``look_up_uncited`` every other quote is looked up among them too.
    ``checker`` is called only when a check is needed (loading translations
    takes seconds).
    """
    tracer = archive if isinstance(archive, Tracer) else Tracer(archive)
    quotes = quotes_to_trace(article)
    report = Report(article, quotes, {q.id: tracer.trace_quote(q) for q in quotes}, include_text=include_text)
    if checker is not None and (look_up_uncited or any(q.references for q in quotes)):
        report.scripture = checker().check_quotes(quotes, uncited=look_up_uncited)
    return report
