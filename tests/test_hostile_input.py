"""Hostile articles: extraction finishes in time linear in the size of the input, with a sensible result."""

from __future__ import annotations

import time

import pytest

from quotetrace.articles import Article
from quotetrace.quotes import extract_quotes

HOSTILE = {
    "100,000 quote marks": ('"' * 25_000, lambda qs: qs == []),
    "curly marks of every kind": ("“”‘’«»„" * 5_000, lambda qs: all(q.end >= q.start for q in qs)),
    "a quote mark in every word": (" ".join(f'"w{i}' for i in range(25_000)), lambda qs: len(qs) <= 16),
    "control characters": ('\x00\x01 said "hello there, friend" \x07\x1b' * 5_000, lambda qs: len(qs) == 5_000),
    "mixed scripts, right to left": ('قال الوزير «نحن مستعدون تماما» ثم غادر. שלום "hello world there" ' * 2_500,
                                     lambda qs: len(qs) == 5_000),
    "quotes nested ever deeper": ("“‘" * 12_500 + "’”" * 12_500, lambda qs: len(qs) < 100),
}


def _seconds(text: str) -> tuple[float, list]:
    best, quotes = float("inf"), []
    for _ in range(2):
        started = time.perf_counter()
        quotes = extract_quotes(Article(text=text, source="hostile"))
        best = min(best, time.perf_counter() - started)
    return best, quotes


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_takes_linear_time_and_gives_a_sensible_result(name):
    text, sensible = HOSTILE[name]
    small, quotes = _seconds(text)
    assert sensible(quotes)
    large, _ = _seconds(text * 4)
    assert large < 10 * small + 0.5, f"{name}: {small:.2f} s, four times the text {large:.2f} s"


@pytest.mark.slow
def test_a_50_mb_single_line():
    text = 'The minister said "we will act" and left. ' * 1_200_000  # 50 MB, no line break
    started = time.perf_counter()
    quotes = extract_quotes(Article(text=text, source="one line"))
    assert len(quotes) == 1_200_000 and quotes[-1].speaker == "The minister"
    assert time.perf_counter() - started < 600
