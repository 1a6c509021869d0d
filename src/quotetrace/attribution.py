"""Who said a quote, and when: read from the words around it.

The speaker comes from a cue ("X said", "said X", "according to X", "X: …",
", telling reporters, …", "― X", and the word orders of Arabic and Persian),
a pronoun or a role ("he", "the president") resolved to the last speaker
mentioned before it whose gender does not contradict it (honorifics, roles
such as "spokeswoman" and given names in ``data/given_names.tsv`` tell it),
the quote before it when the speaker's words go on (in the next part or
paragraph, or later in the same paragraph), the subject of the sentence
that quotes it, else the article's default speaker; an unnamed
speaker ("a campaign spokesman") is a description. ``CONFIDENCE`` grades each
of these sources. The date comes from a bracket right after the quote
("[Nov 3, 2019]"), else from the date phrase nearest to the quote in its
sentence ("on 3 November 2019", "in his 2014 speech").
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from functools import cache, cached_property
from typing import NamedTuple

from .articles import Article
from .dates import DateMention, find_dates, parse_date
from .quotes import Quote
from .speakers import name_tokens
from .wordlists import alternation, alternation_of, read

#: pronouns that stand for someone mentioned before (English, French, German, Spanish)
_PRONOUNS = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]ls?|[Ee]lles?|[Ee]r|[Ss]ie|[Éé]l|[Ee]llas?)(?![\w'’-])"
_ROLES = r"(?:the|The)\s+(?:president|President|senator|Senator|minister|Minister|speaker|Speaker|governor|Governor|king|King|queen|Queen|pope|Pope|prime minister|Prime Minister)"
_NAME_WORD = r"[A-Z][\w'’.-]*"
_PARTICLES = ("de", "da", "van", "von", "der", "den", "du", "des", "del", "di", "dos", "das", "ter", "bin", "ibn", "al", "of", "the")
_NAME = rf"{_NAME_WORD}(?:\s+(?:{'|'.join(_PARTICLES)}|{_NAME_WORD})){{0,6}}"
#: a name after a title or role in lower case: "spokesman John Kirby", "Democratic candidate Hillary Clinton",
#: "former Florida governor Jeb Bush", "Trump's senior communications adviser Jason Miller", "17-year-old Jared Potts"
#: (not a place after a preposition: "the senator from Ohio" is a description)
_NOT_A_TITLE = r"(?!(?:from|of|for|at|in|on|to|with|by|and|or|am|im|an|auf|aus|von|vom|zu|le|la|les|à|au|en|de|del|el|y|et|und)\s)"
_TITLED_NAME = rf"(?:{_NAME_WORD}\s+)?(?:(?:[a-z\d][\w-]*|{_NAME_WORD})\s+){{0,4}}{_NOT_A_TITLE}[a-z\d][\w-]*\s+{_NAME}"
_SIGNATURE_LINE = re.compile(r"\n(?:[ \t]*\n)?[ \t]*(?:[―—–]|--)[ \t]*(?=\w)")  # the next line signs the quote before it
_BRACKET_DATE = re.compile(r"\s*[,.]?\s*[\[(]([^\[\]()\n]{2,40})[\])]")
#: a full stop, "!" or "?" (and a closing mark) followed by the capital of what may be a new sentence (or by any
#: Arabic or Persian letter: the script has no capitals)
_SENTENCE_END_CANDIDATE = re.compile(r"(?<!\b\d)(?<!\b\d\d)[.!?؟]['\"”’»]?\s+(?=[A-Z“\"‘'«\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc])")
_SUFFIX_STOPS = ("Jr.", "Sr.")  # a stop that belongs to the name
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")  # "F", "G.K": initials, whose stop ends no sentence
_WORD_BEFORE_STOP = re.compile(r"(?<![\w.])[\w.]{1,12}$")
_CONTEXT_CHARS = 300
_OPENING_MARK = re.compile(r"[“\"«„]")
_SUBORDINATE_OPENING = re.compile(
    r"\s*(?:After|Before|When|Whenever|While|As|Although|Though|Because|Since|If|Unless|Until|Once|Following|Despite|Whereas)"
    r"\b[^,\"“”]{1,150},\s*")
_CLOSING_MARK = re.compile(r"(?:[ \t]?[\"”»])|[’'›」』]")
_SENTENCE_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)+)\s+[a-z]")
_FULL_NAME_TEXT = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)+"  # "Barack Obama": a person's name, not a title
_FULL_NAME = re.compile(_FULL_NAME_TEXT)
_APPOSED_NAME = re.compile(rf"[\w-]*,\s*({_FULL_NAME_TEXT}),")
#: "according to" in English, French, German and Spanish
_ACCORDING_TO = r"(?:[Aa]ccording\s+to|[Ss]elon|[Dd]['’]après|[Ll]aut|[Ss]egún)"
#: what may stand between a cue verb and the quote: no sentence end, but the stop of a date or an abbreviation may
#: ("said on Jan. 20, 1961:", "told the U.S. Congress:", "sagte am 20. Januar 1961:")
_CUE_REST = r"(?:[^\"“”.!?]|(?<=\d)\.|(?<=\b[A-Z])\.|(?<=\b[A-Z][a-z])\.|(?<=\b[A-Z][a-z]{2})\.|(?<=\bSept)\.)"
_PARTICIPLES = ("saying|telling|adding|writing|noting|arguing|explaining|insisting|asking|warning|claiming|declaring|calling|urging"
                "|tweeting|posting|quoting")
_APPOSITION = 200  # "Jason Sorens, the founder of the Free State Project that …, said"
#: words that may stand between a speaker and the cue verb: "has said", "then asked", "is insisting", "may have said"
_AUXILIARIES = r"has|had|have|is|was|are|were|been|be|will|would|could|may|might|then|also|later|again|once|even|still|never|often"
#: what opens a description of an unnamed speaker: "a", "the", "one of the", "another", "several"…
_DETERMINERS = (r"(?:[A-Z][\w-]*['’]s|[Tt]he|(?:[Ll][ea]|[Ee]l)(?=\s+[a-zà-ÿ])|[Dd]e[rm]|[Dd]ie|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Aa]nother|[Ss]ome|[Ss]everal|[Mm]any|[Oo]ther|[Mm]ost"
                r"|(?:[Oo]ne|[Tt]wo|[Tt]hree)(?:\s+of(?:\s+(?:the|two|three|his|her|their|its))?)?)")
_DESCRIBED = re.compile(rf"{_DETERMINERS}\s")
#: a description that ends in the name it describes: "Trump's senior adviser Jason Miller", "el papa Francisco"
_NAME_AFTER_DESCRIPTION = re.compile(rf"\s{_NOT_A_TITLE}[a-z\d][\w-]*\s+([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*)$")
#: what may follow an unnamed speaker after its cue verb ("said the woman, who …", "said the designer in a statement")
_DESCRIPTION_END = r"(?=\s*(?:[,.;:!?)—–]|$)|\s+(?:who|whose|in|on|at|during|after|before|while|when|as|of|from|to|via)\b)"
_IRREGULAR_PAST = (r"told|said|wrote|made|took|gave|went|sent|spoke|put|knew|led|struck|drew|brought|thought|felt|kept|held"
                   r"|left|heard|saw|met|won|ran|became|began|came|got|read|set|let|cut|shot")
#: a verb in a tense that can carry a sentence: "contrasted", "hits", "told", "is"
_FINITE_VERB = rf"[a-z]+(?:ed|[^s]s)|had|has|is|was|{_IRREGULAR_PAST}"
#: a word in Arabic script (Persian letters and the zero-width non-joiner of "رئیس‌جمهور" included)
_RTL_WORD = "[\u0621-\u063a\u0641-\u0652\u067e\u0686\u0698\u06a9\u06af\u06cc\u200c]+"
#: what ends an Arabic or Persian speaker's name: a preposition ("في", "در") or a time word ("يوم", "روز")
_RTL_PREPOSITIONS = r"(?:في|خلال|أمام|يوم|لدى|اليوم|أمس|در|به|از|با|روز|امروز|دیروز)(?=[\s:،,.]|$)"
_RTL_TEXT = re.compile("[\u0600-\u06ff]")
_POSSESSIVE = re.compile(r"['’]s?$")  # "Obama's", "Sanders'"
_RELATIVE = r"(?:who|whom|whose|which|that)\b"
#: what may follow a cue that ends a sentence: "Axelrod said on Monday.", "he said in an interview."
_TIME_OR_PLACE = r"on|in|at|during|last|this|earlier|later|yesterday|today|to|after|before|while|when|of|about|from"
#: where a reported clause gives way to the next one: ", but she denied", "; ", " and warned North Korea"
_NEXT_CLAUSE = re.compile(rf",\s*(?:but|while|although|though|which|whereas)\b|;|\s(?:and|but)\s+(?:[a-z]+ed|{_IRREGULAR_PAST})\b")
_REPORTED = re.compile(r"[\s,:]*")  # between a cue verb and what it reports
_THAT = re.compile(r"\bthat\b")
_CONTINUATION_CHARS = 60  # a cue clause between two parts of one speaker's words ("he said, adding that")
_LONG_CUE_CHARS = 200  # the same when the clause names the speaker, with an apposition


@cache
def speech_verbs() -> str:
    """The cue verbs of ``data/speech_verbs.txt`` as one regex alternation."""
    return alternation_of("speech_verbs.txt")


@cache
def _verb_words() -> frozenset[str]:
    """One telling word of each cue verb (its longest: "déclaré" of "a déclaré", not "a")."""
    return frozenset(max(verb.split(), key=len) for verb in read("speech_verbs.txt"))


_ACCORDING_WORDS = frozenset({"according", "selon", "après", "laut", "según"})  # the words of _ACCORDING_TO


def _may_cue(lead: str) -> bool:
    """A cheap test before the lead-in pattern (slow: it is anchored at the end): a cue verb, "according" or a colon."""
    words = re.findall(r"[^\W\d_]+", lead.lower())
    return ":" in lead or not _ACCORDING_WORDS.isdisjoint(words) or not _verb_words().isdisjoint(words)


@cache
def _abbreviations() -> frozenset[str]:
    """The words of ``data/abbreviations.txt``: "Mr", "Capt", "Sen"… a full stop after them ends no sentence."""
    return frozenset(read("abbreviations.txt"))


def sentence_boundaries(text: str) -> list[re.Match]:
    """Where sentences end: at ".", "!" or "?" before a capital, unless the stop ends an abbreviation ("Capt."),
    initials ("John F. Kennedy", "G.K. Butterfield") or a day number ("am 31. August")."""
    found = []
    for m in _SENTENCE_END_CANDIDATE.finditer(text):
        if text[m.start()] == ".":
            word = _WORD_BEFORE_STOP.search(text, max(0, m.start() - 12), m.start())
            word = word.group().rstrip(".") if word else ""
            if word in _abbreviations() or _INITIALS.fullmatch(word):
                continue
        found.append(m)
    return found


@cache
def speaker_nouns() -> frozenset[str]:
    """The nouns of ``data/speaker_nouns.txt``: "spokesman", "officials", "sources"…"""
    return frozenset(read("speaker_nouns.txt"))


@cache
def _descriptions() -> str:
    """An unnamed speaker: a determiner, up to three words, and a speaker noun ("a campaign spokesman")."""
    nouns, not_names = alternation(speaker_nouns()), alternation(_not_names())
    # not "the Secretary-General", "the general's"; nor "the spokesman" of "the spokesman John Kirby" (but of "the
    # spokesman Monday")
    return rf"{_DETERMINERS}\s+(?:[\w'’-]+\s+){{0,3}}?(?i:{nouns})\b(?![-'’])(?!\s+(?!(?:{not_names})\b){_NAME_WORD})"


class _Cues(NamedTuple):
    """The patterns that find a quote's speaker, from the most telling to the least."""

    after: re.Pattern  # right after the quote: ", said X" / ", X said" / ", according to X"
    dash: re.Pattern  # a name after a dash, alone after the quote: "“…” ― Carla Sanchez" (also after a full stop)
    before: re.Pattern  # the lead-in: "X said:" / "X said in 2014 that" / "According to X," / "X: "
    participle: re.Pattern  # "Ryan's campaign shrugged off the remarks, telling reporters, "…""
    sentence_end: re.Pattern  # a cue that ends the quote's sentence: 'Obama "felt …" about climate change, Axelrod said.'
    subject: re.Pattern  # no cue: the subject of the sentence the quote is part of ("Graham contrasted that with …")
    arabic_before: re.Pattern  # "وقال الرئيس في 3 نوفمبر 2019: «…»": the verb, then its subject
    arabic_after: re.Pattern  # "«…»، قالت المتحدثة."
    persian_before: re.Pattern  # "وزیر امور خارجه گفت: «…»": the subject, then the verb
    persian_after: re.Pattern  # "«…»، ظریف در تهران گفت."
    roles: re.Pattern  # "he", "the president": someone mentioned before


