"""Accuracy per kind of temporal expression, and speed, of eventcoder.pipeline.dates on
tests/data/dated_sentences.jsonl.

Run: python benchmarks/dates_accuracy.py [path/to/dated_sentences.jsonl]
A sentence counts as right only when date, date_end, precision and basis all match.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from eventcoder.pipeline.dates import resolve_event_time

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "dated_sentences.jsonl"


def main(path: Path = DEFAULT) -> int:
    """Print a per-kind accuracy table, the failures and per-sentence timings; exit 1 below 95%."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures = []
    for r in rows:
        ts = resolve_event_time(r["sentence"], r["published"])
        ok = (ts.date, ts.date_end, ts.precision, ts.basis) == (r["date"], r["date_end"], r["precision"], r["basis"])
        per_kind[r["kind"]][0] += ok
        per_kind[r["kind"]][1] += 1
        if not ok:
            failures.append((r, ts))

    print(f"{'kind':<16}{'right':>7}{'total':>7}{'accuracy':>10}")
    for kind, (right, total) in sorted(per_kind.items(), key=lambda kv: -kv[1][1]):
        print(f"{kind:<16}{right:>7}{total:>7}{right / total:>10.1%}")
    right = sum(v[0] for v in per_kind.values())
    print(f"{'ALL':<16}{right:>7}{len(rows):>7}{right / len(rows):>10.1%}")
    for r, ts in failures:
        print(f"FAIL [{r['kind']}] {r['sentence']!r} pub={r['published']}: got {ts}, want "
              f"{(r['date'], r['date_end'], r['precision'], r['basis'])}")

    plain = [r for r in rows if r["kind"] == "none"]
    dated = [r for r in rows if r["kind"] != "none"]
    for label, sample in (("without expressions", plain), ("with expressions", dated)):
        reps = max(1, 2000 // len(sample))
        t0 = time.perf_counter()
        for _ in range(reps):
            for r in sample:
                resolve_event_time(r["sentence"], r["published"])
        ms = (time.perf_counter() - t0) / (reps * len(sample)) * 1000
        print(f"speed {label}: {ms:.3f} ms/sentence")
    return 0 if right / len(rows) >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
