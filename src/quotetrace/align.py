"""Word-level alignment of a quote against a window of a source document.

The alignment gives the exact source span, the edit operations that turn the
source's words into the quote's, and the facts a verdict needs: how many quote
words the source has in order, whether case or punctuation differ between
matched words, whether the quote starts or ends inside a source sentence, and
which gaps the quote marks with an elision ("...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from .normalize import Token, Tokens, ends_sentence, starts_sentence

_STRAY_WORDS = 3  # an end run shorter than this, cut off by a gap of more than _STRAY_GAP words, is chance
_STRAY_GAP = 8
_FAR_STRAY_WORDS = 6  # an end run shorter than this, cut off by an unmarked gap of more than _FAR_STRAY_GAP words, too
_FAR_STRAY_GAP = 40
_ISLAND_STEP = 2  # matched words with at most one word between them (in quote and source) are one island
_QUOTE_MARKS = str.maketrans({c: '"' for c in "“”„«»‹›‘’‚'「」『』"} | {"—": "-", "–": "-"})


@dataclass(frozen=True)
class Op:
    """One step of an alignment: quote tokens ``[q_start, q_end)`` against source tokens ``[s_start, s_end)``.

    ``replace``: quote words stand for other source words; ``insert``: quote
    words not in the source; ``delete``: source words the quote leaves out.
    """

    tag: str
    q_start: int
    q_end: int
    s_start: int
    s_end: int


@dataclass
class Edit:
    """One word-level difference: ``replace``, ``insert`` (added by the quote) or ``delete`` (left out); or ``equal``."""

    op: str
    quote: str
    source: str


@dataclass(frozen=True)
class Alignment:
    """A quote range aligned to a source range, with what differs."""

    ops: tuple[Op, ...]
    q_start: int
    q_end: int
    s_start: int
    s_end: int
    matched: int
    case_changed: bool
    punctuation_changed: bool
    trimmed: bool
    gaps: tuple[bool, ...]  # one per source gap inside the passage: marked by an elision in the quote?

    @property
    def quote_words(self) -> int:
        return self.q_end - self.q_start

    @property
    def similarity(self) -> float:
        """Share of the quote's words that the source has, in order."""
        return self.matched / self.quote_words if self.quote_words else 0.0

    @property
    def closeness(self) -> float:
        """Matched words over the longer of the quote and the source words it spans (marked elisions aside).

        Unlike ``similarity`` it counts source words the quote skipped without
        saying so: common words picked out of three sentences are not a quote.
        """
        deletes = [op for op in self.ops if op.tag == "delete"]
        marked = sum(op.s_end - op.s_start for op, is_marked in zip(deletes, self.gaps) if is_marked)
        longer = max(self.quote_words, self.s_end - self.s_start - marked)
        return self.matched / longer if longer else 0.0

    @property
    def linked(self) -> int:
        """Matched words that follow a matched word: the words of a passage, not common words picked here and there."""
        return self.matched - sum(1 for op in self.ops if op.tag == "equal")

    @property
    def longest_run(self) -> int:
        """The most quote words matched one after another: a shared phrase, not scattered common words."""
        return max((op.q_end - op.q_start for op in self.ops if op.tag == "equal"), default=0)

    @property
    def changed(self) -> bool:
        """Whether any quote word was replaced or added (beyond elision)."""
        return any(op.tag in ("replace", "insert") for op in self.ops)


def align(
    quote_text: str, quote: Tokens, q_start: int, q_end: int,
    source_text: str, source: Tokens, s_start: int, s_end: int,
    elisions: set[int],
) -> Alignment:
    """Align quote tokens ``[q_start, q_end)`` to source tokens ``[s_start, s_end)``.

    The matched words are a longest common subsequence (every quote word the
    window has in order, across gaps of any width), made compact around the
    longest exact run so that a common word is not matched far from the rest.
    Source words outside the matched passage are not part of the alignment.
    """
    q_norms = quote.norms[q_start:q_end]
    s_norms = source.norms[s_start:s_end]
    marked = {e - q_start for e in elisions}
    matches = _drop_strays(_merge_runs(_compact(_lcs(q_norms, s_norms), q_norms, s_norms, marked), q_norms, s_norms), marked)
    ops = tuple(_ops(matches, len(q_norms), len(s_norms), q_start, s_start))
    if not matches:
        return Alignment(ops, q_start, q_end, s_start, s_start, 0, False, False, False, ())
    lo, hi = ops[0].s_start, ops[-1].s_end
    case_changed = punctuation_changed = False
    for i, (q, s) in enumerate(matches):
        qt, st = quote[q_start + q], source[s_start + s]
        q_word, s_word = quote_text[qt.start:qt.end], source_text[st.start:st.end]
        if q_word != s_word:
            if q_word.lower() == s_word.lower():
                case_changed = True
            else:
                punctuation_changed = True
        if i and matches[i - 1] == [q - 1, s - 1]:
            q_prev, s_prev = quote[q_start + q - 1], source[s_start + s - 1]
            if _separator(quote_text, q_prev, qt) != _separator(source_text, s_prev, st):
                punctuation_changed = True
    trimmed = hi > lo and not (
        starts_sentence(source_text, source[lo].start) and ends_sentence(source_text, source[hi - 1].end)
    )
    gaps = tuple(op.q_start in elisions for op in ops if op.tag == "delete")
    return Alignment(ops, q_start, q_end, lo, hi, len(matches), case_changed, punctuation_changed, trimmed, gaps)


