"""Tunable settings of extraction and tracing, declared once with their defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TraceOptions:
    """How hard to look and how strict to be when tracing a quote."""

    #: words per shingle; a shared run of ``shingle_words + window - 1`` words is always seeded
    shingle_words: int = 3
    #: winnowing window: one minimiser is indexed per this many consecutive shingles
    window: int = 4
    #: shingles with more postings than this are boilerplate and are not used as seeds
    max_postings: int = 1000
    #: most source words an unmarked or marked elision may skip inside one passage
    max_gap_words: int = 250
    #: quotes with fewer words are phrases (scare quotes, titles) and are not traced
    min_quote_words: int = 4
    #: share of quote words found in order in the source for `altered` (below: `paraphrase`)
    altered_min_similarity: float = 0.6
    #: share of quote words found in order for `paraphrase` (below: `not_found`)
    paraphrase_min_similarity: float = 0.35
    #: a paraphrase must share a phrase of at least this many consecutive words (else: not_found)
    paraphrase_min_run: int = 4
    #: a second passage must explain at least this many quote words to make a splice
    splice_min_words: int = 4
    #: candidate chains aligned per quote
    max_candidates: int = 8
    #: similarity an alignment needs before speaker or date may be called a mismatch
    accuse_min_similarity: float = 0.8
    #: matched words each part needs before speaker or date may be called a mismatch ("in the opinion of" proves nothing)
    accuse_min_words: int = 6


DEFAULT_OPTIONS = TraceOptions()
