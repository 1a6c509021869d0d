"""Tracing: each quote to its source passage(s) in the archive, with a verdict.

Seed (shingle look-ups) → chain (candidate passages) → align (word level) →
decide (verdict.py). A quote whose words one passage cannot explain is tested
for a splice: each unexplained run of words is traced on its own.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from .align import Alignment, align
from .archive import Archive, Document
from .chains import Chain, find_chains, group_hits
from .index import shingle_hashes
from .normalize import Token, elision_points, tokenize
from .options import DEFAULT_OPTIONS, TraceOptions
from .quotes import Quote
from .verdict import Claim, Part, decide

_WINDOW_SLACK = 3  # extra source words on each side of a window, for words the quote adds or drops
_MAX_EQUIVALENT_SOURCES = 10
_CONTEXT_CHARS = 300
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+|\n")


@dataclass
class Source:
    """A source passage that holds (part of) a quote."""

    doc_id: str
    speaker: str | None
    date: str | None
    title: str | None
    url: str | None
    start: int  # character offsets of the passage in the document's text
    end: int
    text: str
    context: str  # the passage with the rest of its sentence(s)
    score: float
    part: int = 0  # which part of a spliced quote, in quote order


@dataclass
class Edit:
    """One word-level difference: ``replace``, ``insert`` (added by the quote) or ``delete`` (left out)."""

    op: str
    quote: str
    source: str


@dataclass
class Trace:
    """Where a quote comes from, and how it differs."""

    verdict: str
    flags: list[str] = field(default_factory=list)
    speaker_check: str = "unknown"
    date_check: str = "unknown"
    source_speaker: str | None = None
    source_date: str | None = None
    similarity: float = 0.0
    sources: list[Source] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    diff: list[Edit] = field(default_factory=list)  # the whole quote, ``equal`` runs included


@dataclass(frozen=True)
class Match:
    """An alignment of quote words to one document."""

    doc: Document
    tokens: list[Token]
    alignment: Alignment

    @property
    def speaker(self) -> str | None:
        return self.doc.speaker

    @property
    def date(self) -> str | None:
        return self.doc.date


@dataclass(frozen=True)
class _Query:
    """One quote being traced: its words, where it marks elisions, and how rare each shingle is."""

    text: str
    tokens: list[Token]
    elisions: set[int]
    rarity: list[float]  # per quote shingle: 1 / number of postings (0 when absent)


class Tracer:
    """Traces quotes against one archive, keeping recently used documents tokenised."""

    def __init__(self, archive: Archive, options: TraceOptions = DEFAULT_OPTIONS, cache_size: int = 64) -> None:
        self.archive = archive
        self.options = options
        self._cache: OrderedDict[int, tuple[Document, list[Token]]] = OrderedDict()
        self._cache_size = cache_size

    def trace_quote(self, quote: Quote) -> Trace | None:
        """The trace of a quote, or None for a phrase (scare quotes, titles), which is not traced."""
        if quote.kind != "quote":
            return None
        return self.trace_text(quote.text, Claim(quote.speaker, quote.date))

    def trace_text(self, text: str, claim: Claim = Claim()) -> Trace:
        """Trace quoted words against the archive."""
        tokens = tokenize(text)
        n = len(tokens)
        rarity, chains = self._chains(tokens)
        if not chains:
            return Trace("not_found")
        query = _Query(text, tokens, elision_points(text, tokens), rarity)
        primary = self._best(query, chains, 0, n)
        parts = [(0, n, primary)]
        if primary is not None:
            parts = self._split_splice(query, chains, primary)
        parts = [p for p in parts if p[2] is not None]
        verdict = decide([Part(best[0].alignment, best) for _, _, best in parts], n, claim, self.options)
        trace = Trace(verdict.verdict, list(verdict.flags), verdict.speaker_check, verdict.date_check,
                      verdict.source_speaker, verdict.source_date, round(verdict.similarity, 4))
        if verdict.verdict == "not_found":
            return trace
        for number, (_, _, best) in enumerate(parts):
            sources = best if len(parts) == 1 else best[:1]
            trace.sources.extend(_source(match, number) for match in sources)
            trace.diff.extend(_diff(text, tokens, best[0]))
        trace.edits = [e for e in trace.diff if e.op != "equal"]
        return trace

    # -- stages ---------------------------------------------------------------

    def _chains(self, tokens: list[Token]) -> tuple[list[float], list[Chain]]:
        """Rarity of each quote shingle (1 for a shingle found once), and the candidate chains."""
        k, limit = self.archive.shingle_words, self.options.max_postings
        hits, rarity = [], []
        for q, h in enumerate(shingle_hashes([t.norm for t in tokens], k).tolist()):
            rows = self.archive.postings(h, limit + 1)
            rarity.append(1.0 / len(rows) if rows else 0.0)
            if len(rows) <= limit:  # more is boilerplate ("Mr. President, allow me to…")
                hits.extend((q, doc, s) for doc, s in rows)
        return rarity, find_chains(group_hits(hits), k, self.options.max_gap_words)

    def _best(self, query: _Query, chains: list[Chain], q_start: int, q_end: int) -> list[Match] | None:
        """The best alignments of quote words ``[q_start, q_end)`` and their equals, earliest first."""
        subs = [c.within(q_start, q_end) for c in chains]
        ranked = sorted((c for c in subs if c.hits), key=lambda c: -c.weight(query.rarity))[: self.options.max_candidates]
        scored = []
        for chain in ranked:
            doc, doc_tokens = self._document(chain.doc)
            lo, hi = self._window(chain, query.elisions, q_start, q_end)
            a = align(query.text, query.tokens, q_start, q_end, doc.text, doc_tokens, lo, min(len(doc_tokens), hi), query.elisions)
            if a.matched:
                edits = sum(1 for op in a.ops if op.tag != "equal")
                scored.append(((-a.matched, edits), Match(doc, doc_tokens, a)))
        if not scored:
            return None
        best_key = min(key for key, _ in scored)
        equals = sorted((m for key, m in scored if key == best_key), key=lambda m: (m.date is None, m.date or ""))
        one_per_doc = list({m.doc.rowid: m for m in reversed(equals)}.values())[::-1]
        return one_per_doc[:_MAX_EQUIVALENT_SOURCES]

    def _window(self, chain: Chain, elisions: set[int], q_start: int, q_end: int) -> tuple[int, int]:
        """Source words that may hold quote words ``[q_start, q_end)``, given the chain's hits.

        A flank of the quote beyond the first or last hit is expected right
        beside it, unless an elision mark stands in that flank: then the
        words may come from as far away as an elision reaches.
        """
        k = self.archive.shingle_words
        (first_q, first_s), (last_q, last_s) = chain.hits[0], chain.hits[-1]
        reach = self.options.max_gap_words
        before = reach if any(q_start < e <= first_q for e in elisions) else _WINDOW_SLACK
        after = reach if any(last_q + k <= e < q_end for e in elisions) else _WINDOW_SLACK
        return max(0, first_s - (first_q - q_start) - before), last_s + k + max(0, q_end - last_q - k) + after

    def _split_splice(self, query: _Query, chains: list[Chain], primary: list[Match]) -> list[tuple[int, int, list[Match] | None]]:
        """Parts of the quote in quote order: the primary passage, plus any run it cannot explain that another passage does."""
        n = len(query.tokens)
        first = primary[0].alignment
        unexplained = [op for op in first.ops if op.tag in ("replace", "insert")]
        runs = []
        for op in unexplained:
            lo, hi = op.q_start, op.q_end
            if hi - lo >= self.options.splice_min_words:
                others = [c for c in chains if c.doc != primary[0].doc.rowid or not _near(c, first, self.options.max_gap_words)]
                best = self._best(query, others, lo, hi)
                if best and best[0].alignment.similarity >= self.options.altered_min_similarity:
                    runs.append((lo, hi, best))
        if not runs:
            return [(0, n, primary)]
        parts, cursor = [], 0
        primary_chains = [c for c in chains if c.doc == primary[0].doc.rowid]
        for lo, hi, best in runs:
            if lo > cursor:
                parts.append((cursor, lo, self._best(query, primary_chains, cursor, lo)))
            parts.append((lo, hi, best))
            cursor = hi
        if cursor < n:
            parts.append((cursor, n, self._best(query, primary_chains, cursor, n)))
        return parts

    def _document(self, rowid: int) -> tuple[Document, list[Token]]:
        if rowid in self._cache:
            self._cache.move_to_end(rowid)
            return self._cache[rowid]
        doc = self.archive.document(rowid)
        entry = (doc, tokenize(doc.text))
        self._cache[rowid] = entry
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return entry


def trace_quotes(quotes: list[Quote], archive: Archive, options: TraceOptions = DEFAULT_OPTIONS) -> dict[str, Trace | None]:
    """The trace of every quote, by quote id (None for phrases)."""
    tracer = Tracer(archive, options)
    return {q.id: tracer.trace_quote(q) for q in quotes}


def _near(chain: Chain, alignment: Alignment, max_gap: int) -> bool:
    """Whether a chain lies within an elision's reach of an aligned passage (same document)."""
    lo, hi = chain.hits[0][1], chain.hits[-1][1]
    return lo < alignment.s_end + max_gap and hi > alignment.s_start - max_gap


