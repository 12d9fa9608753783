"""Cross-fitted scores on the training articles: a second held-out figure to choose settings by.

    python benchmarks/crossfit.py train [--folds 2] [--dir /tmp/eventcoder-crossfit]
    python benchmarks/crossfit.py score [--dir …] [--set NAME=VALUE …] [--rules-only]

The tune split (42 articles) is what settings were chosen on for two dozen sessions, and rules chosen
there have repeatedly failed to carry over to the test split. This gives a second, larger held-out
measurement without touching the test split: the training articles of ``eval/news/train.json``
(153, one annotation pass) are split into folds by article (seeded); ``train`` fits the type, role,
trigger and eventness models on all folds but one, with the committed training scripts, for each fold
(about five minutes a fold on two cores); ``score`` codes every fold with the models that never saw it,
applying ``--set`` overrides of ``eventcoder.settings`` (Python literals: ``--set
PREFILTER_MODEL_MARGIN=-0.2``), and prints the ``eventcoder evaluate`` report of all folds together.

The models are trained on fewer articles than the shipped ones (half of the training split at two
folds), so the figures are lower than the shipped coder's and model-made mentions count for less; read
them as differences between settings, next to the tune split's. Needs ../shared (the articles) and
scikit-learn (``pip install -e ".[train]"``).
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "eval" / "news" / "train.json"
SEED = 2026
#: model name -> (training script, its option for the gold file)
SCRIPTS = {"type": ("train_type_model.py", "--news"), "role": ("train_role_model.py", "--train"),
           "trigger": ("train_trigger_model.py", "--train"), "eventness": ("train_eventness.py", "--train")}


def folds_of(n_folds: int) -> dict[str, int]:
    """Each training article's fold (seeded, by article)."""
    from eventcoder.evaluate import news_gold_events

    events, _ = news_gold_events([TRAIN])
    arts = sorted(events)
    random.Random(SEED).shuffle(arts)
    return {a: i % n_folds for i, a in enumerate(arts)}


def train(out: Path, n_folds: int) -> None:
    """Fit every model for every fold on the other folds' articles."""
    from eventcoder.evaluate import news_gold_subset

    out.mkdir(parents=True, exist_ok=True)
    fold = folds_of(n_folds)
    (out / "folds.json").write_text(json.dumps(fold, indent=1), encoding="utf-8")
    for k in range(n_folds):
        others = news_gold_subset([TRAIN], {a for a, f in fold.items() if f != k}, out / f"train-without-{k}.json")
        for name, (script, option) in SCRIPTS.items():
            print(f"fold {k + 1}/{n_folds}: {name} model", flush=True)
            subprocess.run([sys.executable, str(ROOT / "scripts" / script), option, str(others),
                            "--out", str(out / f"{name}-{k}.json")], check=True, stdout=subprocess.DEVNULL)


def override(assignments: list[str]) -> None:
    """Apply NAME=VALUE settings (Python literals) to eventcoder.settings."""
    from eventcoder import settings

    for item in assignments:
        name, _, value = item.partition("=")
        if not hasattr(settings, name):
            sys.exit(f"no setting {name!r} in eventcoder.settings")
        setattr(settings, name, ast.literal_eval(value))
        print(f"{name} = {getattr(settings, name)!r}", file=sys.stderr)


def score(models: Path, rules_only: bool) -> str:
    """The evaluate report of every fold coded by the models trained without it."""
    from eventcoder import evaluate as ev
    from eventcoder.engines.local import LocalEngine
    from eventcoder.pipeline.coder import EventCoder
    from eventcoder.pipeline.eventness import EventnessModel
    from eventcoder.pipeline.rolemodel import RoleModel
    from eventcoder.pipeline.triggermodel import TriggerModel
    from eventcoder.pipeline.typemodel import TypeModel
    from eventcoder.store import Store

    fold = json.loads((models / "folds.json").read_text(encoding="utf-8"))
    gold = json.loads(TRAIN.read_text(encoding="utf-8"))
    corpus = TRAIN.parent / gold["corpus"]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "crossfit.duckdb") as store:
        for k in sorted(set(fold.values())):
            if rules_only:
                coder = EventCoder(use_model=False)
            else:
                coder = EventCoder(model=TypeModel.from_file(models / f"type-{k}.json"),
                                   roles=RoleModel.from_file(models / f"role-{k}.json"),
                                   triggers=TriggerModel.from_file(models / f"trigger-{k}.json"),
                                   eventness=EventnessModel.from_file(models / f"eventness-{k}.json"))
            ids = {a for a, f in fold.items() if f == k}
            subset = ev.news_corpus_subset(corpus, ids, Path(tmp) / f"fold{k}.jsonl")
            LocalEngine(coder=coder).run([subset], store)
        scores = ev.score_news_store(gold, store)
    return ev.news_report(scores, f"{TRAIN} (cross-fitted, {len(set(fold.values()))} folds)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["train", "score"])
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "eventcoder-crossfit",
                    help="where the fold models are written (train) and read (score)")
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--rules-only", action="store_true")
    args = ap.parse_args()
    corpus = TRAIN.parent / json.loads(TRAIN.read_text(encoding="utf-8"))["corpus"]
    if not corpus.is_file():
        sys.exit(f"the training articles are not at {corpus} (the team's ../shared is needed)")
    if args.command == "train":
        try:
            train(args.dir, args.folds)
        except subprocess.CalledProcessError as e:
            sys.exit(f"{Path(e.cmd[1]).name} failed (exit {e.returncode}); run it alone to see why")
        return 0
    if not (args.dir / "folds.json").is_file():
        sys.exit(f"no fold models in {args.dir}: run `python benchmarks/crossfit.py train --dir {args.dir}` first")
    override(args.set)
    print(score(args.dir, args.rules_only))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
