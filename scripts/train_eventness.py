"""Train the eventness model shipped as src/eventcoder/data/eventness_model.json.

    pip install -e ".[train]"
    python scripts/train_eventness.py [--train eval/news/train.json eval/news/tune.json]
        [--score eval/news/tune.json] [--out src/eventcoder/data/eventness_model.json]

The rules code every article of the ``--train`` news-gold files with the eventness model switched off,
and each proposed mention is labelled from the gold (eval/GUIDELINES.md): real when an annotated event
of its article overlaps its sentence with the same type, or with its trigger within 40 characters of
the mention's. A logistic regression over eventcoder.pipeline.eventness.mention_features is fitted (seeded), and
its raw probability is calibrated by a logistic (Platt) fit on out-of-fold predictions (5 folds by article),
so that the shipped probability means what it says. The type and trigger models propose mentions too
and the role model chooses their actors, and all three are trained on these same articles: so that the
eventness model learns how far to trust them on articles they have not seen, each of ``--type-folds``
folds of the training articles (by article, seeded) is coded with a type model
(scripts/train_type_model.py), a role model (scripts/train_role_model.py) and a trigger model
(scripts/train_trigger_model.py) trained without that fold (0: the shipped models, which have seen
every training article). ``--off-topic FILE`` (an ECB+ file; off by default, docs/accuracy.md) adds the
mentions proposed in its train split's off-topic documents (sport, entertainment, disasters and
accidents, business) as not real, each fold of their topics coded by models trained without it.
``--score`` codes a split that is not trained on
(the tune split while choosing; never the test split) and prints precision/recall of the kept
mentions and a reliability table. Needs ../shared (the articles) and scikit-learn.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from eventcoder.datasets import OFF_TOPIC_GENRES, ecbplus_genre, ecbplus_off_topic, load_ecbplus
from eventcoder.engines.local import LocalEngine
from eventcoder.errors import EventcoderError
from eventcoder.evaluate import news_gold_articles, news_gold_events, news_gold_subset
from eventcoder.pipeline.coder import EventCoder
from eventcoder.pipeline.rolemodel import RoleModel
from eventcoder.pipeline.triggermodel import TriggerModel
from eventcoder.pipeline.typemodel import TypeModel

ROOT = Path(__file__).resolve().parents[1]
SEED = 17
TRIGGER_WINDOW = 40


def coded_examples(
    paths: list[Path], type_model: TypeModel | None = None, only: set[str] | None = None,
    role_model: RoleModel | None = None, trigger_model: TriggerModel | None = None,
) -> list[tuple[str, list[str], int]]:
    """(article id, features, label) of every mention the rules (and the type and role models: the
    shipped ones, or ``type_model``/``role_model``/``trigger_model``) propose in the gold's articles (those in ``only``,
    when given)."""
    try:
        events, articles = news_gold_articles(paths, only)
    except EventcoderError as e:
        sys.exit(str(e))
    coder = EventCoder(eventness=None, model=type_model, roles=role_model, triggers=trigger_model)
    coder.eventness = None
    coder.record_features = {}
    engine = LocalEngine(coder=coder)
    out = []
    for start in range(0, len(articles), 8):
        for m in engine.code_articles(articles[start:start + 8]):
            feats = coder.record_features[m.mention_id]
            label = int(any(
                any(a < m.char_end and m.char_start < b for a, b in g["sentences"]) and (
                    g["type"] == m.event_type or abs(g["trigger"][0] - m.trigger_start) <= TRIGGER_WINDOW)
                for g in events[m.article_id]))
            out.append((m.article_id, feats, label))
    return out


def off_topic_examples(
    docs: list[tuple[str, str, str]], type_model: TypeModel | None = None, role_model: RoleModel | None = None,
    trigger_model: TriggerModel | None = None,
) -> list[tuple[str, list[str], int]]:
    """(document id, features, 0) of every mention the rules and models propose in off-topic news
    (eventcoder.datasets.ecbplus_off_topic documents): none of them is a political event."""
    from eventcoder.evaluate import code_texts

    coder = EventCoder(eventness=None, model=type_model, roles=role_model, triggers=trigger_model)
    coder.eventness = None
    coder.record_features = {}
    coded = code_texts(LocalEngine(coder=coder), [(rid, text, None) for rid, text, _ in docs], batch_size=16)
    return [(rid, coder.record_features[m.mention_id], 0) for rid, _, _ in docs for m in coded[rid]]


def _off_topic_records(path: Path | None) -> list[dict]:
    """The off-topic documents of an ECB+ file's train split, as records (none without a path)."""
    if path is None:
        return []
    try:
        records = load_ecbplus(path)
    except EventcoderError as e:
        sys.exit(str(e))
    return [r for r in records if r.get("split") == "train" and ecbplus_genre(r) in OFF_TOPIC_GENRES]


