"""Date phrases to ISO dates with only the precision given."""

from __future__ import annotations

import pytest

from quotetrace.dates import dates_agree, find_dates, parse_date


@pytest.mark.parametrize("text, iso", [
    ("Nov 3, 2019", "2019-11-03"), ("3 November 2019", "2019-11-03"), ("November 3rd, 2019", "2019-11-03"),
    ("2019-11-03", "2019-11-03"), ("November 2019", "2019-11"), ("2019", "2019"), ("Sept. 9, 1999", "1999-09-09"),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_not_a_date():
    assert parse_date("next week") is None
    assert parse_date("February 30, 2019") is None


def test_day_without_year_takes_the_latest_such_day_before_the_reference():
    assert find_dates("on Nov. 3", reference="2020-01-05")[0].iso == "2019-11-03"
    assert find_dates("on Jan. 3", reference="2020-01-05")[0].iso == "2020-01-03"
    assert find_dates("on Jan. 3") == []


def test_year_only_in_a_date_phrase():
    assert [d.iso for d in find_dates("in his 2014 speech he spoke of 300 ships")] == ["2014"]


def test_partial_dates_agree_by_prefix():
    assert dates_agree("2019", "2019-11-03") and dates_agree("2019-11-03", "2019")
    assert not dates_agree("2019-11", "2019-12-01")
