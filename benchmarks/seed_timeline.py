"""The event timeline of the five seed wire stories, with checks on how events are dated and placed.

Run: python benchmarks/seed_timeline.py [path/to/seeds]
The seeds are reference material outside the package (default ``../shared/corpus/seeds`` next to the
repository). The script runs the whole pipeline into a temporary DuckDB file, prints every event and
checks that

* an event reported in 3+ articles (background, repeated from story to story) is not dated by the
  publication-date fallback;
* no event whose mentions are all background is dated to a publication day;
* five known events appear exactly once, with the dates and places the stories give them.

It exits 1 when a check fails.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eventcoder.engines.local import LocalEngine
from eventcoder.models import Event, Mention
from eventcoder.pipeline.places import normalize_name
from eventcoder.store import Store, event_from_row

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
#: An event reported by this many articles is background the stories keep repeating.
RECURRING_ARTICLES = 3
#: Width of the sentence column of the timeline.
SENTENCE_CHARS = 80


@dataclass(frozen=True, slots=True)
class Expected:
    """A known event of the seeds: how to recognise its mentions, and the date and place it must get.

    ``first``/``last`` bound the event's date span; ``day`` must fall inside it. ``place`` is
    (ISO-3 country, folded name fragment), or None when the stories name no place for it.
    """

    label: str
    event_type: str
    pattern: str
    first: str
    last: str
    day: str
    place: tuple[str, str] | None


EXPECTED: tuple[Expected, ...] = (
    Expected("1992 military agreement", "SUPPORT", r"1992, with an agreement signed",
             "1992-01-01", "1992-12-31", "1992-06-30", None),
    Expected("15 June 2021 memorandum of alliance", "SUPPORT", r"signed a memorandum of alliance",
             "2021-06-15", "2021-06-15", "2021-06-15", None),
    Expected("5 Oct 2021 defence ministers' meeting in Georgia", "CONSULT", r"have met in Georgia",
             "2021-10-04", "2021-10-05", "2021-10-05", ("GEO", "georgia")),
    Expected("5-8 Oct 2021 drills in Nakhchivan", "COOPERATE", r"(?:drills|exercises)\b.*\bin Nakhchivan",
             "2021-10-05", "2021-10-08", "2021-10-05", ("AZE", "nakhchivan")),
    Expected("26-27 Oct 2021 meeting in Zangilan", "CONSULT", r"have met in liberated Zangilan",
             "2021-10-26", "2021-10-27", "2021-10-26", ("AZE", "zangilan")),
)


@dataclass(slots=True)
class Check:
    """One checked property and what was found."""

    name: str
    ok: bool
    detail: str


def countries(actors: Sequence) -> str:
    return ",".join(sorted({a.country or "?" for a in actors})) or "-"


def print_timeline(events: list[Event], first_mention: dict[str, Mention]) -> None:
    """One line per event, in date order."""
    print(f"{'date':<11} {'date_end':<11} {'prec':<5} {'basis':<11} {'type':<10} {'actors':<16} "
          f"{'place':<26} {'arts':>4}  first sentence")
    for e in events:
        place = f"{e.location.name} ({e.location.country})" if e.location else "-"
        actors = f"{countries(e.source)}>{countries(e.target)}"
        sentence = first_mention[e.event_id].sentence.replace("\n", " ")
        if len(sentence) > SENTENCE_CHARS:
            sentence = sentence[: SENTENCE_CHARS - 1] + "…"
        print(f"{e.date or '-':<11} {e.date_end or '-':<11} {e.date_precision or '-':<5} "
              f"{e.date_basis or '-':<11} {e.event_type:<10} {actors:<16} {place[:26]:<26} "
              f"{e.n_articles:>4}  {sentence}")


def check_background(events: list[Event], mentions: dict[str, list[Mention]],
                     published: dict[str, str | None]) -> list[Check]:
    """Recurring and all-background events must be dated by the text, never by the fallback."""
    out: list[Check] = []
    recurring = [e for e in events if e.n_articles >= RECURRING_ARTICLES]
    bad = [e for e in recurring if e.date_basis == "publication"]
    out.append(Check(
        f"events in {RECURRING_ARTICLES}+ articles have a non-publication date basis",
        not bad and bool(recurring),
        f"{len(recurring)} recurring, {len(bad)} dated by publication"
        + "".join(f"\n      {e.date} {e.event_type}: {mentions[e.event_id][0].sentence[:90]!r}" for e in bad),
    ))
    background = [e for e in events if all(m.is_background for m in mentions[e.event_id])]
    on_pub = []
    for e in background:
        pub_days = {published.get(m.article_id) for m in mentions[e.event_id]}
        if e.date_basis == "publication" or (e.date == e.date_end and e.date in pub_days):
            on_pub.append(e)
    out.append(Check(
        "no all-background event is dated to a publication day",
        not on_pub,
        f"{len(background)} all-background events, {len(on_pub)} on a publication day"
        + "".join(f"\n      {e.date} {e.event_type}: {mentions[e.event_id][0].sentence[:90]!r}" for e in on_pub),
    ))
    return out


def check_expected(events: list[Event], mentions: dict[str, list[Mention]]) -> list[Check]:
    """Each known event is one event (no duplicate), with its dates and place."""
    out: list[Check] = []
    for x in EXPECTED:
        rx = re.compile(x.pattern)
        holders = [e for e in events if any(rx.search(m.sentence) for m in mentions[e.event_id])]
        twins = [
            e for e in events
            if e not in holders and e.event_type == x.event_type and e.date and e.date_end
            and e.date <= x.last and e.date_end >= x.first
        ]
        problems: list[str] = []
        if len(holders) != 1:
            problems.append(f"its mentions are in {len(holders)} events")
        if twins:
            problems.append(f"{len(twins)} other {x.event_type} events overlap its dates")
        desc = ""
        if holders:
            e = holders[0]
            place = e.location
            desc = (f"{e.date}..{e.date_end} {e.date_precision}/{e.date_basis}, "
                    f"{place.name + ' (' + str(place.country) + ')' if place else 'no place'}, "
                    f"{e.n_articles} article(s)")
            if not (e.date and e.date_end and x.first <= e.date <= x.day <= e.date_end <= x.last):
                problems.append(f"date not within {x.first}..{x.last} around {x.day}")
            if x.event_type != e.event_type:
                problems.append(f"type {e.event_type}, want {x.event_type}")
            if x.place is None and place is not None:
                problems.append("has a place the stories do not give")
            if x.place is not None and (
                place is None or place.country != x.place[0] or x.place[1] not in normalize_name(place.name)
            ):
                problems.append(f"place is not {x.place[1]} ({x.place[0]})")
        out.append(Check(x.label, not problems, "; ".join([desc, *problems]) if desc else "; ".join(problems)))
    return out


def main(seeds: Path = DEFAULT) -> int:
    """Run the pipeline on the seeds, print the timeline and the checks; 1 when a check fails."""
    if not seeds.is_dir():
        print(f"seed corpus not found at {seeds}; pass its path as the first argument "
              "(it is reference material, not shipped with the package)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="eventcoder-seeds-") as tmp, Store(Path(tmp) / "seeds.duckdb") as store:
        t0 = time.perf_counter()
        summary = LocalEngine().run([seeds], store)
        seconds = time.perf_counter() - t0
        events = [event_from_row(r) for r in store.query("SELECT * FROM events ORDER BY date, event_id")]
        published = {r["article_id"]: (r["published"].isoformat() if r["published"] else None)
                     for r in store.query("SELECT article_id, published FROM articles")}
        articles = store.query("SELECT article_id, published, published_basis FROM articles ORDER BY article_id")
        by_event: dict[str, list[Mention]] = {}
        for m in sorted(store.load_mentions(), key=lambda m: (m.article_id, m.sentence_index, m.trigger_start)):
            by_event.setdefault(m.event_id or "", []).append(m)

    print(f"{summary.articles_read} articles, {summary.mentions_total} mentions, {len(events)} events "
          f"in {seconds:.1f} s (model loading included)")
    for a in articles:
        print(f"  {a['article_id']}: published {a['published']} ({a['published_basis']})")
    print()
    print_timeline(events, {eid: ms[0] for eid, ms in by_event.items()})
    print()
    checks = check_background(events, by_event, published) + check_expected(events, by_event)
    for c in checks:
        print(f"{'PASS' if c.ok else 'FAIL'} {c.name}: {c.detail}")
    failed = sum(not c.ok for c in checks)
    print(f"{len(checks) - failed}/{len(checks)} checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
