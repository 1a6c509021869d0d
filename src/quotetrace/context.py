"""Whether trimming or elision changed what a quote means.

"Government is the problem" is a verbatim run of Reagan's words, but the
sentence began "In this present crisis, government is not the solution to our
problem;". A trim or an elision is harmless unless the words it cut negate,
condition or limit the words kept. This looks at what was cut from the
quote's own sentence(s): the start and end of the sentence left out, and every
gap, and flags a negation, a condition or a limiting qualifier among them.
"""

from __future__ import annotations

from .align import Alignment
from .normalize import Tokens, ends_sentence, starts_sentence

NEGATIONS = frozenset("not no never nor neither none nobody nothing nowhere without cannot".split())
CONDITIONS = frozenset("if unless provided providing assuming whether until except otherwise".split())
LIMITERS = frozenset("only merely solely sometimes perhaps maybe temporarily partly partially rarely seldom hardly "
                     "barely almost but however although though yet".split())
#: "in this present crisis", "at that time", "under these circumstances": a scope the quote no longer has
_SCOPE_PREPOSITIONS = frozenset("in at during under for on until".split())
_SCOPE_DETERMINERS = frozenset("this these that those such".split())


def meaning_cut(text: str, tokens: Tokens, alignment: Alignment) -> bool:
    """Whether words cut from the quote's sentence(s) in ``text`` negate, condition or limit it.

    What counts: a sentence opening that was cut and scopes over the rest ("If…",
    "In this present crisis,", "Only…"), a cut that ends in "of" (the quote
    starts inside a phrase whose head is gone), a negation just before the quote
    ("I do not believe that…"), a cut ending that starts with a condition or a
    limit ("…unless they attack", "…but not yet"), and any such word inside a gap.
    """
    if alignment.s_end <= alignment.s_start:
        return False
    first = alignment.s_start
    while first > 0 and not starts_sentence(text, tokens.starts[first]):
        first -= 1
    last = alignment.s_end
    while last < len(tokens) and not ends_sentence(text, tokens.ends[last - 1]):
        last += 1
    before = tokens.norms[first:alignment.s_start]
    after = tokens.norms[alignment.s_end:last]
    gaps = [tokens.norms[op.s_start:op.s_end] for op in alignment.ops if op.tag == "delete"]
    headless = bool(before) and before[-1] == "of"  # "the love of | money is the root of all evil"
    return (headless or _scopes(before) or any(_negates(w) for w in before[-3:]) or _scopes(after)
            or any(_negates(w) or w in CONDITIONS or w in LIMITERS or _scopes(gap) for gap in gaps for w in gap))


def _negates(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


def _scopes(words: list[str]) -> bool:
    """Whether a stretch of words opens with a condition, a limit, a negation or a scope ("in this…")."""
    if not words:
        return False
    return (words[0] in CONDITIONS or words[0] in LIMITERS or words[0] in ("not", "never")
            or (words[0] in _SCOPE_PREPOSITIONS and len(words) > 1 and words[1] in _SCOPE_DETERMINERS))
