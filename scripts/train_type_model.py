"""Train the sentence type model shipped as src/eventcoder/data/type_model.json.

    pip install -e ".[train]"
    python scripts/train_type_model.py [--ngec ../shared/training/ngec_synthetic_events.csv]
        [--sentences training/sentences.jsonl] [--news eval/news/train.json eval/news/tune.json]
        [--score eval/news/tune.json] [--out src/eventcoder/data/type_model.json]
        [--corrections corrections.jsonl ...] [--off-topic ../shared/datasets/ecbplus/ecbplus_train_dev.jsonl]

Training data: the lead sentence and the headline of each NGEC synthetic story (MIT; document-level
PLOVER labels, the lead states the event), our own typed sentences (``training/sentences.jsonl``,
with ``NONE`` sentences that report no event), and every sentence of the annotated real articles
named by ``--news`` (eval/news, see eval/GUIDELINES.md): a sentence takes the type of each gold event
it reports, ``NONE`` when it reports none. The articles are parsed by the pipeline's own model, so
the features are those the coder sees. ``--score`` prints sentence-level detection and type figures
on a news split that is not trained on (the tune split while choosing; never the test split).
``--corrections`` adds an analyst's judgements: the sentence gold that ``eventcoder export corrections
--db DB --as-gold --out FILE`` writes (a sentence per corrected, confirmed or rejected report, with the
analyst's type, ``NONE`` when rejected), weighted like our own sentences. ``--off-topic`` adds every
sentence of the ECB+ documents (CC BY 3.0, Cybulska & Vossen 2014) of its train split's topics that are
not political news (sport, entertainment, disasters and accidents, business:
eventcoder.datasets.ECBPLUS_GENRES) as a class of its own, ``OFF_TOPIC``, weighted like a news sentence;
the coder reads it as NONE (eventcoder.pipeline.typemodel.OFF_TOPIC). Off by default: the shipped
model is trained without it, because on our political news it cost recall (docs/accuracy.md, fifteenth
session; learned as NONE itself it cost more). The PLOVER gold-standard
records and the other datasets in ../shared/datasets are never used here. Seeded and deterministic: the
same inputs give the same file.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

from eventcoder.pipeline.nlp import load_nlp
from eventcoder.pipeline.typemodel import NONE, OFF_TOPIC, sentence_features, sparse_weights

ROOT = Path(__file__).resolve().parents[1]
SEED = 13
PLACEHOLDER = re.compile(r"\{[a-z_]+\d*\}")


def ngec_examples(path: Path) -> list[tuple[str, str]]:
    """(text, label) pairs: each story's headline and its first paragraph's first sentence."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            label = (row.get("label") or "").strip().upper()
            text = (row.get("text") or "").strip()
            if not label or not text:
                continue
            lead = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", text.split("\n")[0], maxsplit=1)[0]
            out.append((lead, label))
            title = PLACEHOLDER.sub("the country", row.get("title") or "").strip()
            if title:
                out.append((title, label))
    return out


def own_examples(path: Path) -> list[tuple[str, str]]:
    out = []
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.append((r["text"], (r.get("type") or NONE).upper()))
    return out


def correction_examples(paths: list[Path]) -> list[tuple[str, str]]:
    """(text, type) of the analyst's corrections, from files of `eventcoder export corrections --as-gold`."""
    out = []
    for path in paths:
        if not path.is_file():
            sys.exit(f"no corrections file at {path} (write one with `eventcoder export corrections --as-gold`)")
        out += own_examples(path)
    return out


def news_examples(paths: list[Path]) -> list[tuple[tuple[str, int], list[str], list[str]]]:
    """((article id, sentence start), features, gold types) of every sentence of the articles of
    news-gold files, parsed by the pipeline; a sentence reports a gold event when it overlaps one of
    the event's sentences."""
    from eventcoder.evaluate import news_gold_events

    nlp = load_nlp()
    events, corpus = news_gold_events(paths)
    if corpus is None or not corpus.is_file():
        sys.exit(f"the news gold's articles are not at {corpus} (../shared is needed to train)")
    texts = {}
    for line in corpus.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["id"] in events:
            texts[r["id"]] = r["text"]
    out = []
    ids = sorted(texts)
    for art, doc in zip(ids, nlp.pipe((texts[a] for a in ids), batch_size=8), strict=True):
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            s0, s1 = sent.start_char, sent.end_char
            types = sorted({g["type"] for g in events[art]
                            if any(a < s1 and s0 < b for a, b in g["sentences"])})
            out.append(((art, s0), sentence_features(sent), types))
    return out


