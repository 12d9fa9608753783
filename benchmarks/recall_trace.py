"""Where recall is lost: every gold event of a news-gold split traced through the coder's stages.

    python benchmarks/recall_trace.py [--gold eval/news/tune.json] [--examples N]

The split's articles are coded in one process with ``EventCoder.trace`` on (the shipped models; on the
training split they have seen the articles, so read its model-made figures as optimistic). For each
gold event the words of its trigger are looked up in the trace:

* kept: a mention was coded at the trigger, with the gold type or another;
* dropped: a proposal at the trigger was dropped, and why (the reasons of the run summary's "not
  coded" counts: no source actor, eventness, an event noun with no owner, a purpose clause …);
* no proposal: nothing was proposed at the trigger; then whether the trigger lexicon knows the word
  (read off a full parse of the article) and whether it fired on another word of the sentence.

Matching in ``eventcoder evaluate`` pairs events by overlapping sentences, so an event with no proposal
at its trigger may still be matched through another word of its sentence; this tool asks the stricter
question of what became of the word the annotator marked. It prints gold events (with ``--examples``),
so it refuses the test split. Needs ../shared (the articles).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from eventcoder.engines.local import LocalEngine
from eventcoder.evaluate import gold_name, news_corpus_subset
from eventcoder.models import Article
from eventcoder.pipeline.coder import NOT_PARSED, TraceEntry
from eventcoder.pipeline.ingest import read_inputs

ROOT = Path(__file__).resolve().parents[1]
#: Characters a traced word may lie outside the annotated trigger span and still be its word.
SLACK = 2


def classify(entries: list[TraceEntry], start: int, end: int, gold_type: str) -> str | None:
    """What became of the trigger ``start:end`` in an article's trace; None when nothing was proposed there."""
    here = [e for e in entries if start - SLACK <= e.start < end + SLACK and e.outcome != NOT_PARSED]
    if not here:
        return None
    kept = [e for e in here if e.outcome == "kept"]
    if kept:
        return "kept, gold type" if any(e.event_type == gold_type for e in kept) else "kept, another type"
    return f"dropped: {here[0].outcome}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "eval" / "news" / "tune.json")
    ap.add_argument("--examples", type=int, default=0, help="print this many gold events of each outcome")
    args = ap.parse_args()
    if args.gold.stem == "test":
        print("error: the test split is scored, never read: use the tune or train split", file=sys.stderr)
        return 2
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    corpus = (args.gold.parent / gold["corpus"]).resolve()
    if not corpus.exists():
        print(f"skipped: {corpus} not found (../shared is needed)", file=sys.stderr)
        return 0
    ids = {gold_name(d["file"]) for d in gold["documents"]}
    engine = LocalEngine()
    with tempfile.TemporaryDirectory() as tmp:
        articles = [a for a in read_inputs([news_corpus_subset(corpus, ids, Path(tmp) / "a.jsonl")])
                    if isinstance(a, Article)]
    engine.coder.trace = {}
    engine.code_articles(articles)
    trace = engine.coder.trace
    lexicon = engine.coder.lexicon
    docs = {a.article_id: engine.nlp(a.text) for a in articles}

    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for g in gold["events"]:
        art, span = gold_name(g["docs"][0]), g.get("trigger")
        if not span or art not in docs:
            continue
        start, end = span
        outcome = classify(trace.get(art, []), start, end, g["type"])
        doc = docs[art]
        words = doc.char_span(start, end, alignment_mode="expand")
        if outcome is None:
            if words is None:
                outcome = "no proposal: trigger not on token boundaries"
            else:
                sent = words.sent
                parsed = not any(e.outcome == NOT_PARSED and sent.start_char <= e.start < sent.end_char
                                 for e in trace.get(art, []))
                known = [r for r in map(lexicon.match, words) if r is not None]
                elsewhere = any(lexicon.match(t) is not None for t in sent if not words.start <= t.i < words.end)
                if not parsed:
                    outcome = "no proposal: sentence not parsed by the first pass"
                elif known:
                    same = any(r.event_type == g["type"] for r in known)
                    outcome = f"no proposal: word in the lexicon ({'gold' if same else 'another'} type), no actor frame"
                else:
                    outcome = ("no proposal: word not in the lexicon, the lexicon fired elsewhere in the sentence"
                               if elsewhere else "no proposal: word not in the lexicon, nothing fired in the sentence")
        counts[outcome] += 1
        if len(examples[outcome]) < args.examples:
            sent_text = words.sent.text.strip() if words is not None else ""
            examples[outcome].append(f"{art} {g['type']} [{doc.text[start:end]}] {sent_text[:160]}")

    total = sum(counts.values())
    print(f"{args.gold.name}: {total} gold events with a trigger, {len(articles)} articles")
    print(f"{'outcome at the gold trigger':<92} {'events':>6} {'share':>6}")
    for outcome, n in counts.most_common():
        print(f"{outcome:<92} {n:>6} {n / total:>6.1%}")
        for line in examples.get(outcome, []):
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
