"""Train the topic model shipped as src/eventcoder/data/topic_model.json.

    pip install -e ".[train]"
    python scripts/train_topic_model.py [--news eval/news/train.json eval/news/tune.json]
        [--ngec ../shared/training/ngec_synthetic_events.csv] [--sentences training/sentences.jsonl]
        [--ecbplus ../shared/datasets/ecbplus/ecbplus_train_dev.jsonl] [--off-topic training/off_topic.jsonl]
        [--score eval/news/tune.json]
        [--out src/eventcoder/data/topic_model.json]

Political news (class ``POLITICAL``): the articles of the ``--news`` gold files (eval/news), the NGEC
synthetic stories (MIT, headline and text) and our own sentences (training/sentences.jsonl, events and
political background alike). Not political news (``OTHER``): the documents of ECB+'s *train* split
whose topics are sport, entertainment, disasters and accidents or business
(eventcoder.datasets.ECBPLUS_GENRES; CC BY 3.0, Cybulska & Vossen 2014), and, with ``--off-topic
FILE``, paragraphs of such news written for this project (JSON lines with a ``text``; none by default).
Each text is a bag of its words (eventcoder.pipeline.topic.topic_features); a logistic regression
with balanced class weights is fitted, seeded and deterministic, and written in the type model's
sparse format.

The script then prints, at several thresholds, how many texts the coder would set aside in sets it
did not train on: ECB+'s dev-split off-topic documents (the more the better), ECB+'s political and
crime documents of both splits (riots, an election, piracy, shootings: the fewer the better), and the
articles of ``--score`` (a news split not trained on: the tune split while choosing; never the test
split). Needs ../shared and scikit-learn.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from eventcoder.datasets import ecbplus_off_topic, load_ecbplus
from eventcoder.errors import EventcoderError
from eventcoder.evaluate import news_gold_events
from eventcoder.pipeline.topic import OTHER, POLITICAL, topic_features, word_count
from eventcoder.pipeline.typemodel import sparse_weights

ROOT = Path(__file__).resolve().parents[1]
SEED = 23


def news_texts(paths: list[Path]) -> list[str]:
    events, corpus = news_gold_events(paths)
    if corpus is None or not corpus.is_file():
        sys.exit(f"the news gold's articles are not at {corpus} (../shared is needed to train)")
    with corpus.open(encoding="utf-8") as fh:
        return [r["text"] for line in fh if (r := json.loads(line))["id"] in events]


def ngec_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [f"{row.get('title') or ''}\n{row.get('text') or ''}".strip() for row in csv.DictReader(fh)
                if (row.get("text") or "").strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--news", type=Path, nargs="+",
                    default=[ROOT / "eval/news/train.json", ROOT / "eval/news/tune.json"])
    ap.add_argument("--ngec", type=Path, default=ROOT.parent / "shared/training/ngec_synthetic_events.csv")
    ap.add_argument("--sentences", type=Path, default=ROOT / "training/sentences.jsonl")
    ap.add_argument("--ecbplus", type=Path, default=ROOT.parent / "shared/datasets/ecbplus/ecbplus_train_dev.jsonl")
    ap.add_argument("--off-topic", type=Path, default=None,
                    help="our own paragraphs of news that is not political (JSON lines with a text)")
    ap.add_argument("--score", type=Path, default=None, help="a news-gold split not trained on")
    ap.add_argument("--C", type=float, default=0.5)
    ap.add_argument("--min-weight", type=float, default=0.01)
    ap.add_argument("--out", type=Path, default=ROOT / "src/eventcoder/data/topic_model.json")
    args = ap.parse_args()
    if args.score is not None and "test" in args.score.name:
        sys.exit("the test split is scored by `eventcoder evaluate`, never used to choose")
    for path in (args.ngec, args.ecbplus):
        if not path.is_file():
            sys.exit(f"no training file at {path} (../shared is needed to train)")
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        sys.exit('scikit-learn is needed: pip install -e ".[train]"')
    with args.sentences.open(encoding="utf-8") as fh:
        own = [json.loads(line)["text"] for line in fh if line.strip()]
    political = news_texts(args.news) + ngec_texts(args.ngec) + own
    try:
        records = load_ecbplus(args.ecbplus)
    except EventcoderError as e:
        sys.exit(str(e))
    other = [text for _, text, _ in ecbplus_off_topic(records, "train")]
    written = []
    if args.off_topic is not None:
        with args.off_topic.open(encoding="utf-8") as fh:
            written = [json.loads(line)["text"] for line in fh if line.strip()]
    print(f"political texts: {len(political)}; not political: {len(other)} ECB+ train documents, "
          f"{len(written)} of our own paragraphs")
    other += written
    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(topic_features(t), 1) for t in political + other])
    y = [0] * len(political) + [1] * len(other)
    clf = LogisticRegression(C=args.C, max_iter=5000, class_weight="balanced", random_state=SEED).fit(x, y)
    # binary: P(OTHER) = softmax(0, w·x + b), so POLITICAL's weights are all zero
    weights = sparse_weights(vec.get_feature_names_out(), [[0.0] * len(clf.coef_[0]), clf.coef_[0]], args.min_weight)
    model = {
        "about": "eventcoder topic model: logistic regression over eventcoder.pipeline.topic.topic_features, "
                 "trained by scripts/train_topic_model.py on the annotated real articles of "
                 + ", ".join(p.name for p in args.news) + " (eval/news), the NGEC synthetic stories (MIT) and "
                 "training/sentences.jsonl as POLITICAL, and the off-topic documents of the ECB+ train split "
                 "(CC BY 3.0, Cybulska & Vossen 2014)" + (f" and {args.off_topic.name}" if written else "")
                 + " as OTHER; weights only, no text. Licence: MIT.",
        "seed": SEED, "C": args.C, "n_examples": len(y),
        "classes": [POLITICAL, OTHER], "intercept": [0.0, round(float(clf.intercept_[0]), 4)], "weights": weights,
    }
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} features, {args.out.stat().st_size // 1024} KiB)")

    def report(name: str, texts: list[str]) -> None:
        probs = clf.predict_proba(vec.transform([dict.fromkeys(topic_features(t), 1) for t in texts]))[:, 1]
        cells = ", ".join(f">= {t}: {sum(p >= t for p in probs) / max(1, len(texts)):.3f}"
                          for t in (0.5, 0.8, 0.9, 0.95))
        print(f"  {name} ({len(texts)}; median {sorted(map(word_count, texts))[len(texts) // 2]} words): {cells}")

    print("share of texts the model calls not political, by threshold (sets not trained on):")
    report("ECB+ dev, off-topic (higher is better)", [t for _, t, _ in ecbplus_off_topic(records, "dev")])
    for genre, note in (("political", " (lower is better)"), ("crime", "")):
        report(f"ECB+ {genre} topics{note}", [t for _, t, _ in ecbplus_off_topic(records, genres=frozenset({genre}))])
    if args.score is not None:
        report(f"{args.score.name} articles (lower is better)", news_texts([args.score]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