def crossfit_examples(paths: list[Path], folds: int, off_topic: Path | None = None) -> list[tuple[str, list[str], int]]:
    """:func:`coded_examples` with each fold of articles coded by type and role models not trained on it;
    with ``off_topic`` (an ECB+ file), the mentions proposed in its off-topic train documents too, each
    fold of their topics coded by models trained without those topics."""
    records = _off_topic_records(off_topic)
    if folds < 2:
        return coded_examples(paths) + off_topic_examples(ecbplus_off_topic(records))
    events, _ = news_gold_events(paths)
    arts = sorted(events)
    random.Random(SEED).shuffle(arts)
    fold = {a: i % folds for i, a in enumerate(arts)}
    topics = sorted({int(r["topic"]) for r in records})
    random.Random(SEED).shuffle(topics)
    topic_fold = {t: i % folds for i, t in enumerate(topics)}
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            gold = news_gold_subset(paths, {a for a in arts if fold[a] != k}, Path(tmp) / f"gold{k}.json")
            model, roles = Path(tmp) / f"type{k}.json", Path(tmp) / f"roles{k}.json"
            triggers = Path(tmp) / f"triggers{k}.json"
            off = Path(tmp) / f"off{k}.jsonl"
            off.write_text("".join(json.dumps(r) + "\n" for r in records if topic_fold[int(r["topic"])] != k),
                           encoding="utf-8")
            print(f"type, role and trigger models without fold {k + 1}/{folds} ...", flush=True)
            subprocess.run([sys.executable, str(ROOT / "scripts/train_type_model.py"), "--news", str(gold),
                            "--out", str(model), "--off-topic", str(off) if records else ""],
                           check=True, stdout=subprocess.DEVNULL)
            subprocess.run([sys.executable, str(ROOT / "scripts/train_role_model.py"), "--train", str(gold),
                            "--out", str(roles)], check=True, stdout=subprocess.DEVNULL)
            subprocess.run([sys.executable, str(ROOT / "scripts/train_trigger_model.py"), "--train", str(gold),
                            "--out", str(triggers), "--off-topic", str(off) if records else ""],
                           check=True, stdout=subprocess.DEVNULL)
            trained = (TypeModel.from_file(model), RoleModel.from_file(roles), TriggerModel.from_file(triggers))
            out += coded_examples(paths, trained[0], {a for a in arts if fold[a] == k}, trained[1], trained[2])
            out += off_topic_examples(
                ecbplus_off_topic([r for r in records if topic_fold[int(r["topic"])] == k]), *trained)
    return out


def fit(examples, c: float):  # noqa: ANN001, ANN201 - sklearn objects
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(f, 1) for _, f, _ in examples])
    clf = LogisticRegression(C=c, max_iter=5000, random_state=SEED)
    clf.fit(x, [y for _, _, y in examples])
    return vec, clf


