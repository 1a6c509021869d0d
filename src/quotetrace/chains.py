"""Seed chaining: from shingle hits to candidate passages, as in BLAST and minimap2.

A hit says "quote word ``q`` starts the same shingle as source word ``s``".
Hits in one document that advance together in quote and source, with source
gaps no wider than an elision may be, chain into one candidate passage.
"""

from __future__ import annotations

from dataclasses import dataclass

_MAX_PREDECESSORS = 64  # how far back the chaining DP looks: bounds time on repetitive text
_MAX_QUOTE_SLIP = 8  # a quote may add up to this many words between two hits


@dataclass(frozen=True)
class Chain:
    """Chained hits in one document: which quote words they cover and where in the source."""

    doc: int
    hits: tuple[tuple[int, int], ...]  # (quote position, source position), both increasing


def find_chains(hits_by_doc: dict[int, list[tuple[int, int]]], k: int, max_gap: int, per_doc: int = 3) -> list[Chain]:
    """The best chains of each document (up to ``per_doc``)."""
    chains: list[Chain] = []
    for doc, hits in hits_by_doc.items():
        remaining = sorted(set(hits), key=lambda h: (h[1], h[0]))
        for _ in range(per_doc):
            chain = _best_chain(doc, remaining, k, max_gap)
            if chain is None:
                break
            chains.append(chain)
            used = set(chain.hits)
            remaining = [h for h in remaining if h not in used]
    return chains


def _best_chain(doc: int, hits: list[tuple[int, int]], k: int, max_gap: int) -> Chain | None:
    if not hits:
        return None
    score = [k] * len(hits)
    back = [-1] * len(hits)
    for i, (qi, si) in enumerate(hits):
        for j in range(max(0, i - _MAX_PREDECESSORS), i):
            qj, sj = hits[j]
            dq, ds = qi - qj, si - sj
            if dq <= 0 or ds <= 0 or ds - dq > max_gap or dq - ds > _MAX_QUOTE_SLIP:
                continue
            gain = score[j] + min(k, dq)
            if gain > score[i]:
                score[i], back[i] = gain, j
    end = max(range(len(hits)), key=score.__getitem__)
    path = []
    while end >= 0:
        path.append(hits[end])
        end = back[end]
    path.reverse()
    return Chain(doc, tuple(path))
