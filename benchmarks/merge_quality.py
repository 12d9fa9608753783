"""B-cubed precision, recall and F1 of event merging on the cluster test corpus.

    python benchmarks/merge_quality.py [--corpus tests/data/clusters] [--thresholds 0 0.1 0.2 0.3 0.5]

The corpus is coded once; merging is then run at each fit-score threshold
(``settings.MERGE_MIN_SCORE``). Gold mentions are found by their quote inside a coded sentence of
their article. B-cubed is computed over gold mentions, with a gold mention that no coded mention
covers counted as a singleton (so missed coding lowers recall), and the look-alike pairs of the
gold (same dyad and type, other date or place) are checked to stay apart. The corpus goes through the
same stages as ``eventcoder run`` (ingest, corpus-level boilerplate drop, coding, recycled text, merge).

B-cubed is over gold mentions only, so a coded mention that no gold mention matches cannot lower it;
the last column counts such mentions that merging put into an event holding gold mentions (an
upper bound on precision errors B-cubed cannot see: some are real reports the gold leaves out).
"""

from __future__ import annotations

import argparse
import copy
import json
from collections import defaultdict
from pathlib import Path

from eventcoder.engines.local import LocalEngine
from eventcoder.models import Article, Mention
from eventcoder.pipeline.boilerplate import drop_corpus_boilerplate
from eventcoder.pipeline.ingest import read_inputs
from eventcoder.pipeline.merge import mark_recycled, merge_mentions

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "clusters"


def bcubed(gold_of: dict[str, str], cluster_of: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 over the items of ``gold_of`` (item → gold cluster)."""
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_out: dict[str, set[str]] = defaultdict(set)
    for item, g in gold_of.items():
        by_gold[g].add(item)
        by_out[cluster_of[item]].add(item)
    p = r = 0.0
    for item, g in gold_of.items():
        same = by_out[cluster_of[item]] & by_gold[g]
        p += len(same) / len(by_out[cluster_of[item]])
        r += len(same) / len(by_gold[g])
    n = len(gold_of)
    p, r = p / n, r / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def gold_items(gold: dict, mentions: list[Mention]) -> tuple[dict[str, str], dict[str, Mention | None]]:
    """Gold mention key → gold event id, and → the coded mention that reports it (or None)."""
    gold_of: dict[str, str] = {}
    coded: dict[str, Mention | None] = {}
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
    for ev in gold["events"]:
        for i, gm in enumerate(ev["mentions"]):
            key = f"{ev['id']}#{i}"
            gold_of[key] = ev["id"]
            cands = [m for m in by_article.get(gm["file"], []) if gm["quote"] in m.sentence]
            right = [m for m in cands if m.event_type == ev["type"]] or cands
            coded[key] = right[0] if right else None
    return gold_of, coded


def evaluate(gold: dict, mentions: list[Mention], threshold: float) -> dict[str, float]:
    ms = copy.deepcopy(mentions)
    mark_recycled(ms)
    merge_mentions(ms, min_score=threshold)
    gold_of, coded = gold_items(gold, ms)
    cluster_of = {k: (m.event_id if m is not None else f"missing:{k}") for k, m in coded.items()}
    p, r, f = bcubed(gold_of, cluster_of)
    covered = {k: m for k, m in coded.items() if m is not None}
    pc, rc, fc = bcubed({k: gold_of[k] for k in covered}, {k: cluster_of[k] for k in covered}) if covered else (0, 0, 0)
    events_of: dict[str, set[str]] = defaultdict(set)
    for k, m in covered.items():
        events_of[gold_of[k]].add(m.event_id)
    apart = [a for a, b in gold.get("lookalike_pairs", []) if not events_of[a] & events_of[b]]
    matched = {id(m) for m in covered.values()}
    gold_events = {m.event_id for m in covered.values()}
    extra = sum(1 for m in ms if id(m) not in matched and m.event_id in gold_events)
    return {"threshold": threshold, "precision": p, "recall": r, "f1": f, "coverage": len(covered) / len(coded),
            "covered_precision": pc, "covered_recall": rc, "covered_f1": fc,
            "lookalikes_apart": len(apart), "lookalike_pairs": len(gold.get("lookalike_pairs", [])),
            "extra": extra}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.0, 0.1, 0.2, 0.3, 0.5, 0.8])
    args = parser.parse_args()
    gold = json.loads((args.corpus / "gold.json").read_text(encoding="utf-8"))
    articles = [a for a in read_inputs([str(args.corpus / "*.txt")]) if isinstance(a, Article)]
    articles, _ = drop_corpus_boilerplate(articles)
    mentions = LocalEngine().code_articles(articles)
    print(f"{len(articles)} articles, {len(mentions)} coded mentions, {len(gold['events'])} gold events, "
          f"{sum(len(e['mentions']) for e in gold['events'])} gold mentions")
    print("threshold  B3-P   B3-R   B3-F1  | coverage | on covered: P     R     F1    | look-alikes apart | "
          "non-gold in gold events")
    for t in args.thresholds:
        s = evaluate(gold, mentions, t)
        print(f"{t:9.2f}  {s['precision']:.3f}  {s['recall']:.3f}  {s['f1']:.3f}  |  {s['coverage']:.3f}   | "
              f"{s['covered_precision']:.3f} {s['covered_recall']:.3f} {s['covered_f1']:.3f} | "
              f"{s['lookalikes_apart']}/{s['lookalike_pairs']}               | {s['extra']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
