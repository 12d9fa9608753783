"""Tools for the real-news gold in eval/news (see eval/GUIDELINES.md).

    python scripts/news_gold.py sentences guardian-3          # the article's sentences with offsets
    python scripts/news_gold.py validate eval/news/passes/A/1.json   # check a pass file; trigger words -> offsets
    python scripts/news_gold.py agreement                     # eval/agreement.md from passes A and B
    python scripts/news_gold.py build                         # eval/news/tune.json and test.json from the adjudicated file

Annotation files hold article ids and character offsets, never article text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "guardian_sdf_sample.jsonl"
PLOVER_MODES: dict[str, set[str]] = {
    "AGREE": set(), "CONSULT": {"multilateral", "phone", "third-party", "visit"}, "SUPPORT": set(),
    "CONCEDE": set(), "COOPERATE": set(), "AID": set(),
    "RETREAT": {"access", "ceasefire", "disarm", "release", "resign", "return", "withdraw"},
    "REQUEST": {"assist", "change", "meet", "yield"}, "ACCUSE": {"allege", "disapprove", "investigate"},
    "REJECT": {"assist", "change", "meet", "yield"},
    "THREATEN": {"arrest", "ban", "expel", "relations", "restrict", "rights", "territory", "violence"},
    "PROTEST": {"boycott", "demo", "hunger", "obstruct", "riot", "strike"},
    "SANCTION": {"convict", "discontinue", "expel", "withdraw"},
    "MOBILIZE": {"militia", "police", "troops", "weapons"},
    "COERCE": {"arrest", "ban", "censor", "curfew", "cyber", "deport", "misinformation", "restrict", "seize",
               "withhold"},
    "ASSAULT": {"abduct", "aerial", "assassinate", "beat", "cleansing", "crowd-control", "destroy", "drone",
                "execute", "explosives", "firearms", "heavy-weapons", "massacre", "primitive", "sexual",
                "suicide-attack", "torture", "unconventional"},
}
PRECISIONS = {"day", "week", "month", "year", "range"}
_SENT_END = re.compile(r"(?<=[.!?])[”\"’']?\s+(?=[“\"‘'A-Z0-9(])")


@lru_cache(maxsize=1)
def corpus() -> dict[str, dict]:
    if not CORPUS.exists():
        sys.exit(f"no corpus at {CORPUS} (this tool needs ../shared)")
    rows = (json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip())
    return {r["id"]: r for r in rows}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence offsets by a plain punctuation splitter (good enough to point at sentences)."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        seg = text[start:m.end()].rstrip()
        if seg.strip():
            spans.append((start, start + len(seg)))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def cmd_sentences(args: argparse.Namespace) -> None:
    art = corpus()[args.article]
    print(f"# {art['id']} published {art['date']}")
    for i, (s, e) in enumerate(sentence_spans(art["text"])):
        print(f"[{i}] {s}-{e}: {art['text'][s:e]}")


def _check_actor(a: object, where: str, errors: list[str], *, nullable: bool) -> None:
    if a is None:
        if not nullable:
            errors.append(f"{where}: missing")
        return
    if not isinstance(a, dict) or not isinstance(a.get("name"), str) or not a["name"].strip():
        errors.append(f"{where}: needs an object with a name")
        return
    c = a.get("country") or ""
    if c and not re.fullmatch(r"[A-Z]{3}", c):
        errors.append(f"{where}: country {c!r} is not a 3-letter code")


def validate_records(records: list[dict]) -> list[str]:
    """Errors of a pass file; trigger words are turned into offsets in place."""
    errors: list[str] = []
    arts = corpus()
    for i, r in enumerate(records):
        where = f"record {i}"
        art = arts.get(r.get("article"))
        if art is None:
            errors.append(f"{where}: unknown article {r.get('article')!r}")
            continue
        text = art["text"]
        sents = r.get("sentences")
        if not sents or not all(isinstance(s, list) and len(s) == 2 and 0 <= s[0] < s[1] <= len(text) for s in sents):
            errors.append(f"{where}: sentences must be [[start, end], ...] inside the text")
            continue
        trig = r.get("trigger")
        if isinstance(trig, str):
            pos = -1
            for s, e in sents:
                pos = text.find(trig, s, e)
                if pos >= 0:
                    break
            if pos < 0:
                errors.append(f"{where}: trigger {trig!r} not found in its sentences")
            else:
                r["trigger"] = [pos, pos + len(trig)]
        elif not (isinstance(trig, list) and len(trig) == 2):
            errors.append(f"{where}: trigger must be [start, end] or the trigger word(s)")
        t = r.get("type")
        if t not in PLOVER_MODES:
            errors.append(f"{where}: type {t!r} is not a PLOVER type")
        elif (r.get("mode") or "") and r["mode"] not in PLOVER_MODES[t]:
            errors.append(f"{where}: mode {r['mode']!r} is not a mode of {t}")
        _check_actor(r.get("source"), f"{where} source", errors, nullable=False)
        _check_actor(r.get("target"), f"{where} target", errors, nullable=True)
        for k in ("date_from", "date_to"):
            if not re.fullmatch(r"\d{4}-\d\d-\d\d", str(r.get(k))):
                errors.append(f"{where}: {k} must be YYYY-MM-DD")
        if r.get("date_precision") not in PRECISIONS:
            errors.append(f"{where}: date_precision must be one of {sorted(PRECISIONS)}")
        if r.get("place") is not None:
            p = r["place"]
            if not isinstance(p, dict) or not p.get("name"):
                errors.append(f"{where}: place must be null or {{name, country}}")
        if not isinstance(r.get("alleged", False), bool):
            errors.append(f"{where}: alleged must be true or false")
    return errors


def cmd_validate(args: argparse.Namespace) -> None:
    path = Path(args.file)
    records = json.loads(path.read_text(encoding="utf-8"))
    errors = validate_records(records)
    if errors:
        print("\n".join(errors))
        sys.exit(1)
    path.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{path}: {len(records)} records, {len({r['article'] for r in records})} articles, valid")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sentences")
    p.add_argument("article")
    p.set_defaults(fn=cmd_sentences)
    p = sub.add_parser("validate")
    p.add_argument("file")
    p.set_defaults(fn=cmd_validate)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
