"""Date phrases to ISO 8601 dates that keep only the precision the text gives.

"Nov 3, 2019" is ``2019-11-03``, "November 2019" is ``2019-11``, "in his 2014
speech" is ``2014``, "last Tuesday" the Tuesday before the article's date and
"yesterday" the day before it.
Month names are data (``data/months.tsv``: English, French, German, Spanish,
Persian, Arabic), with Persian and Arabic digits; Solar Hijri ("۱۲ آبان ۱۳۹۸")
and lunar Hijri ("15 رمضان 1440") dates are converted to Gregorian. Partial
dates compare by prefix: ``2019`` holds for any day of that year.
"""

from __future__ import annotations

import datetime as _dt
import re
from importlib import resources
from typing import NamedTuple

from .normalize import ascii_digits
from .stretches import around
from .wordlists import alternation

def _month_names() -> dict[str, tuple[str, int]]:
    """``data/months.tsv``: each month name (lower case) with its calendar and number."""
    table = resources.files("quotetrace").joinpath("data", "months.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line.strip() and not line.startswith("#"))
    return {name.lower(): (calendar, int(number)) for name, calendar, number in rows}


MONTHS = _month_names()


_MONTH = r"(?P<month>" + alternation(MONTHS) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|\.)?"  # "3rd", "1er", and "31." as German writes it
_YEAR = r"(?P<year>1[5-9]\d\d|2[01]\d\d)"
_ANY_YEAR = r"(?P<year>1[2-9]\d\d|2[01]\d\d)"  # Solar and lunar Hijri years too (13xx, 14xx)
#: years each calendar's dates may have
_YEARS = {"gregorian": range(1500, 2200), "persian": range(1200, 1500), "islamic": range(1300, 1500)}

#: date phrases, most precise first; each names the groups it fills
_PATTERNS = [
    re.compile(r"\b" + _YEAR + r"-(?P<month_n>\d{1,2})(?:-(?P<day>\d{1,2}))?\b"),
    # "3 November 2019", "3 de noviembre de 2019", "am 3. März 2019", "۱۲ آبان ۱۳۹۸"
    re.compile(r"\b" + _DAY + r"\s+(?:of\s+|de\s+)?" + _MONTH + r",?\s+(?:de\s+|del\s+)?" + _ANY_YEAR + r"\b", re.I),
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _MONTH + r",?\s+(?:of\s+|de\s+|del\s+)?" + _ANY_YEAR + r"\b", re.I),
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?!\s*:)", re.I),
    re.compile(r"\b" + _DAY + r"\s+(?:of\s+|de\s+)?" + _MONTH + r"(?![\w.]*\s*\d)", re.I),
    # a bare year only where the phrase makes it a date: "in 2014", "his 2014 speech"
    re.compile(r"\b(?:in|of|from|since|during|en|depuis|desde|seit|im\s+Jahre?)\s+(?:(?:his|her|their|its|the|a|an)\s+)?" + _YEAR + r"\b", re.I),
    # "dans son discours de 2009", "in seiner Rede 2009", "en su discurso de 2009"
    re.compile(r"\b(?:discours|déclaration|allocution|entretien|Rede|Ansprache|Erklärung|Interview|discurso|declaración|entrevista"
               r"|mensaje)\s+(?:de\s+|del\s+|von\s+)?" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _YEAR + r"\s+(?:[A-Z][\w-]*\s+){0,3}(?:speech|address|remarks|message|interview|debate|statement|State of the Union)\b"),
]

_NUMBER = re.compile(r"\d+")
_AROUND_NUMBER = 60  # room for "during the 2014 State of the Union" or "31st of December" around a number

#: weekday names and their numbers: English and German (written with a capital), French and Spanish (in lower case)
WEEKDAYS = dict(zip(("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
                     + "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag".split()
                     + "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
                     + "lunes martes miércoles jueves viernes sábado domingo".split()), list(range(7)) * 4)) | {"Sonnabend": 5}
_NAMED_DAYS = ("Black", "Good", "Super", "Holy", "Ash", "Cyber", "Palm", "Easter", "Maundy", "Shrove", "Fat", "Bloody")
#: a weekday relative to the article's date: "last Tuesday" (before it), "on Tuesday" or, as news agencies write,
#: "said Tuesday", "am Montag", "lundi" (that week, up to it); not a named day ("Black Friday", "Super Tuesday")
_WEEKDAY = re.compile(r"\b(?:(?P<last>(?i:last|this past|letzten|vergangenen))\s+|" + "".join(rf"(?<!{d} )" for d in _NAMED_DAYS) + ")"
                      r"(?P<weekday>" + alternation(WEEKDAYS) + r")\b")
#: a day named by its distance from the article's date: "yesterday", "hier", "gestern", "ayer"; not "today", which
#: is as often "nowadays" ("his words ring true today")
RELATIVE_DAYS = {"yesterday": -1, "the day before yesterday": -2, "hier": -1, "avant-hier": -2, "gestern": -1,
                 "vorgestern": -2, "ayer": -1, "anteayer": -2, "أمس": -1, "دیروز": -1}
