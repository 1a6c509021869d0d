"""Loading an article: a text, Markdown or HTML file, or a web page by URL.

The article's ``text`` is what quote offsets point into: the file as read for
text and Markdown (front matter removed), the main text that trafilatura
extracts for HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .dates import parse_date
from .errors import InputError
from .fetch import FetchPolicy, fetch
from .speakers import names_someone
from .textfiles import decode, read_bytes

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
_HEADING = re.compile(r"^#\s+(.+)$", re.M)
_TITLE_NAME = r"(?P<name>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|bin|al|ibn)){0,5})"
_SPEECH = r"(?i:speech|address|remarks|statement|sermon|lecture|testimony|interview|letter|message|eulogy|khutbah|homily|report)"
#: a title that names whose words the article gives: "Remarks by President Biden on …", "Obama's Cairo speech",
#: "Transcript: Lincoln's second inaugural address"
_SPEAKER_IN_TITLE = re.compile(
    rf"^\W*(?i:(?:full\s+)?(?:text|transcript)(?:\s+of)?\s*[:—–-]?\s*)?(?:(?i:the\s+)?{_TITLE_NAME}['’]s?\s+"
    rf"(?:[\w-]+\s+){{0,4}}?{_SPEECH}s?\b|{_SPEECH}s?\s+(?i:by|of|from|with)\s+{_TITLE_NAME.replace('name', 'by')})")


@dataclass(frozen=True)
class Article:
    """An article as loaded: its text and what it says about itself."""

    text: str
    source: str
    title: str | None = None
    date: str | None = None
    speaker: str | None = None
    format: str = "text"


def load_article(
    source: str, *, speaker: str | None = None, date: str | None = None, encoding: str | None = None,
    fetch_policy: FetchPolicy = FetchPolicy(allow_private=True),
) -> Article:
    """Load an article from a path or an http(s) URL.

    ``speaker`` and ``date`` override what the article says of itself: the
    default speaker of quotes without a cue, and the reference for dates
    without a year.
    """
    if re.match(r"https?://", source, re.I):
        raw, fmt = fetch(source, fetch_policy), url_format(source)
    else:
        raw, fmt = read_bytes(Path(source)), format_of(source)
    return read_article(raw, source, fmt, speaker=speaker, date=date, encoding=encoding)


def format_of(name: str) -> str:
    """The article format a file name implies: html, markdown or text."""
    suffix = Path(name).suffix.lower()
    return {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}.get(suffix, "text")


def url_format(url: str) -> str:
    """The format of a web address: a page, unless its path names a text or Markdown file."""
    suffix = Path(urlsplit(url).path).suffix.lower()
    return {".txt": "text", ".md": "markdown", ".markdown": "markdown"}.get(suffix, "html")


def read_article(
    raw: bytes, source: str, fmt: str = "text", *, speaker: str | None = None, date: str | None = None,
    encoding: str | None = None,
) -> Article:
    """An article from bytes in hand (a file's, an upload's, a pasted text's); ``source`` names it in messages."""
    text = decode(raw, source, encoding).replace("\r\n", "\n")  # Windows files and browser forms end lines with CR LF
    if fmt == "text" and re.match(r"\s*(<!doctype html|<html)", text, re.I):
        fmt = "html"
    article = _from_html(text, source) if fmt == "html" else _from_text(text, source, fmt)
    if not article.text.strip():
        raise InputError(f"{source} is empty: it has no text to look for quotes in.", "Give an article with text.")
    speaker = speaker or article.speaker or speaker_in_title(article.title)
    overrides = {k: v for k, v in (("speaker", speaker), ("date", date and _checked_date(date))) if v}
    return Article(**{**article.__dict__, **overrides})


def speaker_in_title(title: str | None) -> str | None:
    """Who speaks in an article whose title names a speech or a transcript ("Remarks by President Biden"), else None:
    the default speaker of its quotes that no cue attributes."""
    found = _SPEAKER_IN_TITLE.match(title or "")
    if not found:
        return None
    name = found.group("name") or found.group("by")
    return name if names_someone(name) else None  # "The Pope's Easter homily": a title, no name to check


def _checked_date(value: str) -> str:
    iso = parse_date(value)
    if iso is None:
        raise InputError(f"{value!r} is not a date.", "Give it as 2019-11-03, 2019-11 or 2019.")
    return iso


def _from_text(text: str, source: str, fmt: str) -> Article:
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[front.end():]
    title = meta.get("title")
    if title is None and fmt == "markdown" and (heading := _HEADING.search(text)):
        title = heading.group(1).strip()
    date = parse_date(meta["date"]) if "date" in meta else None
    return Article(text, source, title, date, meta.get("speaker"), fmt)


def _from_html(html: str, source: str) -> Article:
    import trafilatura

    text = trafilatura.extract(_marked_quotations(html), output_format="txt", include_comments=False, favor_recall=True)
    if not text:
        raise InputError(
            f"{source}: no article text could be found in this HTML.",
            "Save the page's main text as a .txt file and give that instead.",
        )
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta else None
    date = parse_date(meta.date) if meta and meta.date else None
    return Article(text, source, title, date, None, "html")


_QUOTE_MARKS = "\"'“”‘’«»„‚‹›「」『』"


def _marked_quotations(html: str) -> str:
    """The page with quote marks written around ``<q>`` and ``<blockquote>`` text, which marks them by markup alone
    (the text extracted from the page would lose them): ``<q>`` as “…” (‘…’ inside another), a block quote in the
    English convention for several paragraphs (“ opening each, ” closing the last) unless it writes its own marks."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    for block in root.iter("blockquote"):
        text = block.text_content().strip()
        if not text or text[0] in _QUOTE_MARKS:
            continue
        paragraphs = [p for p in block.iter("p") if p.text_content().strip()] or [block]
        for p in paragraphs:
            p.text = "“" + (p.text or "").lstrip()
        last = paragraphs[-1]
        if last is block or not len(last):
            if last is block:  # the text may go on in inline children, up to a footer or a citation
                ends = [e for e in block if e.tag not in ("footer", "cite")]
                if ends:
                    ends[-1].tail = (ends[-1].tail or "").rstrip() + "”"
                else:
                    block.text = block.text.rstrip() + "”"
            else:
                last.text = last.text.rstrip() + "”"
        else:
            last[-1].tail = (last[-1].tail or "").rstrip() + "”"
    for q in list(root.iter("q")):
        inner = any(a.tag == "q" for a in q.iterancestors())
        opening, closing = ("‘", "’") if inner else ("“", "”")
        q.text = opening + (q.text or "")
        if len(q):
            q[-1].tail = (q[-1].tail or "") + closing
        else:
            q.text += closing
    for q in list(root.iter("q")):
        q.drop_tag()  # inline text again: the extractor would break the line at the element
    return lxml.html.tostring(root, encoding="unicode")
