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


@pytest.mark.parametrize("text, iso", [
    ("le 3 novembre 2019", "2019-11-03"), ("le 1er janvier 2020", "2020-01-01"), ("am 3. März 2019", "2019-03-03"),
    ("el 3 de noviembre de 2019", "2019-11-03"), ("noviembre de 2019", "2019-11"), ("3 نوفمبر 2019", "2019-11-03"),
    ("٣ نوفمبر ٢٠١٩", "2019-11-03"), ("في 5 تشرين الأول 2019", "2019-10-05"), ("۳ نوامبر ۲۰۱۹", "2019-11-03"),
])
def test_dates_in_french_german_spanish_persian_and_arabic(text, iso):
    assert [d.iso for d in find_dates(text)] == [iso]


@pytest.mark.parametrize("text, iso", [
    ("۱۲ آبان ۱۳۹۸", "2019-11-03"),  # Solar Hijri, as Iran dates
    ("30 اسفند 1399", "2021-03-20"),  # the last day of a leap year
    ("15 رمضان 1440", "2019-05-20"),  # lunar Hijri
    ("آبان ۱۳۹۸", "2019"),  # a month of another calendar straddles two Gregorian months: only its year is sure
])
def test_dates_in_other_calendars_become_gregorian(text, iso):
    assert [d.iso for d in find_dates(text)] == [iso]


def test_a_day_that_the_month_does_not_have_is_not_a_day():
    assert [d.iso for d in find_dates("31 اسفند 1398")] == ["2020"]  # 1398 is not a leap year: the month alone


@pytest.mark.parametrize("text, iso", [
    ("the senator said Thursday", "2024-03-14"), ("last Tuesday", "2024-03-12"), ("on Friday", "2024-03-15"),
    ("this past Monday", "2024-03-11"), ("tweeted yesterday", "2024-03-14"), ("the day before yesterday", "2024-03-13"),
    ("a déclaré hier", "2024-03-14"), ("sagte gestern", "2024-03-14"), ("dijo ayer", "2024-03-14"),
    ("sagte am Montag", "2024-03-11"), ("a déclaré lundi", "2024-03-11"), ("dijo el domingo", "2024-03-10"),
    ("قالت أمس", "2024-03-14"), ("روز دیروز", "2024-03-14"),
])
def test_days_relative_to_the_article_date(text, iso):
    assert [d.iso for d in find_dates(text, reference="2024-03-15")] == [iso]  # a Friday


@pytest.mark.parametrize("text", ["Black Friday sales", "after Super Tuesday", "his words ring true today", "said yesterday",
                                  "Plácido Domingo sang"])
def test_named_days_and_nowadays_are_no_dates(text):
    assert find_dates(text, reference="2024-03-15" if "yesterday" not in text else None) == []