def off_topic_examples(path: Path | None) -> list[list[str]]:
    """The features of every sentence of the off-topic ECB+ training documents (none without a path)."""
    if path is None:
        return []
    from eventcoder.datasets import load_off_topic
    from eventcoder.errors import EventcoderError

    try:
        docs = load_off_topic(path)
    except EventcoderError as e:
        sys.exit(str(e))
    nlp = load_nlp()
    return [sentence_features(sent) for doc in nlp.pipe((t for _, t, _ in docs), batch_size=16)
            for sent in doc.sents if sent.text.strip()]


def score_news(vec, clf, examples) -> None:  # noqa: ANN001 - sklearn objects
    """Sentence-level figures on held-out news sentences: event detection (top class is not NONE)
    precision/recall, and type accuracy on detected event sentences, at several thresholds."""
    probs = clf.predict_proba(vec.transform([dict.fromkeys(f, 1) for _, f, _ in examples]))
    classes = list(clf.classes_)
    none = classes.index(NONE)
    if OFF_TOPIC in classes:  # read as NONE, as the coder does
        off = classes.index(OFF_TOPIC)
        probs[:, none] += probs[:, off]
        probs[:, off] = 0.0
    n_event = sum(1 for _, _, t in examples if t)
    print(f"news sentences: {len(examples)}, with an event: {n_event}")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        tp = fp = typed = 0
        for p, (_, _, types) in zip(probs, examples, strict=True):
            best = int(p.argmax()) if p.argmax() != none else int(sorted(range(len(p)), key=lambda k: -p[k])[1])
            if best == none or p[best] < threshold:
                continue
            if types:
                tp += 1
                typed += classes[best] in types
            else:
                fp += 1
        prec = tp / (tp + fp) if tp + fp else 0.0
        print(f"  p(type) >= {threshold:.1f}: detected {tp + fp}, precision {prec:.3f}, recall {tp / n_event:.3f}, "
              f"type right {typed / tp if tp else 0:.3f}")


def featurize(texts: list[str]) -> list[list[str]]:
    nlp = load_nlp()
    feats = []
    for doc in nlp.pipe(texts, batch_size=64):
        sents = list(doc.sents)
        # The sentence with the most content, as the coder scores one sentence at a time.
        sent = max(sents, key=len) if sents else doc[:]
        feats.append(sentence_features(sent))
    return feats


