"""How the first pass (``--prefilter``) changes what is coded: mentions of each mode against a full parse.

    python benchmarks/prefilter_agreement.py [--corpus ../shared/corpus/guardian_sdf_sample.jsonl]
        [--modes fast triggers] [--limit N]

Every article is coded twice in this process: with every sentence parsed (``--prefilter off``)
and with each first-pass mode. Prints the share of tokens each mode parsed and ran the NER on,
and how its mentions compare with the full parse's (by mention id: same type at the same
trigger): identical (same source and target actors, place and dates), different in those, lost,
or new; then the differing fields with examples.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from eventcoder.engines.local import LocalEngine
from eventcoder.models import Article, Mention
from eventcoder.pipeline.ingest import read_inputs

ROOT = Path(__file__).resolve().parents[1]
FIELDS = {
    "source": lambda m: [(a.name, a.country, a.sector) for a in m.source],
    "target": lambda m: [(a.name, a.country, a.sector) for a in m.target],
    "place": lambda m: m.location.name if m.location else None,
    "date": lambda m: (m.date, m.date_end),
}


def code(engine: LocalEngine, articles: list[Article], group: int = 4) -> tuple[dict[str, Mention], float]:
    t = time.process_time()
    out: dict[str, Mention] = {}
    for i in range(0, len(articles), group):
        out.update((m.mention_id, m) for m in engine.code_articles(articles[i : i + group]))
    return out, time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "guardian_sdf_sample.jsonl")
    ap.add_argument("--modes", nargs="+", default=["fast", "triggers"])
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = ap.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"no corpus at {args.corpus}")
    articles = [r for r in read_inputs([args.corpus]) if isinstance(r, Article)][: args.limit]
    full = LocalEngine(prefilter=None)
    reference, t_full = code(full, articles)
    print(f"{len(articles)} articles; full parse: {len(reference)} mentions, {t_full:.1f} s CPU")
    for mode in args.modes:
        engine = LocalEngine(nlp=full.nlp, coder=full.coder, prefilter=mode)
        found, t_mode = code(engine, articles)
        st = engine._scanner.stats
        same = differ = 0
        fields: Counter[str] = Counter()
        examples: list[str] = []
        for key, ref in reference.items():
            got = found.get(key)
            if got is None:
                continue
            changed = [name for name, f in FIELDS.items() if f(got) != f(ref)]
            if not changed:
                same += 1
                continue
            differ += 1
            fields.update(changed)
            if len(examples) < 6:
                examples.append(f"    {', '.join(changed)}: {FIELDS[changed[0]](ref)} -> {FIELDS[changed[0]](got)}"
                                f" | {ref.sentence[:80]!r}")
        lost, new = len(set(reference) - set(found)), len(set(found) - set(reference))
        ner = f", NER on {st.entity_tokens / st.tokens:.0%}" if st.entity_tokens else ""
        print(f"\n--prefilter {mode}: parsed {st.parsed_tokens / st.tokens:.0%} of tokens{ner}; "
              f"{t_mode:.1f} s CPU ({t_full / t_mode:.2f}x the full parse)")
        print(f"  of {len(reference)} mentions: {same} identical ({same / len(reference):.1%}), {differ} with "
              f"other {dict(fields)}, {lost} lost; {new} new")
        print("\n".join(examples))


if __name__ == "__main__":
    main()
