"""Scoring the coder on other research projects' annotated news (``eventcoder evaluate --gold FILE``).

Each dataset in the team's ``../shared/datasets`` (see its README for sources, licences and the PLOVER
mapping) has its own labels, so each has its own scorer, picked from the records' keys:

- **IndiaPoliceEvents** (``sentences`` with ``labels``): police KILL/FORCE → ASSAULT, ARREST → COERCE;
  sentences that say the police *failed* to act, and unlabelled sentences, are negatives.
- **ConfliBERT CAMEO sentences** (``quad_class``): quad-class accuracy and macro-F1 (0 = no event),
  and source/target role accuracy against the annotated spans.
- **MUC-4** (``roles``): documents with an attack template should yield an ASSAULT (or a COERCE
  abduction), the others nothing violent; perpetrator → source, human/physical target → target.
- **re3d** (``entities``/``relations``): coded actors and places checked against the annotated
  Organisation/Person/Nationality and Location spans.
- **ECB+** (``coref_annotated_sentences``): which coded mentions merge, against the cross-document
  event clusters (pairwise and B-cubed precision/recall); and, in its topics that are not political
  news (sport, entertainment, disasters and accidents, business), how many documents and sentences
  the coder takes for political events (all of them false alarms).

All of them are evaluation data, except ECB+ (CC BY 3.0): the documents of its *train* split's
off-topic topics (:func:`ecbplus_off_topic`) are the training scripts' examples of news that reports no
political event; its dev topics are never trained on and give the held-out off-topic figure.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcoder.errors import EventcoderError
from eventcoder.evaluate import code_texts
from eventcoder.models import Mention

#: Types that count as the police acting by force / arresting in IndiaPoliceEvents.
FORCE_TYPES = frozenset({"ASSAULT"})
ARREST_TYPES = frozenset({"COERCE"})
VIOLENT_TYPES = frozenset({"ASSAULT", "COERCE"})
QUAD_NAMES = {0: "NEUTRAL", 1: "VERBAL_COOPERATION", 2: "MATERIAL_COOPERATION", 3: "VERBAL_CONFLICT",
              4: "MATERIAL_CONFLICT"}


def detect(records: list[Any]) -> str | None:
    """The dataset a list of records comes from, by its keys; None for ordinary sentence gold."""
    if not records or not isinstance(records[0], dict):
        return None
    r = records[0]
    if "coref_annotated_sentences" in r:
        return "ecbplus"
    if "entities" in r and "relations" in r:
        return "re3d"
    if "roles" in r:
        return "muc4"
    if "quad_class" in r or "quad_name" in r:
        return "conflibert"
    if isinstance(r.get("sentences"), list) and r["sentences"] and isinstance(r["sentences"][0], dict) \
            and "labels" in r["sentences"][0]:
        return "ipe"
    return None


@dataclass(slots=True)
class DatasetScores:
    """Figures of one dataset: ``figures`` name → value, ``counts`` name → n behind it."""

    dataset: str
    n_records: int
    figures: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", s.lower()) if w not in _STOP}


_STOP = frozenset("the a an of and in on at to for by from with 's s".split())


def _overlaps(text: str, spans: Sequence[str]) -> bool:
    """Does an actor's surface text share a content word with one of the gold spans?"""
    w = _words(text)
    return bool(w) and any(w & _words(s) for s in spans)


