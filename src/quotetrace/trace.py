"""Tracing: each quote to its source passage(s) in the archive, with a verdict.

Seed (shingle look-ups) → chain (candidate passages) → align (word level) →
decide (verdict.py). A quote whose words one passage cannot explain is tested
for a splice: each unexplained run of words is traced on its own.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .align import Alignment, Edit, Op, align, diff
from .archive import Archive, Document, Passage
from .chains import Chain, find_chains
from .context import meaning_cut
from .index import CHECKPOINT_WORDS, quote_hashes
from .normalize import Tokens, elision_points, tokenize
from .options import DEFAULT_OPTIONS, TraceOptions
from .quotes import Quote
from .verdict import Claim, Part, decide

_WINDOW_SLACK = 3  # extra source words on each side of a window, for words the quote adds or drops
_MAX_EQUIVALENT_SOURCES = 10
_MAX_DIAGONALS = 1024  # candidate diagonals scored per quote (those with the most seed votes)
_FIRST_DIAGONALS = 64  # the best-voted diagonals scored first: one with every word in place makes the rest moot
_CONTEXT_WORDS = 48  # words read on each side of a window, for sentence boundaries and context
_CONTEXT_CHARS = 300
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+|\n[ \t]*\n")  # not at a line break: archive texts may be hard-wrapped

#: which candidates may explain a part of a quote, given their documents and start word numbers
Allow = Callable[[np.ndarray, np.ndarray], np.ndarray]


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
    """An alignment of quote words to a passage of one document."""

    doc: Document
    passage: Passage
    tokens: Tokens  # the passage's words; alignment indices point into them
    alignment: Alignment

    @property
    def speaker(self) -> str | None:
        return self.doc.speaker

    @property
    def date(self) -> str | None:
        return self.doc.date

    @property
    def word_span(self) -> tuple[int, int]:
        """The aligned source words, numbered within the document."""
        base = self.passage.word_start
        return base + self.alignment.s_start, base + self.alignment.s_end


@dataclass(frozen=True)
class _Query:
    """One quote being traced, with its candidate diagonals.

    A diagonal is where quote word 0 would stand in the archive if a seed hit
    is right; ``matches`` says, for each diagonal and quote word, whether the
    archive has that word there (by 16-bit word key). It ranks candidates
    before any text is read.
    """

    text: str
    tokens: Tokens
    elisions: set[int]
    docs: np.ndarray  # per diagonal: document rowid
    starts: np.ndarray  # per diagonal: word number (in the document) of quote word 0, maybe negative
    matches: np.ndarray  # diagonals × quote words, bool
    hit_q: np.ndarray  # seed hits: quote position,
    hit_g: np.ndarray  # and global word number

    def hits(self, doc: Document, q_start: int, q_end: int, start: int, reach: int) -> list[tuple[int, int]]:
        """Seed hits in ``doc`` (as word numbers in it) for quote words ``[q_start, q_end)`` within ``reach`` of the
        diagonal at ``start``."""
        s = self.hit_g - doc.first_word
        mask = (s >= 0) & (s < doc.words) & (self.hit_q >= q_start) & (self.hit_q < q_end)
        mask &= np.abs(s - self.hit_q + q_start - start) <= reach
        return list(zip(self.hit_q[mask].tolist(), s[mask].tolist()))


class Tracer:
    """Traces quotes against one archive, keeping recently read passages tokenised."""

    def __init__(self, archive: Archive, options: TraceOptions = DEFAULT_OPTIONS, cache_size: int = 256) -> None:
        self.archive = archive
        self.options = options
        self._cache: OrderedDict[tuple[int, int, int], tuple[Passage, Tokens]] = OrderedDict()
        self._documents: dict[int, Document] = {}
        self._cache_size = cache_size

    def trace_quote(self, quote: Quote) -> Trace | None:
        """The trace of a quote, or None for a phrase (scare quotes, titles), which is not traced."""
        claim = claim_of(quote)
        return None if claim is None else self.trace_text(quote.text, claim)

    def trace_text(self, text: str, claim: Claim = Claim()) -> Trace:
        """Trace quoted words against the archive."""
        query = self._query(text)
        n = len(query.tokens)
        primary = self._best(query, 0, n)
        if primary is None:
            return Trace("not_found")
        parts = self._split_splice(query, primary)
        parts = [p for p in parts if p[2] is not None]
        verdict = decide([Part(best[0].alignment, best) for _, _, best in parts], n, claim, self.options)
        trace = Trace(verdict.verdict, list(verdict.flags), verdict.speaker_check, verdict.date_check,
                      verdict.source_speaker, verdict.source_date, round(verdict.similarity, 4))
        if verdict.verdict == "not_found":
            return trace
        for number, (_, _, best) in enumerate(parts):
            sources = best if len(parts) == 1 else best[:1]
            trace.sources.extend(_source(match, number) for match in sources)
            trace.diff.extend(diff(text, query.tokens, best[0].passage.text, best[0].tokens, best[0].alignment))
        trace.edits = [e for e in trace.diff if e.op != "equal"]
        if verdict.verdict in ("verbatim", "elided") and ("trimmed" in trace.flags or verdict.verdict == "elided"):
            match = parts[0][2][0]
            if meaning_cut(match.passage.text, match.tokens, match.alignment):
                trace.flags.append("context_changed")
        return trace

    # -- stages ---------------------------------------------------------------

    def _query(self, text: str) -> _Query:
        """Seeds (shingle look-ups) and the diagonals they vote for.

        A seed votes with the rarity of its shingle (1 / occurrences), so that
        a quote's one rare shingle outweighs a hundred chance hits of common
        ones; only the best-voted diagonals are scored word by word, and when
        one of the very best has every quote word in place (a verbatim quote,
        the common case) the others are not read at all.
        """
        tokens = tokenize(text)
        elisions = elision_points(text, tokens)
        shingles, quote_keys = quote_hashes([t.norm for t in tokens], self.archive.shingle_words)
        found = self.archive.lookup(shingles.tolist())
        seeds = [(q, positions, count) for q, (positions, count) in enumerate(found)
                 if len(positions) and count <= self.options.max_postings]
        none = np.empty(0, np.int64)
        if not seeds:  # none, or only boilerplate ("Mr. President, allow me to…")
            return _Query(text, tokens, elisions, none, none, np.empty((0, len(tokens)), bool), none, none)
        sizes = [len(p) for _, p, _ in seeds]
        q = np.repeat([i for i, _, _ in seeds], sizes)
        g = np.concatenate([p for _, p, _ in seeds])
        w = np.repeat([1.0 / count for _, _, count in seeds], sizes)
        diagonals, first, inverse = np.unique(g - q, return_index=True, return_inverse=True)
        ranked = np.argsort(-np.bincount(inverse, weights=w), kind="stable")[:_MAX_DIAGONALS]
        rows = np.sort(ranked[:_FIRST_DIAGONALS])  # in diagonal order, as all of them would be
        docs, starts, matches = self._diagonals(diagonals[rows], g[first[rows]], q[first[rows]], quote_keys)
        if len(ranked) > len(rows) and not matches.all(axis=1).any():
            rows = np.sort(ranked)
            docs, starts, matches = self._diagonals(diagonals[rows], g[first[rows]], q[first[rows]], quote_keys)
        return _Query(text, tokens, elisions, docs, starts, matches, q, g)

    def _diagonals(self, diagonals: np.ndarray, g: np.ndarray, q: np.ndarray, quote_keys: np.ndarray) -> tuple[np.ndarray, ...]:
        """The document, start (word number of quote word 0 in it) and words in place of each diagonal, given one of
        its seed hits (global word ``g`` for quote word ``q``); diagonals in no live document are dropped."""
        docs, local = self.archive.locate(g)
        live = docs >= 0
        keys = self.archive.index.word_keys_at(diagonals[live, None] + np.arange(len(quote_keys))[None, :])
        return docs[live], (local - q)[live], keys == quote_keys[None, :]

    def _best(self, query: _Query, q_start: int, q_end: int, allow: Allow | None = None) -> list[Match] | None:
        """The best alignments of quote words ``[q_start, q_end)`` and their equals, earliest first.

        Documents are ranked before any text is read: first by how many of
        these quote words any of their diagonals has in place (a quote with an
        elision spans two diagonals of its source), then by their best single
        diagonal; only the best few are read and aligned. ``allow`` (documents,
        word numbers of quote word ``q_start``) can rule candidates out.
        """
        in_place = query.matches[:, q_start:q_end]
        scores = in_place.sum(axis=1)
        usable = scores > 0
        if allow is not None:
            usable &= allow(query.docs, query.starts + q_start)
        rows = np.flatnonzero(usable)
        if not len(rows):
            return None
        rows = rows[np.lexsort((-scores[rows], query.docs[rows]))]  # by document, its best diagonal first
        firsts = np.flatnonzero(np.diff(query.docs[rows], prepend=-2))
        coverage = np.logical_or.reduceat(in_place[rows], firsts, axis=0).sum(axis=1)
        best_rows = rows[firsts]
        ranked = np.lexsort((-scores[best_rows], -coverage))[:self.options.max_candidates]
        chosen = {int(query.docs[best_rows[i]]): (int(coverage[i]), int(query.starts[best_rows[i]]) + q_start) for i in ranked}
        top = max(score for score, _ in chosen.values())
        scored, perfect = [], False
        reach = self.options.max_gap_words + (q_end - q_start)
        for doc_id, (score, start) in chosen.items():
            if perfect and score < top:
                break  # a full verbatim match is already in hand: only equals of it remain of interest
            near = {doc_id: query.hits(self._document(doc_id), q_start, q_end, start, reach)}
            chains = find_chains(near, self.archive.shingle_words, self.options.max_gap_words, per_doc=1)
            if not chains:
                continue
            match = self._align(query, chains[0], q_start, q_end, start)
            if match.alignment.matched:
                edits = sum(1 for op in match.alignment.ops if op.tag != "equal")
                scored.append(((-match.alignment.linked, -match.alignment.matched, edits), match))
                perfect = perfect or (edits == 0 and match.alignment.matched == q_end - q_start)
        if not scored:
            return None
        best_key = min(key for key, _ in scored)
        equals = sorted((m for key, m in scored if key == best_key), key=lambda m: (m.date is None, m.date or ""))
        return equals[:_MAX_EQUIVALENT_SOURCES]

    def _align(self, query: _Query, chain: Chain, q_start: int, q_end: int, diagonal: int) -> Match:
        """Align quote words ``[q_start, q_end)`` to the window of ``chain``, widened to hold the document's best
        diagonal (``diagonal``: where it puts quote word ``q_start``), whose words are in place even where the chain,
        which only sees seeds, went astray ("United, there is little we cannot do" beside "Divided, there is little
        we can do")."""
        doc = self._document(chain.doc)
        lo, hi = self._window(chain, query.elisions, q_start, q_end)
        lo, hi = max(0, min(lo, diagonal - _WINDOW_SLACK)), min(doc.words, max(hi, diagonal + q_end - q_start + _WINDOW_SLACK))
        passage, tokens = self._passage(doc, lo, hi)
        base = passage.word_start
        a = align(query.text, query.tokens, q_start, q_end, passage.text, tokens, lo - base, min(len(tokens), hi - base), query.elisions)
        return Match(doc, passage, tokens, a)

    def _window(self, chain: Chain, elisions: set[int], q_start: int, q_end: int) -> tuple[int, int]:
        """Source words that may hold quote words ``[q_start, q_end)``, given the chain's hits.

        A flank of the quote beyond the first or last hit is expected right
        beside it, unless an elision mark stands in that flank (or, before
        the first hit, the flank holds a whole shingle that no seed found
        there): then its words may come from as far away as an elision
        reaches ("Let every nation know [, whether it wishes us well or ill,]
        that we shall pay any price").
        """
        k = self.archive.shingle_words
        (first_q, first_s), (last_q, last_s) = chain.hits[0], chain.hits[-1]
        reach = self.options.max_gap_words
        before = reach if first_q - q_start >= k or any(q_start < e <= first_q for e in elisions) else _WINDOW_SLACK
        after = reach if any(last_q + k <= e < q_end for e in elisions) else _WINDOW_SLACK
        return max(0, first_s - (first_q - q_start) - before), last_s + k + max(0, q_end - last_q - k) + after

    def _split_splice(self, query: _Query, primary: list[Match]) -> list[tuple[int, int, list[Match] | None]]:
        """Parts of the quote in quote order: the primary passage, plus any run it cannot explain that another passage does."""
        n = len(query.tokens)
        first = primary[0]
        doc, span, reach = first.doc.rowid, first.word_span, self.options.max_gap_words

        def elsewhere(docs: np.ndarray, starts: np.ndarray) -> np.ndarray:
            return (docs != doc) | (starts <= span[0] - reach) | (starts >= span[1] + reach)

        shortest = self.options.splice_min_words
        runs, pending = [], [run for run in _unexplained(first.alignment.ops, self.archive.shingle_words) if run[1] - run[0] >= shortest]
        while pending:
            lo, hi = pending.pop()
            best = self._best(query, lo, hi, elsewhere)
            if best and best[0].alignment.similarity < self.options.altered_min_similarity:
                # the run may join words of two more passages: take the part this one explains, look again for the rest
                part_lo, part_hi = _explained_part(best[0].alignment.ops, shortest)
                if part_hi - part_lo < shortest or (part_lo, part_hi) == (lo, hi):
                    continue
                lo, hi, rest = part_lo, part_hi, [(a, b) for a, b in ((lo, part_lo), (part_hi, hi)) if b - a >= shortest]
                best = self._best(query, lo, hi, elsewhere)
                pending.extend(rest)
            # another passage must explain the run, and far better than the primary's stray matches in it
            if (best and best[0].alignment.similarity >= self.options.altered_min_similarity
                    and best[0].alignment.matched >= 2 * _matched_in(first.alignment.ops, lo, hi)):
                runs.append((lo, hi, best))
        if not runs:
            return [(0, n, primary)]
        runs.sort(key=lambda run: run[0])
        parts, cursor = [], 0
        for lo, hi, best in runs:
            if lo > cursor:
                parts.append((cursor, lo, self._best(query, cursor, lo, lambda docs, _: docs == doc)))
            parts.append((lo, hi, best))
            cursor = hi
        if cursor < n:
            parts.append((cursor, n, self._best(query, cursor, n, lambda docs, _: docs == doc)))
        return parts

    def _document(self, rowid: int) -> Document:
        doc = self._documents.get(rowid)
        if doc is None:
            if len(self._documents) >= self._cache_size:
                self._documents.clear()
            doc = self._documents[rowid] = self.archive.document(rowid)
        return doc

    def _passage(self, doc: Document, lo: int, hi: int) -> tuple[Passage, Tokens]:
        """The words ``[lo, hi)`` of a document, with a checkpoint's worth of words on each side for sentence context."""
        first = max(0, lo - _CONTEXT_WORDS) // CHECKPOINT_WORDS * CHECKPOINT_WORDS
        last = hi + _CONTEXT_WORDS
        key = (doc.rowid, first, last)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        passage = self.archive.passage(doc, first, last)
        entry = (passage, tokenize(passage.text))
        self._cache[key] = entry
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return entry


def _unexplained(ops: list[Op], island: int) -> list[tuple[int, int]]:
    """Runs of quote words the alignment does not match, as ``[lo, hi)``.

    A match of fewer than ``island`` words beside a gap may be chance ("this"
    found a few words on in the wrong speech) and counts as unmatched: it
    would otherwise cut a spliced part too short to be found.
    """
    runs: list[tuple[int, int]] = []
    for i, op in enumerate(ops):
        if op.tag == "equal":
            beside_gap = any(0 <= j < len(ops) and ops[j].tag != "equal" for j in (i - 1, i + 1))
            if not (beside_gap and op.q_end - op.q_start < island):
                continue
        if op.q_end > op.q_start:
            if runs and runs[-1][1] == op.q_start:
                runs[-1] = (runs[-1][0], op.q_end)
            else:
                runs.append((op.q_start, op.q_end))
    return runs


def _explained_part(ops: list[Op], shortest: int) -> tuple[int, int]:
    """The quote words ``[lo, hi)`` that an alignment explains best: its stretch with the most matched words between
    two runs of at least ``shortest`` quote words it has not (where another passage's words stand)."""
    stretches: list[list[Op]] = [[]]
    for op in ops:
        if op.tag in ("insert", "replace") and op.q_end - op.q_start >= shortest:
            stretches.append([])
        elif op.tag == "equal":
            stretches[-1].append(op)
    best = max(stretches, key=lambda equal: sum(op.q_end - op.q_start for op in equal))
    return (best[0].q_start, best[-1].q_end) if best else (0, 0)


def _matched_in(ops: list[Op], lo: int, hi: int) -> int:
    """Quote words in ``[lo, hi)`` that the alignment matches."""
    return sum(max(0, min(hi, op.q_end) - max(lo, op.q_start)) for op in ops if op.tag == "equal")


def claim_of(quote: Quote) -> Claim | None:
    """What a quote claims, to check against its source; None for a phrase (scare quotes, titles), which is not traced."""
    if quote.kind != "quote":
        return None
    named = quote.speaker if quote.speaker_source != "description" else None  # "a spokesman" names nobody to check
    return Claim(named, quote.date)


def trace_quotes(quotes: list[Quote], archive: Archive, options: TraceOptions = DEFAULT_OPTIONS) -> dict[str, Trace | None]:
    """The trace of every quote, by quote id (None for phrases)."""
    tracer = Tracer(archive, options)
    return {q.id: tracer.trace_quote(q) for q in quotes}


def _source(match: Match, part: int) -> Source:
    doc, a, text = match.doc, match.alignment, match.passage.text
    start, end = match.tokens[a.s_start].start, match.tokens[a.s_end - 1].end
    base = match.passage.char_start
    return Source(doc.id, doc.speaker, doc.date, doc.title, doc.url, base + start, base + end, text[start:end],
                  _context(text, start, end), round(a.similarity, 4), part)


def _context(text: str, start: int, end: int) -> str:
    """The passage widened to whole sentences (within a few hundred characters)."""
    lo = max(0, start - _CONTEXT_CHARS)
    boundaries = list(_SENTENCE_END.finditer(text, lo, start))
    lo = boundaries[-1].end() if boundaries else lo
    hi_limit = min(len(text), end + _CONTEXT_CHARS)
    after = _SENTENCE_END.search(text, end, hi_limit)
    return text[lo:after.start() + 1 if after else hi_limit].strip()
