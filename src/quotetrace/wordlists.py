"""Word lists kept as data (``data/*.txt``: cue verbs, speaker nouns, abbreviations…) and regex alternations of them.

An alternation is built as a prefix tree ("sa(?:id|ys)" rather than
"said|says"): the regex engine tries one branch per letter instead of every
word, and a pattern that holds several lists of hundreds of words compiles
in a fraction of the time. Longer words are tried before their prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources


def read(name: str) -> list[str]:
    """The entries of ``data/NAME``, one a line ("#" starts a comment line)."""
    text = resources.files("quotetrace").joinpath("data", name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def alternation_of(name: str) -> str:
    """The entries of ``data/NAME`` as one regex alternation."""
    return alternation(read(name))


def alternation(words: Iterable[str]) -> str:
    """A regex that matches any of ``words`` (longest first), as a prefix tree."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + ("?" if ends else "")

    return pattern(tree)
