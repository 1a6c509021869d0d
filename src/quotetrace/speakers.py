"""Whether a claimed speaker and an archive's speaker are the same person.

Lenient by design: calling a quote misattributed is the expensive error, so
"Obama", "Barack Obama" and "President Barack H. Obama" all match, and so do
initials such as "FDR" for "Franklin D. Roosevelt", and short given names
("Bill" for "William", ``data/nicknames.txt``). Only given names that cannot
be one person's tell two people with one surname apart: "Hillary Clinton" is
not "Bill Clinton".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .wordlists import read

_TITLES = {
    "president", "vice", "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "representative",
    "gov", "governor", "secretary", "general", "king", "queen", "prince", "princess", "prime", "minister",
    "his", "her", "excellency", "he", "h", "e", "sir", "dame", "rev", "reverend", "pope", "saint", "st",
    "the", "of", "chancellor", "chairman", "premier", "sheikh", "emir", "lord", "lady",
    # French, German and Spanish (accents are dropped before the look-up)
    "presidente", "presidenta", "prasident", "prasidentin", "kanzler", "kanzlerin", "bundeskanzler", "bundeskanzlerin",
    "ministre", "ministro", "ministra", "ministerin", "herr", "frau", "monsieur", "madame", "senor", "senora", "don", "dona",
}


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def name_tokens(name: str) -> list[str]:
    """The words of a name without leading titles, suffixes, accents, case or punctuation ("King" alone stays)."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[^\W\d_]+", plain)
    first, last = 0, len(words)
    while first < last and words[first] in _TITLES:  # "President", "His Excellency Mr."
        first += 1
    while last > first and words[last - 1] in _SUFFIXES:
        last -= 1
    return words[first:last] or words


def names_someone(name: str) -> bool:
    """Whether a name holds more than titles: "Pope Francis" does, "the Pope" does not."""
    return any(w not in _TITLES for w in re.findall(r"[^\W\d_]+", name.casefold()))


def same_speaker(claimed: str, actual: str) -> bool:
    """Whether ``claimed`` can name the person the archive calls ``actual``."""
    a, b = name_tokens(claimed), name_tokens(actual)
    if a and a == b:
        return True
    claimed = claimed.strip()
    if re.fullmatch(r"[A-Z]{2,4}", claimed):  # initials: FDR, JFK, LBJ
        words = [w for w in re.findall(r"[^\W\d_]+", actual) if w.casefold() not in _TITLES]
        if claimed == "".join(w[0].upper() for w in words):
            return True
    if not a or not b:
        return False
    if a[-1] == b[-1]:
        return not _given_names_differ(a[:-1], b[:-1])
    return set(a) <= set(b) or set(b) <= set(a)


def _given_names_differ(a: list[str], b: list[str]) -> bool:
    """Whether two people with one surname are told apart by their given names: "Hillary" and "Bill" Clinton,
    "Theodore" and "Franklin D." Roosevelt; not "Bill" and "William J.", nor "H. W." and "George H. W." (initials),
    nor a surname alone."""
    if not a or not b:
        return False
    if len(a[0]) == 1 or len(b[0]) == 1:  # an initial stands for any given name that starts with it
        initial, other = (a[0], b) if len(a[0]) == 1 else (b[0], a)
        return not any(name.startswith(initial) for name in other)
    return a[0] != b[0] and a[0] not in b and b[0] not in a and not _nicknames().get(a[0], set()) & ({b[0]} | _nicknames().get(b[0], set()))


@cache
def _nicknames() -> dict[str, set[str]]:
    """``data/nicknames.txt``: each given name with the names of its lines (itself included)."""
    found: dict[str, set[str]] = {}
    for line in read("nicknames.txt"):
        names = set(line.split())
        for name in names:
            found.setdefault(name, set()).update(names)
    return found