def calibration(examples, c: float, method: str = "platt") -> list[tuple[float, float]]:  # noqa: ANN001
    """Map raw probability -> observed rate, fitted on 5-fold out-of-fold predictions (folds by
    article, seeded), as knots of a piecewise-linear function: ``isotonic`` (a step function) or
    ``platt`` (a logistic curve in the raw score's log-odds, sampled every 0.02)."""
    import math

    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression

    arts = sorted({a for a, _, _ in examples})
    random.Random(SEED).shuffle(arts)
    fold = {a: i % 5 for i, a in enumerate(arts)}
    raw, ys = [], []
    for k in range(5):
        train = [e for e in examples if fold[e[0]] != k]
        held = [e for e in examples if fold[e[0]] == k]
        if not held or len({y for _, _, y in train}) < 2:
            continue
        vec, clf = fit(train, c)
        raw += list(clf.predict_proba(vec.transform([dict.fromkeys(f, 1) for _, f, _ in held]))[:, 1])
        ys += [y for _, _, y in held]
    if method == "platt":
        logit = [[math.log(max(1e-6, p) / max(1e-6, 1 - p))] for p in raw]
        lr = LogisticRegression(C=1e6, max_iter=1000).fit(logit, ys)
        a, b = float(lr.coef_[0][0]), float(lr.intercept_[0])
        grid = [round(0.01 + 0.02 * i, 2) for i in range(50)]
        return [(x, round(1 / (1 + math.exp(-(a * math.log(x / (1 - x)) + b))), 4)) for x in grid]
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, ys)
    xs = sorted(set(round(float(x), 3) for x in iso.X_thresholds_))
    return [(x, round(float(iso.predict([x])[0]), 4)) for x in xs]


def reliability(probs: list[float], ys: list[int]) -> None:
    print("  reliability (calibrated probability bin: mentions, share real):")
    for lo in (0.0, 0.2, 0.4, 0.6, 0.8):
        sel = [y for p, y in zip(probs, ys, strict=True) if lo <= p < lo + 0.2 or (lo == 0.8 and p == 1.0)]
        if sel:
            print(f"    [{lo:.1f}, {lo + 0.2:.1f}): {len(sel):4d}  {sum(sel) / len(sel):.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, nargs="+",
                    default=[ROOT / "eval/news/train.json", ROOT / "eval/news/tune.json"])
    ap.add_argument("--score", type=Path, default=None, help="a news-gold split not trained on")
    ap.add_argument("--C", type=float, default=0.3)
    ap.add_argument("--calibration", choices=("isotonic", "platt"), default="platt",
                    help="how the raw probability is calibrated (see calibration())")
    ap.add_argument("--type-folds", type=int, default=2,
                    help="code each fold of the articles with a type model not trained on it (0: the shipped one)")
    ap.add_argument("--out", type=Path, default=ROOT / "src/eventcoder/data/eventness_model.json")
    ap.add_argument("--off-topic", type=lambda v: Path(v) if v else None,
                    default=None,
                    help="an ECB+ file whose off-topic train documents' mentions are trained on as not real "
                         "(default: none; the type and trigger models of the folds then learn from them too)")
    args = ap.parse_args()
    train = crossfit_examples(args.train, args.type_folds, args.off_topic)
    n_off = sum(1 for a, _, _ in train if a.startswith("ecbplus-"))
    print(f"training mentions: {len(train)}, real: {sum(y for _, _, y in train)}; of them in off-topic news: {n_off}")
    vec, clf = fit(train, args.C)
    cal = calibration(train, args.C, args.calibration)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, clf.coef_[0], strict=True) if abs(w) >= 0.01}
    model = {
        "about": "eventcoder eventness model: logistic regression over "
                 "eventcoder.pipeline.eventness.mention_features with "
                 f"a {args.calibration} calibration, trained by scripts/train_eventness.py "
                 "on the rules' mentions in the "
                 "annotated articles of " + ", ".join(p.name for p in args.train) + " (eval/news; weights only, "
                 "no text). Licence: MIT.",
        "seed": SEED, "C": args.C, "n_examples": len(train),
        "bias": round(float(clf.intercept_[0]), 4), "calibration": cal, "weights": dict(sorted(weights.items())),
    }
    if args.score:
        from eventcoder.pipeline.eventness import EventnessModel

        held = coded_examples([args.score])
        m = EventnessModel(model["weights"], model["bias"], [tuple(x) for x in cal])
        probs = [m.probability(f) for _, f, _ in held]
        ys = [y for _, _, y in held]
        print(f"scored split: {len(held)} mentions, real {sum(ys)} ({sum(ys) / len(held):.3f})")
        for t in (0.2, 0.3, 0.35, 0.4, 0.5, 0.6):
            kept = [y for p, y in zip(probs, ys, strict=True) if p >= t]
            print(f"  keep p >= {t:.2f}: {len(kept)} mentions, real {sum(kept) / max(1, len(kept)):.3f}, "
                  f"real kept {sum(kept) / max(1, sum(ys)):.3f}")
        reliability(probs, ys)
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} features, {args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