#: how far a speaker is to be trusted, by the evidence that gave it (see ``Quote.speaker_confidence``)
CONFIDENCE = {"cue": 0.95, "continued": 0.85, "resolved": 0.8, "paragraph": 0.7, "subject": 0.6, "default": 0.4}


@cache
def _cue_patterns() -> _Cues:
    # not a passive: "a line later repeated by many" names no speaker ("said by phone" does)
    verb = rf"(?:(?:{_AUXILIARIES})\s+)*(?:\w+ly\s+)?(?:{speech_verbs()})\b(?!\s+by\s+(?!phone|telephone|e-?mail|text|video|letter)\w)"
    # between a speaker and the verb: a party label, an apposition or both ("Sen. Jack Reed (D-R.I.), said"); not
    # a clause ("Reached by POLITICO, Bennett denied the notion …, explaining"): its subject speaks, not the words before it
    noun_phrase = rf"{_DETERMINERS}\s+(?:(?!{_RELATIVE})[\w'’-]+\s+){{0,3}}?(?!{_RELATIVE})[\w'’-]+"
    clause = (rf"\s*(?:{_TITLED_NAME}|{_NAME}|{noun_phrase})(?:\s*\([^()]{{1,30}}\))?\s+(?:(?:{_AUXILIARIES})\s+)*"
              rf"(?:\w+ly\s+)?(?:[a-z]+ed|{_IRREGULAR_PAST})\b")
    aside = rf"(?:\s*\([^()\"“”\n]{{1,30}}\))?(?:,(?!{clause})[^,\"“]{{1,{_APPOSITION}}},)?"

    def who(n: int, anyone: str = "") -> str:
        return rf"(?P<name{n}>{_ROLES}|{_PRONOUNS}|{_descriptions()}|{_TITLED_NAME}|{_NAME}{anyone})"

    # right after a quote, a cue names its speaker whatever the noun: "the woman said", "said the 43-year-old, who"
    unnamed = rf"{_DETERMINERS}\s+(?:[\w'’-]+\s+){{0,4}}?[\w'’-]+"
    # before a quote, only when a name follows in apposition: "The hospital's chief surgeon, Ahmed Khalil, stated:"
    named_later = rf"|{unnamed}(?=,\s*{_FULL_NAME_TEXT},)"

    # after the quote: ", said X" / ", X said" / ", according to X"
    after = re.compile(
        rf"^[\s,.;:!?—–-]*(?:(?:{verb})\s+{who(1, f'|{unnamed}{_DESCRIPTION_END}')}"
        rf"|{who(2, '|' + unnamed)}{aside}\s+{verb}|{_ACCORDING_TO}\s+{who(3)})", re.S
    )
    # before the quote: "X said:" / "X said in 2014 that" / "According to X," / "X: " (starting at a word: the
    # search is anchored at the end, so it tries every start)
    before = re.compile(
        rf"(?<![\w'’.-])(?<!\bof\s)(?<!\b[Tt]he\s)(?<![^\w]a\s)(?:{who(1, named_later)}{aside}\s+{verb}(?P<rest>{_CUE_REST}{{0,120}})?|{_ACCORDING_TO}\s+{who(2)}(?!\s+{_NAME_WORD}){_CUE_REST}{{0,40}}|{who(3)}\s*:\s*)$"
    )
    # "Ryan's campaign shrugged off the remarks, telling reporters, "…"": the sentence's subject speaks
    participle = re.compile(  # after an opening phrase, if any: "Hours later, Trump returned the compliment, telling …"
        rf"^\s*(?:[^\"“”,]{{1,40}},\s+)?{who(1)}{aside}\s[^\"“”]*?,\s+(?:{_PARTICIPLES})\b(?P<rest>{_CUE_REST}{{0,120}})?$"
    )
    sentence_end = re.compile(
        rf"^[^\"“”]*?,\s+(?:{who(1)}\s+{verb}|{verb}\s+{who(2)})(?:\s+(?:{_TIME_OR_PLACE})\b[^\"“”,.!?]{{0,60}})?[.!?]?\s*$")
    subject = re.compile(
        rf"^\s*(?:[^\"“”,]{{1,40}},\s+){{0,3}}{who(1, '|' + unnamed)}{aside}\s+(?:(?:{_AUXILIARIES})\s+)*"
        rf"(?:\w+ly\s+)?(?:{_FINITE_VERB})\b[^\"“”]*$")
    roles = re.compile(rf"^(?:{_ROLES}|{_PRONOUNS})$")
    # "― Carla Sanchez", "— Barack Obama, January 20, 2009", "-- Lincoln (1863)"
    dash = re.compile(rf"^\s*(?:[―—–]|--)\s*(?P<name1>{_TITLED_NAME}|{_NAME})(?:\s*\([^()\n]{{1,40}}\)|,[^\"“”\n]{{1,80}})?[\s.,;]*$")
    # Arabic and Persian: up to four words of a name, ended by a preposition or a time word ("في", "در") if any
    rtl_name = rf"(?P<name1>{_RTL_WORD}(?:\s+(?!{_RTL_PREPOSITIONS}){_RTL_WORD}){{0,3}})(?:\s+(?:{_RTL_PREPOSITIONS})(?:\s[^«»\"“”]*?)?)?"
    arabic = rf"(?<!\S)و?(?:{alternation_of('speech_verbs_arabic.txt')})\s+{rtl_name}\s*[:،,.]?\s*$"
    persian = rf"{rtl_name}\s+(?:{alternation_of('speech_verbs_persian.txt')})\s*[:،,.]?\s*$"
    return _Cues(after=after, dash=dash, before=before, participle=participle, sentence_end=sentence_end, subject=subject,
                 arabic_before=re.compile(arabic), arabic_after=re.compile(rf"^[\s،,.]*{arabic}"),
                 persian_before=re.compile(rf"(?:^|(?<=[.!?؟]\s))\s*{persian}"), persian_after=re.compile(rf"^[\s،,.]*{persian}"),
                 roles=roles)


