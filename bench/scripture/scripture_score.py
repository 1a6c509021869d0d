"""Scoring scripture checks against the gold cases: references read, verdicts, and the verse named."""

from __future__ import annotations

from quotetrace.articles import Article
from quotetrace.quotes import extract_quotes
from quotetrace.scripture.check import ScriptureCheck, ScriptureChecker


def article_line(case: dict) -> str:
    """The case as a line of an article: the quote, and the reference beside it as written."""
    cited = f" ({case['cited']})" if case["cited"] else ""
    return f'The speaker said: “{case["quote"]}”{cited}.'


def run_case(checker: ScriptureChecker, case: dict) -> tuple[list[str], ScriptureCheck | None]:
    """The references read beside the quote, and the check of the quote."""
    quotes = [q for q in extract_quotes(Article(text=article_line(case), source=case["id"])) if q.parent is None]
    quote = quotes[0]
    labels = [found.reference.label for found in quote.references]
    return labels, checker.check_quotes([quote]).get(quote.id)


def score(cases: list[dict], results: dict[str, tuple[list[str], ScriptureCheck | None]]) -> dict[str, float]:
    refs = verdicts = named = to_name = 0
    for case in cases:
        labels, check = results[case["id"]]
        refs += labels == ([case["ref"]] if case["ref"] else [])
        verdict = check.verdict if check else "not_found"
        verdicts += verdict == case["verdict"]
        if case["found"]:
            to_name += 1
            named += check is not None and (check.found or check.ref) == case["found"]
    return {"cases": len(cases), "references": refs / len(cases), "verdicts": verdicts / len(cases),
            "verse_named": named / to_name if to_name else 1.0}
