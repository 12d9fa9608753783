"""When did the event happen? Resolve a sentence's temporal expressions against the publication date.

Machine-coded event data most often goes wrong by stamping background sentences ("cooperation first
emerged in 1992", "On June 15 the two countries signed ...") with the article's publication date.
This module finds the temporal expressions of one sentence with compiled regular expressions (fast
and predictable, unlike free-text date search), resolves each to a first and last day with an honest
precision, marks the ones that only date a reporting clause ("the ministry reported on October 5"),
and picks the one that dates the event.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from eventcoder.models import TimeSpan

__all__ = ["TimeExpression", "find_time_expressions", "resolve_event_time", "named_events"]

# --------------------------------------------------------------------------------------------------
# Results


@dataclass(slots=True)
class TimeExpression:
    """One temporal expression of a sentence, resolved to ISO first/last day."""

    text: str
    char_start: int
    char_end: int
    date: str
    date_end: str
    precision: str  # "day" | "month" | "year"
    basis: str  # "explicit" | "relative"
    kind: str
    is_reporting: bool = False


@dataclass(slots=True, frozen=True)
class NamedEvent:
    """A known event used as a time anchor ("during the 44-day war"); see data/named_events.json."""

    name: str
    patterns: tuple[str, ...]
    start: date | None = None
    end: date | None = None
    precision: str = "day"
    month_day: tuple[int, int] | None = None
    unless: tuple[str, ...] = ()
    only_if: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class _Res:
    """A resolved span before it becomes a TimeExpression."""

    start: date
    end: date
    precision: str
    basis: str
    kind: str


@dataclass(slots=True, frozen=True)
class _Ctx:
    pub: date | None
    future: bool
    sentence: str


# --------------------------------------------------------------------------------------------------
# Lexicons and thresholds

MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a hundred": 100, "one hundred": 100, "a couple of": 2,
}
#: Months covered by a season; winter of year Y is December Y-1 .. February Y.
SEASONS: dict[str, tuple[int, int]] = {
    "spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2),
}
#: Parts of a year ("late 2020" = September..December 2020) as first and last month.
YEAR_PARTS: dict[str, tuple[int, int]] = {
    "early": (1, 4), "beginning": (1, 1), "start": (1, 1), "mid": (5, 8), "middle": (5, 8),
    "late": (9, 12), "end": (12, 12),
    "first half": (1, 6), "1st half": (1, 6), "second half": (7, 12), "2nd half": (7, 12),
    "first quarter": (1, 3), "second quarter": (4, 6), "third quarter": (7, 9),
    "fourth quarter": (10, 12), "last quarter": (10, 12), "final quarter": (10, 12),
    "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12),
}
#: Parts of a decade ("the early 1990s") as first and last year offset.
DECADE_PARTS: dict[str, tuple[int, int]] = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}
#: Extra distance (characters) for a tense cue separated from a date by a comma.
CLAUSE_BREAK_PENALTY = 40
#: A named event dates the sentence only after one of these ("during the 44-day war", "on Victory Day");
#: as a plain noun ("victims of the Khojaly massacre") it is a topic, not a time.
NAMED_EVENT_PREPS = frozenset({"during", "in", "amid", "throughout", "on", "at", "over"})
#: How far (characters) a narrower expression may sit from the chosen one to refine it
#: ("during the 44-day war with Armenia in 2020" -> the war's range, not the whole of 2020).
REFINE_GAP = 40
#: Publication years outside this range are treated as unknown.
MIN_PUBLISHED_YEAR = 100
MAX_PUBLISHED_YEAR = 9000
#: Words after a four-digit number that make it a count, not a year ("2000 troops").
COUNT_NOUNS = (
    "people|persons|troops|soldiers|servicemen|fighters|men|women|children|civilians|refugees|families|"
    "houses|homes|km|kilometers|kilometres|miles|meters|metres|tons|tonnes|hectares|dollars|euros|"
    "manats?|usd|azn|units|vehicles|residents|students|workers|employees|members|votes|cases|gmt|utc|"
    "hours?|hrs|local|times|rounds|shells|missiles|drones|tanks"
)
REPORT_VERBS = (
    "reported|reports|said|says|announced|announces|stated|states|informed|noted|notes|tweeted|wrote|"
    "added|declared|confirmed|claimed|disclosed|revealed|posted|published|quoted|cited|recalled|reiterated|"
    "stressed|emphasi[sz]ed|underlined|highlighted|explained|"
    "told\\s+[\\w’'.-]+(?:\\s+[\\w’'.-]+)?"
)

# --------------------------------------------------------------------------------------------------
# Regular-expression building blocks (month and weekday names are matched case-sensitively:
# "May 5" is a date, "may" is a verb).

_MON_ABBR_ALT = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_MON_FULL_ALT = "January|February|March|April|May|June|July|August|September|October|November|December"
_WD_ALT = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DASH = "-|–|—"
_SEP = rf"(?P<sep>{_DASH}|(?i:to|and|until|till|through|thru))"
_NUM = "\\d+|" + "|".join(sorted((k.replace(" ", "\\s+") for k in NUMBER_WORDS), key=len, reverse=True))
_PART_MONTH = (
    r"(?i:early|late|mid|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of|the\s+start\s+of|"
    r"start\s+of|the\s+middle\s+of|middle\s+of)"
)
_PART_YEAR = (
    r"(?i:early|late|mid|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of|the\s+start\s+of|"
    r"start\s+of|the\s+middle\s+of|middle\s+of|(?:the\s+)?(?:first|second|1st|2nd)\s+half\s+of|"
    r"(?:the\s+)?(?:first|second|third|fourth|last|final)\s+quarter\s+of)"
)
_YQ = r"(?P<yq>,?\s+(?:(?i:of)\s+)?(?P<yqw>(?i:last|this|next|previous))\s+(?i:year))?"


def _mon(name: str) -> str:
    # the dot belongs to an abbreviation ("Sept. 4"), never to a full name at the end of a sentence
    return rf"\b(?P<{name}>(?:{_MON_FULL_ALT})\b|(?:{_MON_ABBR_ALT})\b\.?)"


def _day(name: str) -> str:
    return rf"(?<![\d.,:/])(?P<{name}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:/])"


def _year(name: str) -> str:
    return rf"(?P<{name}>(?:1[6-9]|20)\d\d)(?!\d|,\d|\.\d)(?!\s*(?:%|(?i:percent|{COUNT_NOUNS})\b))"


def _dm(i: str) -> str:
    return rf"(?:{_mon('ma' + i)}\s*{_day('da' + i)}|{_day('db' + i)}\s+(?:(?i:of)\s+)?{_mon('mb' + i)})"


_WD_PREFIX = rf"(?:(?:{_WD_ALT}),?\s+)?(?:(?i:the)\s+)?"

# --------------------------------------------------------------------------------------------------
# Date arithmetic


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _month_span(y: int, m: int, kind: str, basis: str) -> _Res:
    return _Res(date(y, m, 1), _month_end(y, m), "month", basis, kind)


def _months_span(y1: int, m1: int, y2: int, m2: int, kind: str, basis: str) -> _Res:
    return _Res(date(y1, m1, 1), _month_end(y2, m2), "month", basis, kind)


def _year_span(y1: int, kind: str, basis: str, y2: int | None = None) -> _Res:
    return _Res(date(y1, 1, 1), date(y2 if y2 is not None else y1, 12, 31), "year", basis, kind)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _resolve_day_month(m: int, d: int, pub: date, future: bool) -> date | None:
    """Most recent (m, d) on or before publication, or the next one on/after it for future talk."""
    candidates = [c for c in (_safe_date(pub.year + k, m, d) for k in (-1, 0, 1)) if c is not None]
    if future:
        after = [c for c in candidates if c >= pub]
        return min(after) if after else None
    before = [c for c in candidates if c <= pub]
    return max(before) if before else None


def _resolve_month(m: int, pub: date, future: bool, strict: bool = False) -> tuple[int, int]:
    """Most recent month m up to the publication month (strictly before it with ``strict``)."""
    if future:
        y = pub.year if (m > pub.month or (m == pub.month and not strict)) else pub.year + 1
        return y, m
    y = pub.year if (m < pub.month or (m == pub.month and not strict)) else pub.year - 1
    return y, m


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _month(text: str) -> int:
    return MONTHS[text.lower()[:3]]


def _num(text: str) -> int:
    t = re.sub(r"\s+", " ", text.lower())
    return int(t) if t.isdigit() else NUMBER_WORDS[t]


def _g(m: re.Match[str], *names: str) -> str | None:
    """First non-empty group among ``names`` (alternatives of one regex use different names)."""
    for n in names:
        v = m.group(n)
        if v:
            return v
    return None


def _year_from_qualifier(m: re.Match[str], pub: date | None) -> int | None:
    w = m.group("yqw").lower()
    if pub is None:
        return None
    return pub.year + {"last": -1, "previous": -1, "this": 0, "next": 1}[w]


# --------------------------------------------------------------------------------------------------
# Handlers: one per regular expression; each returns a resolved span or None (not a date after all)

Handler = Callable[[re.Match[str], _Ctx], _Res | None]


def _h_iso(m: re.Match[str], c: _Ctx) -> _Res | None:
    d = _safe_date(int(m["y"]), int(m["mo"]), int(m["d"]))
    return _Res(d, d, "day", "explicit", "full_date") if d else None


def _h_full(m: re.Match[str], c: _Ctx) -> _Res | None:
    mon = _month(_g(m, "m", "m2") or "")
    d = _safe_date(int(m["y"]), mon, int(_g(m, "d", "d2") or 0))
    return _Res(d, d, "day", "explicit", "full_date") if d else None


def _h_day_month(m: re.Match[str], c: _Ctx) -> _Res | None:
    mon = _month(_g(m, "m", "m2") or "")
    day = int(_g(m, "d", "d2") or 0)
    if m.group("yq"):
        y = _year_from_qualifier(m, c.pub)
        d = _safe_date(y, mon, day) if y is not None else None
    else:
        d = _resolve_day_month(mon, day, c.pub, c.future) if c.pub else None
    return _Res(d, d, "day", "relative", "day_month") if d else None


def _range_ok(m: re.Match[str]) -> bool:
    """'and' only joins a range after 'between' ("June 5 and 8" may be two separate days)."""
    return m["sep"].lower() != "and" or bool(m.group("btw") and m["btw"].lower().startswith("between"))


def _day_range(start_md: tuple[int, int], end_md: tuple[int, int], y1: int | None, y2: int | None,
               c: _Ctx) -> _Res | None:
    """Build a day range; a missing year comes from the other end or from the publication date."""
    (m1, d1), (m2, d2) = start_md, end_md
    wraps = (m1, d1) > (m2, d2)
    basis = "explicit"
    if y1 is None and y2 is not None:
        y1 = y2 - 1 if wraps else y2
    elif y1 is not None and y2 is None:
        y2 = y1 + 1 if wraps else y1
    elif y1 is None and y2 is None:
        if c.pub is None:
            return None
        basis = "relative"
        first = _resolve_day_month(m1, d1, c.pub, c.future)
        if first is None:
            return None
        y1 = first.year
        y2 = y1 + 1 if wraps else y1
    assert y1 is not None and y2 is not None
    s, e = _safe_date(y1, m1, d1), _safe_date(y2, m2, d2)
    if s is None or e is None or e < s or (e - s).days > 366:
        return None
    return _Res(s, e, "day", basis, "range")


def _h_range_ddm(m: re.Match[str], c: _Ctx) -> _Res | None:
    # "on 5 and 6 October" is a span even without "between"
    mon = _month(m["m"])
    y = int(m["y"]) if m.group("y") else None
    return _day_range((mon, int(m["d1"])), (mon, int(m["d2"])), y, y, c)


def _h_range_mdd(m: re.Match[str], c: _Ctx) -> _Res | None:
    # "on 5 and 6 October" is a span even without "between"
    mon = _month(m["m"])
    y = int(m["y"]) if m.group("y") else None
    return _day_range((mon, int(m["d1"])), (mon, int(m["d2"])), y, y, c)


def _h_range_full(m: re.Match[str], c: _Ctx) -> _Res | None:
    if not _range_ok(m):
        return None
    md1 = (_month(_g(m, "ma1", "mb1") or ""), int(_g(m, "da1", "db1") or 0))
    md2 = (_month(_g(m, "ma2", "mb2") or ""), int(_g(m, "da2", "db2") or 0))
    y1 = int(m["y1"]) if m.group("y1") else None
    y2 = int(m["y2"]) if m.group("y2") else None
    return _day_range(md1, md2, y1, y2, c)


def _h_range_months(m: re.Match[str], c: _Ctx) -> _Res | None:
    if not _range_ok(m):
        return None
    m1, m2 = _month(m["m1"]), _month(m["m2"])
    if m.group("y"):
        y2 = int(m["y"])
        y1 = y2 - 1 if m1 > m2 else y2
        return _months_span(y1, m1, y2, m2, "month_range", "explicit")
    if c.pub is None:
        return None
    y1, _ = _resolve_month(m1, c.pub, c.future)
    y2 = y1 + 1 if m1 > m2 else y1
    return _months_span(y1, m1, y2, m2, "month_range", "relative")


def _h_range_years(m: re.Match[str], c: _Ctx) -> _Res | None:
    if not _range_ok(m):
        return None
    y1, raw2 = int(m["y1"]), m["y2"]
    y2 = int(raw2) if len(raw2) == 4 else (y1 // 100) * 100 + int(raw2)
    if y2 <= y1 or y2 - y1 > 50:
        return None
    return _year_span(y1, "year_range", "explicit", y2)


def _h_month_year(m: re.Match[str], c: _Ctx) -> _Res | None:
    kind = "part_of_month" if m.group("part") else "month_year"
    return _month_span(int(m["y"]), _month(m["m"]), kind, "explicit")


def _h_month(m: re.Match[str], c: _Ctx) -> _Res | None:
    if not (m.group("prep") or m.group("rel") or m.group("part")):
        return None
    mon = _month(m["m"])
    kind = "part_of_month" if m.group("part") else "month"
    if m.group("yq"):
        y = _year_from_qualifier(m, c.pub)
        return _month_span(y, mon, kind, "relative") if y is not None else None
    if c.pub is None:
        return None
    rel = (m.group("rel") or "").lower()
    if rel == "this":
        return _month_span(c.pub.year, mon, kind, "relative")
    if rel in ("last", "past"):
        y, _ = _resolve_month(mon, c.pub, False, strict=True)
    elif rel == "next":
        y, _ = _resolve_month(mon, c.pub, True, strict=True)
    else:
        y, _ = _resolve_month(mon, c.pub, c.future)
    return _month_span(y, mon, kind, "relative")


def _part_key(text: str) -> str:
    t = re.sub(r"\s+", " ", text.lower()).removeprefix("the ").removesuffix(" of")
    return t.replace(" of", "").strip()


def _h_part_year(m: re.Match[str], c: _Ctx) -> _Res | None:
    first, last = YEAR_PARTS[_part_key(m["part"])]
    if m.group("y"):
        return _months_span(int(m["y"]), first, int(m["y"]), last, "part_of_year", "explicit")
    if c.pub is None:
        return None
    rel = re.sub(r"\s+", " ", m["rel"].lower()).removeprefix("the ")
    y = c.pub.year + {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1}[rel]
    return _months_span(y, first, y, last, "part_of_year", "relative")


def _h_quarter(m: re.Match[str], c: _Ctx) -> _Res | None:
    first, last = YEAR_PARTS[m["q"].lower()]
    return _months_span(int(m["y"]), first, int(m["y"]), last, "part_of_year", "explicit")


def _season_span(season: str, label_year: int) -> tuple[int, int, int, int]:
    first, last = SEASONS[season]
    if first > last:  # winter straddles the new year
        return label_year - 1, first, label_year, last
    return label_year, first, label_year, last


def _h_season_year(m: re.Match[str], c: _Ctx) -> _Res | None:
    y1, m1, y2, m2 = _season_span(m["s"].lower(), int(m["y"]))
    return _months_span(y1, m1, y2, m2, "season", "explicit")


def _h_season_rel(m: re.Match[str], c: _Ctx) -> _Res | None:
    if c.pub is None:
        return None
    season = m["s"].lower()
    rel = (m.groupdict().get("rel") or "").lower()
    pub_ym = (c.pub.year, c.pub.month)
    spans = [_season_span(season, y) for y in range(c.pub.year - 2, c.pub.year + 3)]
    if rel in ("last", "past"):
        pick = max((s for s in spans if (s[2], s[3]) < pub_ym), default=None)
    elif rel in ("next", "coming"):
        pick = min((s for s in spans if (s[0], s[1]) > pub_ym), default=None)
    elif rel == "this" or c.future:
        pick = min((s for s in spans if (s[2], s[3]) >= pub_ym), default=None)
    else:
        pick = max((s for s in spans if (s[0], s[1]) <= pub_ym), default=None)
    if pick is None:
        return None
    return _months_span(*pick, "season", "relative")


def _h_weekday(m: re.Match[str], c: _Ctx) -> _Res | None:
    if c.pub is None:
        return None
    wd = WEEKDAYS[m["wd"].lower()]
    rel = re.sub(r"\s+", " ", (m.group("rel") or "").lower())
    future = rel in ("next", "coming") or (c.future and rel not in ("last", "past", "this past"))
    if future:
        delta = (wd - c.pub.weekday()) % 7 or 7
        d = c.pub + timedelta(days=delta)
    else:
        # "on Tuesday" in a Tuesday story is that day (wire copy); "last Tuesday" is a week before.
        delta = (c.pub.weekday() - wd) % 7
        if delta == 0 and rel in ("last", "past", "this past"):
            delta = 7
        d = c.pub - timedelta(days=delta)
    return _Res(d, d, "day", "relative", "weekday")


_RELDAY_OFFSETS: dict[str, tuple[int, str]] = {
    "the day before yesterday": (-2, "yesterday"), "the day after tomorrow": (2, "tomorrow"),
    "yesterday": (-1, "yesterday"), "last night": (-1, "yesterday"), "today": (0, "today"),
    "tonight": (0, "today"), "this morning": (0, "today"), "this afternoon": (0, "today"),
    "this evening": (0, "today"), "earlier today": (0, "today"), "later today": (0, "today"),
    "tomorrow": (1, "tomorrow"),
}


def _h_relday(m: re.Match[str], c: _Ctx) -> _Res | None:
    if c.pub is None:
        return None
    off, kind = _RELDAY_OFFSETS[re.sub(r"\s+", " ", m["w"].lower())]
    d = c.pub + timedelta(days=off)
    return _Res(d, d, "day", "relative", kind)


def _h_relunit(m: re.Match[str], c: _Ctx) -> _Res | None:
    """last/this/next week, weekend, month, year (and 'earlier this month', 'the past week')."""
    if c.pub is None:
        return None
    pub = c.pub
    rel = re.sub(r"\s+", " ", m["rel"].lower()).removeprefix("the ")
    mod = (m.group("mod") or "").lower()
    unit = m["unit"].lower()
    step = {"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}.get(rel)
    if unit == "week":
        if rel == "past":
            return _Res(pub - timedelta(days=7), pub, "day", "relative", "last_week")
        if step is None:
            return None
        mon = _monday(pub) + timedelta(days=7 * step)
        end = mon + timedelta(days=6)
        start = mon
        if step == 0 and (mod == "earlier" or not c.future) and mod != "later":
            end = min(end, pub)
        if step == 0 and mod == "later":
            start = pub
        return _Res(start, end, "day", "relative", ("last_week", "this_week", "next_week")[step + 1])
    if unit == "weekend":
        if step is None:
            step = -1
        sat = _monday(pub) + timedelta(days=5)
        if step == -1 and sat + timedelta(days=1) >= pub:
            sat -= timedelta(days=7)
        elif step == 1:
            sat += timedelta(days=7) if sat < pub else timedelta(days=0)
        return _Res(sat, sat + timedelta(days=1), "day", "relative", "weekend")
    if step is None:  # "the past month/year" is a duration, not a date
        return None
    if unit == "month":
        y, mo = _add_months(pub.year, pub.month, step)
        return _month_span(y, mo, ("last_month", "this_month", "next_month")[step + 1], "relative")
    return _year_span(pub.year + step, ("last_year", "this_year", "next_year")[step + 1], "relative")


def _h_ago(m: re.Match[str], c: _Ctx) -> _Res | None:
    if c.pub is None:
        return None
    n = _num(m["n"])
    unit = m["unit"].lower()
    unit = "century" if unit.startswith("centur") else unit.removesuffix("s")
    if unit == "day":
        d = c.pub - timedelta(days=n)
        return _Res(d, d, "day", "relative", "ago")
    if unit == "week":
        d = c.pub - timedelta(days=7 * n)
        return _Res(d, d, "day", "relative", "ago")
    if unit == "month":
        y, mo = _add_months(c.pub.year, c.pub.month, -n)
        return _month_span(y, mo, "ago", "relative")
    years = n * {"year": 1, "decade": 10}.get(unit, 100)
    if years >= c.pub.year:
        return None
    return _year_span(c.pub.year - years, "ago", "relative")


def _h_year(m: re.Match[str], c: _Ctx) -> _Res | None:
    return _year_span(int(m["y"]), "year", "explicit")


def _h_decade(m: re.Match[str], c: _Ctx) -> _Res | None:
    base = int(m["dec"])
    first, last = DECADE_PARTS.get((m.group("part") or "").lower(), (0, 9))
    return _year_span(base + first, "decade", "explicit", base + last)


def _named_applies(ev: NamedEvent, sentence_lower: str) -> bool:
    if any(w in sentence_lower for w in ev.unless):
        return False
    return not ev.only_if or any(w in sentence_lower for w in ev.only_if)


def _pick_named(m: re.Match[str], c: _Ctx) -> NamedEvent | None:
    """The event whose pattern matched and whose context words fit the sentence."""
    low = c.sentence.lower()
    text = m.group("ev")
    for ev in named_events():
        if any(re.fullmatch(p, text, re.I) for p in ev.patterns) and _named_applies(ev, low):
            return ev
    return None


def _h_named(m: re.Match[str], c: _Ctx) -> _Res | None:
    prep = m["prep"].split()[0].lower()
    if prep not in NAMED_EVENT_PREPS:  # "since the war", "after the war": the event is not during it
        return None
    ev = _pick_named(m, c)
    if ev is None:
        return None
    if ev.month_day is not None:
        if c.pub is None:
            return None
        d = _resolve_day_month(ev.month_day[0], ev.month_day[1], c.pub, c.future)
        return _Res(d, d, "day", "relative", "named_event") if d else None
    assert ev.start is not None and ev.end is not None
    return _Res(ev.start, ev.end, ev.precision, "explicit", "named_event")


def _h_anchored(m: re.Match[str], c: _Ctx) -> _Res | None:
    ev = _pick_named(m, c)
    if ev is None or ev.start is None or ev.end is None:
        return None
    n = _num(m["n"])
    unit = m["unit"].lower()
    after = m["dir"].lower() in ("after", "following")
    sign = 1 if after else -1
    base = ev.end if after else ev.start
    if unit in ("day", "week") and ev.precision == "day":
        d = base + timedelta(days=sign * n * (7 if unit == "week" else 1))
        return _Res(d, d, "day", "relative", "anchored")
    if unit in ("day", "week", "month") and ev.precision in ("day", "month"):
        days = n * {"day": 1, "week": 7}.get(unit, 0)
        if days:
            d = base + timedelta(days=sign * days)
            return _month_span(d.year, d.month, "anchored", "relative")
        y, mo = _add_months(base.year, base.month, sign * n)
        return _month_span(y, mo, "anchored", "relative")
    if unit == "year":
        return _year_span(base.year + sign * n, "anchored", "relative")
    return None


# --------------------------------------------------------------------------------------------------
# Compiled patterns (built lazily: the named-event ones depend on the data file)


@lru_cache(maxsize=1)
def named_events() -> tuple[NamedEvent, ...]:
    """The known named events of data/named_events.json (loaded once)."""
    raw: dict[str, Any] = json.loads(
        resources.files("eventcoder").joinpath("data/named_events.json").read_text(encoding="utf-8")
    )
    out = []
    for e in raw["events"]:
        md = tuple(int(x) for x in e["month_day"].split("-")) if e.get("month_day") else None
        out.append(NamedEvent(
            name=e["name"], patterns=tuple(e["patterns"]),
            start=date.fromisoformat(e["start"]) if e.get("start") else None,
            end=date.fromisoformat(e["end"]) if e.get("end") else None,
            precision=e.get("precision", "day"),
            month_day=(md[0], md[1]) if md else None,
            unless=tuple(w.lower() for w in e.get("unless", ())),
            only_if=tuple(w.lower() for w in e.get("only_if", ())),
        ))
    return tuple(out)


# --------------------------------------------------------------------------------------------------
# Hints: cheap facts about a sentence that every match of a pattern needs. A pattern only runs when
# each of its hint groups has at least one hit, so a skipped pattern could not have matched anyway.

_Need = tuple[frozenset[str], ...]

_DIGIT = frozenset({"<digit>"})  # an ASCII digit (every day number has one)
_YEAR = frozenset({"<year>"})  # a four-digit year, as in _year()
_DECADE = frozenset({"<decade>"})  # "1990s", "1990's"
_MONTH = frozenset({"<month>"})  # month names are case-sensitive and start with these three letters
_WEEKDAY = frozenset({"<weekday>"})  # weekday names are case-sensitive and end with "day"
_QUARTER = frozenset({"<quarter>"})  # "Q1" .. "Q4"
_EVENT = frozenset({"<event>"})  # a named event may be there
# words of case-insensitive parts, looked up in the lower-cased sentence
_PART_WORDS = frozenset({"early", "late", "mid", "end", "beginning", "start", "half", "quarter"})
_SEASON_WORDS = frozenset({"spring", "summer", "autumn", "fall", "winter"})
_RELDAY_WORDS = frozenset({"day", "night", "tomorrow", "morning", "afternoon", "evening"})
_UNIT_WORDS = frozenset({"week", "month", "year"})
_DIRECTION_WORDS = frozenset({"after", "following", "before", "prior"})
_CI_WORDS = _PART_WORDS | _SEASON_WORDS | _RELDAY_WORDS | _UNIT_WORDS | _DIRECTION_WORDS | {"ago"}

_MONTH_PREFIXES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ASCII_DIGIT = re.compile(r"[0-9]")
_YEAR_HINT = re.compile(r"(?:1[6-9]|20)\d\d")
_DECADE_HINT = re.compile(r"(?:1[6-9]|20)\d0(?:s|['’]s)")
#: The only non-ASCII characters that match an ASCII letter case-insensitively (see re.IGNORECASE);
#: they are also the only ones whose lower case holds an ASCII character. In a sentence without them,
#: "(?i:word)" matches exactly when the lower-cased sentence contains "word".
_CASE_ODD = ("\u0130", "\u0131", "\u017f", "\u212a")
#: Each of them as the ASCII letter it matches ("last nıght" → "last night"), one character for one, so
#: offsets hold: the handlers look matched words up in tables of ASCII spellings.
_ASCII_FOLD = str.maketrans(dict(zip(_CASE_ODD, ("I", "i", "s", "K"), strict=True)))


@lru_cache(maxsize=1)
def _named_event_search() -> re.Pattern[str]:
    """Finds any named event's pattern: every pattern naming an event needs one in the sentence."""
    return re.compile("(?i:" + "|".join(p for ev in named_events() for p in ev.patterns) + ")")