class _Landmarks:
    """The article's sentence boundaries and date phrases, found once.

    Each quote looks them up by position instead of scanning the text around
    it again: attribution stays linear in the text however densely quotes
    are packed (100,000 quote marks in a line).
    """

    def __init__(self, text: str, reference: str | None) -> None:
        bounds = sentence_boundaries(text)
        self.starts = [m.start() for m in bounds]
        self.ends = [m.end() for m in bounds]
        self.dates = find_dates(text, reference)
        self.date_starts = [d.start for d in self.dates]

    def last_sentence_start(self, lo: int, hi: int) -> int:
        """Where the last sentence that starts in ``(lo, hi)`` starts, else ``lo``."""
        i = bisect_right(self.ends, hi) - 1
        return self.ends[i] if i >= 0 and self.ends[i] > lo and self.starts[i] >= lo else lo

    def first_sentence_end(self, lo: int, hi: int) -> int | None:
        """Where the first sentence boundary in ``[lo, hi)`` starts (its next sentence beginning before ``hi``)."""
        i = bisect_left(self.starts, lo)
        return self.starts[i] if i < len(self.starts) and self.ends[i] < hi else None

    def dates_in(self, lo: int, hi: int) -> list[DateMention]:
        i = bisect_left(self.date_starts, lo)
        found = []
        while i < len(self.dates) and self.dates[i].start < hi:
            if self.dates[i].end <= hi:
                found.append(self.dates[i])
            i += 1
        return found


