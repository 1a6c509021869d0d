"""One exception tree. Every message says what is wrong and how to fix it.

The CLI and the web app turn a QuotetraceError into a one-line message and exit
status 1; anything else is a bug and may show a traceback.
"""

from __future__ import annotations


class QuotetraceError(Exception):
    """Base class: a problem the user can fix, with the remedy in the message."""

    def __init__(self, problem: str, remedy: str = "") -> None:
        self.problem = problem
        self.remedy = remedy
        super().__init__(f"{problem} {remedy}".strip())


class InputError(QuotetraceError):
    """An article or document file that cannot be read as text."""


class ArchiveError(QuotetraceError):
    """An archive file that is missing, foreign, or damaged."""


class IngestError(QuotetraceError):
    """A document record that cannot be added to the archive."""


class ScriptureError(QuotetraceError):
    """A scripture reference that cannot be read, or a translation pack that cannot be loaded."""


class MissingExtraError(QuotetraceError):
    """An optional dependency that is not installed."""