# -- IndiaPoliceEvents --------------------------------------------------------------------------
def score_ipe(records: list[dict], engine: Any, *, limit: int | None = None, seed: int = 0,
              progress: Callable[[int], None] | None = None) -> DatasetScores:
    """Sentence-level police events: recall of ASSAULT on KILL/FORCE and of COERCE on ARREST sentences,
    and how often failed-to-act and unlabelled sentences are coded as ASSAULT/COERCE."""
    sents = []
    for doc in records:
        for s in doc.get("sentences", []):
            text = (s.get("text") or "").strip()
            if len(text) > 20:
                sents.append((f"{doc['id']}#{s.get('sent_id')}", text, doc.get("date"), set(s.get("labels") or [])))
    positives = [s for s in sents if s[3] - {"FAIL"}]
    fails = [s for s in sents if s[3] == {"FAIL"}]
    rng = random.Random(seed)
    unlabelled = [s for s in sents if not s[3]]
    unlabelled = rng.sample(unlabelled, min(len(unlabelled), max(len(positives), 1)))
    chosen = positives + fails + unlabelled
    if limit and len(chosen) > limit:
        chosen = rng.sample(chosen, limit)
    coded = code_texts(engine, [(i, t, d) for i, t, d, _ in chosen], progress=progress)
    s = DatasetScores("IndiaPoliceEvents", len(chosen))
    n: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    for i, _, _, labels in chosen:
        types = {m.event_type for m in coded[i]}
        cases = (("kill_recall", "KILL" in labels, bool(types & FORCE_TYPES)),
                 ("force_recall", "FORCE" in labels, bool(types & FORCE_TYPES)),
                 ("arrest_recall", "ARREST" in labels, bool(types & ARREST_TYPES)),
                 ("any_action_recall", "ANY_ACTION" in labels, bool(types)),
                 ("fail_coded_as_force_or_arrest", labels == {"FAIL"}, bool(types & VIOLENT_TYPES)),
                 ("unlabelled_coded_as_force_or_arrest", not labels, bool(types & VIOLENT_TYPES)))
        for key, applies, hit in cases:
            if applies:
                n[key] += 1
                ok[key] += hit
        if labels & {"KILL", "FORCE", "ARREST"}:
            violent = [m for m in coded[i] if m.event_type in VIOLENT_TYPES]
            if violent:
                n["police_as_source"] += 1
                ok["police_as_source"] += any(a.sector == "COP" for m in violent for a in m.source)
    s.figures = {k: _ratio(ok[k], n[k]) for k in n}
    s.counts = dict(n)
    s.notes.append("lower is better for the two *_coded_as_force_or_arrest rates (negatives)")
    return s


# -- ConfliBERT CAMEO sentences -----------------------------------------------------------------
def phoenix_quad(m: Mention) -> int:
    """A mention's quad class in the Phoenix convention the ConfliBERT sentences use, where it differs
    from the GDELT convention of our ``quad_class``: statements and appeals (CAMEO 01-02) are 0
    (neutral), not verbal cooperation, and reducing relations (16: sanctions, expulsions, cutting aid)
    is verbal conflict (3), not material conflict (the dataset's own labels: 60 of the 70 sentences
    we code 16x carry 3)."""
    root = (m.cameo_code or "")[:2]
    return {"01": 0, "02": 0, "16": 3}.get(root, m.quad_class or 0)


def score_conflibert(records: list[dict], engine: Any, *,
                     progress: Callable[[int], None] | None = None, **_: Any) -> DatasetScores:
    """Quad class of the most confident mention (0 when nothing is coded) against the gold quad class;
    role accuracy where the gold gives source/target spans and the coder found an event."""
    recs = [r for r in records if r.get("text")]
    coded = code_texts(engine, [(r["id"], r["text"], None) for r in recs], progress=progress)
    s = DatasetScores("ConfliBERT CAMEO", len(recs))
    pairs: list[tuple[int, int]] = []
    n: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    for r in recs:
        ms = coded[r["id"]]
        top = max(ms, key=lambda m: m.confidence) if ms else None
        pred = phoenix_quad(top) if top else 0
        if r.get("quad_class") is not None:
            pairs.append((int(r["quad_class"]), pred))
        actors = r.get("actors") or {}
        if top is None:
            continue
        for side, ours in (("source", top.source), ("target", top.target)):
            gold = list(actors.get(side) or []) + list(actors.get("joint") or [])
            if actors.get(side):
                n[f"{side}_role"] += 1
                ok[f"{side}_role"] += any(_overlaps(a.text or a.name, gold) for a in ours)
    s.figures["quad_accuracy"] = _ratio(sum(g == p for g, p in pairs), len(pairs))
    f1s = []
    for q in QUAD_NAMES:
        tp = sum(g == q and p == q for g, p in pairs)
        fp = sum(g != q and p == q for g, p in pairs)
        fn = sum(g == q and p != q for g, p in pairs)
        prec, rec = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f1 = round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0
        s.figures[f"f1_{QUAD_NAMES[q].lower()}"] = f1
        f1s.append(f1)
    s.figures["quad_macro_f1"] = round(sum(f1s) / len(f1s), 4)
    s.figures["event_detection_recall"] = _ratio(sum(p > 0 for g, p in pairs if g > 0), sum(g > 0 for g, _ in pairs))
    s.figures.update({f"{k}_accuracy": _ratio(ok[k], n[k]) for k in n})
    s.counts = {"quad_scored": len(pairs), **n}
    return s


# -- MUC-4 --------------------------------------------------------------------------------------
def _muc_strings(roles: dict, *keys: str) -> list[str]:
    return [alt for k in keys for entity in roles.get(k) or [] for alt in entity]


