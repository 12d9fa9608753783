"""Time recycled-text marking and event merging on synthetic mentions.

    python benchmarks/merge_speed.py [N]      # default N = 10000

Mentions are drawn from 40 country pairs, 8 event types and a year of dates, with several reports
of each underlying event (so merging has real work to do), and print the seconds each step takes.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from eventcoder.models import Actor, Mention
from eventcoder.pipeline.merge import mark_recycled, merge_mentions

COUNTRIES = ["AZE", "TUR", "ARM", "RUS", "UKR", "USA", "CHN", "IND", "PAK", "IRN", "ISR", "SYR", "FRA", "DEU"]
TYPES = ["CONSULT", "AGREE", "SUPPORT", "COOPERATE", "ACCUSE", "THREATEN", "ASSAULT", "COERCE"]
WORDS = "talks meeting ministers border forces agreement cooperation security region capital officials".split()


def synthetic_mentions(n: int, seed: int = 7) -> list[Mention]:
    rnd = random.Random(seed)
    pairs = [tuple(rnd.sample(COUNTRIES, 2)) for _ in range(40)]
    out = []
    n_events = n // 3
    start = date(2021, 1, 1)
    for i in range(n):
        ev = rnd.randrange(n_events)
        r = random.Random(ev)
        a, b = pairs[r.randrange(len(pairs))]
        d = start + timedelta(days=r.randrange(365))
        # Reports of one event share some wording; each report adds words of its own.
        words = " ".join(r.choice(WORDS) for _ in range(6)) + " " + " ".join(
            f"{rnd.choice(WORDS)}{rnd.randrange(1000)}" for _ in range(8))
        out.append(Mention(
            mention_id=f"m{i:06d}", article_id=f"a{i // 4}", sentence=f"{a} and {b} {words}.", char_start=0,
            char_end=100, trigger="met", event_type=TYPES[r.randrange(len(TYPES))], mode=None,
            source=[Actor(a, a, a, "GOV")], target=[Actor(b, b, b, "GOV")], date=d.isoformat(),
            date_end=d.isoformat(), date_precision="day", date_basis="explicit", confidence=0.7,
        ))
    return out


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    mentions = synthetic_mentions(n)
    t0 = time.perf_counter()
    recycled = mark_recycled(mentions)
    t1 = time.perf_counter()
    events = merge_mentions(mentions)
    t2 = time.perf_counter()
    print(f"mentions: {n}  recycled: {recycled}  events: {len(events)}")
    print(f"mark_recycled: {t1 - t0:.2f} s   merge_mentions: {t2 - t1:.2f} s   total: {t2 - t0:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
