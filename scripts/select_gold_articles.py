"""Choose the Guardian articles of the real-news gold and split them into tune and test (and train).

Seeded and deterministic: ``python scripts/select_gold_articles.py`` prints the same ids every time.
Articles longer than ``MAX_CHARS`` are left out of tune and test (annotating every event of a
58,000-character article twice costs as much as ten ordinary ones); docs/accuracy.md states this bias.
They were later annotated once as training data, so ``train`` holds every article of the corpus that
is in neither tune nor test. The split is by article, so no article's sentences are on both sides.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

SEED = 20261206
N_ARTICLES = 84
N_TEST = 42
#: Further articles annotated once (not adjudicated) as training data only: never scored. The first 64
#: were drawn with SEED + 1; every other eligible article was added later, then the longer ones
#: (``train`` is then every article outside tune and test).
N_TRAIN = 64
MAX_CHARS = 8000
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "guardian_sdf_sample.jsonl"


def select(corpus: Path) -> dict[str, list[str]]:
    """The ``tune`` and ``test`` article ids, each list in corpus order."""
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    eligible = [r["id"] for r in rows if len(r["text"]) <= MAX_CHARS]
    rng = random.Random(SEED)
    chosen = rng.sample(eligible, N_ARTICLES)
    test = set(rng.sample(chosen, N_TEST))
    order = {r["id"]: i for i, r in enumerate(rows)}
    rest = [a for a in eligible if a not in set(chosen)]
    first = random.Random(SEED + 1).sample(rest, N_TRAIN)
    longer = [r["id"] for r in rows if len(r["text"]) > MAX_CHARS]
    train = first + [a for a in rest if a not in set(first)] + longer
    return {
        "tune": sorted((a for a in chosen if a not in test), key=order.__getitem__),
        "test": sorted(test, key=order.__getitem__),
        "train": sorted(train, key=order.__getitem__),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    print(json.dumps(select(args.corpus), indent=1))


if __name__ == "__main__":
    main()