def attribute(article: Article, quotes: list[Quote]) -> None:
    """Fill in ``speaker``, ``speaker_source`` and ``date`` of each quote, in place."""
    cues = _cue_patterns()
    text = article.text
    marks = _Landmarks(text, article.date)
    mentions: list[tuple[str, str, int]] = []  # the speakers cues gave: name, speaker_source, where the cue ends
    genders = _Genders(text)
    by_id = {q.id: q for q in quotes}
    previous: Quote | None = None  # the last top-level quote
    for quote in quotes:
        (lead, lead_at), (tail, tail_at) = _lead_in(text, quote, marks), _tail(text, quote, marks)
        cue, at = _cue(cues, quote, (lead, lead_at), (tail, tail_at))
        evidence = "cue"
        gap = text[_after_closing(text, previous):max(previous.end + 1, quote.start - 1)] if previous and quote.parent is None else None
        named_in_gap = bool(previous and previous.speaker_span and previous.end < previous.speaker_span[0] < quote.start)
        goes_on = gap is not None and _continues(gap, named_in_gap)  # only a cue between this quote and the last
        # a quote that opens its sentence, with no cue: the words of the quote before may go on in its paragraph
        same_paragraph = (not _cue_name(cue)[1] and not lead.strip() and gap is not None and "\n" not in gap
                          and previous.speaker_source in ("cue", "description") and not _names_another(gap, previous))
        if not _cue_name(cue)[1] and (lead.strip() or not (goes_on or same_paragraph)):
            # no cue: the subject of the quote's sentence speaks, or of the sentence before when the quote opens its
            # own ('Clinton touted her credentials. "We need …"')
            sentence, sentence_at = (lead, lead_at) if lead.strip() else _sentence_before(text, quote, marks)
            opening = _SUBORDINATE_OPENING.match(sentence)  # "Though DNC rules permit …": not the sentence's subject
            skip = opening.end() if opening else 0
            if sentence[skip:].strip() and (subject := cues.subject.match(sentence[skip:])) and _cue_name(subject)[1]:
                cue, at, evidence = subject, sentence_at + skip, "subject"
        group, name = _cue_name(cue)
        cue_words = cue.group(group) if group else None
        if name:
            quote.speaker_span = (at + cue.start(group), at + cue.end(group))
            if cue_words.endswith((".", ",")) and not cue_words.endswith(_SUFFIX_STOPS):  # "― Steve Quinlan.": not the stop
                quote.speaker_span = (quote.speaker_span[0], quote.speaker_span[1] - 1)
            apposed = _APPOSED_NAME.match(text, quote.speaker_span[1])
            if apposed and not _FULL_NAME.fullmatch(name):  # "the Secretary-General, António Guterres,": the name
                cue_words = name = apposed.group(1)
                quote.speaker_span = apposed.span(1)
            if at == lead_at and cue.groupdict().get("rest"):
                quote.content_span = _indirect_content(text, quote, at + cue.start("rest"), marks)
        role = bool(name) and cues.roles.match(cue_words) is not None  # "he", "the president": someone mentioned before
        described = bool(name) and not role and not _NAME_AFTER_DESCRIPTION.search(cue_words) and (
            _DESCRIBED.match(cue_words) is not None or name.lower() in speaker_nouns())
        if name and _RTL_TEXT.match(name):
            name, described = _rtl_speaker(name)
        resolved = False
        if role and evidence == "cue":
            evidence = "resolved"
        # "he", "she": the last speaker mentioned before whom the pronoun fits, named ("Grace Hopper") or not ("the imam")
        if role and (mention := genders.antecedent(cue_words, mentions, quote.speaker_span[0])):
            (name, source, _), resolved = mention, True
            described = source == "description"
        elif role and (mentioned := _last_person_before(text, quote.start)) and genders.fit(cue_words, mentioned):
            name = mentioned
        elif role and article.speaker:
            name = article.speaker
        elif role:  # nobody mentioned yet: "the president" stays a description
            described = True
        if name and described:  # "a campaign spokesman": a speaker, but no name to check against a source
            quote.speaker, quote.speaker_source = name if resolved else cue_words.strip(), "description"
            mentions.append((quote.speaker, "description", quote.speaker_span[1]))
        elif name:
            quote.speaker, quote.speaker_source = name, "cue"
            if not role:
                mentions.append((name, "cue", quote.speaker_span[1]))
        elif cue is None and goes_on and previous.speaker_source in ("cue", "description"):
            # "X," he said, "Y." or "X," he said. "Y.": the same speaker goes on
            quote.speaker, quote.speaker_source, quote.speaker_span = previous.speaker, previous.speaker_source, previous.speaker_span
            evidence = "continued"
            if previous.content_span and previous.content_span[1] >= quote.end:  # another fragment of the same clause
                quote.content_span = previous.content_span
        elif cue is None and same_paragraph:
            # 'said Obama after meeting Putin. He didn't suggest retaliation. "Our goal …"': in the same paragraph,
            # with nobody else named, the speaker of the quote before still speaks
            quote.speaker, quote.speaker_source, quote.speaker_span = previous.speaker, previous.speaker_source, previous.speaker_span
            evidence = "paragraph"
        elif quote.parent is None and article.speaker:
            quote.speaker, quote.speaker_source, evidence = article.speaker, "default", "default"
        if quote.speaker:
            quote.speaker_confidence = (CONFIDENCE[evidence] if evidence not in ("continued", "paragraph")
                                        else min(CONFIDENCE[evidence], previous.speaker_confidence))
        if goes_on and "\n" not in gap and text[previous.end - 1] in ",—" and quote.speaker_span == previous.speaker_span:
            quote.continues = previous.id  # "X," he said, "Y." (or "X," he said. "Y."): one quote in two parts
        quote.date = _date_for(tail, tail_at, lead, lead_at, marks, article.date)
        if quote.date is None and quote.parent and by_id[quote.parent].speaker == quote.speaker:
            quote.date = by_id[quote.parent].date
        if quote.date is None and quote.continues:
            quote.date = previous.date
        if quote.parent is None:
            previous = quote


