"""Accuracy per precision, and speed, of eventcoder.pipeline.places.resolve_place on tests/data/place_mentions.jsonl.

Run: python benchmarks/places_accuracy.py [path/to/place_mentions.jsonl]
A sentence counts as right when country and precision match and either the geonameid (when the row
gives one) or the folded name does; a row expecting no place is right only when none is returned.
"Country" accuracy asks only for the right country (or for no place when none is expected).
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from eventcoder.models import Place
from eventcoder.pipeline.nlp import load_nlp
from eventcoder.pipeline.places import Gazetteer, PlaceContext, normalize_name, resolve_place

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "place_mentions.jsonl"
#: Below this overall accuracy the benchmark exits 1.
ACCURACY_FLOOR = 0.95
#: How many passes over the file the resolver timing averages.
TIMING_PASSES = 5


def is_right(got: Place | None, expected: dict | None) -> bool:
    """Whether the resolved place is the expected one (same rule as tests/test_places.py)."""
    if expected is None:
        return got is None
    if got is None or got.country != expected["country"] or got.precision != expected["precision"]:
        return False
    if expected["geonameid"] is not None:
        return got.geonameid == expected["geonameid"]
    return normalize_name(got.name) == normalize_name(expected["name"])


def country_right(got: Place | None, expected: dict | None) -> bool:
    """Whether at least the country is right (and no place is claimed where none is expected)."""
    if expected is None:
        return got is None
    return got is not None and got.country == expected["country"]


def main(path: Path = DEFAULT) -> int:
    """Print accuracy overall, by country and per expected precision, the failures and timings."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    t0 = time.perf_counter()
    nlp = load_nlp()
    gaz = Gazetteer.default()
    load_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    sents = [next(nlp(r["sentence"]).sents) for r in rows]
    parse_ms = (time.perf_counter() - t0) / len(rows) * 1000
    contexts = [PlaceContext(list(r["context_countries"])) for r in rows]

    per_precision: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    right = right_country = 0
    failures: list[tuple[dict, Place | None]] = []
    for r, sent, ctx in zip(rows, sents, contexts, strict=True):
        got = resolve_place(sent, ctx, gaz)
        exp = r["expected"]
        ok = is_right(got, exp)
        key = exp["precision"] if exp else "none"
        per_precision[key][0] += ok
        per_precision[key][1] += 1
        right += ok
        right_country += country_right(got, exp)
        if not ok:
            failures.append((r, got))

    t0 = time.perf_counter()
    for _ in range(TIMING_PASSES):
        for sent, ctx in zip(sents, contexts, strict=True):
            resolve_place(sent, ctx, gaz)
    resolve_ms = (time.perf_counter() - t0) / (TIMING_PASSES * len(rows)) * 1000

    print(f"{'precision':<16}{'right':>7}{'total':>7}{'accuracy':>10}")
    for key in ("city", "admin", "country", "none"):
        if key in per_precision:
            r_ok, total = per_precision[key]
            print(f"{key:<16}{r_ok:>7}{total:>7}{r_ok / total:>10.1%}")
    print(f"{'ALL':<16}{right:>7}{len(rows):>7}{right / len(rows):>10.1%}")
    print(f"{'country only':<16}{right_country:>7}{len(rows):>7}{right_country / len(rows):>10.1%}")
    for r, got in failures:
        shown = None if got is None else (got.name, got.country, got.geonameid, got.precision)
        print(f"FAIL {r['sentence']!r} ctx={r['context_countries']}: got {shown}, want {r['expected']}")
    print(f"load spaCy + gazetteer: {load_s:.2f} s")
    print(f"speed parse (spaCy): {parse_ms:.2f} ms/sentence")
    print(f"speed resolve_place: {resolve_ms:.3f} ms/sentence")
    return 0 if right / len(rows) >= ACCURACY_FLOOR else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
