"""Tests for eventcoder.pipeline.dates: event dates resolved against the publication date."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from eventcoder.models import TimeSpan
from eventcoder.pipeline.dates import TimeExpression, find_time_expressions, named_events, resolve_event_time

DATA = Path(__file__).parent / "data" / "dated_sentences.jsonl"


def _rows() -> list[dict]:
    with DATA.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _span(sentence: str, published: str | None, **kw) -> tuple:
    ts = resolve_event_time(sentence, published, **kw)
    return ts.date, ts.date_end, ts.precision, ts.basis


def _only(sentence: str, published: str | None) -> TimeExpression:
    found = find_time_expressions(sentence, published)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------------------------------ dataset


def test_dataset_is_broad() -> None:
    rows = _rows()
    kinds = Counter(r["kind"] for r in rows)
    assert len(rows) >= 150
    assert len(kinds) >= 15
    assert kinds["reporting"] >= 5 and kinds["none"] >= 5
    assert len({r["sentence"] for r in rows}) == len(rows)


def test_dataset_accuracy() -> None:
    rows = _rows()
    failures = []
    for r in rows:
        got = _span(r["sentence"], r["published"])
        want = (r["date"], r["date_end"], r["precision"], r["basis"])
        if got != want:
            failures.append(f"{r['kind']}: {r['sentence']!r} pub={r['published']} got={got} want={want}")
    accuracy = 1 - len(failures) / len(rows)
    assert accuracy >= 0.95, f"accuracy {accuracy:.3f}; failures:\n" + "\n".join(failures)


# ------------------------------------------------------------------------------------ explicit dates


@pytest.mark.parametrize("sentence", [
    "The protocol was signed on November 17, 2020, in Ankara.",
    "The protocol was signed on 17 November 2020 in Ankara.",
    "The protocol was signed on 2020-11-17 in Ankara.",
    "The protocol was signed on 17.11.2020 in Ankara.",
    "The protocol was signed on Nov. 17, 2020 in Ankara.",
    "The protocol was signed on Tuesday, 17 November 2020, in Ankara.",
])
def test_full_date_formats(sentence: str) -> None:
    assert _span(sentence, "2021-06-01") == ("2020-11-17", "2020-11-17", "day", "explicit")
    e = _only(sentence, "2021-06-01")
    assert e.kind == "full_date" and sentence[e.char_start:e.char_end] == e.text


def test_month_year_spans_whole_month() -> None:
    assert _span("Drone deliveries began in February 2024.", "2024-05-01") == (
        "2024-02-01", "2024-02-29", "month", "explicit")


def test_bare_year_and_since() -> None:
    assert _span("Military ties were formalised in 1992.", "2021-10-06") == (
        "1992-01-01", "1992-12-31", "year", "explicit")
    assert _span("Since 2008 the navies have trained together.", "2021-10-06")[:2] == ("2008-01-01", "2008-12-31")


def test_a_year_after_an_article_or_possessive() -> None:
    # "a 2015 airstrike", "Turkey's 2016 incursion" name the year; a count after a possessive does not
    assert _span("He was killed in a 2015 airstrike.", "2019-02-06")[:2] == ("2015-01-01", "2015-12-31")
    assert _span("Turkey's 2016 incursion angered Washington.", "2019-02-06")[:2] == ("2016-01-01", "2016-12-31")
    assert _span("Its 2014 offensive stalled.", "2019-02-06")[:2] == ("2014-01-01", "2014-12-31")
    assert _span("The group's 2000 fighters withdrew.", "2019-02-06")[3] == "publication"


def test_invalid_calendar_date_is_not_a_date() -> None:
    assert _span("The memo was dated February 30, 2021.", "2021-10-06")[3] == "publication"


# ------------------------------------------------------------------------------------ relative dates


def test_day_month_resolves_to_most_recent_past_date() -> None:
    assert _span("On June 15, the allies signed a memorandum.", "2021-11-11")[:2] == ("2021-06-15", "2021-06-15")
    # a date later in the year than publication belongs to the previous year
    assert _span("On December 20, the allies signed a memorandum.", "2021-11-11")[0] == "2020-12-20"
    assert _span("On 8 November last year the city was retaken.", "2021-11-11")[0] == "2020-11-08"


def test_day_month_future_tense_looks_forward() -> None:
    assert _span("The leaders will meet on December 3.", "2021-11-11")[0] == "2021-12-03"
    assert _span("The vote is scheduled for 10 January.", "2021-11-11")[0] == "2022-01-10"


def test_mixed_tense_resolves_each_date_by_its_own_clause() -> None:
    found = find_time_expressions("The envoys, who met on Monday, will travel to Ankara on Friday.", "2021-10-20")
    assert [e.date for e in found] == ["2021-10-18", "2021-10-22"]


def test_weekday_is_the_latest_on_or_before_publication() -> None:
    # 2021-10-06 is a Wednesday: "on Wednesday" in a Wednesday story is that day, "last Wednesday" a week before
    assert _span("Talks were held on Wednesday.", "2021-10-06")[0] == "2021-10-06"
    assert _span("Talks were held last Wednesday.", "2021-10-06")[0] == "2021-09-29"
    assert _span("Talks were held on Saturday.", "2021-10-06")[0] == "2021-10-02"
    assert _span("Talks will be held on Saturday.", "2021-10-06")[0] == "2021-10-09"


def test_yesterday_today_and_weeks() -> None:
    assert _span("Yesterday the border was closed.", "2022-03-15")[:2] == ("2022-03-14", "2022-03-14")
    assert _span("The border was closed today.", "2022-03-15")[:2] == ("2022-03-15", "2022-03-15")
    # 2022-03-15 is a Tuesday: last week is Monday 7 .. Sunday 13 March
    assert _span("The border was closed last week.", "2022-03-15") == ("2022-03-07", "2022-03-13", "day", "relative")


def test_months_and_years_relative() -> None:
    assert _span("Last month the envoy resigned.", "2022-01-04") == ("2021-12-01", "2021-12-31", "month", "relative")
    assert _span("Earlier this month the envoy resigned.", "2022-01-04")[:3] == ("2022-01-01", "2022-01-31", "month")
    assert _span("Last year the envoy resigned.", "2022-01-04") == ("2021-01-01", "2021-12-31", "year", "relative")
    assert _span("The envoy will resign next year.", "2022-01-04")[:2] == ("2023-01-01", "2023-12-31")


def test_ago_expressions() -> None:
    assert _span("Two days ago the envoy resigned.", "2022-01-04")[:3] == ("2022-01-02", "2022-01-02", "day")
    assert _span("A week ago the envoy resigned.", "2022-01-04")[:3] == ("2021-12-28", "2021-12-28", "day")
    assert _span("The treaty was signed 100 years ago.", "2021-10-06")[:3] == ("1921-01-01", "1921-12-31", "year")


def test_seasons_and_parts_of_year() -> None:
    assert _span("Fighting flared in late 2020.", "2021-10-06") == ("2020-09-01", "2020-12-31", "month", "explicit")
    assert _span("Fighting flared in mid-2021.", "2021-10-06")[:3] == ("2021-05-01", "2021-08-31", "month")
    assert _span("Fighting flared early this year.", "2021-10-06")[:3] == ("2021-01-01", "2021-04-30", "month")
    assert _span("Fighting flared in the summer of 2019.", "2021-10-06")[:2] == ("2019-06-01", "2019-08-31")
    assert _span("Fighting flared in the first half of 2021.", "2021-10-06")[:2] == ("2021-01-01", "2021-06-30")
    assert _span("Fighting flared in spring.", "2021-10-06")[:3] == ("2021-03-01", "2021-05-31", "month")


@pytest.mark.parametrize("sentence", [
    "The exercises were held between 05-08 October 2021.",
    "The exercises were held between 5 and 8 October 2021.",
    "The exercises were held from October 5 to October 8, 2021.",
    "The exercises were held on October 5-8, 2021.",
])
def test_day_ranges(sentence: str) -> None:
    assert _span(sentence, "2021-10-20") == ("2021-10-05", "2021-10-08", "day", "explicit")


def test_range_without_year_is_relative() -> None:
    assert _span("The exercises were held October 5-8.", "2021-10-20") == (
        "2021-10-05", "2021-10-08", "day", "relative")


# ------------------------------------------------------------------------------------ reporting clauses


def test_reporting_clause_alone_dates_event_just_before_report() -> None:
    s = "The two ministers met in Tbilisi, the Defence Ministry reported on October 5."
    e = _only(s, "2021-10-06")
    assert e.is_reporting and e.date == "2021-10-05"
    assert _span(s, "2021-10-06") == ("2021-10-04", "2021-10-05", "day", "relative")


def test_reporting_clause_before_content() -> None:
    s = "The agency reported on October 8 that the delegations met on October 6."
    found = find_time_expressions(s, "2021-10-08")
    assert [e.is_reporting for e in found] == [True, False]
    assert _span(s, "2021-10-08")[:2] == ("2021-10-06", "2021-10-06")


def test_date_inside_that_clause_is_not_reporting() -> None:
    s = "Officials said that the convoy was attacked on 3 May."
    assert not _only(s, "2022-05-10").is_reporting


def test_trigger_on_reporting_verb_uses_report_date() -> None:
    s = "On September 26, the ambassador said the treaty signed 100 years ago still matters."
    assert _span(s, "2021-10-06", trigger_char=s.index("said"))[:2] == ("2021-09-26", "2021-09-26")
    assert _span(s, "2021-10-06", trigger_char=s.index("signed"))[:2] == ("1921-01-01", "1921-12-31")


def test_trigger_picks_nearest_expression() -> None:
    s = "Ties began in 1992, and on June 15 the allies signed a new pact."
    assert _span(s, "2021-11-11", trigger_char=s.index("began"))[2] == "year"
    assert _span(s, "2021-11-11", trigger_char=s.index("signed"))[:2] == ("2021-06-15", "2021-06-15")


# ------------------------------------------------------------------------------------ fallbacks


def test_no_expression_falls_back_to_publication() -> None:
    assert resolve_event_time("The ministers discussed energy.", "2021-10-06") == TimeSpan(
        "2021-10-06", "2021-10-06", "day", "publication")
    assert resolve_event_time("The ministers discussed energy.", None) == TimeSpan(None, None, "day", "publication")
    assert resolve_event_time("The ministers met yesterday.", None) == TimeSpan(None, None, "day", "publication")


def test_published_accepts_date_and_timestamps() -> None:
    assert _span("They met yesterday.", date(2022, 3, 15))[0] == "2022-03-14"
    assert _span("They met yesterday.", "2022-03-15T23:10:00+04:00")[0] == "2022-03-14"
    assert _span("They met yesterday.", "not a date")[3] == "publication"


@pytest.mark.parametrize("sentence", [
    "A 45-year-old soldier was wounded near the line of contact.",
    "The convoy left at 10:30 local time.",
    "Crowds marked the 103rd anniversary of the city's liberation.",
    "More than 2000 troops took part in the parade.",
    "The Indestructible Brotherhood-2021 exercises involved tanks.",
    "Families mourned the victims of the Khojaly massacre.",
    "This was the president's second visit since the 44-day war.",
    "Officials may meet the envoy soon.",
])
def test_things_that_are_not_event_dates(sentence: str) -> None:
    assert _span(sentence, "2021-10-06") == ("2021-10-06", "2021-10-06", "day", "publication")


# ------------------------------------------------------------------------------------ named events


def test_named_events_data_loads() -> None:
    names = {e.name for e in named_events()}
    assert any("44-day" in n for n in names)
    assert all(e.month_day or (e.start and e.end and e.start <= e.end) for e in named_events())


def test_named_event_ranges_and_holidays() -> None:
    assert _span("Turkey sent drones during the 44-day war.", "2021-10-06") == (
        "2020-09-27", "2020-11-10", "day", "explicit")
    assert _span("Veterans marched on Victory Day.", "2021-11-11")[:2] == ("2021-11-08", "2021-11-08")
    assert _span("Veterans in Moscow marched on Victory Day.", "2021-11-11")[:2] == ("2021-05-09", "2021-05-09")


def test_anchored_duration_after_named_event() -> None:
    s = "The declaration was signed in Shusha eight months after the 44-day war."
    assert _span(s, "2021-10-06") == ("2021-07-01", "2021-07-31", "month", "relative")
    s = "Ten days after the 44-day war the first families returned."
    assert _span(s, "2021-10-06")[:3] == ("2020-11-20", "2020-11-20", "day")


# ------------------------------------------------------------------------------------ invariants


PAST_SENTENCES = [
    "On June 15 the allies signed a pact.",
    "The allies signed a pact on Saturday.",
    "The allies signed a pact last week.",
    "The allies signed a pact in October.",
    "The allies signed a pact between 5 and 8 October.",
    "The allies signed a pact in the spring.",
    "The allies signed a pact two weeks ago.",
    "The allies signed a pact, the ministry reported on 3 March.",
]


def test_past_tense_never_dated_after_publication() -> None:
    start = date(2021, 1, 1)
    for offset in range(0, 366, 11):
        pub = start + timedelta(days=offset)
        for s in PAST_SENTENCES:
            ts = resolve_event_time(s, pub)
            assert ts.date is not None and ts.date <= pub.isoformat(), (s, pub, ts)
            if ts.precision == "day":
                assert ts.date_end is not None and ts.date_end <= pub.isoformat(), (s, pub, ts)


def test_offsets_match_text() -> None:
    for r in _rows():
        for e in find_time_expressions(r["sentence"], r["published"]):
            assert r["sentence"][e.char_start:e.char_end] == e.text
            assert e.date <= e.date_end
            assert e.precision in ("day", "month", "year") and e.basis in ("explicit", "relative")


def test_speed() -> None:
    plain = "The two presidents discussed regional security and energy cooperation at length."
    dated = "The ministry reported on October 8 that the delegations met in Baku between 5 and 6 October."
    resolve_event_time(dated, "2021-10-08")  # compile patterns once
    n = 300
    t0 = time.perf_counter()
    for _ in range(n):
        resolve_event_time(plain, "2021-10-08")
    t1 = time.perf_counter()
    for _ in range(n):
        resolve_event_time(dated, "2021-10-08")
    t2 = time.perf_counter()
    # generous bounds for a shared machine; benchmarks/dates_accuracy.py prints the real figures
    assert (t1 - t0) / n < 0.001
    assert (t2 - t1) / n < 0.005


# ------------------------------------------------------------------------------------ reference corpus


def test_seed_corpus_reporting_clauses_and_background() -> None:
    from conftest import require_shared

    seeds = require_shared("corpus", "seeds")
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))
    sentences = [s.strip() for s in text.replace("\n", " ").split(". ") if s.strip()]
    reported = [s for s in sentences if "reported on" in s]
    assert reported
    for s in reported:
        assert any(e.is_reporting for e in find_time_expressions(s, "2021-11-11")), s
    background = [s for s in sentences if "first emerged in 1992" in s]
    assert background
    for s in background:
        assert _span(s, "2021-11-11")[:3] == ("1992-01-01", "1992-12-31", "year")