def _source(match: Match, part: int) -> Source:
    doc, a = match.doc, match.alignment
    start, end = match.tokens[a.s_start].start, match.tokens[a.s_end - 1].end
    return Source(doc.id, doc.speaker, doc.date, doc.title, doc.url, start, end, doc.text[start:end],
                  _context(doc.text, start, end), round(a.similarity, 4), part)


def _context(text: str, start: int, end: int) -> str:
    """The passage widened to whole sentences (within a few hundred characters)."""
    lo = max(0, start - _CONTEXT_CHARS)
    boundaries = list(_SENTENCE_END.finditer(text, lo, start))
    lo = boundaries[-1].end() if boundaries else lo
    hi_limit = min(len(text), end + _CONTEXT_CHARS)
    after = _SENTENCE_END.search(text, end, hi_limit)
    return text[lo:after.start() + 1 if after else hi_limit].strip()


def _diff(text: str, tokens: list[Token], match: Match) -> list[Edit]:
    def span(seq: list[Token], source_text: str, lo: int, hi: int) -> str:
        return source_text[seq[lo].start:seq[hi - 1].end] if hi > lo else ""

    return [
        Edit(op.tag, span(tokens, text, op.q_start, op.q_end), span(match.tokens, match.doc.text, op.s_start, op.s_end))
        for op in match.alignment.ops
    ]
