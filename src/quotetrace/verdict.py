"""The verdict on a quote: a pure function of its alignments and of what the article claims.

See DESIGN.md for the meaning of each verdict. Speaker and date are only called
a mismatch on a strong alignment, and a claim holds when any document that
holds the passage agrees with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .align import Alignment
from .dates import dates_agree
from .options import DEFAULT_OPTIONS, TraceOptions
from .speakers import same_speaker

class SourceMeta(Protocol):
    speaker: str | None
    date: str | None


@dataclass(frozen=True)
class Part:
    """One source passage explaining a range of the quote, and every document holding it (earliest first)."""

    alignment: Alignment
    docs: Sequence[SourceMeta]


@dataclass(frozen=True)
class Claim:
    """What the article says of a quote."""

    speaker: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Verdict:
    verdict: str
    flags: tuple[str, ...]
    speaker_check: str
    date_check: str
    source_speaker: str | None  # what the source says, when the speaker check is a mismatch
    source_date: str | None  # likewise for the date
    similarity: float


def decide(parts: Sequence[Part], quote_words: int, claim: Claim, options: TraceOptions = DEFAULT_OPTIONS) -> Verdict:
    """The verdict, flags and attribution checks for a quote of ``quote_words`` words."""
    if not parts or quote_words == 0:
        return Verdict("not_found", (), "unknown", "unknown", None, None, 0.0)
    matched = sum(p.alignment.matched for p in parts)
    similarity = matched / quote_words
    flags: list[str] = []
    if any(p.alignment.case_changed for p in parts):
        flags.append("case_changed")
    if any(p.alignment.punctuation_changed for p in parts):
        flags.append("punctuation_changed")
    if len(parts) > 1:
        verdict = "spliced"
    else:
        a = parts[0].alignment
        if not a.changed and a.matched == quote_words:
            verdict = "elided" if a.gaps else "verbatim"
            if a.gaps:
                flags.insert(0, "marked_elision" if all(a.gaps) else "unmarked_elision")
            if a.trimmed:
                flags.insert(0, "trimmed")
        elif a.closeness >= options.altered_min_similarity:
            verdict = "altered"
        elif a.closeness >= options.paraphrase_min_similarity and a.longest_run >= options.paraphrase_min_run:
            verdict, flags = "paraphrase", []
        else:  # no source is named, so none has a similarity (what the closest stray words scored is no measure)
            return Verdict("not_found", (), "unknown", "unknown", None, None, 0.0)
    # only parts found nearly word for word, and long enough to be telling, may accuse: others may come from the wrong source
    strong = verdict != "paraphrase" and all(p.alignment.similarity >= options.accuse_min_similarity
                                             and p.alignment.matched >= options.accuse_min_words for p in parts)
    speaker_check, source_speaker = _check(parts, claim.speaker, "speaker", same_speaker) if strong else ("unknown", None)
    date_check, source_date = _check(parts, claim.date, "date", dates_agree) if strong else ("unknown", None)
    return Verdict(verdict, tuple(flags), speaker_check, date_check, source_speaker, source_date, similarity)


def _check(parts: Sequence[Part], claimed: str | None, field: str, agree: Callable[[str, str], bool]) -> tuple[str, str | None]:
    """``match`` when every part has a document agreeing with the claim; ``mismatch`` when a part's documents all disagree."""
    if not claimed:
        return "unknown", None
    results = []
    for part in parts:
        values = [getattr(doc, field) for doc in part.docs]
        if any(v and agree(claimed, v) for v in values):
            results.append(("match", None))
        elif values and all(values):
            results.append(("mismatch", values[0]))
        else:
            results.append(("unknown", None))
    for result in results:
        if result[0] == "mismatch":
            return result
    return ("match", None) if all(r[0] == "match" for r in results) else ("unknown", None)
