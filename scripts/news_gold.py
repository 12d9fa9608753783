"""Tools for the real-news gold in eval/news (see eval/GUIDELINES.md).

    python scripts/news_gold.py sentences guardian-3          # the article's sentences with offsets
    python scripts/news_gold.py validate eval/news/passes/A/1.json   # check a pass file; trigger words -> offsets
    python scripts/news_gold.py agreement --write             # eval/agreement.md from passes A and B
    python scripts/news_gold.py prepare                       # adjudication sheets of the differences
    python scripts/news_gold.py build                         # eval/news/tune.json, test.json from the adjudication

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


# -- agreement between the two passes and adjudication --------------------------------------------------
PASSES = ROOT / "eval" / "news" / "passes"
ADJUDICATION = ROOT / "eval" / "news" / "adjudication"
WORK = ROOT / "eval" / "news" / "work"


def load_pass(name: str) -> list[dict]:
    """Every record of one pass (all its batch files), in batch order."""
    out: list[dict] = []
    for path in sorted((PASSES / name).glob("*.json")):
        out += json.loads(path.read_text(encoding="utf-8"))
    return out


def unit(r: dict, ref: str = ""):  # noqa: ANN201 - eventcoder.evaluate.Unit
    """A pass record as the unit the scorer compares (the same reading as a built gold event)."""
    from eventcoder.evaluate import gold_unit

    return gold_unit(dict(r, docs=[r["article"]], id=ref))


def pair_passes(a: list[dict], b: list[dict]) -> dict[str, dict]:
    """Per article: A's and B's records and their one-to-one matched pairs (by sentence overlap)."""
    from eventcoder.evaluate import match_units

    arts: dict[str, dict] = {}
    for name, recs in (("A", a), ("B", b)):
        for r in recs:
            arts.setdefault(r["article"], {"A": [], "B": []})[name].append(r)
    for d in arts.values():
        d["pairs"] = match_units([unit(r) for r in d["A"]], [unit(r) for r in d["B"]])
    return arts


def _kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two label sequences."""
    from collections import Counter

    n = len(pairs)
    if not n:
        return 0.0
    po = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def agreement_figures(a: list[dict], b: list[dict]) -> dict:
    """Event-level F1 between the passes, kappa on type and agreement on actors, date and place."""
    from eventcoder.evaluate import _windows_overlap, same_place_name

    arts = pair_passes(a, b)
    types: list[tuple[str, str]] = []
    agree = {k: [0, 0] for k in ("source", "target", "date", "place", "mode")}
    n_pairs = 0
    for d in arts.values():
        for i, j in d["pairs"]:
            n_pairs += 1
            ra, rb = d["A"][i], d["B"][j]
            ua, ub = unit(ra), unit(rb)
            types.append((ra["type"], rb["type"]))
            for key, both, same in (
                ("source", bool(ua.source and ub.source), ua.source == ub.source),
                ("target", bool(ua.target and ub.target), ua.target == ub.target),
                ("date", bool(ua.date_from and ub.date_from), _windows_overlap(ua, ub, 1)),
                ("place", bool(ua.place_name and ub.place_name),
                 ua.place_country == ub.place_country and same_place_name(ua.place_name or "", ub.place_name or "")),
                ("mode", ra["type"] == rb["type"], (ra.get("mode") or "") == (rb.get("mode") or "")),
            ):
                if both:
                    agree[key][1] += 1
                    agree[key][0] += same
    na, nb = len(a), len(b)
    same_type = sum(x == y for x, y in types)
    return {
        "articles": len(arts), "records_A": na, "records_B": nb, "matched": n_pairs,
        "event_f1": 2 * n_pairs / (na + nb) if na + nb else 0.0,
        "typed_event_f1": 2 * same_type / (na + nb) if na + nb else 0.0,
        "type_agreement": sum(x == y for x, y in types) / len(types) if types else 0.0,
        "type_kappa": _kappa(types),
        **{f"{k}_agreement": (v[0] / v[1] if v[1] else 0.0) for k, v in agree.items()},
        **{f"{k}_n": v[1] for k, v in agree.items()},
    }


def cmd_agreement(args: argparse.Namespace) -> None:
    f = agreement_figures(load_pass("A"), load_pass("B"))
    print(json.dumps(f, indent=1))
    if args.write:
        _write_agreement(f)