def _cue(cues: _Cues, quote: Quote, lead: tuple[str, int], tail: tuple[str, int]) -> tuple[re.Match | None, int]:
    """The cue that names the quote's speaker, from the most telling pattern to the least, and where the text it was
    matched in starts; else the first cue found that names nobody ("I believed"), else None."""
    (lead, lead_at), (tail, tail_at) = lead, tail
    # a quote that ends its sentence ("We will win.") is not attributed by the next sentence's "Clinton said"
    ends_sentence = quote.text.rstrip(" \"'”’").endswith(".")
    cue, at = cues.dash.match(tail) or (None if ends_sentence else cues.after.match(tail)), tail_at
    if not _cue_name(cue)[1] and _may_cue(lead):
        cue, at = _first_naming(_main_clause_cue(cues.before, lead), cues.participle.match(lead)), lead_at
    if not _cue_name(cue)[1] and not ends_sentence and _may_cue(tail) and (late := cues.sentence_end.match(tail)):
        cue, at = late, tail_at
    if not _cue_name(cue)[1] and _RTL_TEXT.search(lead + tail):  # Arabic and Persian: their own word orders
        if found := _first_naming(cues.arabic_after.match(tail), cues.persian_after.match(tail)):
            cue, at = found, tail_at
        if not _cue_name(cue)[1] and (found := _first_naming(cues.arabic_before.search(lead), cues.persian_before.search(lead))):
            cue, at = found, lead_at
    return cue, at