def fit(x: list[list[str]], y: list[str], c: float):  # noqa: ANN201 - sklearn objects
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    xm = vec.fit_transform([dict.fromkeys(f, 1) for f in x])
    clf = LogisticRegression(C=c, max_iter=3000, random_state=SEED)
    clf.fit(xm, y)
    return vec, clf


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ngec", type=Path, default=ROOT.parent / "shared/training/ngec_synthetic_events.csv")
    ap.add_argument("--sentences", type=Path, default=ROOT / "training/sentences.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "src/eventcoder/data/type_model.json")
    ap.add_argument("--C", type=float, default=0.5, help="inverse regularisation strength")
    ap.add_argument("--own-weight", type=int, default=3, help="how many times our own sentences count")
    ap.add_argument("--min-weight", type=float, default=0.02, help="weights smaller than this are dropped")
    ap.add_argument("--news", type=Path, nargs="*",
                    default=[ROOT / "eval/news/train.json", ROOT / "eval/news/tune.json"],
                    help="news-gold files whose articles' sentences are trained on")
    ap.add_argument("--news-weight", type=int, default=2, help="how many times a news sentence counts")
    ap.add_argument("--score", type=Path, default=None, help="a news-gold split to print sentence figures on")
    ap.add_argument("--corrections", type=Path, nargs="*", default=[],
                    help="`eventcoder export corrections --as-gold` files, trained on like our own sentences")
    ap.add_argument("--off-topic", type=lambda v: Path(v) if v else None,
                    default=None,
                    help="an ECB+ file whose off-topic train documents are trained on as OFF_TOPIC (default: none)")
    args = ap.parse_args()
    if not args.ngec.is_file():
        print(f"no NGEC training file at {args.ngec}", file=sys.stderr)
        return 2
    ngec, own = ngec_examples(args.ngec), own_examples(args.sentences)
    analyst = correction_examples(args.corrections)
    if analyst:
        print(f"analyst corrections: {len(analyst)} sentences from {', '.join(map(str, args.corrections))}")
        own = own + analyst
    news = news_examples(args.news) if args.news else []
    scored = news_examples([args.score]) if args.score else []
    if set(k for k, _, _ in news) & set(k for k, _, _ in scored):
        sys.exit("--score must name a split that is not trained on")
    # Held-out fifth drawn from distinct texts before our sentences are repeated, so no copy of a
    # test sentence is trained on.
    order = sorted(set(ngec + own))
    random.Random(SEED).shuffle(order)
    held = set(order[: len(order) // 5])
    data = ngec + own * args.own_weight
    labels = dict(Counter(y for _, y in data))
    print(f"examples: {len(ngec)} NGEC, {len(own)} own (x{args.own_weight}); labels: {labels}")
    texts = sorted({t for t, _ in data})
    feats = dict(zip(texts, featurize(texts), strict=True))
    x = [feats[t] for t, _ in data]
    y = [label for _, label in data]
    seen_test: set[tuple[str, str]] = set()
    test, train = [], []
    for i, pair in enumerate(data):
        if pair in held:
            if pair not in seen_test:
                seen_test.add(pair)
                test.append(i)
        else:
            train.append(i)
    vec, clf = fit([x[i] for i in train], [y[i] for i in train], args.C)
    probs = clf.predict_proba(vec.transform([dict.fromkeys(x[i], 1) for i in test]))
    classes = list(clf.classes_)
    for threshold in (0.0, 0.4, 0.5, 0.6, 0.7):
        kept = [(classes[p.argmax()], y[i]) for p, i in zip(probs, test, strict=True) if p.max() >= threshold]
        acc = sum(a == b for a, b in kept) / len(kept) if kept else 0.0
        print(f"held-out: p >= {threshold:.1f}: coverage {len(kept) / len(test):.3f} accuracy {acc:.3f}")
    # Real news: a sentence once per type it reports, NONE when it reports none.
    news_x = [f for _, f, types in news for _ in (types or [NONE])] * args.news_weight
    news_y = [t for _, _, types in news for t in (types or [NONE])] * args.news_weight
    print(f"news sentences: {len(news)} (x{args.news_weight}), labels: {dict(Counter(news_y))}")
    off = off_topic_examples(args.off_topic) * args.news_weight
    print(f"off-topic sentences ({OFF_TOPIC}): {len(off) // args.news_weight} (x{args.news_weight})")
    vec, clf = fit(x + news_x + off, y + news_y + [OFF_TOPIC] * len(off), args.C)
    if scored:
        score_news(vec, clf, scored)
    weights = sparse_weights(vec.get_feature_names_out(), clf.coef_, args.min_weight)
    model = {
        "about": "eventcoder sentence type model: multinomial logistic regression over eventcoder.pipeline.typemodel."
                 "sentence_features, trained by scripts/train_type_model.py on the NGEC synthetic stories (MIT), "
                 "training/sentences.jsonl (eventcoder, MIT) and the sentences of the annotated real articles of "
                 + ", ".join(p.name for p in args.news) + " (eval/news; weights only, no text)"
                 + (", with the off-topic ECB+ train documents (CC BY 3.0, Cybulska & Vossen 2014) as NONE"
                    if off else "") + ". Licence: MIT.",
        "seed": SEED, "C": args.C, "n_examples": len(data) + len(news_x) + len(off),
        "classes": [str(c) for c in clf.classes_],
        "intercept": [round(float(b), 4) for b in clf.intercept_],
        "weights": weights,
    }
    args.out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} features, {args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