def diff(quote_text: str, quote: Tokens, source_text: str, source: Tokens, alignment: Alignment) -> list[Edit]:
    """The alignment as text: each step with the quote's and the source's words, as written."""
    def span(tokens: Tokens, text: str, lo: int, hi: int) -> str:
        return text[tokens.starts[lo]:tokens.ends[hi - 1]] if hi > lo else ""

    return [Edit(op.tag, span(quote, quote_text, op.q_start, op.q_end), span(source, source_text, op.s_start, op.s_end))
            for op in alignment.ops]


def _lcs(q: list[str], s: list[str]) -> list[list[int]]:
    """Matched ``[quote index, source index]`` pairs of a longest common subsequence."""
    matches: list[list[int]] = []
    for tag, s1, s2, q1, _ in Indel.opcodes(s, q).as_list():
        if tag == "equal":
            matches.extend([q1 + i, s1 + i] for i in range(s2 - s1))
    return matches


def _compact(matches: list[list[int]], q: list[str], s: list[str], marked: set[int]) -> list[list[int]]:
    """Move each match as close as it can go to the longest run of consecutive matches.

    Of the many longest common subsequences, this picks the one with the
    fewest and smallest gaps next to the best-attested words; but a gap the
    quote marks ("so ... many") stays where the mark is: a word just before
    or after the mark moves away from the anchor instead.
    """
    if len(matches) < 2:
        return matches
    best_start, best_len, run_start = 0, 1, 0
    for i in range(1, len(matches) + 1):
        if i == len(matches) or matches[i] != [matches[i - 1][0] + 1, matches[i - 1][1] + 1] or matches[i][0] in marked:
            if i - run_start > best_len:
                best_start, best_len = run_start, i - run_start
            run_start = i
    for j in range(best_start - 1, -1, -1):  # left of the anchor: pull rightwards
        word = q[matches[j][0]]
        floor = matches[j - 1][1] if j else -1
        if matches[j][0] + 1 in marked and j and matches[j - 1][0] == matches[j][0] - 1 and s[floor + 1] == word:
            matches[j][1] = floor + 1  # "meant so ... many": "so" stays beside "meant", the gap at the mark
            continue
        for pos in range(matches[j + 1][1] - 1, matches[j][1], -1):
            if s[pos] == word:
                matches[j][1] = pos
                break
    for j in range(best_start + best_len, len(matches)):  # right of the anchor: pull leftwards
        word = q[matches[j][0]]
        ceiling = matches[j + 1][1] if j + 1 < len(matches) else len(s)
        if matches[j][0] in marked and j + 1 < len(matches) and matches[j + 1][0] == matches[j][0] + 1 and s[ceiling - 1] == word:
            matches[j][1] = ceiling - 1
            continue
        for pos in range(matches[j - 1][1] + 1, matches[j][1]):
            if s[pos] == word:
                matches[j][1] = pos
                break
    return matches


