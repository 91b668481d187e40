"""Resolve date expressions from news text ("on Wednesday", "last December", "April 5") to calendar dates.

News reports mostly past events, and relative expressions are anchored on the publication date, so a bare
weekday or month means the most recent one. Our own rules handle the patterns that dominate news copy and
that ``dateparser`` gets wrong or leaves out ("last December", "earlier this month", a weekday equal to the
publication day, a month-day a few days after the publication date); ``dateparser`` covers the rest. Vague
spans ("last week", "recently"), durations ("for three years"), ages and clock times resolve to None, since
a wrong date is worse than none.

Month and year precision return the first day of that month or year; ``precision`` says how much to trust.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

PRECISIONS = ("day", "month", "year")
_FUTURE_TOLERANCE = timedelta(days=7)  # a bare "April 5" up to a week after publication is this year's


@dataclass(frozen=True)
class ResolvedDate:
    """A resolved date, how precise it is ("day", "month" or "year"), and which rule decided."""

    date: date
    precision: str
    reason: str


_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "thursday": 3,
    "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a few": 3,
}  # fmt: skip

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_NUMBER_RE = r"\d+|" + "|".join(sorted((re.escape(n) for n in _NUMBERS), key=len, reverse=True))
_UNIT_RE = r"days?|weeks?|months?|years?|decades?|hours?|minutes?"
_DAY_PART = r"(?:early\s+|late\s+)?(?:morning|afternoon|evening|night|overnight|midday|noon|lunchtime)"

# Phrases we refuse: durations, ages, clock times, vague spans. Checked on the cleaned, lower-case text.
_REFUSE = [
    (
        re.compile(
            rf"^(?:about|nearly|almost|more than|less than|some|at least|up to)?\s*(?:the\s+)?"
            rf"(?:past|last|next|coming|first|previous|recent)?\s*(?:{_NUMBER_RE})\s+(?:{_UNIT_RE})$"
        ),
        "duration",
    ),
    (
        re.compile(
            r"^(?:the\s+)?(?:past|last|next|coming|first|previous|recent)?\s*"
            r"(?:days|weeks|months|years|decades|hours)$"
        ),
        "duration",
    ),
    (re.compile(r"^(?:the\s+)?past\s+(?:day|month|year)$"), "duration"),
    (re.compile(rf"^(?:for|over|within|during)\b.*(?:{_UNIT_RE})$"), "duration"),
    (re.compile(r"\b\d+[- ]years?[- ]old\b|\baged? \d+\b"), "age"),
    (
        re.compile(
            r"^(?:at\s+|around\s+|about\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)|\d{1,2}:\d{2}"
            r"|noon|midnight|midday|dawn|dusk)(?:\s+\w+)?$"
        ),
        "clock time",
    ),
    (
        re.compile(r"^(?:the\s+)?(?:(?:last|this|next|past|previous|coming)\s+)?(?:week|weekend)s?$"),
        "vague span",
    ),
    (re.compile(r"^(?:earlier|later)\s+(?:this|last|next)\s+week$"), "vague span"),
    (
        re.compile(
            r"^(?:recently|lately|earlier|later|now|currently|soon|the past|the future|once|previously"
            r"|these days|in recent (?:days|weeks|months|years)|recent (?:days|weeks|months|years)"
            r"|the same day|that day|the next day|the following day|the day before|the previous day)$"
        ),
        "vague span",
    ),
    (
        re.compile(
            r"\b(?:\d{2,4}|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)'?s$"
            r"|\bcentur(?:y|ies)\b|\bdecades?\b"
        ),
        "decade or century",
    ),
    (
        re.compile(r"^(?:annual|annually|daily|weekly|monthly|yearly|quarterly|every\b.*|each\b.*)$"),
        "recurring",
    ),
]

_LEAD_RE = re.compile(r"^(?:(?:on|in|at|by|from|since|during|as of|as early as|until|till|through|throughout|of)\s+)+")
_HEDGE_RE = re.compile(
    r"^(?:(?:the\s+)?(?:early|mid|late|end of|beginning of|start of|middle of|first half of|second half of|"
    r"(?:spring|summer|autumn|fall|winter)(?:\s+of)?|(?:start|end|beginning|middle) of|early in|late in)"
    r"[\s-]+)"
)


def _clean(expression: str) -> str:
    text = expression.strip().lower()
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"[\s,;:.!?]+$", "", text)
    text = re.sub(r"\s+", " ", text)
    text = _LEAD_RE.sub("", text)
    text = re.sub(r"^the\s+(?=(?:\d|" + _MONTH_RE + r")\b)", "", text)
    return text.strip()


def _strip_hedges(text: str) -> str:
    """ "early 2022", "late last year", "the end of March": keep the anchor, the precision says the rest."""
    previous = None
    while previous != text:
        previous = text
        text = _HEDGE_RE.sub("", text).strip()
        text = _LEAD_RE.sub("", text).strip()
        text = re.sub(r"^(?:earlier|later)\s+(?=(?:this|last|next)\s+(?:month|year)\b)", "", text)
    return text


def _strip_day_part(text: str) -> str:
    """ "Tuesday night" → "tuesday"; "yesterday morning" → "yesterday"."""
    return re.sub(rf"\s+(?:{_DAY_PART})$", "", text)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _day(value: date | None, reason: str) -> ResolvedDate | None:
    return ResolvedDate(value, "day", reason) if value else None


def _month(year: int, month: int, reason: str) -> ResolvedDate:
    return ResolvedDate(date(year, month, 1), "month", reason)


def _year(year: int, reason: str) -> ResolvedDate | None:
    if not 1 <= year <= 9999:
        return None
    return ResolvedDate(date(year, 1, 1), "year", reason)


# --------------------------------------------------------------------------------------- absolute rules

_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ][\d:.]+z?)?$")
_SLASH_RE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_DAY_RE = re.compile(rf"^(?:(?:{_WEEKDAY_RE})\.?,?\s+)?({_MONTH_RE})\.?\s+{_ORD}(?:,?\s+(\d{{4}}))?$")
_DAY_MONTH_RE = re.compile(
    rf"^(?:(?:{_WEEKDAY_RE})\.?,?\s+)?(?:the\s+)?{_ORD}(?:\s+of)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?$"
)
_MONTH_YEAR_RE = re.compile(rf"^({_MONTH_RE})\.?,?\s+(?:of\s+)?(\d{{4}})$")
_YEAR_RE = re.compile(r"^(1[89]\d{2}|20\d{2}|21\d{2})$")


def _absolute(text: str, pub_date: date | None) -> ResolvedDate | None | bool:
    """Expressions that carry their own year, and month-days anchored on the publication year.

    Returns False when no rule matched, so the caller can go on with the relative rules.
    """
    if m := _ISO_RE.match(text) or _SLASH_RE.match(text):
        return _day(_make_date(int(m[1]), int(m[2]), int(m[3])), "ISO date")
    month_day: tuple[int, int, str | None] | None = None
    if m := _MONTH_DAY_RE.match(text):
        month_day = (_MONTHS[m[1]], int(m[2]), m[3])
    elif m := _DAY_MONTH_RE.match(text):
        month_day = (_MONTHS[m[2]], int(m[1]), m[3])
    if month_day:
        month, day, year = month_day
        if year:
            return _day(_make_date(int(year), month, day), "month and day with year")
        if pub_date is None:
            return None
        candidate = _make_date(pub_date.year, month, day)
        if candidate is None:  # February 29 outside a leap year: try the previous year
            candidate = _make_date(pub_date.year - 1, month, day)
            return _day(candidate, "month and day, previous year")
        if candidate - pub_date > _FUTURE_TOLERANCE:
            return _day(_make_date(pub_date.year - 1, month, day), "month and day, previous year")
        return _day(candidate, "month and day, publication year")
    if m := _MONTH_YEAR_RE.match(text):
        return _month(int(m[2]), _MONTHS[m[1]], "month and year")
    if m := _YEAR_RE.match(text):
        return _year(int(m[1]), "year")
    return False


# --------------------------------------------------------------------------------------- relative rules

_WEEKDAY_ONLY_RE = re.compile(rf"^(?:(last|this past|this|past|previous|next|coming)\s+)?({_WEEKDAY_RE})\.?$")
_DAY_OF_MONTH_RE = re.compile(r"^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)(?:\s+of\s+(?:this|the)\s+month)?$")
_AGO_RE = re.compile(rf"^({_NUMBER_RE})\s+(day|week|month|year)s?\s+(?:ago|earlier|before)$")
_REL_UNIT_RE = re.compile(r"^(this|last|previous|next|coming)\s+(month|year)$")
_REL_MONTH_RE = re.compile(rf"^(?:(last|this|next|past|previous|coming)\s+)?({_MONTH_RE})\.?$")

_SIMPLE_DAYS = {
    "today": (0, "today"),
    "tonight": (0, "tonight"),
    "this morning": (0, "today"),
    "this afternoon": (0, "today"),
    "this evening": (0, "today"),
    "earlier today": (0, "today"),
    "yesterday": (-1, "yesterday"),
    "last night": (-1, "last night"),
    "overnight": (-1, "overnight"),
    "the day before yesterday": (-2, "the day before yesterday"),
    "day before yesterday": (-2, "the day before yesterday"),
    "tomorrow": (1, "tomorrow"),
}


def _relative(text: str, pub_date: date) -> ResolvedDate | None | bool:
    """Expressions anchored on the publication date. False when no rule matched."""
    if text in _SIMPLE_DAYS:
        delta, reason = _SIMPLE_DAYS[text]
        return _day(pub_date + timedelta(days=delta), reason)

    if m := _WEEKDAY_ONLY_RE.match(text):
        modifier, weekday = m[1], _WEEKDAYS[m[2]]
        back = (pub_date.weekday() - weekday) % 7
        if modifier in ("next", "coming"):
            forward = (weekday - pub_date.weekday()) % 7 or 7
            return _day(pub_date + timedelta(days=forward), "weekday, next after publication")
        if modifier in ("last", "this past", "past", "previous") and back == 0:
            back = 7  # "last Friday" in a Friday paper is a week ago
        reason = "weekday, publication day" if back == 0 else "weekday, most recent before publication"
        return _day(pub_date - timedelta(days=back), reason)

    if m := _DAY_OF_MONTH_RE.match(text):
        # "on the 3rd": that day of the publication month, or of the month before if it is still ahead
        day = int(m[1])
        candidate = _make_date(pub_date.year, pub_date.month, day)
        if candidate is not None and candidate - pub_date <= _FUTURE_TOLERANCE:
            return _day(candidate, "day of the publication month")
        year, month = _shift_month(pub_date.year, pub_date.month, -1)
        return _day(_make_date(year, month, day), "day of the month before publication")

    if m := _AGO_RE.match(text):
        count, unit = _number(m[1]), m[2]
        if unit == "day":
            return _day(pub_date - timedelta(days=count), "days ago")
        if unit == "week":
            return None  # "two weeks ago" is as vague as "last week": a week-wide span
        if unit == "month":
            year, month = _shift_month(pub_date.year, pub_date.month, -count)
            return _month(year, month, "months ago")
        return _year(pub_date.year - count, "years ago")

    if m := _REL_UNIT_RE.match(text):
        step = {"this": 0, "last": -1, "previous": -1, "next": 1, "coming": 1}[m[1]]
        if m[2] == "year":
            return _year(pub_date.year + step, f"{m[1]} year")
        year, month = _shift_month(pub_date.year, pub_date.month, step)
        return _month(year, month, f"{m[1]} month")

    if m := _REL_MONTH_RE.match(text):
        modifier, month = m[1], _MONTHS[m[2]]
        if modifier in ("last", "past", "previous"):
            # the most recent such month strictly before the publication month
            year = pub_date.year if month < pub_date.month else pub_date.year - 1
            return _month(year, month, "last <month>, most recent before publication month")
        if modifier in ("next", "coming"):
            year = pub_date.year if month > pub_date.month else pub_date.year + 1
            return _month(year, month, "next <month>")
        if modifier == "this":
            return _month(pub_date.year, month, "this <month>, publication year")
        year = pub_date.year if month <= pub_date.month else pub_date.year - 1
        return _month(year, month, "month, most recent not after publication")
    return False


# ------------------------------------------------------------------------------------------- dateparser

_PARSER: Any = None
_PARSER_LOCK = threading.Lock()
_NO_ANCHOR = datetime(2000, 1, 1)  # any fixed base: without a pub date only written years are accepted


def _parser() -> Any:
    """One DateDataParser for the process: building it loads language data and is slow."""
    global _PARSER
    if _PARSER is None:
        from dateparser.date import DateDataParser

        _PARSER = DateDataParser(languages=["en"], settings=_settings_dict(_NO_ANCHOR))
    return _PARSER


def _settings_dict(base: datetime) -> dict[str, Any]:
    return {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}


@lru_cache(maxsize=256)
def _settings_for(base: datetime) -> Any:
    """dateparser Settings anchored on ``base``, built the way dateparser's own ``apply_settings`` does."""
    from dateparser.conf import settings as default_settings

    wanted = _settings_dict(base)
    return default_settings.replace(mod_settings=wanted, **wanted)


