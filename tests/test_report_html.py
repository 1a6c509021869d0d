"""The HTML report: verdicts explained in plain sentences, the date timeline, a self-contained page, nothing unescaped."""

from __future__ import annotations

import re

import pytest

from quotetrace.articles import read_article
from quotetrace.pipeline import trace_report
from quotetrace.reports import render
from quotetrace.reports.explain import explain
from quotetrace.reports.html import timeline_svg

ARTICLE = """---
title: Harbour notes
date: 2011-01-01
---
Ada Lovelace said on March 4, 2001: "we must not abandon the workers who built this city with their own hands."

"The valley forgot its farmers," said Ada Lovelace in 2005, cutting the sentence short: "Let no one say that the valley forgot its farmers."

"A good engineer measures twice and cuts once," said Ada Lovelace [June 1, 2012].

Grace Hopper said in 2010: "Ships are safe in harbour, but that is not what the fleet is built for."

Hopper also said: "A good engineer measures twice ... and a good sailor reads the sky before the chart."

"Nobody has ever said these words in any speech we keep," said Grace Hopper.
"""


@pytest.fixture
def report(archive):
    return trace_report(read_article(ARTICLE.encode(), "notes.md", "markdown"), archive)


def sentences(report, n):
    q = report.quotes[n]
    return explain(q, report.traces[q.id])


def test_a_trim_quotes_what_the_source_sentence_said(report):
    first = sentences(report, 0)
    assert first[0].startswith("Verbatim: these are the words of Ada Lovelace's “Harbour speech” (2001-03-04).")
    assert "Trimmed: the source sentence begins “In this present crisis, …”." in first[0]
    assert first[1].startswith("What was cut changes the meaning")


def test_a_misattribution_names_who_the_source_says(report):
    said = " ".join(sentences(report, 3))
    assert "Speaker: the source's speaker is Grace Hopper, not Ada Lovelace." in said
    assert "Date: the source is dated 2010-06-01, not 2012-06-01." in said


def test_a_misattribution_on_weak_evidence_says_how_weak(archive):
    article = 'Ada Lovelace took the stage after the storm: "Ships are safe in harbour, but that is not what the fleet is built for."'
    report = trace_report(read_article(article.encode(), "weak.md", "markdown"), archive)
    said = " ".join(explain(report.quotes[0], report.traces[report.quotes[0].id]))
    assert "Speaker: the source's speaker is Grace Hopper, not Ada Lovelace." in said
    assert "No cue says who said it: Ada Lovelace is the subject of the sentence that quotes it." in said
    assert "claimed: Ada Lovelace <span title=" in render(report, "html") and "(confidence 0.60)" in render(report, "html")


def test_alterations_elisions_and_misses_are_explained(report):
    assert sentences(report, 4) == ["Altered: compared with Grace Hopper's “Navy yard remarks” (2010-06-01), the quote puts other "
                                    "words in place of 2 words (“the fleet is” for “ships are”)."]
    assert sentences(report, 5) == ["Elided: 3 words of Grace Hopper's “Navy yard remarks” (2010-06-01) are left out, "
                                    "and each gap is marked with an ellipsis."]
    assert sentences(report, 6) == ["Not found: no document in the archive holds these words."]
    assert "goes on “, because the farmers fed the valley" in sentences(report, 2)[0]


def test_timeline_draws_claimed_against_source_dates_and_marks_mismatches(report):
    svg = str(timeline_svg(report))
    assert svg.startswith("<svg") and svg.count('<a href="#q') == 6
    assert re.search(r'<a href="#q4"><text [^>]*class="mismatch">q4</text><line [^>]*class="mismatch"', svg)
    assert "<title>claimed: 2012</title>" in svg and "<title>source: 2010</title>" in svg


def test_no_timeline_without_dates(archive):
    undated = trace_report(read_article(b'She said: "Nobody has ever said these words in any speech we keep."', "x.txt"), archive)
    assert timeline_svg(undated) is None


def test_the_page_is_self_contained_prints_and_fits_a_phone(report):
    html = render(report, "html")
    assert not re.search(r"<(link|img|iframe|object|embed)\b|<script\s+src|@import|url\(", html)
    assert '<meta name="viewport"' in html and "@media print" in html and "@media (max-width: 820px)" in html
    for verdict in ("verbatim", "elided", "altered", "not_found"):  # each verdict has a symbol and a line style, not only a colour
        assert re.search(rf"\.v-{verdict} {{ --c: [^;]+; --bg: [^;]+; --ls: \w+; }}", html)
    assert '<ins title="the source says: ships are">the fleet is</ins>' in html
    assert '<del title="the quote says: the fleet is">ships are</del>' in html
    assert '<span class="gap" title="3 source words left out">[…]</span>' in html


HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "</textarea><svg onload=alert(3)>", "javascript:alert(4)"]


def test_nothing_from_the_article_or_the_archive_reaches_the_page_unescaped(tmp_path):
    from quotetrace.archive import Archive

    text = "The harbour will be rebuilt stone by stone " + " ".join(HOSTILE) + " and the river remembers us."
    with Archive.open(tmp_path / "h.db", create=True) as store:
        store.add([{"id": HOSTILE[0], "speaker": HOSTILE[1], "title": HOSTILE[2], "url": HOSTILE[3], "date": "2001", "text": text}])
        article = f"# {HOSTILE[0]}\n\n{HOSTILE[1]} said: \"{text}\" [2001]\n\nAlso \"{HOSTILE[2]}\"\n"
        report = trace_report(read_article(article.encode(), HOSTILE[2], "markdown"), store)
    assert report.traces["q1"].verdict == "verbatim"
    html = render(report, "html")
    for hostile in HOSTILE[:3]:
        assert hostile not in html
    assert 'href="javascript:' not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # title, article, source