def _runs(matches: list[list[int]]) -> list[list[list[int]]]:
    """Matches split into runs of consecutive words in both quote and source."""
    runs: list[list[list[int]]] = []
    for m in matches:
        if runs and m == [runs[-1][-1][0] + 1, runs[-1][-1][1] + 1]:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _merge_runs(matches: list[list[int]], q: list[str], s: list[str]) -> list[list[int]]:
    """Close gaps by moving a run of matched words next to its neighbour, where the source repeats it there.

    "We must" matched in "we must rise…" moves to "we must disenthrall…" when the
    quote reads "We must disenthrall": one gap instead of two.
    """
    runs = _runs(matches)
    i = 0
    while i < len(runs):
        run, size = runs[i], len(runs[i])
        words = q[run[0][0]:run[0][0] + size]
        floor = runs[i - 1][-1][1] if i else -1
        ceiling = runs[i + 1][0][1] if i + 1 < len(runs) else len(s)
        if i + 1 < len(runs) and runs[i + 1][0][0] == run[-1][0] + 1 and ceiling - size > run[0][1] \
                and ceiling - size > floor and s[ceiling - size:ceiling] == words:
            runs[i:i + 2] = [[[run[0][0] + k, ceiling - size + k] for k in range(size)] + runs[i + 1]]
            i = max(i - 1, 0)
            continue
        if i and runs[i - 1][-1][0] == run[0][0] - 1 and floor + 1 < run[0][1] and s[floor + 1:floor + 1 + size] == words:
            runs[i - 1:i + 1] = [runs[i - 1] + [[run[0][0] + k, floor + 1 + k] for k in range(size)]]
            i = max(i - 1, 0)
            continue
        i += 1
    return [m for r in runs for m in r]


def _drop_strays(matches: list[list[int]], marked: set[int]) -> list[list[int]]:
    """Unmatch a short island at either end that lies far from the rest: chance, not source.

    An island is a run of matched words, or runs with a word or two between
    them ("in [Europe] and"). Two words are chance a few words away; a few
    common words ("this is not") are chance a sentence or more away, unless
    an elision mark in the quote says words were left out there. Islands
    are dropped one after the other: scattered common words all go.
    """
    def first_run(ms: list[list[int]]) -> int:
        n = 1
        while n < len(ms) and 0 < ms[n][0] - ms[n - 1][0] <= _ISLAND_STEP and 0 < ms[n][1] - ms[n - 1][1] <= _ISLAND_STEP:
            n += 1
        return n

    def stray(ms: list[list[int]]) -> int:
        """Length of the end run at the front of ``ms`` if it is a stray, else 0."""
        if len(ms) <= _STRAY_WORDS:
            return 0
        n = first_run(ms)
        if n >= len(ms):
            return 0
        gap = ms[n][1] - ms[n - 1][1]
        q_lo, q_hi = sorted((abs(ms[n - 1][0]), abs(ms[n][0])))  # the reversed list holds negated indices
        is_marked = any(q_lo < e <= q_hi for e in marked)
        near_stray = n < _STRAY_WORDS and gap > _STRAY_GAP
        far_stray = n < _FAR_STRAY_WORDS and gap > _FAR_STRAY_GAP and not is_marked
        return n if near_stray or far_stray else 0

    while n := stray(matches):
        matches = matches[n:]
    while n := stray([[-q, -s] for q, s in reversed(matches)]):
        matches = matches[:-n]
    return matches


def _ops(matches: list[list[int]], q_len: int, s_len: int, q_off: int, s_off: int) -> list[Op]:
    """Edit operations from matched pairs; unmatched quote words at the ends replace the source words beside them."""
    if not matches:
        return [Op("insert", q_off, q_off + q_len, s_off, s_off)] if q_len else []
    ops: list[Op] = []
    q0, s0 = matches[0]
    if q0:
        take = min(q0, s0)
        ops.append(Op("replace" if take else "insert", q_off, q_off + q0, s_off + s0 - take, s_off + s0))
    run = [q0, s0]
    for (qa, sa), (qb, sb) in zip(matches, matches[1:] + [[q_len, s_len + 10**9]]):
        if [qb, sb] == [qa + 1, sa + 1]:
            continue
        ops.append(Op("equal", q_off + run[0], q_off + qa + 1, s_off + run[1], s_off + sa + 1))
        if qb == q_len:
            tail = q_len - qa - 1
            if tail:
                take = min(tail, s_len - sa - 1)
                ops.append(Op("replace" if take else "insert", q_off + qa + 1, q_off + q_len, s_off + sa + 1, s_off + sa + 1 + take))
            break
        dq, ds = qb - qa - 1, sb - sa - 1
        tag = "replace" if dq and ds else "insert" if dq else "delete"
        ops.append(Op(tag, q_off + qa + 1, q_off + qb, s_off + sa + 1, s_off + sb))
        run = [qb, sb]
    return ops


def _separator(text: str, left: Token, right: Token) -> str:
    """What stands between two words, ignoring spacing and the style of quote marks and dashes."""
    return re.sub(r"\s+", "", text[left.end:right.start]).translate(_QUOTE_MARKS)
