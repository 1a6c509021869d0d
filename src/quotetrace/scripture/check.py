"""Checking a quote's words against scripture: the cited verse in every translation, and every other verse.

Verdicts (DESIGN.md): ``matches`` (the words are the cited verse's, or a part
of it, in some translation: all such translations are named), ``differs``
(the cited verse says something close but not this: the diff shows how; a
trim that cuts the head of a phrase, as "Money is the root of all evil" does
to "the love of money…", differs too), ``wrong_reference`` (the words are
another verse's: named), ``not_found`` (no loaded verse holds them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..align import Alignment, Edit, align, diff
from ..context import meaning_cut
from ..normalize import Token, elision_points, tokenize
from .books import QURAN, QURAN_BOOK, bible_numbers, read_table
from .refs import Reference
from .search import VerseIndex
from .texts import Library, Translation, VerseKey

if TYPE_CHECKING:
    from ..quotes import Quote

_CLOSE = 0.6  # closeness from which words found elsewhere show a wrong reference
_LOOSE = 0.3  # closeness from which the cited verse is said to differ (a paraphrase) rather than not hold the words
_BETTER = 0.25  # how much closer another verse must be than the cited one to call the reference wrong
_ORDER = {"matches": 0, "differs": 1, "wrong_reference": 2, "not_found": 3}
_MIN_RUN = 2  # a loose match needs at least this many words in a row
_UNCITED_RUN = 3  # and a quote that cites nothing, this many: "pride goes before"


@dataclass
class ScriptureCheck:
    """The verdict on a quote's scripture, and the evidence for it."""

    verdict: str  # matches | differs | wrong_reference | not_found
    ref: str | None  # the verse cited, or for an uncited quote the verse found
    translation: str | None  # the translation that matches best
    similarity: float
    found: str | None = None  # wrong_reference: the verse that holds the words
    translations: list[str] = field(default_factory=list)  # every translation that matches
    verse_text: str | None = None
    diff: list[Edit] = field(default_factory=list)  # the quote against verse_text, word by word (``equal`` runs included)
    note: str | None = None


@dataclass
class _Score:
    translation: Translation
    key: VerseKey  # the first verse compared, in standard numbering
    keys: list[VerseKey]
    text: str
    tokens: list[Token]
    alignment: Alignment
    exact: bool

    @property
    def rank(self) -> tuple:
        return (self.exact, round(self.alignment.closeness, 6), self.alignment.matched)


