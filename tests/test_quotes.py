"""Extraction v1: quote spans, nesting, speaker cues and dates."""

from __future__ import annotations

import pytest

from quotetrace.articles import Article
from quotetrace.quotes import extract_quotes


def quotes_of(text: str, **meta):
    return extract_quotes(Article(text, "test", **meta))


def test_straight_and_curly_double_quotes_give_exact_spans():
    text = 'She said "we will rebuild the harbour" and later “no family will be left behind” again.'
    qs = quotes_of(text)
    assert [q.text for q in qs] == ["we will rebuild the harbour", "no family will be left behind"]
    assert all(text[q.start:q.end] == q.text for q in qs)


def test_nested_quote_names_its_parent():
    qs = quotes_of('He said: "They told me ‘never give up on the valley’ and I listened to them."')
    outer, inner = qs
    assert inner.text == "never give up on the valley"
    assert inner.parent == outer.id and outer.parent is None


def test_apostrophes_are_not_quote_marks():
    qs = quotes_of('He said "the nation\'s farmers and the ’80s boom were not what the valley’s people wanted."')
    assert len(qs) == 1 and qs[0].text.startswith("the nation's farmers")


def test_closing_mark_with_missing_opener_at_paragraph_start():
    qs = quotes_of('Intro line.\nthe harbour will be rebuilt stone by stone," Ada Lovelace said.')
    assert qs[0].text == "the harbour will be rebuilt stone by stone,"
    assert qs[0].speaker == "Ada Lovelace"


def test_quote_over_several_paragraphs_is_one_quote():
    text = '“The first paragraph of a long statement.\n“The second paragraph, which closes it,” she said.'
    qs = quotes_of(text)
    assert len(qs) == 1
    assert qs[0].text == "The first paragraph of a long statement.\nThe second paragraph, which closes it,"


def test_unbalanced_opener_runs_to_the_end_of_its_paragraph():
    qs = quotes_of('He shouted "we will never surrender the harbour to them\nNext paragraph.')
    assert qs[0].text == "we will never surrender the harbour to them"


def test_guillemets_and_low_high_quotes():
    qs = quotes_of("« Nous sommes en guerre contre le virus », a-t-il dit. „Wir schaffen das schon gemeinsam“, sagte sie.")
    assert [q.text for q in qs] == ["Nous sommes en guerre contre le virus", "Wir schaffen das schon gemeinsam"]


def test_scare_quotes_are_phrases():
    qs = quotes_of('The so-called "peace plan" was rejected.')
    assert qs[0].kind == "phrase"


def test_speaker_cues_in_both_orders_and_according_to():
    qs = quotes_of(
        '"The river remembers every promise we make," said Ada Lovelace.\n'
        '"A good engineer measures twice and cuts once," Grace Hopper told the crew.\n'
        'According to Grace Hopper, "the sea does not forgive the careless."\n'
        'Ada Lovelace: "We will open the new bridge in the spring."'
    )
    assert [q.speaker for q in qs] == ["Ada Lovelace", "Grace Hopper", "Grace Hopper", "Ada Lovelace"]
    assert all(q.speaker_source == "cue" for q in qs)


def test_pronoun_resolves_to_last_named_speaker_and_default_applies_otherwise():
    qs = quotes_of(
        'Grace Hopper said: "Ships are safe in harbour, but that is not their purpose."\n'
        '"A good sailor reads the sky before the chart," she added.\n'
        'The crowd cheered for a long while.\n'
        '"Nobody in particular said this line of text here."',
        speaker="Default Speaker",
    )
    assert [q.speaker for q in qs] == ["Grace Hopper", "Grace Hopper", "Default Speaker"]
    assert qs[2].speaker_source == "default"


def test_dates_from_brackets_and_nearby_phrases():
    qs = quotes_of(
        '"We will open the new bridge in the spring," Ada Lovelace said [Nov 3, 2019].\n'
        'On 3 November 2019, Ada Lovelace said: "The old mills will become schools."\n'
        'In her 2014 speech, Ada Lovelace said "the valley has changed since the floods."\n'
        'Ada Lovelace said on March 4 that "our harbour will be rebuilt stone by stone."',
        date="2020-01-05",
    )
    assert [q.date for q in qs] == ["2019-11-03", "2019-11-03", "2014", "2019-03-04"]


def test_article_without_quotes_is_not_an_error():
    assert quotes_of("No quotations here at all.") == []


def test_a_split_quote_is_one_speakers_and_says_so():
    text = '"We will rebuild the harbour," Ada Lovelace said, "and nobody will be left behind." "It is done," she added.'
    qs = quotes_of(text)
    assert [q.speaker for q in qs] == ["Ada Lovelace"] * 3
    assert (qs[1].continues, qs[1].speaker_span) == ("q1", qs[0].speaker_span)
    assert text[slice(*qs[0].speaker_span)] == "Ada Lovelace"