_RELATIVE_DAY = re.compile(r"(?<![\w-])(?P<day>" + alternation(RELATIVE_DAYS) + r")(?![\w-])", re.I)


class DateMention(NamedTuple):
    """A date found in a text: ISO value and the span of the phrase."""

    iso: str
    start: int
    end: int


def _iso(groups: dict[str, str | None], reference: str | None) -> str | None:
    year, day = groups.get("year"), groups.get("day")
    calendar, month = ("gregorian", groups.get("month_n"))
    if groups.get("month") is not None:
        calendar, month = MONTHS[groups["month"].lower().rstrip(".")]
    if year is None:
        if reference is None or month is None or calendar != "gregorian":
            return None
        # a phrase without a year names the latest such day up to the reference date
        year = reference[:4]
        if len(reference) >= 10 and f"{int(month):02d}-{int(day or 1):02d}" > reference[5:10]:
            year = str(int(year) - 1)
    if int(year) not in _YEARS[calendar]:
        return None
    if calendar != "gregorian":
        import convertdate  # only for a Solar or lunar Hijri date

        return _from_calendar(getattr(convertdate, calendar), int(year), int(month), int(day) if day else None)
    try:
        if day is not None and month is not None:
            return _dt.date(int(year), int(month), int(day)).isoformat()
        if month is not None:
            return _dt.date(int(year), int(month), 1).isoformat()[:7]
    except ValueError:
        return None
    return year


def _from_calendar(calendar, year: int, month: int, day: int | None) -> str | None:
    """A Solar or lunar Hijri date as a Gregorian ISO date; a month, which straddles two Gregorian months, as its year
    (the year its first day falls in, when it straddles two years)."""
    try:
        if day is not None:
            if not 1 <= day <= calendar.month_length(year, month):
                return None
            return _dt.date(*calendar.to_gregorian(year, month, day)).isoformat()
        return str(calendar.to_gregorian(year, month, 1)[0])
    except ValueError:
        return None


def find_dates(text: str, reference: str | None = None) -> list[DateMention]:
    """Every date phrase in ``text``, without overlaps, in text order.

    ``reference`` (an ISO date, usually the article's) supplies the year of a
    phrase that gives none ("Nov. 3"); without it such phrases are skipped.
    """
    text = ascii_digits(text)  # one character for one: offsets stay the same
    found: list[DateMention] = []
    taken = bytearray(len(text) + 1)  # characters some date already covers (earlier patterns are more precise)

    def claim(span: tuple[int, int]) -> bool:
        if any(taken[span[0]:span[1]]):
            return False
        taken[span[0]:span[1]] = b"\x01" * (span[1] - span[0])
        return True

    if reference and len(reference) >= 10:
        for m in _WEEKDAY.finditer(text):
            if claim(m.span()):
                strictly = m.group("last") is not None
                found.append(DateMention(_weekday_before(reference, m.group("weekday"), strictly), *m.span()))
        for m in _RELATIVE_DAY.finditer(text):
            if claim(m.span()):
                day = _dt.date.fromisoformat(reference[:10]) + _dt.timedelta(days=RELATIVE_DAYS[m.group("day").lower()])
                found.append(DateMention(day.isoformat(), *m.span()))
    windows = around(_NUMBER.finditer(text), _AROUND_NUMBER, _AROUND_NUMBER, len(text))  # every pattern below holds a number
    for pattern in _PATTERNS:
        for lo, hi in windows:
            for m in pattern.finditer(text, lo, hi):
                span = m.span("year") if pattern is _PATTERNS[-1] else m.span()
                iso = _iso(m.groupdict(), reference)
                if iso is not None and claim(span):
                    found.append(DateMention(iso, *span))
    return sorted(found, key=lambda d: d.start)


def _weekday_before(reference: str, weekday: str, strictly: bool) -> str:
    """The date of the latest such weekday before (or, unless ``strictly``, on) the reference date."""
    day = _dt.date.fromisoformat(reference[:10])
    back = (day.weekday() - WEEKDAYS[weekday]) % 7 or (7 if strictly else 0)
    return (day - _dt.timedelta(days=back)).isoformat()


def parse_date(text: str, reference: str | None = None) -> str | None:
    """The ISO date of a string that is a date ("Nov 3, 2019", "2019-11"), else None."""
    text = ascii_digits(text.strip().strip(".,"))
    if re.fullmatch(_YEAR, text):
        return text
    for mention in find_dates(text, reference):
        if mention.start <= 1 and mention.end >= len(text) - 1:
            return mention.iso
    return None


def dates_agree(claimed: str, actual: str) -> bool:
    """Whether two ISO dates, possibly partial, can name the same day."""
    n = min(len(claimed), len(actual))
    return claimed[:n] == actual[:n]
