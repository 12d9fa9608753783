"""Raise the CI accuracy floors to the figures measured now; a floor is never lowered.

    python scripts/raise_floors.py            # show what would change
    python scripts/raise_floors.py --write    # write tests/data/accuracy_floors.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_accuracy_gate import DATA, FLOORS, measure  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="write the raised floors")
    args = parser.parse_args()
    floors = json.loads(json.dumps(FLOORS))
    changed = False
    with tempfile.TemporaryDirectory() as tmp:
        for name, pinned in floors.items():
            if name.startswith("_"):
                continue
            figures = measure(name, Path(tmp))
            for key, floor in pinned.items():
                new = int(figures[key] * 100) / 100  # two decimals, rounded down
                if new > floor:
                    print(f"{name} {key}: {floor} -> {new}")
                    pinned[key] = new
                    changed = True
                else:
                    print(f"{name} {key}: {floor} (measured {figures[key]})")
    if changed and args.write:
        (DATA / "accuracy_floors.json").write_text(json.dumps(floors, indent=2) + "\n")
        print("written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