def test_unnamed_speakers_are_descriptions_not_names():
    qs = quotes_of('"We are ready," a campaign spokesman said. Officials said "the plan is dead for now." '
                   '"It was awful," said one of two witnesses. "We won," added a South Carolina Democrat.')
    assert [(q.speaker, q.speaker_source) for q in qs] == [
        ("a campaign spokesman", "description"), ("Officials", "description"), ("one of two witnesses", "description"),
        ("a South Carolina Democrat", "description")]


def test_a_partial_quote_in_reported_speech_gets_its_clause():
    text = "The doctor said that he has “extraordinarily good health” for his age. Grace Hopper told reporters: “No comment.”"
    qs = quotes_of(text)
    assert text[slice(*qs[0].content_span)] == "that he has “extraordinarily good health” for his age"
    assert qs[1].content_span is None and qs[1].speaker == "Grace Hopper"


def test_a_quote_that_ends_its_sentence_is_not_given_the_next_sentences_speaker():
    qs = quotes_of('Grace Hopper said: "We will win." Ada Lovelace told the crowd that "the river remembers."')
    assert [q.speaker for q in qs] == ["Grace Hopper", "Ada Lovelace"]


def test_a_speakers_words_go_on_in_the_next_paragraph_and_after_a_colon_lead_in():
    qs = quotes_of('"The harbour will be rebuilt," Ada Lovelace told the council.\n\n"Every family will have a home."\n\n'
                   'Grace Hopper wrote in her report:\n\n"The sea does not forgive the careless."')
    assert [q.speaker for q in qs] == ["Ada Lovelace", "Ada Lovelace", "Grace Hopper"]


def test_titles_before_names_and_long_cues():
    text = ('"We are committed," said spokesman John Kirby, a veteran of the department and its press office. '
            '"The report has our full attention." "This will hurt," Democratic candidate Hillary Clinton said.')
    qs = quotes_of(text)
    assert [q.speaker for q in qs] == ["John Kirby", "John Kirby", "Hillary Clinton"]
    assert text[slice(*qs[2].speaker_span)] == "Democratic candidate Hillary Clinton"


def test_cues_with_appositions_auxiliaries_and_adverbs():
    qs = quotes_of('"They are open to new things," Jenna Golden, the director of political advertising, said of it. '
                   'Grace Hopper then asked the crew, "Can we sail tonight?" and waited. '
                   'Ada Lovelace is insisting that the plan is "dead."')
    assert [q.speaker for q in qs] == ["Jenna Golden", "Grace Hopper", "Ada Lovelace"]


def test_a_participle_cue_gives_the_quote_to_the_sentences_subject():
    text = 'Grace Hopper shrugged off the remarks on Monday, telling reporters, "Neither I nor my crew asked for it."'
    (q,) = quotes_of(text)
    assert (q.speaker, q.content_span) == ("Grace Hopper", None)


def test_a_pronoun_after_an_unnamed_speaker_stays_unnamed():
    qs = quotes_of('The imam recited: "There is no compulsion in religion." Later he said that "patience is a virtue."')
    assert [(q.speaker, q.speaker_source) for q in qs] == [("The imam", "description"), ("The imam", "description")]


def test_a_closing_mark_after_a_space_still_ends_the_quote_before_its_cue():
    qs = quotes_of('"They want to know why they should not vote for \'Clinton,\' " said Bree Maxwell, a volunteer. '
                   '"But they are receptive."')
    top = [q for q in qs if q.parent is None]
    assert [q.speaker for q in top] == ["Bree Maxwell", "Bree Maxwell"]


def test_the_main_clause_speaks_not_an_opening_clause_or_a_time_phrase():
    qs = quotes_of('After former Gov. Jerry Brown criticized him during a debate, Hillary shot back, "I suppose I could have '
                   'stayed home and baked cookies."\n\nHours later, Trump returned the compliment, telling Reuters, '
                   '"Sheldon and I have been friends for a long time."\n\nTrump said during a rally in Michigan that Clinton '
                   'once described the deal as "the gold standard of trade deals."')
    assert [q.speaker for q in qs] == ["Hillary", "Trump", "Trump"]


def test_unnamed_speakers_described_by_what_they_are():
    qs = quotes_of('"It is like a two-horse race where one horse cheats," the Lincoln actor says of the race.\n\n'
                   '"Out!" the crowd yelled.')
    assert [(q.speaker, q.speaker_source) for q in qs] == [("the Lincoln actor", "description"), ("the crowd", "description")]


