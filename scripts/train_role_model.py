"""Train the role model shipped as src/eventcoder/data/role_model.json.

    pip install -e ".[train]"
    python scripts/train_role_model.py [--train eval/news/train.json eval/news/tune.json]
        [--score eval/news/tune.json] [--out src/eventcoder/data/role_model.json]

The coder (rules, the shipped type model, no eventness filter, no role model) codes every article of
the ``--train`` news-gold files (eval/news, annotated by eval/GUIDELINES.md) and records, for each
proposed event, the role features of every actor its sentence names
(eventcoder.pipeline.rolemodel.role_features, the rules' own verdict among them). A proposal reports the
gold event of its article whose sentence holds its trigger and whose trigger is nearest to it (within
60 characters). Each actor of it with a known country is labelled from that gold event's countries:
``SRC`` when it shares the source's and not the target's, ``TGT`` the other way round, ``NONE`` when it
shares neither; an actor sharing both (a dyad within one country) is left out. A multinomial logistic
regression is fitted (seeded, deterministic). ``--score`` prints, on a split that is not trained on
(the tune split while choosing; never the test split), how often the actor the model finds most likely
source (target) has the gold source (target) country, against the rules' choice. The PLOVER
gold-standard records and the datasets of ../shared/datasets are never used. Needs ../shared (the
articles) and scikit-learn.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from eventcoder.engines.local import LocalEngine
from eventcoder.errors import EventcoderError
from eventcoder.evaluate import gold_unit, news_gold_articles
from eventcoder.pipeline.coder import EventCoder
from eventcoder.pipeline.rolemodel import NONE, SRC, TGT
from eventcoder.pipeline.typemodel import sparse_weights

ROOT = Path(__file__).resolve().parents[1]
SEED = 23
TRIGGER_WINDOW = 60

Example = tuple[str, int, list[tuple[list[str], list[str]]], set[str], set[str]]


def proposals(paths: list[Path]) -> list[Example]:
    """(article, trigger offset, [(features, actor countries)], gold source and target countries) of
    every proposal that reports a gold event."""
    try:
        events, articles = news_gold_articles(paths)
    except EventcoderError as e:
        sys.exit(str(e))
    coder = EventCoder(roles=None)
    coder.eventness = None
    coder.roles_model = None
    coder.record_roles = {}
    engine = LocalEngine(coder=coder, prefilter=None)
    for start in range(0, len(articles), 8):
        engine.code_articles(articles[start:start + 8])
    out: list[Example] = []
    for (art, offset), rows in sorted(coder.record_roles.items()):
        best, best_d = None, TRIGGER_WINDOW + 1
        for g in events.get(art, []):
            if not any(a <= offset < b for a, b in g["sentences"]):
                continue
            t0, t1 = g["trigger"]
            d = 0 if t0 <= offset < t1 else min(abs(offset - t0), abs(offset - t1))
            if d < best_d:
                best, best_d = g, d
        if best is not None:
            u = gold_unit(best)
            out.append((art, offset, rows, u.source, u.target))
    return out


def label(countries: list[str], source: set[str], target: set[str]) -> str | None:
    c = set(countries)
    if not c:
        return None
    s, t = bool(c & source), bool(c & target)
    if s and t:
        return None
    return SRC if s else TGT if t else NONE


def examples(data: list[Example]) -> tuple[list[list[str]], list[str]]:
    x, y = [], []
    for _, _, rows, source, target in data:
        for feats, countries in rows:
            lab = label(countries, source, target)
            if lab is not None:
                x.append(feats)
                y.append(lab)
    return x, y


def score(vec, clf, data: list[Example]) -> None:  # noqa: ANN001 - sklearn objects
    """How often the most likely source (target) actor has the gold source (target) country, against
    the actor the rules chose (only proposals whose gold side is known and among the sentence's actors)."""
    classes = list(clf.classes_)
    n = Counter()
    for _, _, rows, source, target in data:
        if not rows:
            continue
        probs = clf.predict_proba(vec.transform([dict.fromkeys(f, 1) for f, _ in rows]))
        sides = (("source", source, SRC, "verdict:src"), ("target", target, TGT, "verdict:tgt"))
        for side, gold, cls, verdict in sides:
            if not gold or not any(set(c) & gold for _, c in rows):
                continue
            n[side] += 1
            k = classes.index(cls)
            best = max(range(len(rows)), key=lambda i: probs[i][k])
            n[f"{side} model"] += bool(set(rows[best][1]) & gold)
            ruled = [c for f, c in rows if verdict in f]
            n[f"{side} rules"] += bool(ruled and set(ruled[0]) & gold)
    for side in ("source", "target"):
        print(f"  {side}: {n[side]} proposals; right country: model {n[side + ' model'] / max(1, n[side]):.3f}, "
              f"rules {n[side + ' rules'] / max(1, n[side]):.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, nargs="+",
                    default=[ROOT / "eval/news/train.json", ROOT / "eval/news/tune.json"])
    ap.add_argument("--score", type=Path, default=None, help="a news-gold split not trained on")
    ap.add_argument("--C", type=float, default=0.5, help="inverse regularisation strength")
    ap.add_argument("--min-weight", type=float, default=0.01, help="weights smaller than this are dropped")
    ap.add_argument("--out", type=Path, default=ROOT / "src/eventcoder/data/role_model.json")
    args = ap.parse_args()
    if args.score and args.score.resolve() in {p.resolve() for p in args.train}:
        sys.exit("--score must name a split that is not trained on")
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    train = proposals(args.train)
    x, y = examples(train)
    print(f"proposals reporting a gold event: {len(train)}; labelled actors: {len(y)} {dict(Counter(y))}")
    vec = DictVectorizer()
    clf = LogisticRegression(C=args.C, max_iter=3000, random_state=SEED)
    clf.fit(vec.fit_transform([dict.fromkeys(f, 1) for f in x]), y)
    if args.score:
        score(vec, clf, proposals([args.score]))
    weights = sparse_weights(vec.get_feature_names_out(), clf.coef_, args.min_weight)
    model = {
        "about": "eventcoder role model: multinomial logistic regression over eventcoder.pipeline.rolemodel."
                 "role_features, trained by scripts/train_role_model.py on the coder's proposals in the articles of "
                 + ", ".join(p.name for p in args.train) + " (eval/news; weights only, no text). Licence: MIT.",
        "seed": SEED, "C": args.C, "n_examples": len(y),
        "classes": [str(c) for c in clf.classes_],
        "intercept": [round(float(b), 4) for b in clf.intercept_],
        "weights": weights,
    }
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} features, {args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