def _hints(sentence: str) -> frozenset[str]:
    """The hints of ``sentence``, folded by ``_ASCII_FOLD`` (a superset of what it holds, never less)."""
    low = sentence.lower()  # folded first (_ASCII_FOLD): "(?i:word)" matches where "word" is in it
    hints = {w for w in _CI_WORDS if w in low}
    if _named_event_search().search(sentence):
        hints.add("<event>")
    if _ASCII_DIGIT.search(sentence):
        hints.add("<digit>")
        if _YEAR_HINT.search(sentence):
            hints.add("<year>")
            if _DECADE_HINT.search(sentence):
                hints.add("<decade>")
        if "Q" in sentence:
            hints.add("<quarter>")
    if any(p in sentence for p in _MONTH_PREFIXES):
        hints.add("<month>")
    if "day" in sentence:
        hints.add("<weekday>")
    return frozenset(hints)


@lru_cache(maxsize=4096)
def _runnable(hints: frozenset[str]) -> tuple[tuple[int, re.Pattern[str], Handler], ...]:
    """The patterns (with their priority) that may match a sentence with these hints."""
    return tuple((prio, rx, handler) for prio, (rx, handler, need) in enumerate(_patterns())
                 if all(not hints.isdisjoint(group) for group in need))


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], Handler, _Need], ...]:
    """All detection patterns, most specific first (ties between equal-length matches go to the first)."""
    names = sorted({p for ev in named_events() for p in ev.patterns}, key=len, reverse=True)
    ev_alt = "|".join(names)
    btw = r"(?P<btw>(?i:between|from)\s+)?"
    # the third item lists the hint groups a sentence must hit for the pattern to match (see _hints)
    day_month = (_MONTH, _DIGIT)
    specs: list[tuple[str, Handler, _Need]] = [
        (r"(?<![\d-])(?P<y>(?:1[6-9]|20)\d\d)-(?P<mo>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\d-])",
         _h_iso, (_YEAR,)),
        (r"(?<![\d.])(?P<d>0?[1-9]|[12]\d|3[01])\.(?P<mo>0?[1-9]|1[0-2])\.(?P<y>(?:1[6-9]|20)\d\d)(?!\.?\d)",
         _h_iso, (_YEAR,)),
        (rf"{btw}{_dm('1')}(?:,?\s+{_year('y1')})?\s*{_SEP}\s*{_dm('2')}(?:,?\s+{_year('y2')})?",
         _h_range_full, day_month),
        (rf"{btw}{_day('d1')}\s*{_SEP}\s*{_day('d2')}\s+(?:(?i:of)\s+)?{_mon('m')}(?:,?\s+{_year('y')})?",
         _h_range_ddm, day_month),
        (rf"{btw}{_mon('m')}\s*{_day('d1')}\s*{_SEP}\s*{_day('d2')}(?!\w)(?:,?\s+{_year('y')})?",
         _h_range_mdd, day_month),
        (rf"{btw}\b(?P<m1>{_MON_FULL_ALT})\s*{_SEP}\s*(?P<m2>{_MON_FULL_ALT})\b(?!\s*\d{{1,2}}\b)"
         rf"(?:,?\s+(?:(?i:of)\s+)?{_year('y')})?", _h_range_months, (_MONTH,)),
        (rf"{btw}(?<![\w-]){_year('y1')}\s*(?P<sep>{_DASH}|/|(?i:to|and|until|till|through))\s*"
         rf"(?P<y2>(?:1[6-9]|20)\d\d|\d\d)(?![\w-])", _h_range_years, (_YEAR,)),
        (rf"{_WD_PREFIX}(?:{_mon('m')}\s*{_day('d')}|{_day('d2')}\s+(?:(?i:of)\s+)?{_mon('m2')}),?\s+"
         rf"{_year('y')}", _h_full, (_MONTH, _YEAR)),
        (rf"{_WD_PREFIX}(?:{_mon('m')}\s*{_day('d')}|{_day('d2')}\s+(?:(?i:of)\s+)?{_mon('m2')}){_YQ}",
         _h_day_month, day_month),
        (rf"(?:(?P<part>{_PART_MONTH})[\s-]+)?{_mon('m')},?\s+(?:(?i:of)\s+)?{_year('y')}", _h_month_year,
         (_MONTH, _YEAR)),
        (rf"(?:(?P<prep>(?i:in|since|during|until|till|by|through|throughout|from|of|before|after))\s+)?"
         rf"(?:(?P<rel>(?i:last|next|this|past))\s+|(?P<part>{_PART_MONTH})[\s-]+)?"
         rf"(?:(?i:the\s+month\s+of)\s+)?\b(?P<m>{_MON_FULL_ALT})\b(?!\s*\d){_YQ}", _h_month, (_MONTH,)),
        (rf"(?P<part>{_PART_YEAR})[\s-]+(?:{_year('y')}|(?P<rel>(?i:last|this|next|the\s+previous|"
         rf"the\s+past))\s+(?i:year))", _h_part_year, (_PART_WORDS, _YEAR | {"year"})),
        (rf"\b(?P<q>Q[1-4]),?\s+(?:(?i:of)\s+)?{_year('y')}", _h_quarter, (_QUARTER, _YEAR)),
        (rf"(?:(?i:early|late|mid)[\s-]+)?(?:(?i:the)\s+)?\b(?P<s>(?i:spring|summer|autumn|fall|winter))\s+"
         rf"(?:(?i:of)\s+)?{_year('y')}", _h_season_year, (_SEASON_WORDS, _YEAR)),
        (r"\b(?P<rel>(?i:last|this|next|past|coming))\s+(?P<s>(?i:spring|summer|autumn|fall|winter))\b",
         _h_season_rel, (_SEASON_WORDS,)),
        (r"\b(?i:in|during|over|since|until|by|through|throughout)\s+(?:(?i:the)\s+)?"
         r"(?:(?i:early|late|mid)[\s-]+)?(?P<s>(?i:spring|summer|autumn|winter)|(?<=the )(?i:fall))\b"
         r"(?!\s+(?i:of\s+)?\d)", _h_season_rel, (_SEASON_WORDS,)),
        (rf"(?:(?P<rel>(?i:last|next|this\s+past|this|past|coming|on))\s+)?\b(?P<wd>{_WD_ALT})\b"
         r"(?:\s+(?i:morning|afternoon|evening|night))?", _h_weekday, (_WEEKDAY,)),
        (r"\b(?P<w>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tonight|"
         r"tomorrow|this\s+morning|this\s+afternoon|this\s+evening|last\s+night|earlier\s+today|"
         r"later\s+today))\b", _h_relday, (_RELDAY_WORDS,)),
        (r"\b(?:(?P<mod>(?i:earlier|later))\s+)?(?P<rel>(?i:last|this|next|coming|the\s+past|past|"
         r"the\s+coming))\s+(?P<unit>(?i:weekend|week|month|year))\b", _h_relunit, (_UNIT_WORDS,)),
        (rf"\b(?P<n>(?i:{_NUM}))\s+(?P<unit>(?i:days?|weeks?|months?|years?|decades?|century|centuries))"
         r"\s+(?i:ago)\b", _h_ago, (frozenset({"ago"}),)),
        (rf"\b(?P<n>(?i:{_NUM}))\s+(?P<unit>(?i:day|week|month|year))s?\s+(?P<dir>(?i:after|following|"
         rf"before|prior\s+to))\s+(?:[\w’'-]+\s+){{0,3}}?(?P<ev>(?i:{ev_alt}))", _h_anchored,
         (_UNIT_WORDS | {"day"}, _DIRECTION_WORDS, _EVENT)),
        (r"(?P<prep>\b(?i:during|in|amid|throughout|on|at|over|since|after|following|before|prior\s+to|until|"
         rf"ahead\s+of)\s+(?:(?i:the)\s+)?)(?P<ev>(?i:{ev_alt}))", _h_named, (_EVENT,)),
        (r"(?:(?i:the)\s+)?(?:(?P<part>(?i:early|late|mid))[\s-]+)?\b(?P<dec>(?:1[6-9]|20)\d0)(?:s|['’]s)\b",
         _h_decade, (_DECADE,)),
        (r"(?:\b(?i:in|since|of|by|until|till|from|during|before|after|through|throughout|around|circa|"
         r"the|year|and|or|to|between|for|fiscal|spring|summer|autumn|fall|winter|a|an|its|their)\s+|(?<=['’]s ))"
         rf"{_year('y')}(?![\w-])", _h_year, (_YEAR,)),  # "a 2015 airstrike", "Turkey's 2016 incursion"
    ]
    return tuple((re.compile(p), h, need) for p, h, need in specs)