def _rtl_speaker(words: str) -> tuple[str, bool]:
    """An Arabic or Persian speaker, and whether it only describes them. A role noun ("الوزير", "وزیر") describes;
    in Arabic a role before a word without the article "ال" is a title before a name ("الرئيس عبد الفتاح السيسي")."""
    first, *rest = words.split()
    if first not in speaker_nouns():
        return words, first.startswith("ال") and all(w.startswith("ال") or w == "باسم" for w in rest)
    if first.startswith("ال") and rest and not rest[0].startswith("ال") and rest[0] != "باسم":
        return " ".join(rest), False
    return words, True


def _sentence_before(text: str, quote: Quote, marks: _Landmarks) -> tuple[str, int]:
    """The sentence before the one a quote opens, in its paragraph, and where it starts ("" if none)."""
    opener = max(quote.start - 1, 0)
    lo = _line_start(text, opener)
    start = marks.last_sentence_start(lo, opener - 1)
    return text[start:opener], start


def _names_another(gap: str, previous: Quote) -> bool:
    """Whether the last sentence between two quotes is about someone other than the first quote's speaker: one
    that opens with "He" or the speaker's name is not; one that names another person is."""
    bounds = sentence_boundaries(gap)
    last = gap[bounds[-1].end():] if bounds else gap
    speaker = set((previous.speaker or "").split())
    opening = last.split()[:1]
    if opening and (opening[0] in ("He", "She", "They") or _POSSESSIVE.sub("", opening[0].strip(",.")) in speaker):
        return False
    return any(not set(m.group().split()) & speaker for m in _FULL_NAME.finditer(last))


def _first_naming(*cues: re.Match | None) -> re.Match | None:
    """The first cue that names someone, else the first found ("I believed" names nobody)."""
    return next((c for c in cues if _cue_name(c)[1]), None) or next((c for c in cues if c), None)


def _main_clause_cue(pattern: re.Pattern, lead: str) -> re.Match | None:
    """The first cue of the lead-in's main clause: one in an opening subordinate clause names someone else
    ("After Brown criticized him, Hillary shot back, “…”"). Reported speech inside reported speech keeps the
    outer speaker ("Trump said Clinton described the deal as “the gold standard”")."""
    opening = _SUBORDINATE_OPENING.match(lead)
    return (pattern.search(lead, opening.end()) if opening else None) or pattern.search(lead)