def score_muc4(records: list[dict], engine: Any, *,
               progress: Callable[[int], None] | None = None, **_: Any) -> DatasetScores:
    """Document-level attack detection and perpetrator/target roles."""
    coded = code_texts(engine, [(r["id"], r["text"], None) for r in records], batch_size=16, progress=progress)
    s = DatasetScores("MUC-4", len(records))
    tp = fp = fn = tn = 0
    n: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    for r in records:
        roles = r.get("roles") or {}
        has_template = any(roles.get(k) for k in roles)
        attacks = [m for m in coded[r["id"]] if m.event_type == "ASSAULT"
                   or (m.event_type == "COERCE" and (m.mode or "") in ("abduct", "seize"))]
        found = bool(attacks)
        tp += has_template and found
        fp += found and not has_template
        fn += has_template and not found
        tn += not has_template and not found
        if not (has_template and found):
            continue
        perp = _muc_strings(roles, "perp_individual_id", "perp_organization_id")
        tgt = _muc_strings(roles, "hum_tgt_name", "phys_tgt_id")
        if perp:
            n["perpetrator_as_source"] += 1
            ok["perpetrator_as_source"] += any(_overlaps(a.text or a.name, perp) for m in attacks for a in m.source)
        if tgt:
            n["target_as_target"] += 1
            ok["target_as_target"] += any(_overlaps(a.text or a.name, tgt) for m in attacks for a in m.target)
    s.figures = {"attack_doc_precision": _ratio(tp, tp + fp), "attack_doc_recall": _ratio(tp, tp + fn),
                 "no_template_coded_as_attack": _ratio(fp, fp + tn),
                 **{k: _ratio(ok[k], n[k]) for k in n}}
    s.counts = {"with_template": tp + fn, "without_template": fp + tn, **n}
    s.notes.append("the text is all upper case, which the parser reads poorly")
    return s


# -- re3d ---------------------------------------------------------------------------------------
ACTOR_ENTITIES = frozenset({"Organisation", "Person", "Nationality"})


def score_re3d(records: list[dict], engine: Any, *,
               progress: Callable[[int], None] | None = None, **_: Any) -> DatasetScores:
    """Precision of coded actors (their text inside the mention's sentence overlaps an annotated
    Organisation/Person/Nationality) and of coded places (named among the annotated Locations)."""
    from eventcoder.evaluate import same_place_name

    coded = code_texts(engine, [(r["id"], r["text"], None) for r in records], batch_size=16, progress=progress)
    s = DatasetScores("re3d", len(records))
    n: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    for r in records:
        text = r["text"]
        actor_spans = [(e["begin"], e["end"]) for e in r.get("entities", []) if e["type"] in ACTOR_ENTITIES]
        places = [e["value"] for e in r.get("entities", []) if e["type"] == "Location"]
        for m in coded[r["id"]]:
            for a in m.source + m.target:
                if not a.text:
                    continue
                pos = text.find(a.text, m.char_start, m.char_end + 1)
                if pos < 0:
                    continue
                n["actor_precision"] += 1
                ok["actor_precision"] += any(pos < e and b < pos + len(a.text) for b, e in actor_spans)
            if m.location and m.location.precision != "country":
                n["place_precision"] += 1
                ok["place_precision"] += any(same_place_name(m.location.name, p) for p in places)
    s.figures = {k: _ratio(ok[k], n[k]) for k in n}
    s.counts = dict(n)
    s.notes.append("precision only: the coder extracts event participants, not every entity")
    return s


# -- ECB+ ---------------------------------------------------------------------------------------
#: What each ECB+ topic (Cybulska & Vossen 2014; topics 36-45 are its test set, not in ../shared)
#: reports. "crime" and "political" topics are not off-topic: arrests, riots, a navy fighting pirates and
#: an election are events a coder may rightly code.
ECBPLUS_GENRES: dict[int, str] = {
    **dict.fromkeys((1, 2, 4, 6), "entertainment"),
    **dict.fromkeys((5, 7, 10, 25, 29, 31, 35), "sport"),
    **dict.fromkeys((14, 20, 23, 30), "disaster or accident"),
    27: "business",
    **dict.fromkeys((3, 13, 16, 18, 21, 22, 24, 26, 32, 33), "crime"),
    **dict.fromkeys((8, 9, 11, 12, 19, 28, 34), "political"),
}
#: The genres that report no political event.
OFF_TOPIC_GENRES = frozenset({"entertainment", "sport", "disaster or accident", "business"})