@pytest.mark.parametrize("text, quote, speaker, date", [
    ("Emmanuel Macron a déclaré le 3 novembre 2019 : « Nous allons reconstruire le port, pierre par pierre. »",
     "Nous allons reconstruire le port, pierre par pierre.", "Emmanuel Macron", "2019-11-03"),
    ("„Wir schaffen das, und wir werden es gemeinsam schaffen“, sagte Angela Merkel am 31. August 2015.",
     "Wir schaffen das, und wir werden es gemeinsam schaffen", "Angela Merkel", "2015-08-31"),
    ("«Vamos a reconstruir el puerto piedra por piedra», dijo Pedro Sánchez el 3 de noviembre de 2019.",
     "Vamos a reconstruir el puerto piedra por piedra", "Pedro Sánchez", "2019-11-03"),
    ("رئیس‌جمهور در ۱۲ آبان ۱۳۹۸ گفت: «ما بندر را سنگ به سنگ بازسازی خواهیم کرد.»",
     "ما بندر را سنگ به سنگ بازسازی خواهیم کرد.", "رئیس‌جمهور", "2019-11-03"),
    ("وقال الرئيس في 3 نوفمبر 2019: «سنعيد بناء الميناء حجرا حجرا.»", "سنعيد بناء الميناء حجرا حجرا.", "الرئيس", "2019-11-03"),
    ("«ما آماده مذاکره هستیم»، ظریف در تهران گفت.", "ما آماده مذاکره هستیم", "ظریف", None),
    ("وقال الرئيس عبد الفتاح السيسي: «مصر لن تتخلى عن حقوقها».", "مصر لن تتخلى عن حقوقها", "عبد الفتاح السيسي", None),
])
def test_quotes_speakers_and_dates_in_other_languages(text, quote, speaker, date):
    (q,) = quotes_of(text)
    assert (q.text, q.speaker, q.date) == (quote, speaker, date)


def test_each_speaker_has_a_confidence_ranked_by_its_evidence():
    text = ('"We will rebuild," said Mayor Ana Silva. "It will take years," she added.\n\n'
            'Silva struck a defiant tone at the meeting: "Nobody will leave this town for good."\n\n'
            'The council met again on Friday.\n\n"The bridge opens in May."')
    cue, pronoun, subject, default = extract_quotes(Article(text=text, source="t", speaker="Town Council"))
    assert [(q.speaker, q.speaker_confidence) for q in (cue, pronoun, subject, default)] == [
        ("Mayor Ana Silva", 0.95), ("Mayor Ana Silva", 0.8), ("Silva", 0.6), ("Town Council", 0.4)]


def test_a_title_in_a_sentence_is_no_quote_of_its_subject():
    (q,) = quotes_of('She starred in "Scandal" for seven seasons.')
    assert (q.kind, q.speaker, q.speaker_confidence) == ("phrase", None, None)


def test_arabic_and_persian_roles_describe_and_are_not_checked():
    qs = quotes_of("«مصر لن تتخلى عن حقوقها»، قالت المتحدثة باسم الوزارة. وزیر امور خارجه گفت: «ما آماده مذاکره هستیم.»")
    assert [(q.speaker, q.speaker_source) for q in qs] == [
        ("المتحدثة باسم الوزارة", "description"), ("وزیر امور خارجه", "description")]


@pytest.mark.parametrize("text, speaker", [
    ("Le ministre a déclaré : « Nous sommes prêts à négocier. »", "Le ministre"),
    ("„Wir schaffen das gemeinsam“, sagte die Sprecherin der Regierung.", "die Sprecherin"),
    ("«Estamos listos para negociar», dijo el portavoz.", "el portavoz"),
])
def test_unnamed_speakers_in_french_german_and_spanish(text, speaker):
    (q,) = quotes_of(text)
    assert (q.speaker, q.speaker_source) == (speaker, "description")


def test_foreign_articles_before_names_are_not_descriptions():
    assert [q.speaker_source for q in quotes_of('"We are ready," Le Pen said. "We are not," said El Baradei.')] == ["cue", "cue"]


def test_a_speakers_words_go_on_in_the_paragraph_and_a_quote_after_a_sentence_is_its_subjects():
    qs = quotes_of('"We had problems in the past," Obama said after meeting Vladimir Putin. He did not threaten. '
                   '"Our goal is to set some norms."\n\nClinton touted her record on labour. "We need to support workers."')
    assert [(q.speaker, q.speaker_confidence) for q in qs] == [("Obama", 0.95), ("Obama", 0.7), ("Clinton", 0.6)]
    qs = quotes_of('"We will win this state," Bernie Sanders said. Sanders\' aides then met Hillary Clinton. "The fight goes on."')
    assert [(q.speaker, q.speaker_confidence) for q in qs] == [("Bernie Sanders", 0.95), ("Bernie Sanders", 0.7)]


def test_a_clause_opened_by_that_is_the_content_even_after_a_comma():
    text = 'A spokesman said via email that, “Of course the mayor will defend himself” against the claims.'
    (q,) = quotes_of(text)
    assert text[q.content_span[0]:q.content_span[1]] == "that, “Of course the mayor will defend himself” against the claims"
