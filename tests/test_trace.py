"""Tracing v1: every verdict of DESIGN.md, and the speaker and date checks."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotetrace.align import align
from quotetrace.normalize import elision_points, tokenize
from quotetrace.trace import Tracer
from quotetrace.verdict import Claim, Part, decide


@pytest.fixture
def tracer(archive):
    return Tracer(archive)


def test_verbatim_full_sentence(tracer):
    t = tracer.trace_text("Ships are safe in harbour, but that is not what ships are built for.")
    assert (t.verdict, t.flags) == ("verbatim", [])
    assert t.sources[0].doc_id == "grace-2010"
    assert t.sources[0].text == "Ships are safe in harbour, but that is not what ships are built for"


def test_trimmed_case_and_punctuation_flags(tracer):
    t = tracer.trace_text("our harbour will be rebuilt stone by stone")
    assert t.verdict == "verbatim" and set(t.flags) == {"trimmed", "case_changed", "punctuation_changed"}


def test_marked_and_unmarked_elision(tracer):
    marked = tracer.trace_text("We built higher walls [...] and the water no longer reaches the square.")
    assert (marked.verdict, marked.flags) == ("elided", ["marked_elision"])
    assert marked.edits == [type(marked.edits[0])("delete", "", "and deeper channels")]
    unmarked = tracer.trace_text("We built higher walls and the water no longer reaches the square.")
    assert (unmarked.verdict, unmarked.flags) == ("elided", ["unmarked_elision"])


def test_altered_lists_each_edit(tracer):
    t = tracer.trace_text("A good engineer measures three times and cuts once, and a good sailor reads the sky before the map.")
    assert t.verdict == "altered"
    assert [(e.op, e.quote, e.source) for e in t.edits] == [("replace", "three times", "twice"), ("replace", "map", "chart")]


def test_spliced_lists_parts_in_quote_order(tracer):
    t = tracer.trace_text(
        "The sea does not forgive the careless, and neither does the budget committee. "
        "The river remembers every promise we make."
    )
    assert t.verdict == "spliced"
    assert [(s.doc_id, s.part) for s in t.sources] == [("grace-2010", 0), ("ada-2001", 1)]


def test_paraphrase_and_not_found(tracer):
    t = tracer.trace_text("They say a good engineer measures twice and then, after a long pause, finally cuts the board just once.")
    assert t.verdict == "paraphrase"
    assert tracer.trace_text("Purple elephants dance quietly across the frozen river of forgotten dreams.").verdict == "not_found"


def test_speaker_and_date_checks(tracer):
    quote = "Let no one say that the valley forgot its farmers"
    assert (tracer.trace_text(quote, Claim("Ada Lovelace", "2005-06-01")).speaker_check,
            tracer.trace_text(quote, Claim("Lovelace", "2005")).date_check) == ("match", "match")
    wrong = tracer.trace_text(quote, Claim("Grace Hopper", "2010"))
    assert (wrong.speaker_check, wrong.source_speaker) == ("mismatch", "Ada Lovelace")
    assert (wrong.date_check, wrong.source_date) == ("mismatch", "2005")
    assert tracer.trace_text(quote).speaker_check == "unknown"


def test_no_accusation_on_a_loose_match(tracer):
    t = tracer.trace_text("They say a good engineer measures twice and then, after a long pause, finally cuts the board just once.",
                          Claim("Someone Else", "1990"))
    assert (t.speaker_check, t.date_check) == ("unknown", "unknown")


def test_context_gives_the_whole_sentence(tracer):
    t = tracer.trace_text("we must not abandon the workers who built this city")
    assert t.sources[0].context.startswith("In this present crisis, we must not abandon")


words = st.sampled_from("the harbour river valley we must not build a city of stone and bridge".split())


@settings(max_examples=200, deadline=None)
@given(st.lists(words, min_size=1, max_size=25), st.lists(words, min_size=1, max_size=40))
def test_alignment_ops_rebuild_the_quote_from_the_source(quote_words, source_words):
    quote, source = " ".join(quote_words), " ".join(source_words)
    qt, stoks = tokenize(quote), tokenize(source)
    a = align(quote, qt, 0, len(qt), source, stoks, 0, len(stoks), set())
    rebuilt, q_cursor = [], 0
    for op in a.ops:
        assert op.q_start == q_cursor
        if op.tag == "equal":
            assert [t.norm for t in qt[op.q_start:op.q_end]] == [t.norm for t in stoks[op.s_start:op.s_end]]
        rebuilt += [t.norm for t in qt[op.q_start:op.q_end]]
        q_cursor = op.q_end
    assert rebuilt == [t.norm for t in qt]
    assert a.matched == sum(op.q_end - op.q_start for op in a.ops if op.tag == "equal")


def test_context_changed_when_the_cut_scopes_or_negates_the_quote(tracer):
    scoped = tracer.trace_text("we must not abandon the workers who built this city")
    assert scoped.verdict == "verbatim" and "context_changed" in scoped.flags  # "In this present crisis," was cut
    negated = tracer.trace_text("Ships are safe in harbour, but that is what ships are built for.")
    assert (negated.verdict, negated.flags) == ("elided", ["unmarked_elision", "context_changed"])  # "not" was cut
    harmless = tracer.trace_text("The valley has changed since the floods.")
    assert "context_changed" not in harmless.flags


def test_marked_gap_stays_at_the_mark():
    quote, source = "it has meant so ... many to us", "it has meant so much to so many to us"
    q_tokens = tokenize(quote)
    a = align(quote, q_tokens, 0, 7, source, tokenize(source), 0, 10, elision_points(quote, q_tokens))
    assert (a.gaps, [op.tag for op in a.ops]) == ((True,), ["equal", "delete", "equal"])


def test_scattered_common_words_are_not_a_paraphrase(tracer):
    salad = "The of harbour we the river and stone a the city valley of we must."
    assert tracer.trace_text(salad).verdict == "not_found"


def test_spans_point_into_the_original_text_whatever_the_normalisation():
    text = "ＳＴＲＡßＥ “quoted” — café e\u0301té ١٩٤٥"
    tokens = tokenize(text)
    assert [t.norm for t in tokens] == ["strasse", "quoted", "café", "été", "1945"]
    assert [text[t.start:t.end] for t in tokens] == ["ＳＴＲＡßＥ", "quoted", "café", "e\u0301té", "١٩٤٥"]


def test_a_stray_word_does_not_cut_a_spliced_part_short(tracer):
    # "and" and "the" also stand just after part one in its own speech; without them part two is too short to seed
    t = tracer.trace_text("The valley has changed since the floods. We built higher and neither does the budget committee.")
    assert t.verdict == "spliced"
    assert [(s.doc_id, s.text) for s in t.sources] == [
        ("ada-2005", "The valley has changed since the floods. We built higher"),
        ("grace-2010", "and neither does the budget committee")]


def test_no_accusation_on_a_few_words():
    def verdict(quote: str, source: str):
        q_tokens, s_tokens = tokenize(quote), tokenize(source)
        a = align(quote, q_tokens, 0, len(q_tokens), source, s_tokens, 0, len(s_tokens), set())
        return decide([Part(a, [SimpleNamespace(speaker="Ada Lovelace", date="2001")])], len(q_tokens), Claim("Grace Hopper", "1990"))

    short = verdict("in the opinion of", "in the opinion of")  # a formula many speakers use proves nothing
    assert (short.verdict, short.speaker_check, short.date_check) == ("verbatim", "unknown", "unknown")
    telling = verdict("the river remembers every promise we make", "the river remembers every promise we make")
    assert (telling.speaker_check, telling.date_check) == ("mismatch", "mismatch")


@pytest.fixture
def pledge(tmp_path):
    from quotetrace.archive import Archive

    texts = {  # texts whose shingles, as winnowing picks them, trip a tracer that trusts its seeds alone
        "pledge": "Friends, the night is long. Let every city know, whether it loves us or fears us, that we shall pay any "
                  "price to keep the lights burning. So let us begin.",
        "twins": "Friends, the night is cold. United, there is little we cannot do in a host of ways. Divided, there is "
                 "little we can do, for we dare not meet a challenge. So let us begin.",
    }
    with Archive.open(tmp_path / "pledge.db", create=True) as store:
        store.add([{"id": doc_id, "speaker": "Ada Lovelace", "date": "2001", "text": text} for doc_id, text in texts.items()])
        yield Tracer(store)


def test_unseeded_opening_words_found_across_an_unmarked_elision(pledge):
    # "Let every city know" shares no seed with the source: the window still reaches it across the cut
    t = pledge.trace_text("Let every city know that we shall pay any price to keep the lights burning.")
    assert t.verdict == "elided" and "unmarked_elision" in t.flags
    assert [e.source for e in t.edits] == ["whether it loves us or fears us"]


def test_the_occurrence_with_every_word_in_place_wins_over_a_near_twin(pledge):
    # the seeds chain best on "Divided, there is little we can do"; every word is in place on "United, …"
    t = pledge.trace_text("United, there is little we cannot do.")
    assert (t.verdict, t.sources[0].text) == ("verbatim", "United, there is little we cannot do")


def test_scattered_common_words_after_a_passage_are_not_its_words():
    from quotetrace.align import _drop_strays

    # "united states" and "it is", then "in [Europe] and": islands of two words far from the rest are all chance
    matches = [[i, i] for i in range(10)] + [[10, 129], [11, 130], [14, 160], [15, 161], [17, 245], [19, 247]]
    assert _drop_strays(matches, set()) == [[i, i] for i in range(10)]


def test_a_quote_cut_from_a_hard_wrapped_source_is_trimmed_and_shows_its_whole_sentence(tmp_path):
    from quotetrace.archive import Archive

    text = ("The delegation of the valley has heard the debate with care.\nOur people, however, strongly believe that\n"
            "the whole community of nations must be involved\nand must pay its share of the cost of the new dams.\n")
    with Archive.open(tmp_path / "wrapped.db", create=True) as store:
        store.add([{"id": "wrapped", "speaker": "Ada Lovelace", "date": "2001", "text": text}])
        t = Tracer(store).trace_text("the whole community of nations must be involved")
    assert (t.verdict, t.flags) == ("verbatim", ["trimmed"])  # its lines are wrapped, its sentence goes on
    assert t.sources[0].context.startswith("Our people, however") and t.sources[0].context.endswith("the new dams.")


def test_a_quote_spliced_from_three_documents_lists_three_parts(tracer):
    # the longest part (Grace Hopper's) comes last: the two before it are one run it cannot explain, from two documents
    t = tracer.trace_text("The valley has changed since the floods. The river remembers every promise we make. Ships are "
                          "safe in harbour, but that is not what ships are built for. A good engineer measures twice.")
    assert t.verdict == "spliced"
    assert [(s.doc_id, s.part) for s in t.sources] == [("ada-2005", 0), ("ada-2001", 1), ("grace-2010", 2)]


def test_a_semicolon_ends_no_sentence_so_the_cut_before_it_is_checked(tmp_path):
    from quotetrace.archive import Archive

    text = "In this present crisis, the harbour is not the solution to our trouble; the harbour is the trouble."
    with Archive.open(tmp_path / "semi.db", create=True) as store:
        store.add([{"id": "semi", "speaker": "Ada Lovelace", "date": "2001", "text": text}])
        t = Tracer(store).trace_text("the harbour is the trouble.")
    assert (t.verdict, t.flags) == ("verbatim", ["trimmed", "context_changed"])