def _indirect_content(text: str, quote: Quote, rest: int, marks: _Landmarks) -> tuple[int, int] | None:
    """For a quote inside reported speech ("He said he has “extraordinarily good health” for his age"):
    the whole clause the cue reports, from after the cue verb (and "that") to the end of the sentence."""
    that = _THAT.search(text, rest, quote.start)  # "told Newsmax that …": the clause opens at "that"
    words = _REPORTED.match(text, rest, quote.start)
    start = that.start() if that else words.end() if words else rest
    if start >= quote.start - 1 or text[start:quote.start - 1].rstrip().endswith(":") or (
            not that and text[rest:quote.start - 1].rstrip().endswith(",")):
        return None  # nothing but the cue before the quote, or a lead-in ("told reporters:"): the quote is the content
    if quote.text.rstrip(" \"'”’").endswith((".", "!", "?")):
        return start, quote.end  # the quote ends the sentence
    paragraph_end = _line_end(text, quote.end, quote.end + _CONTEXT_CHARS)
    boundary = marks.first_sentence_end(quote.end, paragraph_end)
    end = boundary if boundary is not None else len(text[:paragraph_end].rstrip(" .!?"))  # other quoted fragments included
    joined = _NEXT_CLAUSE.search(text, quote.end, end)  # "… was "resolutely opposed" to the test and warned …"
    return start, max(joined.start() if joined else end, quote.end)


def _cue_name(cue: re.Match | None) -> tuple[str | None, str | None]:
    """The pattern group that holds the speaker, and the speaker's name as cleaned."""
    group = next((g for g in cue.groupdict() if g.startswith("name") and cue.group(g)), None) if cue else None
    return group, _clean_name(cue.group(group)) if group else None


