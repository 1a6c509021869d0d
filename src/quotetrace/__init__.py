"""quotetrace: check quotations against their sources.

Load an article, extract its quotes, trace them against an archive::

    article = load_article("article.md")
    quotes = extract_quotes(article)
    with Archive.open("speeches.db") as archive:
        traces = trace_quotes(quotes, archive)
"""

from .archive import Archive
from .articles import Article, load_article
from .errors import QuotetraceError
from .options import TraceOptions
from .quotes import Quote, extract_quotes
from .trace import Trace, Tracer, trace_quotes

__all__ = ["Archive", "Article", "Quote", "QuotetraceError", "Trace", "TraceOptions", "Tracer",
           "extract_quotes", "load_article", "trace_quotes"]
__version__ = "0.1.0"
