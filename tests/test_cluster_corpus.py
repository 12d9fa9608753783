"""Validates the cross-article clustering corpus in tests/data/clusters.

The corpus is the yardstick for B-cubed scores of event merging: a quote that no longer matches its
article, an event reported twice by one outlet or a look-alike pair that differs in type would make
every later measurement silently wrong, so the structure is checked here before anything uses it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

CLUSTER_DIR = Path(__file__).parent / "data" / "clusters"
GOLD_PATH = CLUSTER_DIR / "gold.json"
PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
HEADER_RE = re.compile(r"^ date (\d{4}-\d{2}-\d{2}) By ([A-Z][\w'-]+(?: [A-Z][\w'-]+)+)$")
FILE_RE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.txt$")
ISO3_RE = re.compile(r"^[A-Z]{3}$")
MIN_EVENTS, MIN_MENTIONS, MIN_PAIRS = 32, 90, 8
MIN_OUTLETS, MAX_OUTLETS = 8, 12
MIN_WORDS, MAX_WORDS = 60, 150
MIN_QUOTE_CHARS = 25
MAX_MENTIONS_PER_EVENT = 5
#: Look-alike events on the same place must lie more than this many days apart.
LOOKALIKE_MIN_DAYS = 3
#: A sentence end: a full stop, question or exclamation mark (optionally closing a quote) before whitespace.
SENTENCE_END_RE = re.compile(r"[.!?]\"?(?=\s)")


@dataclass(frozen=True)
class ClusterArticle:
    """One corpus file split into its header fields and body."""

    name: str
    number: int
    outlet: str
    slug: str
    date: dt.date
    author: str
    body: str


@lru_cache(maxsize=1)
def _gold() -> dict:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


def _parse(path: Path, outlets: tuple[str, ...]) -> ClusterArticle:
    """Parse a corpus file; raises AssertionError naming the file when the format is broken."""
    m = FILE_RE.match(path.name)
    assert m, f"{path.name}: name is not NNN_<outlet>_<slug>.txt"
    rest = m.group(2)
    outlet = next((o for o in outlets if rest.startswith(o + "_")), None)
    assert outlet, f"{path.name}: outlet not among gold 'outlets'"
    text = path.read_text(encoding="utf-8")
    header, sep, body = text.partition("\n\n")
    assert sep, f"{path.name}: no blank line after the header"
    h = HEADER_RE.match(header)
    assert h, f"{path.name}: bad header line {header!r}"
    assert body.strip() and not body.startswith("\n"), f"{path.name}: empty body or extra blank lines"
    return ClusterArticle(path.name, int(m.group(1)), outlet, rest[len(outlet) + 1:],
                          dt.date.fromisoformat(h.group(1)), h.group(2), body)


@lru_cache(maxsize=1)
def _articles() -> dict[str, ClusterArticle]:
    outlets = tuple(sorted(_gold()["outlets"], key=len, reverse=True))
    return {p.name: _parse(p, outlets) for p in sorted(CLUSTER_DIR.glob("*.txt"))}


def _crosses_sentence_boundary(body: str, start: int, end: int) -> bool:
    """True when a sentence end of ``body`` falls strictly inside the span [start, end)."""
    if "\n" in body[start:end]:
        return True
    return any(start < m.end() < end for m in SENTENCE_END_RE.finditer(body))


def _mentions() -> list[tuple[str, dict]]:
    return [(ev["id"], m) for ev in _gold()["events"] for m in ev["mentions"]]


def test_every_file_parses() -> None:
    arts = _articles()
    assert len(arts) >= 40
    numbers = [a.number for a in arts.values()]
    assert len(set(numbers)) == len(numbers), "duplicate file numbers"
    for a in arts.values():
        words = len(a.body.split())
        assert MIN_WORDS <= words <= MAX_WORDS, f"{a.name}: {words} words"
        assert dt.date(2022, 1, 1) <= a.date <= dt.date(2022, 12, 31), a.name
        assert a.slug, a.name


def test_outlet_count() -> None:
    used = {a.outlet for a in _articles().values()}
    assert MIN_OUTLETS <= len(used) <= MAX_OUTLETS
    assert used == set(_gold()["outlets"])


def test_gold_shape() -> None:
    gold = _gold()
    assert "MIT" in gold["about"]
    ids = [ev["id"] for ev in gold["events"]]
    assert len(ids) == len(set(ids)) >= MIN_EVENTS
    for ev in gold["events"]:
        assert ev["type"] in PLOVER_TYPES, ev["id"]
        assert len(ev["countries"]) == 2 and all(ISO3_RE.match(c) for c in ev["countries"]), ev["id"]
        assert ev["countries"][0] != ev["countries"][1], ev["id"]
        dt.date.fromisoformat(ev["date"])
        assert ev["place"] is None or isinstance(ev["place"], str), ev["id"]


def test_types_are_varied() -> None:
    types = Counter(ev["type"] for ev in _gold()["events"])
    assert len(types) >= 12, types


@pytest.mark.parametrize("gid,mention", _mentions(), ids=lambda x: x if isinstance(x, str) else x["file"])
def test_quote_occurs_once_in_one_sentence(gid: str, mention: dict) -> None:
    arts = _articles()
    assert mention["file"] in arts, f"{gid}: missing file {mention['file']}"
    art, quote = arts[mention["file"]], mention["quote"]
    assert len(quote) >= MIN_QUOTE_CHARS
    assert art.body.count(quote) == 1, f"{gid}: quote must occur exactly once in {art.name}"
    start = art.body.index(quote)
    assert not _crosses_sentence_boundary(art.body, start, start + len(quote)), (
        f"{gid}: quote crosses a sentence boundary in {art.name}")


def test_mentions_per_event() -> None:
    arts = _articles()
    for ev in _gold()["events"]:
        files = [m["file"] for m in ev["mentions"]]
        assert 1 <= len(files) <= MAX_MENTIONS_PER_EVENT, ev["id"]
        assert len(set(files)) == len(files), f"{ev['id']}: two mentions in one file"
        outlets = [arts[f].outlet for f in files]
        assert len(set(outlets)) == len(outlets), f"{ev['id']}: one outlet reports it twice"
        event_day = dt.date.fromisoformat(ev["date"])
        for f in files:
            assert arts[f].date >= event_day, f"{ev['id']}: {f} is published before the event"


def test_mention_total_and_paraphrase() -> None:
    mentions = _mentions()
    assert len(mentions) >= MIN_MENTIONS
    # Different outlets word the same event differently: no two quotes of one event are identical.
    for ev in _gold()["events"]:
        quotes = [m["quote"] for m in ev["mentions"]]
        assert len(set(quotes)) == len(quotes), ev["id"]


def test_some_articles_report_two_events() -> None:
    per_file = Counter(m["file"] for _, m in _mentions())
    assert sum(1 for n in per_file.values() if n == 2) >= 5
    assert max(per_file.values()) <= 2
    assert set(per_file) == set(_articles()), "every article reports at least one gold event"


def test_quotes_in_one_file_do_not_overlap() -> None:
    by_file: dict[str, list[str]] = {}
    for _, m in _mentions():
        by_file.setdefault(m["file"], []).append(m["quote"])
    arts = _articles()
    for name, quotes in by_file.items():
        spans = sorted((arts[name].body.index(q), arts[name].body.index(q) + len(q)) for q in quotes)
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end <= start, f"{name}: overlapping quotes"


def test_lookalike_pairs() -> None:
    gold = _gold()
    events = {ev["id"]: ev for ev in gold["events"]}
    pairs = gold["lookalike_pairs"]
    assert len({tuple(sorted(p)) for p in pairs}) >= MIN_PAIRS
    for a_id, b_id in pairs:
        a, b = events[a_id], events[b_id]
        assert a_id != b_id
        assert set(a["countries"]) == set(b["countries"]), (a_id, b_id)
        assert a["type"] == b["type"], (a_id, b_id)
        days = abs((dt.date.fromisoformat(a["date"]) - dt.date.fromisoformat(b["date"])).days)
        assert days > LOOKALIKE_MIN_DAYS or a["place"] != b["place"], (a_id, b_id)


def test_sentence_boundary_check() -> None:
    body = 'One said "yes." Two went home.\n\nThree came.'
    two = body.index("Two")
    assert not _crosses_sentence_boundary(body, two, two + len("Two went home."))
    assert not _crosses_sentence_boundary(body, 0, len('One said "yes."'))
    assert _crosses_sentence_boundary(body, two, body.index("came"))
    assert _crosses_sentence_boundary(body, 0, two + 3)