_PREFILTER_BASE = (
    r"\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|(?i:day\b|week|month|year|spring|summer|autumn|"
    r"fall|winter|night|morning|afternoon|evening|tomorrow|tonight|ago\b|decade|centur)"
)


@lru_cache(maxsize=1)
def _prefilter() -> re.Pattern[str]:
    """A cheap test that a sentence may hold a date at all (most sentences do not)."""
    return re.compile(rf"{_PREFILTER_BASE}|{_named_event_search().pattern}")

_FUTURE = re.compile(
    r"(?i:\bwill\b(?!\s+(?:of|to|and|be\s+done)\b)|\bshall\b|\bwon['’]t\b|['’]ll\b|"
    r"\b(?:is|are|was|were)\s+(?:scheduled|expected|due|set|slated|planned|going)\s+to\b|"
    r"\bscheduled\s+for\b|\bto\s+be\s+held\b|\bupcoming\b|\b(?:plans?|planning|intends?|intending)\s+to\b|"
    r"\b(?:is|are)\s+to\s+(?:be|meet|visit|hold|sign|start|begin|travel)\b)"
)
#: Past-tense cues; the nearer of a past and a future cue decides how a relative date resolves
#: ("the ministers, who met on Monday, will travel to Ankara on Friday").
_PAST = re.compile(
    r"(?<!\bbe )(?<!\bbeen )\b(?:was|were|had|did|began|met|held|said|told|took|came|went|fought|won|lost|"
    r"left|fled|struck|shot|sent|made|gave|saw|led|broke|drew|flew|rose|fell|\w{2,}ed)\b"
)
_LEAD_PREP = re.compile(r"(?i:on|in|since|during|until|till|by|through|throughout|at|of|for|from|over)\s+")
_REPORT_BEFORE = re.compile(
    rf"(?i:\b(?P<verb>{REPORT_VERBS})(?:\s+(?:to|in|on|at|via|through|with|during|from)"
    r"(?:\s+(?!(?:that|who|which|and|but|when|while|as|if)\b)[\w’'.@-]+){0,5})?"
    r"\s+(?:(?:late|early)\s+)?(?:on\s+)?)$"
)
_REPORT_AFTER = re.compile(
    rf"\s*,\s*(?:[\w’'.-]+\s+){{1,6}}?(?P<verb>(?i:{REPORT_VERBS}))\b"
)
_SENTENCE_START = re.compile(r"(?i:\s*(?:on|late\s+on|early\s+on)?\s*)$")


