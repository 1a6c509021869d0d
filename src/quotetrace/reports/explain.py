"""A verdict in plain sentences: what a reader needs to defend it or to doubt it.

"Trimmed: the source sentence begins “In this present crisis,” …" says more
than the word "trimmed". Everything here is a pure function of a quote and its
trace, so the terminal, the HTML report and the web app say the same thing.
"""

from __future__ import annotations

from ..attribution import CONFIDENCE
from ..quotes import Quote
from ..trace import Source, Trace

_SHOWN_WORDS = 12  # words of cut context quoted in an explanation


def explain(quote: Quote, trace: Trace | None) -> list[str]:
    """Sentences that explain the verdict on ``quote``, most important first."""
    if trace is None:
        return ["A short phrase (a title or scare quotes): not traced."] if quote.kind == "phrase" else ["Not traced."]
    sentences = [_text_verdict(trace)]
    if "context_changed" in trace.flags:
        sentences.append("What was cut changes the meaning: it negates, conditions or limits the words that were kept.")
    if trace.speaker_check == "mismatch":
        sentences.append(f"Speaker: the source's speaker is {trace.source_speaker}, not {quote.speaker}.")
        if quote.speaker_source == "default":
            sentences.append(f"No words around the quote say who said it: {quote.speaker} is the article's speaker.")
        elif (quote.speaker_confidence or 0) < CONFIDENCE["resolved"]:
            sentences.append(f"No cue says who said it: {quote.speaker} is the subject of the sentence that quotes it.")
    if trace.date_check == "mismatch":
        sentences.append(f"Date: the source is dated {trace.source_date}, not {quote.date}.")
    if len({(s.doc_id, s.part) for s in trace.sources}) > len({s.part for s in trace.sources}):
        sentences.append("Other archive documents hold the same words; the earliest is listed first.")
    return sentences


def _text_verdict(trace: Trace) -> str:
    first = trace.sources[0] if trace.sources else None
    where = _where(first) if first else ""
    if trace.verdict == "verbatim":
        parts = [f"Verbatim: these are the words of {where}."]
        if "trimmed" in trace.flags and first:
            parts.append(_trimmed(first))
        if "case_changed" in trace.flags:
            parts.append("Capital letters differ.")
        if "punctuation_changed" in trace.flags:
            parts.append("Punctuation differs.")
        return " ".join(parts)
    if trace.verdict == "elided":
        left_out = sum(len(e.source.split()) for e in trace.edits if e.op == "delete")
        how = "each gap is marked with an ellipsis" if "marked_elision" in trace.flags else "not every gap is marked"
        return f"Elided: {left_out} word{'s' * (left_out != 1)} of {where} are left out, and {how}."
    if trace.verdict == "altered":
        return f"Altered: compared with {where}, the quote {_changes(trace)}."
    if trace.verdict == "spliced":
        parts = sorted({s.part: s for s in reversed(trace.sources)}.items())
        joined = "; ".join(f"part {n + 1} from {_where(s)}" for n, s in parts)
        return f"Spliced: the quote joins {len(parts)} passages that are not next to each other ({joined})."
    if trace.verdict == "paraphrase":
        return f"Paraphrase: only a loose match in {where}: {trace.similarity:.0%} of the quote's words are there, in order."
    return "Not found: no document in the archive holds these words."


def _where(source: Source) -> str:
    what = f"“{source.title}”" if source.title else source.doc_id
    by = f"{source.speaker}'s " if source.speaker else ""
    return f"{by}{what}" + (f" ({source.date})" if source.date else "")


def _trimmed(source: Source) -> str:
    """What the quote left off its source sentence(s)."""
    at = source.context.find(source.text)
    if at < 0:
        return "Trimmed: the quote starts or ends inside a source sentence."
    before, after = source.context[:at].split(), source.context[at + len(source.text):].split()
    said = []
    if before:
        said.append(f"begins “{_shortened(before, tail=True)}”")
    if after and any(ch.isalnum() for ch in "".join(after)):
        said.append(f"goes on “{_shortened(after, tail=False)}”")
    return f"Trimmed: the source sentence {' and '.join(said)}." if said else "Trimmed."


def _shortened(words: list[str], tail: bool) -> str:
    if len(words) <= _SHOWN_WORDS:
        return " ".join(words) + (" …" if tail else "")
    return ("… " + " ".join(words[-_SHOWN_WORDS:]) + " …") if tail else (" ".join(words[:_SHOWN_WORDS]) + " …")


def _changes(trace: Trace) -> str:
    said = []
    replaced = [e for e in trace.edits if e.op == "replace"]
    if replaced:
        words = sum(len(e.source.split()) for e in replaced)
        said.append(f"puts other words in place of {_n(words, 'word')} (“{replaced[0].quote}” for “{replaced[0].source}”)")
    if added := sum(len(e.quote.split()) for e in trace.edits if e.op == "insert"):
        said.append(f"adds {_n(added, 'word')}")
    if dropped := sum(len(e.source.split()) for e in trace.edits if e.op == "delete"):
        said.append(f"leaves out {_n(dropped, 'word')} without marking the gap")
    return ", ".join(said) if said else "differs in its words"


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"
