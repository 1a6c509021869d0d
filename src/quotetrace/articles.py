"""Loading an article: a text, Markdown or HTML file, or a web page by URL.

The article's ``text`` is what quote offsets point into: the file as read for
text and Markdown (front matter removed, Markdown block quotes written with
quote marks), the main text that trafilatura extracts for HTML (``<q>`` and
``<blockquote>`` written with quote marks).
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
_BLOCK_QUOTE = re.compile(r"^(?: {0,3}>.*(?:\n|$))+", re.M)
_BLOCK_QUOTE_PREFIX = re.compile(r"^ {0,3}> ?", re.M)
_WRAP_WIDTH = 100  # lines of hard-wrapped text are no longer than this (most are 72–80 characters)
#: a line that goes on with the paragraph before it: text, not a list item, heading, table row, block quote or
#: indented block
_PARAGRAPH_GOES_ON = re.compile(r"[ \t]{0,3}(?![-*+] |\d+[.)] |#|\||>)\S")
_SIGNATURE = re.compile(r"^\s*(?:[―—–]|--)\s*\S")  # "— Barack Obama, January 20, 2009": who said the block, after it
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
    if fmt == "markdown":
        text = _BLOCK_QUOTE.sub(_marked_block_quote, text)
    text = _unwrapped(text)
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


def _unwrapped(text: str) -> str:
    """Hard-wrapped text with its paragraphs on one line each: a line break inside a paragraph becomes a space (one
    character for one: offsets stay valid), so that a quote can run over it.

    A text is hard-wrapped when blank lines part its paragraphs and the lines
    inside them are short (Markdown, e-mail, plain text at 72 columns); a
    text that puts each paragraph on one line, or has no blank lines, keeps
    every line break. Headings, list items, table rows and indented lines
    keep theirs too.
    """
    lines = text.split("\n")
    inner = [len(line) for line, after in zip(lines, lines[1:]) if line.strip() and after.strip()]
    if not inner or "" not in (line.strip() for line in lines) or sorted(inner)[len(inner) // 2] > _WRAP_WIDTH:
        return text
    pieces = []
    for line, after in zip(lines, lines[1:]):
        soft = line.strip() and not line.lstrip().startswith("#") and _PARAGRAPH_GOES_ON.match(after)
        pieces.extend((line, " " if soft else "\n"))
    pieces.append(lines[-1])
    return "".join(pieces)


def _marked_block_quote(block: re.Match) -> str:
    """A Markdown block quote without its ``>`` marks, written as a quote in the English convention for several
    paragraphs (“ opening each, ” closing the last) unless it writes its own marks; a signature line ("— Name")
    stays after the closing mark, where a cue stands."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", _BLOCK_QUOTE_PREFIX.sub("", block.group()))]
    paragraphs = [p for p in paragraphs if p]
    signature = paragraphs.pop() if len(paragraphs) > 1 and _SIGNATURE.match(paragraphs[-1]) else None
    if paragraphs and paragraphs[0][0] not in _QUOTE_MARKS:
        paragraphs = ["“" + p for p in paragraphs]
        paragraphs[-1] += "”"
    ending = "\n" if block.group().endswith("\n") else ""
    return "\n\n".join(paragraphs) + (f"\n{signature}" if signature else "") + ending


def _sign_after(block) -> None:
    """Move a block quote's signature (``<footer>``, or a ``<cite>`` of its own) to a line after it ("— Name, date"),
    where a cue stands: the extracted text would drop a footer."""
    import lxml.html

    signatures = [e for e in block if e.tag in ("footer", "cite")]
    for element in reversed(signatures):
        text = " ".join(element.text_content().split())
        element.drop_tree()
        if text:
            line = lxml.html.Element("p")
            line.text = text if _SIGNATURE.match(text) else "— " + text
            block.addnext(line)


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
    for block in list(root.iter("blockquote")):
        _sign_after(block)
        text = block.text_content().strip()
        if not text or text[0] in _QUOTE_MARKS:
            continue
        paragraphs = [p for p in block.iter("p") if p.text_content().strip()] or [block]
        for p in paragraphs:
            p.text = "“" + (p.text or "").lstrip()
        last = paragraphs[-1]
        if last is block or not len(last):
            if last is block:  # the text may go on in inline children (its signature has moved out)
                if len(block):
                    block[-1].tail = (block[-1].tail or "").rstrip() + "”"
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