def _url_line(sentence: list[str]) -> bool:
    return bool(sentence) and sentence[0].lower() in ("http", "https", "www")


def ecbplus_genre(record: dict) -> str | None:
    """The genre of an ECB+ document's topic (:data:`ECBPLUS_GENRES`), None for an unknown topic."""
    return ECBPLUS_GENRES.get(int(record.get("topic", 0)))


def ecbplus_off_topic(records: Sequence[dict], split: str | None = None,
                      genres: frozenset[str] = OFF_TOPIC_GENRES) -> list[tuple[str, str, str]]:
    """(id, text, genre) of the ECB+ documents of ``genres`` (the off-topic ones unless told; of ``split``
    only, when given), each text a sentence a line; the source URL some documents start with is left out."""
    out = []
    for r in records:
        genre = ecbplus_genre(r)
        if genre not in genres or (split is not None and r.get("split") != split):
            continue
        text, _ = _join_tokens([s for s in r.get("sentences", []) if not _url_line(s)])
        if text.strip():
            out.append((str(r["id"]), text, genre))
    return out


def load_ecbplus(path: Path) -> list[dict]:
    """The records of an ECB+ JSON-lines file (``../shared/datasets/ecbplus``)."""
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except FileNotFoundError:
        raise EventcoderError(f"no ECB+ file at {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise EventcoderError(f"{path} is not ECB+ JSON lines: {exc}") from None


def load_off_topic(path: Path, split: str = "train") -> list[tuple[str, str, str]]:
    """:func:`ecbplus_off_topic` of an ECB+ JSON-lines file."""
    return ecbplus_off_topic(load_ecbplus(path), split)


def _off_topic_figures(records: Sequence[dict], texts: dict[str, str], coded: dict[str, list[Mention]],
                       s: DatasetScores) -> None:
    """Share of the off-topic documents, and of their sentences (the dataset's, a line each in
    ``texts``; source URLs left out), with a coded event, per split."""
    for split in ("train", "dev"):
        docs = [r for r in records if r.get("split") == split and ecbplus_genre(r) in OFF_TOPIC_GENRES]
        if not docs:
            continue
        n_sent = hit_docs = hit_sent = 0
        for r in docs:
            keep = {i for i, sent in enumerate(r.get("sentences", [])) if not _url_line(sent)}
            text = texts[r["id"]]
            lines = {text.count("\n", 0, m.char_start) for m in coded.get(r["id"], [])} & keep
            n_sent += len(keep)
            hit_sent += len(lines)
            hit_docs += bool(lines)
        s.figures[f"off_topic_documents_with_event_{split}"] = _ratio(hit_docs, len(docs))
        s.figures[f"off_topic_sentences_with_event_{split}"] = _ratio(hit_sent, n_sent)
        s.counts[f"off_topic_documents_{split}"] = len(docs)
        s.counts[f"off_topic_sentences_{split}"] = n_sent


def _join_tokens(sentences: list[list[str]]) -> tuple[str, list[tuple[int, int, int, int]]]:
    """A tokenised document as text (tokens joined by spaces, a sentence a line) and each token's
    (start, end, sentence, token) offsets in it."""
    parts: list[str] = []
    offsets: list[tuple[int, int, int, int]] = []
    pos = 0
    for si, sent in enumerate(sentences):
        for ti, tok in enumerate(sent):
            offsets.append((pos, pos + len(tok), si, ti))
            parts.append(tok)
            pos += len(tok)
            sep = " " if ti < len(sent) - 1 else "\n"
            parts.append(sep)
            pos += 1
    return "".join(parts), offsets


def score_ecbplus(records: list[dict], engine: Any, *,
                  progress: Callable[[int], None] | None = None, **_: Any) -> DatasetScores:
    """Cross-document merging: coded mentions whose trigger falls on an annotated ACTION mention
    (in a fully annotated sentence) take its cluster; pairs of them merged into one event are
    scored against the clusters (pairwise P/R and B-cubed)."""
    from eventcoder.pipeline.merge import merge_mentions

    arts: list[tuple[str, str, str | None]] = []
    token_at: dict[str, list[tuple[int, int, int, int]]] = {}  # id -> (start, end, sent, tok)
    for r in records:
        text, offsets = _join_tokens(r.get("sentences", []))
        token_at[r["id"]] = offsets
        arts.append((r["id"], text, None))
    coded = code_texts(engine, arts, batch_size=16, progress=progress)
    gold_of: dict[str, str] = {}
    by_rec = {r["id"]: r for r in records}
    for rid, ms in coded.items():
        r = by_rec[rid]
        full = set(r.get("coref_annotated_sentences") or [])
        actions = {(m["sent"], t): m["cluster"] for m in r.get("mentions", [])
                   if m.get("tag", "").startswith("ACTION") and m.get("cluster") and m["sent"] in full
                   for t in m["tokens"]}
        for m in ms:
            for start, end, si, ti in token_at[rid]:
                if start <= m.trigger_start < end and (si, ti) in actions:
                    gold_of[m.mention_id] = actions[(si, ti)]
                    break
    all_mentions = [m for ms in coded.values() for m in ms]
    events = merge_mentions(all_mentions, {})
    ours = {mid: e.event_id for e in events for mid in e.mention_ids if mid in gold_of}
    ids = sorted(ours)
    s = DatasetScores("ECB+", len(records))
    tp = fp = fn = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            same_gold, same_ours = gold_of[a] == gold_of[b], ours[a] == ours[b]
            tp += same_gold and same_ours
            fp += same_ours and not same_gold
            fn += same_gold and not same_ours
    gold_clusters: dict[str, set[str]] = defaultdict(set)
    our_clusters: dict[str, set[str]] = defaultdict(set)
    for mid in ids:
        gold_clusters[gold_of[mid]].add(mid)
        our_clusters[ours[mid]].add(mid)
    bp = sum(len(our_clusters[ours[m]] & gold_clusters[gold_of[m]]) / len(our_clusters[ours[m]]) for m in ids)
    br = sum(len(our_clusters[ours[m]] & gold_clusters[gold_of[m]]) / len(gold_clusters[gold_of[m]]) for m in ids)
    s.figures = {
        "pairwise_precision": _ratio(tp, tp + fp), "pairwise_recall": _ratio(tp, tp + fn),
        "bcubed_precision": round(bp / len(ids), 4) if ids else 0.0,
        "bcubed_recall": round(br / len(ids), 4) if ids else 0.0,
        "coded_mentions_on_gold_actions": _ratio(len(ids), len(all_mentions)),
    }
    s.counts = {"coded_mentions": len(all_mentions), "mapped_mentions": len(ids), "gold_clusters": len(gold_clusters),
                "gold_pairs": tp + fn, "merged_pairs": tp + fp}
    s.notes.append("only coded mentions whose trigger is an annotated event mention are scored")
    if any(ecbplus_genre(r) in OFF_TOPIC_GENRES for r in records):
        _off_topic_figures(records, {rid: text for rid, text, _ in arts}, coded, s)
        s.notes.append("off-topic: documents of sport, entertainment, disaster/accident and business topics "
                       "(every event coded there is a false alarm); the train split's are trained on as "
                       "negatives, the dev split's never")
    return s


SCORERS: dict[str, Callable[..., DatasetScores]] = {
    "ipe": score_ipe, "conflibert": score_conflibert, "muc4": score_muc4, "re3d": score_re3d,
    "ecbplus": score_ecbplus,
}


def score_dataset(records: list[dict], engine: Any, *, limit: int | None = None, seed: int = 0,
                  progress: Callable[[int], None] | None = None) -> DatasetScores:
    """Score the coder on a dataset file's records (the scorer is chosen by :func:`detect`)."""
    kind = detect(records)
    if kind is None:
        raise ValueError("not a known dataset")
    if kind == "ipe":
        return score_ipe(records, engine, limit=limit, seed=seed, progress=progress)
    if limit and len(records) > limit:
        records = random.Random(seed).sample(records, limit)
    return SCORERS[kind](records, engine, progress=progress)


def dataset_report(s: DatasetScores, gold_path: str) -> str:
    """A Markdown report of a dataset's figures."""
    lines = [f"# eventcoder evaluate — {s.dataset} (`{gold_path}`)", "", f"Records scored: {s.n_records}", "",
             "| figure | value | n |", "|---|---|---|"]
    for k, v in s.figures.items():
        lines.append(f"| {k.replace('_', ' ')} | {v:.3f} | {s.counts.get(k, '')} |")
    for k, v in s.counts.items():
        if k not in s.figures:
            lines.append(f"| {k.replace('_', ' ')} | | {v} |")
    lines += [""] + [f"Note: {n}." for n in s.notes]
    return "\n".join(lines) + "\n"
