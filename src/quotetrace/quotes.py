"""Finding quotations: their exact spans, whatever the quote marks, and their nesting.

A small state machine walks the quote marks of each paragraph. Whether a mark
opens or closes depends on which marks it can pair with and on what flanks it
(a space before and a letter after opens; a letter before and a space after
closes), so typographic habits and slips are handled without rules per
language: straight, curly, « », „ “, a curly opener closed by a straight mark,
a closing mark whose opener is missing at the start of a paragraph, and quotes
that run over several paragraphs (opening mark repeated, closed only at the end).
Single marks count as quotes only inside a double quote, where they nest; at
the top level they are far more often apostrophes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .articles import Article
from .scripture.refs import Found, find_references

#: for each opening mark, the marks that may close it (“ closes “ where it stands as a closer: "rapists“ while")
CLOSERS = {
    '"': '"”“', "“": '”"“', "„": '“”"', "«": "»", "»": "«", "‹": "›", "”": "”",
    "「": "」", "『": "』", "‘": "’'", "'": "'’", "‚": "‘’'",
}
_DOUBLE = set('"“„«»‹”「『')
_DOUBLE_CLOSERS = set('"”»›」』')
_MARK_RE = re.compile(r"[\"“”„«»‹›‘’‚'「」『』]")
_PARAGRAPH_RE = re.compile(r"[^\n]+")
_WORD_RE = re.compile(r"\w+")
_LEFT_CONTEXT = set(" \t\n([{—–-/:“„«‘‚「『") | {""}  # an opening mark right after an opener opens too: “"And…
_RIGHT_CONTEXT = set(" \t\n)]}—–-/.,;:!?…”»’」』") | {""}
_MAX_DEPTH = 8  # quotes nest this deep at most: bounds the work per quote mark on hostile input
_REFERENCE_REACH = 60  # characters between a quote and the reference that cites it
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z]|\n")


@dataclass
class Quote:
    """A quotation found in an article: where it is, and who said it when."""

    id: str
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_source: str | None = None
    speaker_span: tuple[int, int] | None = None  # where the cue names the speaker ("he", "the Secretary-General")
    speaker_confidence: float | None = None  # how far the speaker is to be trusted: a cue naming them, 0.95 … the article's default, 0.4
    date: str | None = None
    parent: str | None = None
    continues: str | None = None  # a split quote ("X," he said, "Y."): the id of its first part
    content_span: tuple[int, int] | None = None  # a partial quote in reported speech: the whole clause reported
    kind: str = "quote"
    references: list[Found] = field(default_factory=list)  # scripture cited with the quote

    @property
    def word_count(self) -> int:
        return len(_WORD_RE.findall(self.text))

    @property
    def scripture(self) -> list[dict]:
        """The references, as the JSON contract gives them (one entry per verse range), with their offsets."""
        return [d | {"start": f.start, "end": f.end} for f in self.references for d in f.reference.to_dicts()]


@dataclass
class _Open:
    mark: str
    start: int  # offset of the first character inside the marks


def extract_quotes(article: Article, *, min_quote_words: int = 4) -> list[Quote]:
    """Every quotation in ``article``, in text order, with speaker and date."""
    from .attribution import CONFIDENCE, attribute

    spans = find_quote_spans(article.text)
    quotes: list[Quote] = []
    for number, (start, end, parent) in enumerate(spans, 1):
        text = _strip_continuations(article.text[start:end])
        quotes.append(Quote(f"q{number}", text, start, end, parent=parent))
    attribute(article, quotes)
    _attach_references(article.text, quotes)
    for quote in quotes:
        cued = quote.speaker_source in ("cue", "description") and quote.speaker_confidence >= CONFIDENCE["resolved"]
        if quote.word_count < min_quote_words and not cued:  # a short quote no cue attributes: a phrase
            quote.kind = "phrase"
            if quote.speaker_source != "default":  # a title or scare quote is not the words of its sentence's subject
                quote.speaker = quote.speaker_source = quote.speaker_span = quote.speaker_confidence = None
    return quotes


def _attach_references(text: str, quotes: list[Quote]) -> None:
    """Give each scripture reference to the quote it cites.

    A reference inside a quote belongs to the innermost quote around it;
    outside, to the quote it follows closely in the same sentence ("…" (Quran
    2:255)), else to the quote it introduces ("John 3:16 says: "…"").
    """
    for found in find_references(text):
        inside = [q for q in quotes if q.start <= found.start and found.end <= q.end]
        if inside:
            max(inside, key=lambda q: q.start).references.append(found)
            continue
        before = [q for q in quotes if q.end <= found.start and found.start - q.end <= _REFERENCE_REACH
                  and not _SENTENCE_END.search(text, q.end + 1, found.start)]
        after = [q for q in quotes if q.start >= found.end and q.start - found.end <= _REFERENCE_REACH
                 and not _SENTENCE_END.search(text, found.end, q.start - 1)]
        if before:
            max(before, key=lambda q: (q.end, -q.start)).references.append(found)
        elif after:
            min(after, key=lambda q: q.start).references.append(found)


def find_quote_spans(text: str) -> list[tuple[int, int, str | None]]:
    """``(start, end, parent id)`` of every quote, sorted by start; ids are ``q1``, ``q2``…"""
    raw: list[tuple[int, int]] = []
    paragraphs = list(_PARAGRAPH_RE.finditer(text))
    carry: _Open | None = None
    for index, para in enumerate(paragraphs):
        stack: list[_Open] = [carry] if carry else []
        skip = _first_mark(text, para) if carry else -1
        found_in_paragraph = False
        for m in _MARK_RE.finditer(text, para.start(), para.end()):
            pos, mark = m.start(), m.group()
            before = text[pos - 1] if pos > para.start() else ""
            after = text[pos + 1] if pos + 1 < para.end() else ""
            opens_context = before in _LEFT_CONTEXT and after not in _RIGHT_CONTEXT
            closes_context = after in _RIGHT_CONTEXT and before not in _LEFT_CONTEXT
            if pos == skip or (mark in "'’" and (before.isalnum() and after.isalnum() or opens_context and mark not in CLOSERS)):
                continue  # a repeated paragraph opener, or an apostrophe ("nation's", "’80s")
            depth = _closable(stack, mark)
            if depth is not None and not opens_context:
                while len(stack) > depth:
                    raw.append((stack.pop().start, pos))
                found_in_paragraph = True
            elif mark in CLOSERS and (mark in _DOUBLE or stack) and not closes_context:
                if len(stack) == _MAX_DEPTH:  # marks that never close ('"w1 "w2 "w3…'): the oldest opener is let go
                    stack.pop(0)
                stack.append(_Open(mark, pos + 1))
            elif mark in _DOUBLE_CLOSERS and not stack and not found_in_paragraph and closes_context:
                raw.append((_skip_spaces(text, para.start()), pos))  # opening mark missing at paragraph start
                found_in_paragraph = True
        carry = None
        if stack:
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            first = _first_mark(text, following) if following else -1
            if stack[0].mark in _DOUBLE and first >= 0 and text[first] == stack[0].mark:
                carry = stack.pop(0)  # the English convention: the quote goes on in the next paragraph
            raw.extend((opened.start, para.end()) for opened in stack)
    return _with_parents(text, raw)


def _closable(stack: list[_Open], mark: str) -> int | None:
    """Depth of the innermost open quote that ``mark`` can close, if any."""
    for depth in range(len(stack) - 1, -1, -1):
        if mark in CLOSERS[stack[depth].mark]:
            return depth
    return None


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _first_mark(text: str, para: re.Match) -> int:
    """Offset of a quote mark that begins a paragraph (after spaces), else -1."""
    i = _skip_spaces(text, para.start())
    return i if i < para.end() and text[i] in CLOSERS else -1


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the spaces just inside its marks (« Nous sommes »)."""
    inner = text[start:end]
    return start + len(inner) - len(inner.lstrip()), end - len(inner) + len(inner.rstrip())


def _strip_continuations(text: str) -> str:
    """Drop the opening marks repeated at each paragraph of a multi-paragraph quote."""
    return re.sub(r"\n([ \t]*)[\"“„«»]", r"\n\1", text)


def _with_parents(text: str, raw: list[tuple[int, int]]) -> list[tuple[int, int, str | None]]:
    """Sort spans, drop empty ones, and name each one's innermost enclosing span."""
    stripped = {_strip_span(text, s, e) for s, e in raw if text[s:e].strip()}
    spans = sorted(stripped, key=lambda span: (span[0], -span[1]))
    result: list[tuple[int, int, str | None]] = []
    enclosing: list[tuple[int, int]] = []  # (end, number) of the spans that may still contain the next
    for number, (start, end) in enumerate(spans, 1):
        while enclosing and enclosing[-1][0] < end:
            enclosing.pop()
        result.append((start, end, f"q{enclosing[-1][1]}" if enclosing else None))
        enclosing.append((end, number))
    return result
