"""The hints that let find_time_expressions skip patterns must never change what it finds."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from pathlib import Path

import pytest

from eventcoder.pipeline import dates

DATA = Path(__file__).parent / "data" / "dated_sentences.jsonl"

TRICKY = [
    "On Monday, the ministry said talks would resume on 5 and 6 October.",
    "The 44-day war ended in November 2020; six months after the 44-day war the talks resumed.",
    "During the Second Karabakh War, in the autumn of 2020, and again last winter.",
    "Fighting resumed three days ago, in the early 1990s style, and in mid-2021.",
    "ON MONDAY THE MINISTRY SAID IT WOULD MEET NEXT WEEK, IN THE SUMMER OF 2019.",
    "Talks were held in İstanbul yesterday and will continue tomorrow morning.",
    "The ſummer offensive began laſt week, three days before Chriſtmas Day.",
    "A 2015 airstrike, Turkey's 2016 incursion and the Q3 2020 figures.",
    "Between June 5 and 8, 2021 the two sides met; from 2001 to 2003 nothing happened.",
    "The meeting is scheduled for the first half of next year, said the minister.",
    "Victory Day is celebrated in Moscow; on Victory Day the parade marched.",
    "Nothing here at all, only words and more words.",
]


def _all_patterns(hints: frozenset[str]) -> tuple:
    return tuple((prio, rx, handler) for prio, (rx, handler, _) in enumerate(dates._patterns()))


def _outputs(sentences: list[tuple[str, str | None]]) -> list:
    return [[dataclasses.astuple(e) for e in dates.find_time_expressions(s, p)] for s, p in sentences]


def test_skipping_patterns_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = [(r["sentence"], r["published"]) for r in rows]
    sentences += [(s, "2021-10-06") for s in TRICKY] + [(s, None) for s in TRICKY]
    sentences += [(t, p) for s, p in sentences for t in (s.upper(), s.lower(), s.title())]
    gated = _outputs(sentences)
    monkeypatch.setattr(dates, "_runnable", _all_patterns)
    assert _outputs(sentences) == gated
    assert sum(1 for out in gated if out) > len(sentences) // 2


def test_case_odd_characters_are_complete() -> None:
    # outside these, no non-ASCII character matches or lower-cases to an ASCII letter
    rx = re.compile("(?i:[a-z])")
    odd = {chr(cp) for cp in range(128, sys.maxunicode + 1)
           if rx.fullmatch(chr(cp)) or any(ord(x) < 128 for x in chr(cp).lower())}
    assert odd == set(dates._CASE_ODD)


def test_letters_that_match_ascii_only_case_insensitively_are_read_as_ascii() -> None:
    # "(?i:night)" matches a dotless ı; the handlers' tables are spelt in ASCII, so such a match used
    # to raise KeyError. The text and offsets stay the sentence's own.
    (e,) = dates.find_time_expressions("He left last n\u0131ght.", "2020-05-05")
    assert (e.text, e.char_start, e.date) == ("last n\u0131ght", 8, "2020-05-04")
    (e,) = dates.find_time_expressions("In the f\u0131rst half of 2019 they met.", "2020-05-05")
    assert e.text == "the f\u0131rst half of 2019" and (e.date, e.date_end) == ("2019-01-01", "2019-06-30")