def _with_dateparser(text: str, pub_date: date | None) -> ResolvedDate | None:
    base = datetime.combine(pub_date, datetime.min.time()) if pub_date else _NO_ANCHOR
    parser = _parser()
    # dateparser fixes RELATIVE_BASE when the parser is built; re-anchor the shared parser per call instead
    # of building a new one (slow). The lock keeps threads from seeing each other's anchor.
    with _PARSER_LOCK:
        previous = parser._settings
        parser._settings = _settings_for(base)
        try:
            data = parser.get_date_data(text)
        except (ValueError, OverflowError, TypeError):
            return None
        finally:
            parser._settings = previous
    if data is None or data.date_obj is None:
        return None
    found: datetime = data.date_obj
    if pub_date is None:
        # Without an anchor only absolute expressions count: the year must be written in the text.
        if str(found.year) not in text:
            return None
    period = data.period
    if period == "day":
        return ResolvedDate(found.date(), "day", "dateparser")
    if period == "month":
        return ResolvedDate(date(found.year, found.month, 1), "month", "dateparser")
    if period == "year":
        return _year(found.year, "dateparser")
    return None  # "week" and "time" periods are too vague or not dates


# ------------------------------------------------------------------------------------------------ entry


def resolve_date(expression: str, pub_date: date | None) -> ResolvedDate | None:
    """Resolve one date expression (a spaCy DATE entity text) relative to the publication date.

    Returns None for vague spans, durations, ages and clock times, and for relative expressions when there
    is no publication date.
    """
    text = _clean(expression)
    if not text or not re.search(r"[a-z0-9]", text):
        return None
    for pattern, _why in _REFUSE:
        if pattern.search(text):
            return None
    core = _strip_hedges(text)
    if core not in _SIMPLE_DAYS:  # "last night" is a day of its own, not "last" + "night"
        core = _strip_day_part(core)
    if not core:
        return None
    for pattern, _why in _REFUSE:
        if pattern.search(core):
            return None

    result = _resolve_core(core, pub_date)
    if result is not None and core != text:
        result = replace(result, reason=f"{result.reason} (from {text!r})")
    return result


def _resolve_core(text: str, pub_date: date | None) -> ResolvedDate | None:
    result = _absolute(text, pub_date)
    if result is not False:
        return result or None
    if pub_date is not None:
        result = _relative(text, pub_date)
        if result is not False:
            return result or None
    elif not re.search(r"\b\d{4}\b", text):
        return None
    return _with_dateparser(text, pub_date)


__all__ = ["PRECISIONS", "ResolvedDate", "resolve_date"]