def _as_date(published: date | str | None) -> date | None:
    """The publication day, or None when it is missing, unreadable or too near the calendar's ends
    (relative expressions count days and years from it, and must not step outside the calendar)."""
    if published is None:
        return None
    if isinstance(published, datetime):
        pub = published.date()
    elif isinstance(published, date):
        pub = published
    else:
        try:
            pub = date.fromisoformat(str(published).strip()[:10])
        except ValueError:
            return None
    return pub if MIN_PUBLISHED_YEAR <= pub.year <= MAX_PUBLISHED_YEAR else None


def _nearest(sentence: str, spans: list[tuple[int, int]], start: int, end: int) -> int:
    """Distance from [start, end) to the closest span; a comma in between counts as a clause break."""
    best = 1 << 30
    for a, b in spans:
        lo, hi = (b, start) if b <= start else (end, a)
        gap = max(hi - lo, 0) + (CLAUSE_BREAK_PENALTY if "," in sentence[lo:hi] else 0)
        best = min(best, gap)
    return best


def _tense_spans(sentence: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans of the future cues and of the past cues that are not inside a future one."""
    future_spans = [m.span() for m in _FUTURE.finditer(sentence)]
    past_spans = [
        m.span() for m in _PAST.finditer(sentence)
        if not any(a < m.end() and m.start() < b for a, b in future_spans)
    ] if future_spans else []
    return future_spans, past_spans


def _reporting_verb(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Span of the reporting verb when the expression only dates a reporting clause, else None.

    "..., the ministry reported on May 5" and "On May 5, the ministry said ..." date the report,
    not the event reported.
    """
    lo = max(0, start - 90)
    m = _REPORT_BEFORE.search(sentence[lo:start])
    if m:
        return lo + m.start("verb"), lo + m.end("verb")
    if _SENTENCE_START.fullmatch(sentence[:start]):
        m = _REPORT_AFTER.match(sentence, end)
        if m:
            return m.span("verb")
    return None


# --------------------------------------------------------------------------------------------------
# Public API


def find_time_expressions(sentence: str, published: date | str | None) -> list[TimeExpression]:
    """All temporal expressions of ``sentence``, resolved against ``published``, in text order.

    Overlapping candidates are settled longest-first, so "from October 5 to October 8, 2021" is one
    range, not two dates. Relative expressions are dropped when there is no publication date.
    """
    original = sentence
    if any(c in sentence for c in _CASE_ODD):
        sentence = sentence.translate(_ASCII_FOLD)
    hints = _hints(sentence)
    todo = _runnable(hints)
    if not todo:  # no pattern can match
        return []
    # a digit or a month name passes the prefilter at once
    if not (_DIGIT <= hints or _MONTH <= hints or _prefilter().search(sentence)):
        return []
    pub = _as_date(published)
    past_ctx = _Ctx(pub, False, sentence)  # a report is always in the past
    future_ctx = _Ctx(pub, True, sentence)
    tense: tuple[list[tuple[int, int]], list[tuple[int, int]]] | None = None  # found when first needed
    cands: list[tuple[int, int, int, _Res, bool]] = []
    for prio, rx, handler in todo:
        for m in rx.finditer(sentence):
            start, end = m.span()
            if end <= start:
                continue
            lead = _LEAD_PREP.match(sentence, start, end)
            if lead and lead.end() < end:
                start = lead.end()
            reporting = _reporting_verb(sentence, start, end) is not None
            future = False
            if not reporting:
                if tense is None:
                    tense = _tense_spans(sentence)
                future_spans, past_spans = tense
                future = (bool(future_spans)
                          and _nearest(sentence, future_spans, start, end)
                          <= _nearest(sentence, past_spans, start, end))
            try:
                res = handler(m, future_ctx if future else past_ctx)
            except (ValueError, OverflowError):  # the expression names a day outside the calendar
                res = None
            if res is not None:
                cands.append((start, end, prio, res, reporting))
    cands.sort(key=lambda t: (t[0] - t[1], t[2], t[0]))
    chosen: list[tuple[int, int, int, _Res, bool]] = []
    for cand in cands:
        if all(cand[1] <= c[0] or cand[0] >= c[1] for c in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda t: t[0])
    out = []
    for start, end, _, r, reporting in chosen:
        out.append(TimeExpression(
            text=original[start:end], char_start=start, char_end=end,
            date=r.start.isoformat(), date_end=r.end.isoformat(), precision=r.precision, basis=r.basis,
            kind=r.kind, is_reporting=reporting,
        ))
    return out


_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def _span_days(e: TimeExpression) -> int:
    return (date.fromisoformat(e.date_end) - date.fromisoformat(e.date)).days


def _distance(e: TimeExpression, trigger_char: int) -> int:
    if e.char_start <= trigger_char < e.char_end:
        return 0
    return min(abs(trigger_char - e.char_start), abs(trigger_char - (e.char_end - 1)))


def _pick(exprs: list[TimeExpression], trigger_char: int | None) -> TimeExpression:
    """Nearest to the trigger; without one, the most precise (then narrowest, then first)."""
    if trigger_char is not None:
        best = min(exprs, key=lambda e: (_distance(e, trigger_char), _PRECISION_RANK[e.precision]))
    else:
        best = min(exprs, key=lambda e: (_PRECISION_RANK[e.precision], _span_days(e), e.char_start))
    # refine with a narrower expression right next to it that falls inside its range
    for other in exprs:
        if other is best:
            continue
        gap = max(other.char_start - best.char_end, best.char_start - other.char_end)
        inside = best.date <= other.date and other.date_end <= best.date_end
        if gap <= REFINE_GAP and inside and _span_days(other) < _span_days(best):
            best = other
    return best


def resolve_event_time(
    sentence: str,
    published: date | str | None,
    *,
    trigger_char: int | None = None,
    expressions: Sequence[TimeExpression] | None = None,
) -> TimeSpan:
    """The TimeSpan of the event a sentence reports (not of its reporting clause).

    Without any usable expression the event gets the publication date (basis "publication"). When the
    only date belongs to a reporting clause, the event happened on or just before it: one day before
    the report up to the report. ``expressions`` lets a caller that knows the parse pass only the
    expressions that can date this trigger (see :mod:`eventcoder.pipeline.coder`).
    """
    exprs = list(expressions) if expressions is not None else find_time_expressions(sentence, published)
    if trigger_char is not None:  # the event *is* the report ("X said on Monday ..." with trigger "said")
        for e in exprs:
            verb = _reporting_verb(sentence, e.char_start, e.char_end) if e.is_reporting else None
            if verb and verb[0] <= trigger_char < verb[1]:
                return TimeSpan(e.date, e.date_end, e.precision, e.basis)  # type: ignore[arg-type]
    events = [e for e in exprs if not e.is_reporting]
    if events:
        e = _pick(events, trigger_char)
        return TimeSpan(e.date, e.date_end, e.precision, e.basis)  # type: ignore[arg-type]
    if exprs:
        r = _pick(exprs, trigger_char)
        if r.precision == "day" and r.date == r.date_end and r.date > date.min.isoformat():
            before = (date.fromisoformat(r.date) - timedelta(days=1)).isoformat()
            return TimeSpan(before, r.date, "day", "relative")
        return TimeSpan(r.date, r.date_end, r.precision, "relative")  # type: ignore[arg-type]
    pub = _as_date(published)
    iso = pub.isoformat() if pub else None
    return TimeSpan(iso, iso, "day", "publication")