def _write_agreement(f: dict) -> None:
    n_annotated = sum(len(v) for v in json.loads((ROOT / "eval/news/batches.json").read_text()).values())
    lines = [
        "# Agreement between the two annotation passes", "",
        "Two annotators worked on the same 84 Guardian articles (`eval/news/batches.json`) from the text alone,",
        "following `eval/GUIDELINES.md`, neither seeing the other's records nor eventcoder's output",
        "(`eval/news/passes/A`, `eval/news/passes/B`). Records are matched within an article by",
        "overlapping sentences, one to one, best-agreeing pairs first (the matcher `eventcoder evaluate` uses",
        "to score the coder). Regenerate: `python scripts/news_gold.py agreement --write`.", "",
        "| figure | value |", "|---|---|",
        f"| articles annotated / with at least one record | "
        f"{n_annotated} / {f['articles']} |",
        f"| records, pass A / pass B | {f['records_A']} / {f['records_B']} |",
        f"| matched records | {f['matched']} |",
        f"| **event-level F1 between the passes** | **{f['event_f1']:.3f}** |",
        f"| event-level F1, same type required | {f['typed_event_f1']:.3f} |",
        f"| type agreement on matched records | {f['type_agreement']:.3f} |",
        f"| **Cohen's kappa on type**, matched records | **{f['type_kappa']:.3f}** |",
        f"| mode agreement, same type (n={f['mode_n']}) | {f['mode_agreement']:.3f} |",
        f"| source country agreement, both given (n={f['source_n']}) | {f['source_agreement']:.3f} |",
        f"| target country agreement, both given (n={f['target_n']}) | {f['target_agreement']:.3f} |",
        f"| date agreement (windows overlap ±1 day, n={f['date_n']}) | {f['date_agreement']:.3f} |",
        f"| place agreement, both given (n={f['place_n']}) | {f['place_agreement']:.3f} |",
        "",
        "These figures are the ceiling to read the coder's scores against: where two careful readers agree on",
        "only part of the events, no coder can be scored above that part. Every difference was then adjudicated",
        "(`eval/news/adjudication/`, one decision with its reason per difference, plus events both passes",
        "missed), and the adjudicated records are the gold (`eval/news/tune.json`, `eval/news/test.json`).", "",
        "**Read these figures as an upper bound.** Both passes, and the adjudication, were made by AI annotator",
        "agents (separate sessions of the same kind of language model, each given only the guideline and the",
        "text), not by people. Their mistakes are likely correlated, so the agreement between them overstates",
        "what two independent human coders would reach (published human agreement on event coding is far",
        "lower). The matcher is also lenient: one shared sentence pairs two records. The guideline's rules for",
        "several parties were added while the passes were under way (eval/GUIDELINES.md section 4); records",
        "written before it were brought into line at adjudication.", "",
    ]
    (ROOT / "eval" / "agreement.md").write_text("\n".join(lines), encoding="utf-8")


def _agreed(ra: dict, rb: dict) -> bool:
    ua, ub = unit(ra), unit(rb)
    return (ra["type"] == rb["type"] and ua.source == ub.source and ua.target == ub.target)


def cmd_prepare(args: argparse.Namespace) -> None:
    """Adjudication sheets per batch: agreed pairs (kept as they are), disputed pairs and single records."""
    batches = json.loads((ROOT / "eval" / "news" / "batches.json").read_text())
    arts = pair_passes(load_pass("A"), load_pass("B"))
    out_dir = WORK / "adjudicate"
    out_dir.mkdir(parents=True, exist_ok=True)
    for k, ids in batches.items():
        sheet = []
        for art in ids:
            d = arts.get(art, {"A": [], "B": [], "pairs": []})
            paired_a = {i for i, _ in d["pairs"]}
            paired_b = {j for _, j in d["pairs"]}
            items = []
            for n, (i, j) in enumerate(d["pairs"]):
                kind = "agreed" if _agreed(d["A"][i], d["B"][j]) else "disputed"
                items.append({"item": f"{art}:p{n}", "kind": kind, "A": d["A"][i], "B": d["B"][j]})
            items += [{"item": f"{art}:a{i}", "kind": "only A", "A": r}
                      for i, r in enumerate(d["A"]) if i not in paired_a]
            items += [{"item": f"{art}:b{j}", "kind": "only B", "B": r}
                      for j, r in enumerate(d["B"]) if j not in paired_b]
            sheet.append({"article": art, "items": items})
        (out_dir / f"{k}.json").write_text(json.dumps(sheet, indent=1, ensure_ascii=False), encoding="utf-8")
        n_items = sum(len(a["items"]) for a in sheet)
        n_dec = sum(1 for a in sheet for it in a["items"] if it["kind"] != "agreed")
        print(f"batch {k}: {n_items} items, {n_dec} to decide -> {out_dir / f'{k}.json'}")


