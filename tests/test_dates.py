"""Tests for dotterel.events.dates: news date expressions resolved against fixed publication dates."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from dotterel.events.dates import ResolvedDate, resolve_date

WED = date(2024, 3, 6)  # a Wednesday
JAN = date(2024, 1, 10)  # a Wednesday in January, for year boundaries
MON = date(2023, 12, 4)  # a Monday

RESOLVED = [
    # weekdays: the most recent one, the publication day itself when it is the same weekday
    ("on Wednesday", WED, date(2024, 3, 6), "day"),
    ("Wednesday", WED, date(2024, 3, 6), "day"),
    ("Monday", WED, date(2024, 3, 4), "day"),
    ("on Tuesday night", WED, date(2024, 3, 5), "day"),
    ("Thursday evening", WED, date(2024, 2, 29), "day"),
    ("Sunday", MON, date(2023, 12, 3), "day"),
    ("Friday's", WED, date(2024, 3, 1), "day"),
    ("last Wednesday", WED, date(2024, 2, 28), "day"),
    ("next Monday", WED, date(2024, 3, 11), "day"),
    ("Tuesday", JAN, date(2024, 1, 9), "day"),
    ("Saturday", JAN, date(2024, 1, 6), "day"),
    # days relative to the publication date
    ("yesterday", WED, date(2024, 3, 5), "day"),
    ("yesterday", JAN.replace(day=1), date(2023, 12, 31), "day"),
    ("today", WED, date(2024, 3, 6), "day"),
    ("last night", WED, date(2024, 3, 5), "day"),
    ("this morning", WED, date(2024, 3, 6), "day"),
    ("two days ago", WED, date(2024, 3, 4), "day"),
    ("3 days ago", date(2024, 3, 1), date(2024, 2, 27), "day"),
    ("the day before yesterday", WED, date(2024, 3, 4), "day"),
    ("this past Monday", MON, date(2023, 11, 27), "day"),
    ("on the 3rd", WED, date(2024, 3, 3), "day"),
    ("the 28th", WED, date(2024, 2, 28), "day"),
    ("the 12th", WED, date(2024, 3, 12), "day"),  # six days ahead: this month, a scheduled event
    # months
    ("last December", JAN, date(2023, 12, 1), "month"),
    ("last December", date(2024, 12, 31), date(2023, 12, 1), "month"),
    ("last March", WED, date(2023, 3, 1), "month"),
    ("in December", JAN, date(2023, 12, 1), "month"),
    ("in December", date(2024, 12, 20), date(2024, 12, 1), "month"),
    ("in March", WED, date(2024, 3, 1), "month"),
    ("March 2022", WED, date(2022, 3, 1), "month"),
    ("earlier this month", WED, date(2024, 3, 1), "month"),
    ("last month", JAN, date(2023, 12, 1), "month"),
    ("three months ago", WED, date(2023, 12, 1), "month"),
    ("mid-March", WED, date(2024, 3, 1), "month"),
    ("the end of last month", WED, date(2024, 2, 1), "month"),
    # month and day
    ("on April 5", WED, date(2023, 4, 5), "day"),
    ("April 5", date(2024, 6, 1), date(2024, 4, 5), "day"),
    ("5 April", WED, date(2023, 4, 5), "day"),
    ("the 5th of April", WED, date(2023, 4, 5), "day"),
    ("March 10", WED, date(2024, 3, 10), "day"),  # four days ahead: a scheduled event, same year
    ("March 20", WED, date(2023, 3, 20), "day"),  # two weeks ahead: last year's
    ("Dec. 28", JAN, date(2023, 12, 28), "day"),
    ("Jan 5th", JAN, date(2024, 1, 5), "day"),
    ("Wednesday, March 6", WED, date(2024, 3, 6), "day"),
    ("Feb. 29", date(2025, 3, 1), date(2024, 2, 29), "day"),
    # absolute
    ("April 5, 2023", WED, date(2023, 4, 5), "day"),
    ("Sept. 11, 2001", WED, date(2001, 9, 11), "day"),
    ("2 March 2023", WED, date(2023, 3, 2), "day"),
    ("2023-04-05", WED, date(2023, 4, 5), "day"),
    ("in 2019", WED, date(2019, 1, 1), "year"),
    ("early 2022", WED, date(2022, 1, 1), "year"),
    ("the summer of 2021", WED, date(2021, 1, 1), "year"),
    # years
    ("this year", WED, date(2024, 1, 1), "year"),
    ("earlier this year", WED, date(2024, 1, 1), "year"),
    ("last year", JAN, date(2023, 1, 1), "year"),
    ("late last year", WED, date(2023, 1, 1), "year"),
    ("two years ago", WED, date(2022, 1, 1), "year"),
]


@pytest.mark.parametrize(("expression", "pub", "expected", "precision"), RESOLVED)
def test_resolves(expression: str, pub: date, expected: date, precision: str) -> None:
    result = resolve_date(expression, pub)
    assert result is not None, expression
    assert (result.date, result.precision) == (expected, precision)
    assert result.reason


UNRESOLVED = [
    # vague spans
    "last week",
    "this week",
    "earlier this week",
    "recently",
    "the weekend",
    "two weeks ago",
    "the same day",
    # durations
    "for three years",
    "two weeks",
    "the past three years",
    "over the past month",
    "24 hours",
    "decades",
    # ages, clock times, decades
    "62-year-old",
    "10:00",
    "3 p.m.",
    "the 1990s",
    # nonsense and impossible dates
    "",
    "  ",
    "2024-13-45",
    "February 30, 2023",
]


@pytest.mark.parametrize("expression", UNRESOLVED)
def test_refuses(expression: str) -> None:
    assert resolve_date(expression, WED) is None


@pytest.mark.parametrize(
    ("expression", "expected", "precision"),
    [
        ("April 5, 2023", date(2023, 4, 5), "day"),
        ("2023-04-05", date(2023, 4, 5), "day"),
        ("in 2019", date(2019, 1, 1), "year"),
        ("March 2022", date(2022, 3, 1), "month"),
    ],
)
def test_absolute_without_pub_date(expression: str, expected: date, precision: str) -> None:
    assert resolve_date(expression, None) == ResolvedDate(expected, precision, resolve_date(expression, WED).reason)


@pytest.mark.parametrize(
    "expression", ["yesterday", "Wednesday", "April 5", "last year", "last December", "two days ago", "today"]
)
def test_relative_without_pub_date_is_none(expression: str) -> None:
    assert resolve_date(expression, None) is None


def test_reasons_name_the_rule() -> None:
    assert resolve_date("on Wednesday", WED).reason == "weekday, publication day"
    assert resolve_date("last December", JAN).reason.startswith("last <month>")
    assert "from 'early 2022'" in resolve_date("early 2022", WED).reason


def test_dateparser_fallback_is_anchored_on_pub_date() -> None:
    """Expressions our rules do not cover go to dateparser, anchored on each call's publication date."""
    first = resolve_date("1 month, 2 days ago", WED)
    second = resolve_date("1 month, 2 days ago", JAN)
    assert first is not None and second is not None
    assert first.reason == second.reason == "dateparser"
    assert (first.date, second.date) == (date(2024, 2, 4), date(2023, 12, 8))
    assert resolve_date("1/2/2023", None) == ResolvedDate(date(2023, 1, 2), "day", "dateparser")


def test_shared_parser_is_safe_across_threads() -> None:
    """The one module-level parser is re-anchored per call; concurrent calls must not see other anchors."""
    pubs = [date(2024, 3, 6), date(2023, 1, 10), date(2022, 7, 1), date(2021, 11, 30)]
    expected = {p: resolve_date("1 month, 2 days ago", p) for p in pubs}
    failures: list[str] = []

    def work(p: date) -> None:
        for _ in range(30):
            if resolve_date("1 month, 2 days ago", p) != expected[p]:
                failures.append(str(p))

    threads = [threading.Thread(target=work, args=(p,)) for p in pubs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
