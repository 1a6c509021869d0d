"""Stretches of a text worth searching: the few places around some anchor matches.

Patterns that always hold a number (dates, scripture references) but are slow
to run (long alternations) only need to search near numbers: merging the
windows around the anchors keeps the work small and linear on any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def around(anchors: Iterable[re.Match], before: int, after: int, length: int) -> list[tuple[int, int]]:
    """``[lo, hi)`` windows from ``before`` characters before each anchor to ``after`` after it, merged, within the text."""
    windows: list[list[int]] = []
    for anchor in anchors:
        lo, hi = max(0, anchor.start() - before), min(length, anchor.end() + after)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    return [(lo, hi) for lo, hi in windows]