def adjudicated_records() -> list[dict]:
    """The final records: agreed pairs as pass A wrote them (with both passes' sentences), and for every
    other item the adjudicator's decision (``A``, ``B``, ``drop``, or an edited ``record``)."""
    out: list[dict] = []
    arts = pair_passes(load_pass("A"), load_pass("B"))
    decisions: dict[str, dict] = {}
    for path in sorted(ADJUDICATION.glob("*.json")):
        for d in json.loads(path.read_text(encoding="utf-8")):
            decisions[d["item"]] = d
    missing = []
    for art, d in arts.items():
        paired_a = {i for i, _ in d["pairs"]}
        paired_b = {j for _, j in d["pairs"]}
        items = [(f"{art}:p{n}", d["A"][i], d["B"][j]) for n, (i, j) in enumerate(d["pairs"])]
        items += [(f"{art}:a{i}", r, None) for i, r in enumerate(d["A"]) if i not in paired_a]
        items += [(f"{art}:b{j}", None, r) for j, r in enumerate(d["B"]) if j not in paired_b]
        for item, ra, rb in items:
            dec = decisions.get(item)
            if dec is None and ra is not None and rb is not None and _agreed(ra, rb):
                dec = {"decision": "A"}
            if dec is None:
                missing.append(item)
                continue
            choice = dec["decision"]
            if choice == "drop":
                continue
            rec = dec.get("record") if choice == "edit" else (ra if choice == "A" else rb)
            if rec is None:
                missing.append(item)
                continue
            rec = dict(rec, article=art)
            sents = {tuple(x) for x in rec["sentences"]}
            for other in (ra, rb):
                if other is not None and other["type"] == rec["type"]:
                    sents |= {tuple(x) for x in other["sentences"]}
            rec["sentences"] = sorted([list(x) for x in sents])
            out.append(rec)
    for item, dec in decisions.items():  # events both passes missed, added by the adjudicator
        if re.fullmatch(r".+:n\d+", item) and dec.get("decision") == "edit" and dec.get("record"):
            out.append(dict(dec["record"], article=item.rsplit(":", 1)[0]))
    if missing:
        sys.exit(f"{len(missing)} items have no adjudication decision, e.g. {missing[:5]}")
    errors = validate_records(out)
    if errors:
        sys.exit("adjudicated records are invalid:\n" + "\n".join(errors[:20]))
    return out


def gold_event(r: dict, eid: str) -> dict:
    """A final record in the document-gold format `eventcoder evaluate` reads (news fields and the
    older document-gold keys: types, a, b, docs, location_country, location_names)."""
    place = r.get("place") or None
    src, tgt = r.get("source") or {}, r.get("target") or None
    return {
        "id": eid, "docs": [r["article"]], "sentences": r["sentences"], "trigger": r["trigger"],
        "type": r["type"], "mode": r.get("mode") or "", "source": src, "target": tgt,
        "date_from": r["date_from"], "date_to": r["date_to"], "date_precision": r["date_precision"],
        "place": place, "alleged": bool(r.get("alleged", False)),
        "types": [r["type"]], "a": [src["country"]] if src.get("country") else [],
        "b": [tgt["country"]] if tgt and tgt.get("country") else [], "directed": True, "required": True,
        "location_country": (place or {}).get("country") or None,
        "location_names": [place["name"]] if place else [],
    }


def single_pass_records(name: str) -> list[dict]:
    """The records of a pass annotated once (the training articles), validated."""
    recs = load_pass(name)
    errors = validate_records(recs)
    if errors:
        sys.exit(f"pass {name} has invalid records:\n" + "\n".join(errors[:20]))
    return recs


DESCRIPTIONS = {
    "tune": "two independent passes adjudicated; error analysis is done on this split only",
    "test": "two independent passes adjudicated; scored, never read for misses",
    "train": "one pass, not adjudicated; training data for the learned coder only, never scored",
}


def cmd_build(args: argparse.Namespace) -> None:
    split = json.loads((ROOT / "eval" / "news" / "split.json").read_text())
    recs = adjudicated_records()
    if (PASSES / "T").is_dir():
        recs += single_pass_records("T")
    arts = corpus()
    for part, ids in split.items():
        chosen = set(ids)
        if not any(r["article"] in chosen for r in recs):
            print(f"{part}: no records yet, skipped")
            continue
        events = []
        for art in ids:
            mine = sorted((r for r in recs if r["article"] == art), key=lambda r: (r["sentences"][0], r["trigger"]))
            events += [gold_event(r, f"{art}-e{n + 1:02d}") for n, r in enumerate(mine)]
        gold = {
            "description": f"Real-news gold, {part} split: every event of {len(chosen)} Guardian articles; "
                           f"{DESCRIPTIONS[part]} (eval/GUIDELINES.md, eval/agreement.md). Offsets point into the "
                           "text of ../shared/corpus/guardian_sdf_sample.jsonl; no article text is stored here.",
            "corpus": "../../../shared/corpus/guardian_sdf_sample.jsonl",
            "tol_days": 1,
            "documents": [{"file": a, "published_from": arts[a]["date"], "published_to": arts[a]["date"]} for a in ids],
            "events": events,
        }
        path = ROOT / "eval" / "news" / f"{part}.json"
        path.write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{path}: {len(ids)} articles, {len(events)} events")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sentences")
    p.add_argument("article")
    p.set_defaults(fn=cmd_sentences)
    p = sub.add_parser("validate")
    p.add_argument("file")
    p.set_defaults(fn=cmd_validate)
    p = sub.add_parser("agreement")
    p.add_argument("--write", action="store_true", help="also write eval/agreement.md")
    p.set_defaults(fn=cmd_agreement)
    p = sub.add_parser("prepare", help="adjudication sheets in eval/news/work/adjudicate/")
    p.set_defaults(fn=cmd_prepare)
    p = sub.add_parser("build")
    p.set_defaults(fn=cmd_build)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
