"""Loading articles: quotations that HTML or Markdown marks by markup alone (<q>, <blockquote>, "> ") keep their quote
marks, and a block quote's signature stays its cue; a title that names a speech gives the default speaker."""

from __future__ import annotations

import pytest

from quotetrace.articles import read_article
from quotetrace.quotes import extract_quotes

PAGE = """<html><head><title>Speech notes</title></head><body><nav>Home | About</nav><article><h1>What the minister said</h1>
<p>Ada Lovelace spoke to the chamber on Tuesday. She said the plan was <q>the best chance we have, or as her aide put it,
<q>the only one</q></q> and that it would pass.</p>
<p>Later Ada Lovelace told reporters:</p>
<blockquote><p>We will rebuild every school in the valley before the winter comes.</p><p>No child will be left without a classroom.</p></blockquote>
<p>Critics were unconvinced, and one of them wrote a long letter to the editor about the cost of the programme.</p>
<blockquote>The money is simply not there, and <em>everyone</em> in this building knows it.<footer>Tom Reed</footer></blockquote>
<blockquote><p>“This one writes its own marks,” Grace Hopper said.</p></blockquote>
<p>The debate continues next week with another vote expected in the chamber on Thursday afternoon.</p>
</article></body></html>"""


def test_q_and_blockquote_become_quotes_with_their_marks():
    article = read_article(PAGE.encode(), "page.html", "html")
    quotes = extract_quotes(article)
    texts = [q.text for q in quotes]
    assert "the best chance we have, or as her aide put it, ‘the only one’" in [" ".join(t.split()) for t in texts]
    assert "the only one" in texts
    school = next(q for q in quotes if q.text.startswith("We will rebuild"))
    assert school.text.endswith("left without a classroom.") and school.speaker == "Ada Lovelace"
    money = next(q for q in quotes if q.text == "The money is simply not there, and everyone in this building knows it.")
    assert money.speaker == "Tom Reed"  # its <footer>, written as a signature line after it
    assert "This one writes its own marks," in texts and "““" not in article.text  # no second pair of marks


MARKDOWN = """# Borrowed lines

> Homes have been lost; jobs shed; businesses shuttered.
> Our health care is too costly.
>
> Our schools fail too many.
>
> — Barack Obama, January 20, 2009

> "This one writes its own marks," Grace Hopper said.

The rest of the article follows.
"""


def test_markdown_block_quotes_become_quotes_signed_after():
    article = read_article(MARKDOWN.encode(), "a.md", "markdown")
    quotes = extract_quotes(article)
    first = quotes[0]
    assert first.text.startswith("Homes have been lost") and first.text.endswith("Our schools fail too many.")
    assert (first.speaker, first.date) == ("Barack Obama", "2009-01-20")
    assert ">" not in article.text and "““" not in article.text
    assert [q.speaker for q in quotes[1:]] == ["Grace Hopper"]


def test_malformed_html_still_loads():
    article = read_article(b"<html><body><p>She said <q>we will win today</p><blockquote></blockquote><p>Then she left.</body>", "m.html", "html")
    assert [q.text for q in extract_quotes(article)] == ["we will win today"]


def test_a_page_without_markup_quotes_reads_as_before():
    article = read_article(b"<html><body><p>" + b"x " * 50 + b'She said "we will win" today.</p></body></html>', "p.html", "html")
    assert [q.text for q in extract_quotes(article)] == ["we will win"]


@pytest.mark.parametrize("title, speaker", [
    ("Remarks by President Biden on the American Rescue Plan", "President Biden"),
    ("Transcript: Obama's speech in Cairo", "Obama"),
    ("Lincoln’s Second Inaugural Address", "Lincoln"),
    ("Full text of Xi Jinping's report to the Party Congress", "Xi Jinping"),
    ("The Pope's Easter homily", None),  # a title alone names nobody to check
    ("Remarks by the President", None),
    ("Why the speech mattered", None),
    ("Trump says the election is rigged", None),
])
def test_a_title_that_names_a_speech_gives_the_default_speaker(title, speaker):
    article = read_article(f"---\ntitle: {title}\n---\n\"We will not tire, we will not falter.\"\n".encode(), "t.md", "markdown")
    assert article.speaker == speaker
    (quote,) = extract_quotes(article)
    assert (quote.speaker, quote.speaker_source) == ((speaker, "default") if speaker else (None, None))


def test_a_speaker_given_or_in_front_matter_wins_over_the_title():
    text = b"---\ntitle: Remarks by President Biden\nspeaker: Kamala Harris\n---\nText.\n"
    assert read_article(text, "t.md", "markdown").speaker == "Kamala Harris"
    assert read_article(text, "t.md", "markdown", speaker="Joe Biden").speaker == "Joe Biden"


def test_a_quote_runs_over_the_line_breaks_of_hard_wrapped_text():
    text = ('Flood plan approved\n\nAda Lovelace said "we will rebuild\nevery school in the valley" on Tuesday, and\n'
            'she added that the work would start soon.\n\n- a list item\n- another line\n')
    article = read_article(text.encode(), "wrapped.txt", "text")
    assert len(article.text) == len(text)  # a break becomes a space: offsets still point into the file
    (quote,) = extract_quotes(article)
    assert (quote.text, quote.speaker) == ("we will rebuild every school in the valley", "Ada Lovelace")
    assert "- a list item\n- another line" in article.text


def test_one_paragraph_a_line_keeps_its_line_breaks():
    text = ("Ada Lovelace spoke first and at length about the valley, its schools and the money the plan would need.\n"
            '"We will rebuild," she said, and the chamber fell silent for a long while as the members read the plan.\n\n'
            "The vote is expected next week, after the committee has heard from the engineers and the treasury.\n")
    assert read_article(text.encode(), "lines.txt", "text").text == text