class ScriptureChecker:
    """Checks quotes against a library of translations (the word index is built once, on first need)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._index: VerseIndex | None = None

    @property
    def index(self) -> VerseIndex:
        if self._index is None:
            self._index = VerseIndex(self.library)
        return self._index

    def check(self, quote: str, reference: Reference | None = None) -> ScriptureCheck:
        """The verdict on ``quote`` against ``reference`` (or, without one, the verse it comes from)."""
        tokens = tokenize(quote)
        if not tokens:
            return ScriptureCheck("not_found", reference.label if reference else None, None, 0.0)
        if reference is None:
            found = self._search(quote, tokens, None)
            if found is None or not (found.exact or found.alignment.closeness >= _CLOSE or self._loosely(tokens, found)):
                return ScriptureCheck("not_found", None, None, 0.0)
            change = None if found.exact else "paraphrase" if found.alignment.closeness < _CLOSE else _cut_note(found)
            note = "not cited" + (f"; {change}" if change else "")
            return self._verdict(quote, tokens, found, "matches" if found.exact else "differs", _label(found), note=note)
        if not self.library.of(reference.canon):
            scripture = "Qur'an" if reference.canon == "quran" else "Bible"
            return ScriptureCheck("not_found", reference.label, None, 0.0,
                                  note=f"no {scripture} translation is loaded: give packs with --scripture")
        cited = None if reference.error else self._cited(quote, tokens, reference)
        if cited is not None and cited.exact:
            return self._verdict(quote, tokens, cited, "matches", reference.label)
        found = self._search(quote, tokens, reference.canon)
        cited_keys = set(_keys(reference))
        if found is not None and found.key not in cited_keys and (
                found.exact or found.alignment.closeness >= _CLOSE and found.alignment.longest_run >= _MIN_RUN) and (
                cited is None or found.exact or found.alignment.closeness >= cited.alignment.closeness + _BETTER):
            return self._verdict(quote, tokens, found, "wrong_reference", reference.label, found=_label(found), note=reference.error)
        if cited is not None and cited.alignment.closeness >= _LOOSE and cited.alignment.longest_run >= _MIN_RUN:
            note = "paraphrase" if cited.alignment.closeness < _CLOSE else _cut_note(cited)
            return self._verdict(quote, tokens, cited, "differs", reference.label, note=note)
        return ScriptureCheck("not_found", reference.label, None, 0.0, note=reference.error)

    def _loosely(self, tokens: list[Token], found: _Score) -> bool:
        """Whether a loose match of a quote that cites nothing is still that verse: a run of words that
        holds the quote's rarest word ("pride goes before", not "those who help")."""
        rarest = self.index.rarest([t.norm for t in tokens])
        return found.alignment.closeness >= _LOOSE and any(
            op.tag == "equal" and op.q_end - op.q_start >= _UNCITED_RUN and op.q_start <= rarest < op.q_end
            for op in found.alignment.ops)

    def check_quotes(self, quotes: list[Quote], uncited: bool = True) -> dict[str, ScriptureCheck]:
        """Checks by quote id: every quote that cites scripture (its best reference counts), and with
        ``uncited`` every other quote whose words a verse holds."""
        checks: dict[str, ScriptureCheck] = {}
        for q in quotes:
            if q.references:
                results = [self.check(q.text, found.reference) for found in q.references]
                checks[q.id] = min(results, key=lambda c: _ORDER[c.verdict])
            elif uncited and q.kind == "quote":
                check = self.check(q.text)
                if check.verdict != "not_found":
                    checks[q.id] = check
        return checks

    # -- candidates -----------------------------------------------------------

    def _cited(self, quote: str, tokens: list[Token], reference: Reference) -> _Score | None:
        """The best alignment to the cited verses (and one verse either side: a quote may run on) in each translation."""
        keys = _keys(reference)
        scores = []
        for translation in self.library.of(reference.canon):
            own = [own_key(translation.name, k) for k in keys]
            around = [(own[0][0], own[0][1], own[0][2] - 1), *own, (own[-1][0], own[-1][1], own[-1][2] + 1)]
            texts = [translation.verses.get(k, "") for k in own]
            if not any(t.strip() for t in texts):
                continue
            alone = self._score(quote, tokens, translation, keys, " ".join(texts))
            scores.append(alone)
            if not alone.exact and alone.alignment.longest_run * 2 >= len(tokens):
                # half the quote is this verse's: the rest may run on into a neighbouring verse
                before = translation.verses.get(around[0], "")
                wider = self._score(quote, tokens, translation, keys, " ".join([before, *texts, translation.verses.get(around[-1], "")]))
                cited_from, cited_to = len(before) + 1, len(before) + 1 + len(" ".join(texts))
                a = wider.alignment
                inside = sum(1 for t in wider.tokens[a.s_start:a.s_end] if cited_from <= t.start < cited_to)
                if wider.exact and inside * 2 >= len(tokens):  # and most of its words are still the cited verse's
                    scores.append(wider)
        return max(scores, key=lambda s: s.rank) if scores else None

    def _search(self, quote: str, tokens: list[Token], canon: str | None) -> _Score | None:
        """The verse of any loaded translation that the quote matches best."""
        scores = []
        for row in self.index.candidates([t.norm for t in tokens]):
            number, key = self.index.rows[row]
            translation = self.library.translations[number]
            if canon and translation.canon != canon:
                continue
            standard = _standard_key(translation.name, key)
            scores.append(self._score(quote, tokens, translation, [standard], self.index.texts[row]))
        return max(scores, key=lambda s: s.rank) if scores else None

    def _score(self, quote: str, tokens: list[Token], translation: Translation, keys: list[VerseKey], text: str) -> _Score:
        verse_tokens = _verse_tokens(text)
        a = align(quote, tokens, 0, len(tokens), text, verse_tokens, 0, len(verse_tokens), elision_points(quote, tokens))
        exact = (a.matched == len(tokens) and not a.changed and all(a.gaps)
                 and not (a.trimmed and meaning_cut(text, verse_tokens, a)))
        return _Score(translation, keys[0], keys, text, verse_tokens, a, exact)

    def _verdict(self, quote: str, tokens: list[Token], best: _Score, verdict: str, ref: str | None,
                 found: str | None = None, note: str | None = None) -> ScriptureCheck:
        same = [best.translation.name]
        if verdict == "matches":  # name every translation that has these words at this verse
            rarest = tokens[self.index.rarest([t.norm for t in tokens])].norm
            for translation in self.library.of(best.translation.canon):
                if translation is best.translation:
                    continue
                text = " ".join(translation.verses.get(own_key(translation.name, k), "") for k in best.keys)
                if rarest in text.casefold() and self._score(quote, tokens, translation, best.keys, text).exact:
                    same.append(translation.name)
        return ScriptureCheck(verdict, ref, best.translation.name, round(best.alignment.closeness, 4), found, same,
                              best.text, diff(quote, tokens, best.text, best.tokens, best.alignment), note)


@lru_cache(maxsize=8192)
def _verse_tokens(text: str) -> list[Token]:
    """A verse's words (verses are compared again and again: across quotes and translations)."""
    return tokenize(text)


def _keys(reference: Reference) -> list[VerseKey]:
    return [(reference.book, chapter, verse) for chapter, verse in reference.verses]


def _label(score: _Score) -> str:
    book, chapter, verse = score.key
    name = "Quran" if book == QURAN_BOOK and score.translation.canon == QURAN else bible_numbers()[book].name
    return f"{name} {chapter}:{verse}"


def _cut_note(score: _Score) -> str | None:
    a = score.alignment
    if a.matched == a.quote_words and not a.changed and a.trimmed:
        return "trimmed where the cut changes the meaning"
    return None


@lru_cache(maxsize=1)
def _numbering() -> list[tuple[str, int, int, int, int]]:
    return [(name, int(s), int(first), int(last), int(offset)) for name, s, first, last, offset in read_table("quran-numbering.tsv")]


def own_key(translation: str, key: VerseKey) -> VerseKey:
    """A standard verse key in a translation's own numbering."""
    book, chapter, verse = key
    for name, surah, first, last, offset in _numbering():
        if (name, surah) == (translation, chapter) and book == QURAN_BOOK and first <= verse - offset <= last:
            return book, chapter, verse - offset
    return key


def _standard_key(translation: str, key: VerseKey) -> VerseKey:
    """A translation's own verse key in standard numbering."""
    book, chapter, verse = key
    for name, surah, first, last, offset in _numbering():
        if (name, surah) == (translation, chapter) and book == QURAN_BOOK and first <= verse <= last:
            return book, chapter, verse + offset
    return key
