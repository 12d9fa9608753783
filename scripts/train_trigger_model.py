"""Train the trigger model shipped as src/eventcoder/data/trigger_model.json.

    pip install -e ".[train]"
    python scripts/train_trigger_model.py [--train eval/news/train.json eval/news/tune.json]
        [--score eval/news/tune.json] [--off-topic ../shared/datasets/ecbplus/ecbplus_train_dev.jsonl]
        [--out src/eventcoder/data/trigger_model.json]

Run it before scripts/train_role_model.py and scripts/train_eventness.py: its proposals are theirs to
learn from. Every article of the ``--train`` news-gold files is parsed by the pipeline's own model; each content
word (eventcoder.pipeline.triggermodel.is_trigger_candidate) is an example: the syntactic head of a gold
event's trigger takes the event's PLOVER type, the trigger's other words are left out, and every other
word is ``NONE``. With ``--off-topic FILE`` (off by default: the shipped model is trained without it,
docs/accuracy.md), so is every content word of the ECB+ documents (CC BY 3.0) of its train split's
topics that are not political news (sport, entertainment, disasters and accidents, business;
eventcoder.datasets.ECBPLUS_GENRES). A multinomial logistic regression over trigger_features (with
the trigger lexicon's verdict on the word as one of them) is fitted, seeded and deterministic.
``--score`` parses a split that is not trained on (the tune split while choosing; never the test
split) and prints, at several thresholds on the best type's probability, word-level trigger
precision and recall and the type accuracy of the words found. Needs ../shared (the articles) and scikit-learn.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from eventcoder.errors import EventcoderError
from eventcoder.evaluate import news_gold_events
from eventcoder.pipeline.nlp import load_nlp
from eventcoder.pipeline.triggermodel import NONE, is_trigger_candidate, word_features
from eventcoder.pipeline.triggers import TriggerLexicon
from eventcoder.pipeline.typemodel import sparse_weights

ROOT = Path(__file__).resolve().parents[1]
SEED = 19


def examples(paths: list[Path]) -> list[tuple[str, list[str], str]]:
    """(article id, features, label) of every candidate word of the gold's articles."""
    events, corpus = news_gold_events(paths)
    if corpus is None or not corpus.is_file():
        sys.exit(f"the gold's articles are not at {corpus} (../shared is needed to train)")
    texts: dict[str, str] = {}
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if str(rec.get("id")) in events:
                texts[str(rec["id"])] = rec["text"]
    nlp, lexicon = load_nlp(), TriggerLexicon.default()
    out: list[tuple[str, list[str], str]] = []
    ids = sorted(texts)
    for art, doc in zip(ids, nlp.pipe((texts[i] for i in ids), batch_size=8), strict=True):
        labels: dict[int, str] = {}
        inside: set[int] = set()
        for g in events[art]:
            span = doc.char_span(*g["trigger"], alignment_mode="expand")
            if span is None:
                continue
            inside.update(t.i for t in span)
            labels.setdefault(span.root.i, g["type"])
        for tok in doc:
            if not is_trigger_candidate(tok) or (tok.i in inside and tok.i not in labels):
                continue
            out.append((art, word_features(tok, lexicon), labels.get(tok.i, NONE)))
    return out


def off_topic_examples(path: Path | None) -> list[tuple[str, list[str], str]]:
    """(document id, features, NONE) of every candidate word of the off-topic ECB+ training documents."""
    if path is None:
        return []
    from eventcoder.datasets import load_off_topic

    docs = load_off_topic(path)
    nlp, lexicon = load_nlp(), TriggerLexicon.default()
    return [(rid, word_features(tok, lexicon), NONE)
            for (rid, _, _), doc in zip(docs, nlp.pipe((t for _, t, _ in docs), batch_size=16), strict=True)
            for tok in doc if is_trigger_candidate(tok)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, nargs="+",
                    default=[ROOT / "eval/news/train.json", ROOT / "eval/news/tune.json"])
    ap.add_argument("--score", type=Path, default=None, help="a news-gold split not trained on")
    ap.add_argument("--C", type=float, default=0.3, help="inverse regularisation strength")
    ap.add_argument("--min-weight", type=float, default=0.01, help="weights smaller than this are dropped")
    ap.add_argument("--out", type=Path, default=ROOT / "src/eventcoder/data/trigger_model.json")
    ap.add_argument("--off-topic", type=lambda v: Path(v) if v else None,
                    default=None,
                    help="an ECB+ file whose off-topic train documents' words are trained on as NONE (default: none)")
    args = ap.parse_args()
    if args.score is not None and "test" in args.score.name:
        sys.exit("the test split is scored by `eventcoder evaluate`, never used to choose")
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        sys.exit('scikit-learn is needed: pip install -e ".[train]"')
    try:
        train = examples(args.train)
        off = off_topic_examples(args.off_topic)
    except EventcoderError as e:
        sys.exit(str(e))
    print(f"training words: {len(train)}, labels: {dict(Counter(y for _, _, y in train))}; "
          f"off-topic words (NONE): {len(off)}")
    train += off
    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(f, 1) for _, f, _ in train])
    y = [lab for _, _, lab in train]
    clf = LogisticRegression(C=args.C, max_iter=3000, random_state=SEED)
    clf.fit(x, y)
    classes = [str(c) for c in clf.classes_]
    weights = sparse_weights(vec.get_feature_names_out(), clf.coef_, args.min_weight)
    model = {"classes": classes, "intercept": [round(float(b), 4) for b in clf.intercept_], "weights": weights}
    args.out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} features, {args.out.stat().st_size // 1024} KiB)")
    if args.score is not None:
        score(args.score, vec, clf, classes)


def score(path: Path, vec, clf, classes: list[str]) -> None:  # noqa: ANN001 - sklearn objects
    held = examples([path])
    probs = clf.predict_proba(vec.transform([dict.fromkeys(f, 1) for _, f, _ in held]))
    none = classes.index(NONE)
    gold_pos = sum(1 for _, _, y in held if y != NONE)
    print(f"scored split: {len(held)} words, {gold_pos} gold triggers")
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6):
        found = hit = typed = 0
        for (_, _, y), p in zip(held, probs, strict=True):
            best = max((k for k in range(len(classes)) if k != none), key=lambda k: p[k])
            if p[best] < threshold:
                continue
            found += 1
            hit += y != NONE
            typed += y == classes[best]
        print(f"  p >= {threshold:.1f}: {found} words, precision {hit / max(found, 1):.3f}, "
              f"recall {hit / max(gold_pos, 1):.3f}, type right {typed / max(hit, 1):.3f}")


if __name__ == "__main__":
    main()