_ANTECEDENTS = 20  # speakers looked back over for the one a pronoun stands for: bounds the work on any input
#: the gender a pronoun or an honorific gives
_PRONOUN_GENDERS = {"he": "m", "il": "m", "er": "m", "él": "m", "she": "f", "elle": "f", "ella": "f"}
_HONORIFIC_GENDERS = {"mr": "m", "sir": "m", "monsieur": "m", "herr": "m", "señor": "m", "senor": "m",
                      "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "madame": "f", "frau": "f", "señora": "f", "senora": "f"}


@cache
def _given_names() -> dict[str, str]:
    """``data/given_names.tsv``: given names that tell a gender (f or m)."""
    return dict(line.split("\t") for line in read("given_names.tsv"))


class _Genders:
    """Whom "he" or "she" can stand for: a speaker whose honorific, given name or role ("spokeswoman") says the
    other gender cannot. A surname alone takes the gender of a full name with it in the article ("Hillary Clinton"
    makes "Clinton" a woman, unless "Bill Clinton" is there too)."""

    def __init__(self, text: str) -> None:
        self._text = text

    @cached_property
    def _surnames(self) -> dict[str, str | None]:
        """The gender of each surname of a full name in the article that tells one (None: both are there)."""
        surnames: dict[str, str | None] = {}
        for m in _FULL_NAME.finditer(self._text):
            gender, surname = self._of(m.group()), m.group().split()[-1].casefold()
            if gender:
                surnames[surname] = gender if surnames.get(surname, gender) == gender else None
        return surnames

    def antecedent(self, pronoun: str, mentions: list[tuple[str, str, int]], before: int) -> tuple[str, str, int] | None:
        """The speaker, of those mentioned (name, speaker_source, end; in text order) before ``before``, that
        ``pronoun`` stands for: the last one whose gender does not contradict it, among the last few. "He" and "she"
        stand for people: a description stands for one only if it names a role ("the spokeswoman", not "the
        article"), and only if no other speaker was passed over to reach it."""
        person = pronoun.strip().casefold() in _PRONOUN_GENDERS
        passed = False
        for name, source, end in itertools.islice(reversed(mentions), _ANTECEDENTS):
            if end > before or (source == "description" and person and (passed or speaker_nouns().isdisjoint(name.casefold().split()))):
                continue
            if self.fit(pronoun, name):
                return name, source, end
            passed = True
        return None

    def fit(self, pronoun: str, name: str) -> bool:
        """Whether ``name`` may be whom ``pronoun`` stands for."""
        wanted = _PRONOUN_GENDERS.get(pronoun.strip().casefold())
        return wanted is None or self.of(name) in (None, wanted)

    def of(self, name: str) -> str | None:
        """The gender of a speaker, if known: "Rakeyia Scott" says none, though "Keith Scott" is a man."""
        words = name.split()
        return self._of(name) or (self._surnames.get(words[0].casefold()) if len(words) == 1 else None)

    @staticmethod
    @cache
    def _of(name: str) -> str | None:
        """From an honorific ("Mrs."), a role ("spokeswoman") or the given name, which comes first ("Rakeyia Scott"
        is no man for being a Scott)."""
        words = re.findall(r"[^\W\d_]+", name.casefold())
        for word in words:
            if word in _HONORIFIC_GENDERS:
                return _HONORIFIC_GENDERS[word]
            if word.endswith(("woman", "women")):
                return "f"
        given = name_tokens(name)
        return _given_names().get(given[0]) if len(given) > 1 else None


def _last_person_before(text: str, pos: int) -> str | None:
    """The last full name ("Barack Obama") that opens a sentence in the few hundred characters before ``pos``."""
    found = None
    for m in _SENTENCE_SUBJECT.finditer(text, max(0, pos - _CONTEXT_CHARS), pos):
        found = m.group(1)
    return found


def _continues(gap: str, names_speaker: bool) -> bool:
    """Whether the text between two quotes only attributes the first: a cue, nothing else said; at most a
    paragraph break after it, as when a speaker's words go on in the next paragraph. A cue that names the
    speaker may be a long one ("said Josh Bivens, research director of the Economic Policy Institute.")."""
    cue, _, rest = gap.partition("\n")
    limit = _LONG_CUE_CHARS if names_speaker else _CONTINUATION_CHARS
    return (len(cue) <= limit and not rest.strip() and not _OPENING_MARK.search(gap)
            and len(sentence_boundaries(cue.strip() + " X")) <= 1)


@cache
def _not_names() -> frozenset[str]:
    """The words of ``data/not_names.txt``: "After", "Hours", "But"… open sentences, not names."""
    return frozenset(read("not_names.txt"))


def _clean_name(name: str) -> str | None:
    """The name itself: without a sentence's first words ("But Smith", "After the") or a title in lower case
    ("spokesman John Kirby")."""
    words = name.split()
    while words and (words[0] in _not_names() or words[0] in _PARTICLES):
        words.pop(0)
    titled = [i for i, w in enumerate(words) if (w[:1].islower() or w[:1].isdigit() or w.rstrip(".") in _abbreviations())
              and w not in _PARTICLES]
    if titled and titled[-1] + 1 < len(words) and (not _DESCRIBED.match(name) or _NAME_AFTER_DESCRIPTION.search(name)):
        words = words[titled[-1] + 1:]
    if "of" in words[2:]:  # "Charles B. Rangel of New York": the person, not the place (but "Prince of Wales")
        words = words[:words.index("of", 2)]
    while words and words[-1] in _PARTICLES:  # "Macron de" of "Macron de nouveau"
        words.pop()
    if all(w in _not_names() for w in words):  # "Thursday" of "In a statement released Thursday"
        return None
    return " ".join(words).rstrip(".,") or None


def _lead_in(text: str, quote: Quote, marks: _Landmarks) -> tuple[str, int]:
    """The words of the quote's sentence before its opening mark, in its paragraph, and where they start."""
    opener = max(quote.start - 1, 0)
    lo = _line_start(text, opener)
    if not text[lo:opener].strip():  # the quote opens its paragraph: a lead-in ending in ":" may close the one before
        before_end = len(text[max(0, lo - _CONTEXT_CHARS):lo].rstrip()) + max(0, lo - _CONTEXT_CHARS)
        if text[before_end - 1:before_end] == ":":
            lo, opener = _line_start(text, before_end), before_end
    start = marks.last_sentence_start(lo, opener)
    return text[start:opener], start


def _line_start(text: str, pos: int) -> int:
    """Where the line holding ``pos`` starts, looking back no further than the context: every look around a
    quote is bounded, so attribution takes linear time on any input."""
    floor = max(0, pos - _CONTEXT_CHARS)
    return text.rfind("\n", floor, pos) + 1 or floor


def _line_end(text: str, pos: int, limit: int) -> int:
    """Where the line holding ``pos`` ends, looking no further than ``limit``."""
    limit = min(len(text), limit)
    end = text.find("\n", pos, limit)
    return limit if end < 0 else end


def _after_closing(text: str, quote: Quote) -> int:
    """Where the text after a quote's closing mark starts."""
    closing = _CLOSING_MARK.match(text, quote.end)
    return closing.end() if closing else quote.end + 1


def _tail(text: str, quote: Quote, marks: _Landmarks) -> tuple[str, int]:
    """The words after the closing mark, up to the end of the sentence or the next quote, and where they start.

    The closing mark may stand after a space, when a quote ends with a quote inside it: "… of 'Clinton,' " said."""
    lo = _after_closing(text, quote)
    hi = _line_end(text, lo, lo + _CONTEXT_CHARS)
    if not text[lo:hi].strip() and (signature := _SIGNATURE_LINE.match(text, hi)):  # a quote that ends its paragraph,
        hi = _line_end(text, signature.end(), lo + _CONTEXT_CHARS)  # then "— Barack Obama, January 20, 2009"
    cut = _OPENING_MARK.search(text, lo, hi)
    hi = cut.start() if cut else hi
    boundary = marks.first_sentence_end(lo, hi)
    return text[lo:boundary + 1 if boundary is not None else hi], lo


def _date_for(tail: str, tail_at: int, lead: str, lead_at: int, marks: _Landmarks, reference: str | None) -> str | None:
    """A bracket right after the quote, else the nearest date phrase in its sentence (the one after it on a tie)."""
    bracket = _BRACKET_DATE.match(tail)
    if bracket and (iso := parse_date(bracket.group(1), reference)):
        return iso
    after = marks.dates_in(tail_at, tail_at + len(tail))
    lead_end = lead_at + len(lead)
    before = marks.dates_in(lead_at, lead_end)
    if after and (not before or after[0].start - tail_at <= lead_end - before[-1].end):
        return after[0].iso
    return before[-1].iso if before else None
