"""Scoring the coder against gold data: sentence gold (PLOVER GSR format) and document gold.

Sentence gold: each record is coded as its own article, dated by its ``date``; figures are type
recall (the gold type is among the sentence's mentions), type precision (mentions of the gold
type over all mentions), source/target country accuracy on type-matched records, per-type recall
and precision, and a confusion matrix of gold type vs the most confident coded type.

Document gold: ``{"tol_days", "documents": [...], "events": [...]}``; an output event matches a gold
event when its type is allowed, its actor sides match, its dates overlap the widened gold window
without being much wider, and its location country agrees where both are known.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventcoder.errors import EventcoderError
from eventcoder.models import Article, Event, Mention

NONE = "NONE"


# -- sentence gold ------------------------------------------------------------------------------
@dataclass(slots=True)
class SentenceRecord:
    """One gold sentence: its text, date, type and the countries (first three letters of codes)."""

    id: str
    text: str
    date: str | None
    event_type: str | None
    source: set[str]
    target: set[str]


@dataclass(slots=True)
class SentenceScores:
    n_records: int = 0
    n_mentions: int = 0
    type_recall: float = 0.0
    type_precision: float = 0.0
    source_accuracy: float = 0.0
    target_accuracy: float = 0.0
    n_source_scored: int = 0
    n_target_scored: int = 0
    per_type: dict[str, dict[str, float]] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def _codes(value: Any) -> set[str]:
    """Country/IGO codes of a gold actor field: a list of {code}, a string, or empty."""
    out: set[str] = set()
    if isinstance(value, str):
        for part in value.replace(",", " ").split():
            if len(part) >= 3:
                out.add(part[:3].upper())
    elif isinstance(value, list):
        for item in value:
            code = item.get("code") if isinstance(item, dict) else item
            if isinstance(code, str) and len(code) >= 3:
                out.add(code[:3].upper())
    elif isinstance(value, dict) and isinstance(value.get("code"), str):
        out.add(value["code"][:3].upper())
    return out


def load_sentence_gold(data: dict[str, Any] | list[Any]) -> list[SentenceRecord]:
    """Records of a PLOVER GSR-style file (``records`` list) or a list of such records. Our own
    format (``sentence``/``type``) is accepted too."""
    records = data.get("records", []) if isinstance(data, dict) else data
    out = []
    for i, r in enumerate(records):
        text = r.get("text") or r.get("sentence")
        if not text:
            continue
        etype = r.get("plover16") or r.get("type") or r.get("event")
        etype = etype.upper() if isinstance(etype, str) and etype else None
        out.append(SentenceRecord(
            id=str(r.get("id", i)), text=text, date=r.get("date") or r.get("published"),
            event_type=None if etype == NONE else etype,  # "NONE": a sentence with no codable event
            source=_codes(r.get("source")), target=_codes(r.get("target")),
        ))
    return out


#: Sectors of organisations that the PLOVER gold writes in the country slot as IGO or NGO (its
#: records code the UN, the Red Cross and Amnesty alike as "IGO", forums and committees as "NGO").
ORGANISATION_SECTORS = frozenset({"IGO", "NGO"})


def _countries(actors) -> set[str]:  # noqa: ANN001 - list[Actor]
    """The gold-comparable codes of actors: the country (or organisation) code, and for
    international and non-governmental organisations (UNO, IRC, AMN …, also their officials) IGO and NGO."""
    out: set[str] = set()
    for a in actors:
        if a.country:
            out.add(a.country[:3].upper())
            if (a.sector or "") in ORGANISATION_SECTORS or a.country in _organisation_codes():
                out |= ORGANISATION_SECTORS
    return out


@lru_cache(maxsize=1)
def _organisation_codes() -> frozenset[str]:
    """Codes of the dictionary's international and non-governmental organisations; not a country's
    code, which a national NGO carries ("White Helmets": SYR), or every Syrian actor would pass for one."""
    from eventcoder.pipeline.actors import ActorDictionary

    d = ActorDictionary.default()
    return frozenset(g.code for g in d.igos.values() if g.sector in ORGANISATION_SECTORS and g.code not in d.countries)


def score_sentences(records: Sequence[SentenceRecord], coded: Sequence[list[Mention]]) -> SentenceScores:
    """Score the mentions coded for each gold sentence (``coded[i]`` belongs to ``records[i]``)."""
    s = SentenceScores(n_records=len(records))
    recall_hits = 0
    typed = 0
    precision_hits = 0
    src_ok = src_n = tgt_ok = tgt_n = 0
    per_gold: Counter[str] = Counter()
    per_gold_hit: Counter[str] = Counter()
    per_pred: Counter[str] = Counter()
    per_pred_hit: Counter[str] = Counter()
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for rec, mentions in zip(records, coded, strict=True):
        s.n_mentions += len(mentions)
        gold = rec.event_type or NONE
        top = max(mentions, key=lambda m: m.confidence).event_type if mentions else NONE
        confusion[gold][top] += 1
        for m in mentions:
            per_pred[m.event_type] += 1
            if m.event_type == gold:
                per_pred_hit[m.event_type] += 1
                precision_hits += 1
        if rec.event_type is None:
            continue
        typed += 1
        per_gold[gold] += 1
        matched = [m for m in mentions if m.event_type == gold]
        if not matched:
            s.failures.append({"id": rec.id, "text": rec.text, "gold": gold,
                               "coded": sorted({m.event_type for m in mentions})})
            continue
        recall_hits += 1
        per_gold_hit[gold] += 1
        # Actor sides: compound gold actors may be split across our source/target and vice versa
        # for symmetric events, so a side is right when its countries intersect the gold side.
        best = max(matched, key=lambda m: (bool(_countries(m.source) & rec.source), m.confidence))
        if rec.source:
            src_n += 1
            src_ok += bool(_countries(best.source) & rec.source)
        if rec.target:
            tgt_n += 1
            pred_t = _countries(best.target) or (_countries(best.source) - rec.source)
            tgt_ok += bool(pred_t & rec.target)
    s.type_recall = _ratio(recall_hits, typed)
    s.type_precision = _ratio(precision_hits, s.n_mentions)
    s.source_accuracy, s.n_source_scored = _ratio(src_ok, src_n), src_n
    s.target_accuracy, s.n_target_scored = _ratio(tgt_ok, tgt_n), tgt_n
    for t in sorted(set(per_gold) | set(per_pred)):
        s.per_type[t] = {
            "support": per_gold[t],
            "recall": _ratio(per_gold_hit[t], per_gold[t]),
            "coded": per_pred[t],
            "precision": _ratio(per_pred_hit[t], per_pred[t]),
        }
    s.confusion = {g: dict(c) for g, c in sorted(confusion.items())}
    return s


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


# -- document gold ------------------------------------------------------------------------------
@dataclass(slots=True)
class DocumentScores:
    n_gold_events: int = 0
    n_required: int = 0
    n_output_events: int = 0
    recall: float = 0.0
    precision: float = 0.0
    uniqueness: float = 0.0
    location_accuracy: float = 0.0
    published_accuracy: float = 0.0
    author_accuracy: float = 0.0
    title_accuracy: float = 0.0
    missed: list[str] = field(default_factory=list)
    not_unique: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def _sides(e: Event) -> tuple[set[str], set[str]]:
    return _countries(e.source), _countries(e.target)


def actors_match(gold: dict[str, Any], e: Event) -> bool:
    """Do the event's actor sides match the gold ``a``/``b`` (either order unless directed)?"""
    a, b = {c.upper() for c in gold.get("a", [])}, {c.upper() for c in gold.get("b", [])}
    s, t = _sides(e)
    if (not a or a & s) and (not b or b & t):
        return True
    if not gold.get("directed") and (not a or a & t) and (not b or b & s):
        return True
    # Symmetric events carry both parties as sources ("X and Y agreed").
    if not gold.get("directed") and not t and a & s and b & s:
        return True
    return False


def dates_match(gold: dict[str, Any], e: Event, tol_days: int) -> bool:
    """The event's range overlaps the widened gold window and is not much wider than it."""
    if not e.date:
        return False
    g0, g1 = date.fromisoformat(gold["date_from"]), date.fromisoformat(gold["date_to"])
    e0, e1 = date.fromisoformat(e.date), date.fromisoformat(e.date_end or e.date)
    tol = timedelta(days=tol_days)
    if e1 < g0 - tol or e0 > g1 + tol:
        return False
    return (e1 - e0).days <= 2 * (g1 - g0).days + 2 * tol_days + 1


def event_matches(gold: dict[str, Any], e: Event, tol_days: int) -> bool:
    if e.event_type not in gold.get("types", []):
        return False
    if not actors_match(gold, e) or not dates_match(gold, e, tol_days):
        return False
    lc = gold.get("location_country")
    return not (lc and e.location and e.location.country and e.location.country != lc)


#: Similarity (rapidfuzz ratio, 0-100) at which two folded place names are one name spelled two
#: ways ("Avdiyivka"/"Avdiivka", "Mek'ele"/"Mekelle").
PLACE_NAME_SIMILARITY = 85


def same_place_name(found: str, gold: str) -> bool:
    """Does a geocoded name (GeoNames' spelling, "Idlib Governorate") name the gold place ("Idlib")?
    Case, diacritics, punctuation and generic words (province, region, district) are ignored, and
    transliteration variants count as the same name."""
    from rapidfuzz import fuzz

    from eventcoder.pipeline.places import normalize_name, split_generic

    a, b = (split_generic(normalize_name(x))[0] for x in (found, gold))
    if a == b or fuzz.ratio(a, b) >= PLACE_NAME_SIMILARITY:
        return True
    a, b = _ARABIC_ARTICLE.sub("", a), _ARABIC_ARTICLE.sub("", b)  # "Ar Raqqah" / "Raqqa"
    if bool(a and b) and (a == b or fuzz.ratio(a, b) >= PLACE_NAME_SIMILARITY):
        return True
    skeleton = _skeleton(a)
    if skeleton == _skeleton(b) and len(skeleton.replace(" ", "")) >= 4:
        return True  # "Kafr Zaytā" / "Kafr Zita": one Arabic name, two vowel spellings
    # "northern Syria" has no gazetteer entry of its own: the country (or region) it is part of names it
    a, b = _COMPASS_PART.sub("", a), _COMPASS_PART.sub("", b)
    return bool(a and b) and a == b


def _skeleton(name: str) -> str:
    """A transliterated name's consonants, word by word (vowels, the half-vowels y and w and a final h
    dropped, doubled letters once): Arabic names are spelt with their consonants fixed and their vowels
    free ("Zayta", "Zita"; "Saraqib", "Saraqeb")."""
    words = []
    for w in name.split():
        w = re.sub(r"h$", "", w)
        w = re.sub(r"[aeiouyw]", "", w)
        words.append(re.sub(r"(.)\1+", r"\1", w))
    return " ".join(words)


#: A leading compass part of a place name ("northern", "north-east", "southwestern"), with its space;
#: not a bare "South" or "West", which begin names of their own (South Sudan, West Bank).
_COMPASS_PART = re.compile(r"^(?:(?:north|south)[\s-]?(?:east|west)(?:ern)?|(?:north|south|east|west)ern|central)\s+")


#: A leading Arabic article in a transliterated place name (GeoNames writes "Ar Raqqah", news "Raqqa").
_ARABIC_ARTICLE = re.compile(r"^(?:a[lrsdntz]|el|ash|ath|adh)[\s-]+")


def score_documents(
    gold: dict[str, Any], events: Sequence[Event], articles: dict[str, Article], *,
    event_docs: dict[str, set[str]] | None = None,
) -> DocumentScores:
    """Score merged events and article metadata against document gold.

    ``articles`` maps the gold ``file`` names to stored articles; ``event_docs`` maps event ids
    to the gold file names of their mentions (to restrict matches to the right documents).
    """
    tol = int(gold.get("tol_days", 2))
    s = DocumentScores(n_gold_events=len(gold.get("events", [])), n_output_events=len(events))
    matched_output: set[str] = set()
    req_hit = uniq_n = uniq_ok = loc_n = loc_ok = 0
    for g in gold.get("events", []):
        docs = set(g.get("docs", []))
        cands = [e for e in events if event_matches(g, e, tol)
                 and (event_docs is None or not docs or event_docs.get(e.event_id, set()) & docs)]
        matched_output.update(e.event_id for e in cands)
        if g.get("required", True):
            s.n_required += 1
            if cands:
                req_hit += 1
            else:
                s.missed.append(g["id"])
        if g.get("unique"):
            uniq_n += 1
            if len(cands) == 1:
                uniq_ok += 1
            else:
                s.not_unique.append(f"{g['id']} ({len(cands)})")
        if cands and (g.get("location_country") or g.get("location_names")):
            loc_n += 1
            best = max(cands, key=lambda e: e.n_mentions)
            loc = best.location
            ok = bool(loc) and (not g.get("location_country") or loc.country == g["location_country"])
            names = g.get("location_names") or []
            if ok and names and loc.precision != "country":
                ok = any(same_place_name(loc.name, n) for n in names)
            loc_ok += ok
    s.recall = _ratio(req_hit, s.n_required)
    s.precision = _ratio(len(matched_output), len(events))
    s.uniqueness = _ratio(uniq_ok, uniq_n)
    s.location_accuracy = _ratio(loc_ok, loc_n)
    pub = auth = auth_n = title = title_n = 0
    docs_gold = gold.get("documents", [])
    for d in docs_gold:
        art = articles.get(d["file"])
        if art is None:
            continue
        if art.published and d.get("published_from") and d["published_from"] <= art.published <= d.get(
                "published_to", d["published_from"]):
            pub += 1
        if d.get("author"):
            auth_n += 1
            auth += d["author"].lower() in [a.lower() for a in art.author]
        if d.get("title"):
            title_n += 1
            title += (art.title or "").strip().lower() == d["title"].strip().lower()
    s.published_accuracy = _ratio(pub, len(docs_gold))
    s.author_accuracy = _ratio(auth, auth_n)
    s.title_accuracy = _ratio(title, title_n)
    return s


# -- news gold: every event of real articles, anchored to its sentences ----------------------------
#: A news-gold event names the sentences that report it (``sentences``: [[start, end], ...] into its
#: article's text); an output event is matched in each article where one of its mentions overlaps
#: one of those sentences. See eval/GUIDELINES.md for how the gold is made.


def is_news_gold(data: Any) -> bool:
    """Document gold whose events carry sentence offsets (the real-news gold of eval/news)."""
    return is_document_gold(data) and any("sentences" in g for g in data.get("events", []))


@dataclass(slots=True)
class Unit:
    """What the scorer compares in one article: an event (gold or coded) and its sentence spans there."""

    article: str
    spans: list[tuple[int, int]]
    event_type: str
    source: set[str]
    target: set[str]
    source_sectors: set[str]
    target_sectors: set[str]
    date_from: str | None
    date_to: str | None
    place_name: str | None
    place_country: str | None
    mode: str | None = None
    ref: str = ""


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s0 < e1 and s1 < e0 for s0, e0 in a for s1, e1 in b)


def _pair_score(g: Unit, u: Unit) -> float:
    """How well two sentence-overlapping units agree: type first, then actors, then date."""
    score = 1.0 + 3.0 * (g.event_type == u.event_type)
    score += bool(g.source & (u.source | u.target)) + bool(g.target & (u.source | u.target))
    score += 0.5 * _windows_overlap(g, u, 1)
    return score


def _windows_overlap(a: Unit, b: Unit, tol_days: int) -> bool:
    if not (a.date_from and b.date_from):
        return False
    a0, a1 = date.fromisoformat(a.date_from), date.fromisoformat(a.date_to or a.date_from)
    b0, b1 = date.fromisoformat(b.date_from), date.fromisoformat(b.date_to or b.date_from)
    tol = timedelta(days=tol_days)
    return not (b1 < a0 - tol or b0 > a1 + tol)


def match_units(gold: Sequence[Unit], coded: Sequence[Unit]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, coded index) of units of one article whose sentences overlap,
    best-agreeing pairs first (greedy on :func:`_pair_score`)."""
    pairs = sorted(
        ((_pair_score(g, u), i, j) for i, g in enumerate(gold) for j, u in enumerate(coded)
         if g.article == u.article and _overlap(g.spans, u.spans)),
        key=lambda t: (-t[0], t[1], t[2]))
    used_g: set[int] = set()
    used_c: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_g and j not in used_c:
            used_g.add(i)
            used_c.add(j)
            out.append((i, j))
    return out


def gold_unit(g: dict[str, Any]) -> Unit:
    """A news-gold event as a unit (its article is ``docs[0]``)."""
    def side(key: str) -> tuple[set[str], set[str]]:
        a = g.get(key) or {}
        c = (a.get("country") or "").upper()
        sec = (a.get("sector") or "").upper()
        return ({c} if c else set()), ({sec} if sec else set())

    src, src_sec = side("source")
    tgt, tgt_sec = side("target")
    place = g.get("place") or {}
    return Unit(gold_name(g["docs"][0]), [tuple(s) for s in g["sentences"]], g["type"], src, tgt, src_sec, tgt_sec,
                g.get("date_from"), g.get("date_to"), place.get("name"), place.get("country"), g.get("mode") or None,
                g.get("id", ""))


def coded_units(events: Sequence[Event], mentions: dict[str, Mention], articles: set[str]) -> list[Unit]:
    """Each output event once per gold article it has mentions in, with those mentions' sentence spans."""
    out = []
    for e in events:
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for mid in e.mention_ids:
            m = mentions.get(mid)
            if m is not None and m.article_id in articles:
                spans[m.article_id].append((m.char_start, m.char_end))
        loc = e.location
        for art, sp in spans.items():
            out.append(Unit(art, sp, e.event_type, _countries(e.source), _countries(e.target),
                            {(a.sector or "").upper() for a in e.source if a.sector},
                            {(a.sector or "").upper() for a in e.target if a.sector},
                            e.date, e.date_end or e.date, loc.name if loc else None, loc.country if loc else None,
                            e.mode, e.event_id))
    return out


@dataclass(slots=True)
class NewsScores:
    """Figures on news gold. ``real_share`` is precision: coded events (per article) matching a gold
    event of their article; detection ignores the type, ``typed_*`` also require it."""

    n_articles: int = 0
    n_gold_events: int = 0
    n_coded_events: int = 0
    n_matched: int = 0
    n_covered_dyads: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    real_share: float = 0.0
    typed_precision: float = 0.0
    typed_recall: float = 0.0
    typed_f1: float = 0.0
    type_accuracy: float = 0.0
    mode_accuracy: float = 0.0
    source_country_accuracy: float = 0.0
    target_country_accuracy: float = 0.0
    source_sector_accuracy: float = 0.0
    target_sector_accuracy: float = 0.0
    date_accuracy: float = 0.0
    place_accuracy: float = 0.0
    place_country_accuracy: float = 0.0
    scored: dict[str, int] = field(default_factory=dict)
    per_type: dict[str, dict[str, float]] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def score_news(gold: dict[str, Any], events: Sequence[Event], mentions: dict[str, Mention]) -> NewsScores:
    """Score output events against news gold, article by article (see the section comment)."""
    tol = int(gold.get("tol_days", 1))
    docs = {gold_name(d["file"]) for d in gold.get("documents", [])}
    gold_units = [gold_unit(g) for g in gold.get("events", [])]
    docs |= {g.article for g in gold_units}
    coded = coded_units(events, mentions, docs)
    s = NewsScores(n_articles=len(docs), n_gold_events=len(gold_units), n_coded_events=len(coded))
    by_art_g: dict[str, list[int]] = defaultdict(list)
    by_art_c: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gold_units):
        by_art_g[g.article].append(i)
    for j, u in enumerate(coded):
        by_art_c[u.article].append(j)
    pairs: list[tuple[int, int]] = []
    for art in docs:
        gi, cj = by_art_g.get(art, []), by_art_c.get(art, [])
        pairs += [(gi[a], cj[b]) for a, b in match_units([gold_units[i] for i in gi], [coded[j] for j in cj])]
    s.n_matched = len(pairs)
    covered = _covered_dyads(gold_units, coded, pairs)
    s.n_covered_dyads = len(covered)
    found = len(pairs) + len(covered)
    s.precision, s.recall = _ratio(len(pairs), len(coded)), _ratio(found, len(gold_units))
    s.f1, s.real_share = _f1(s.precision, s.recall), s.precision
    n: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    for i, j in pairs:
        g, u = gold_units[i], coded[j]
        for key, scored, right in (
            ("type", True, g.event_type == u.event_type),
            ("mode", g.event_type == u.event_type and bool(g.mode), (g.mode or "") == (u.mode or "")),
            ("source_country", bool(g.source), bool(g.source & u.source)),
            ("target_country", bool(g.target), bool(g.target & u.target)),
            ("source_sector", bool(g.source_sectors), bool(g.source_sectors & u.source_sectors)),
            ("target_sector", bool(g.target_sectors), bool(g.target_sectors & u.target_sectors)),
            ("date", bool(g.date_from), _date_ok(g, u, tol)),
            ("place", bool(g.place_name), bool(u.place_name) and u.place_country == g.place_country
             and same_place_name(u.place_name or "", g.place_name or "")),
            ("place_country", bool(g.place_country), u.place_country == g.place_country),
        ):
            if scored:
                n[key] += 1
                ok[key] += right
    for key in n:
        setattr(s, f"{key}_accuracy", _ratio(ok[key], n[key]))
    s.scored = dict(n)
    typed = sum(1 for i, j in pairs if gold_units[i].event_type == coded[j].event_type)
    s.typed_precision, s.typed_recall = _ratio(typed, len(coded)), _ratio(typed + len(covered), len(gold_units))
    s.typed_f1 = _f1(s.typed_precision, s.typed_recall)
    gold_t = Counter(g.event_type for g in gold_units)
    coded_t = Counter(u.event_type for u in coded)
    hit_t = Counter(gold_units[i].event_type for i, j in pairs if gold_units[i].event_type == coded[j].event_type)
    hit_t.update(gold_units[i].event_type for i in covered)
    for t in sorted(set(gold_t) | set(coded_t)):
        p, r = _ratio(hit_t[t], coded_t[t]), _ratio(hit_t[t], gold_t[t])
        s.per_type[t] = {"gold": gold_t[t], "coded": coded_t[t], "recall": r, "precision": p, "f1": _f1(p, r)}
    matched_g = {i for i, _ in pairs} | covered
    matched_c = {j for _, j in pairs}
    s.missed = [gold_units[i].ref for i in range(len(gold_units)) if i not in matched_g]
    s.spurious = [f"{coded[j].ref}@{coded[j].article}" for j in range(len(coded)) if j not in matched_c]
    return s


def _covered_dyads(gold: Sequence[Unit], coded: Sequence[Unit], pairs: list[tuple[int, int]]) -> set[int]:
    """Gold events left unmatched that another dyad of a matched coded event accounts for.

    The gold writes one record per dyad (ICEWS-style: "X demanded that A, B and C ..." is three
    events); a coded event may carry several actors on a side. An unmatched gold event counts as found
    when a matched coded event of the same type overlaps its sentences and has its source and target
    countries among its actors (the precision side is unchanged: the coded event was counted once)."""
    matched_g = {i for i, _ in pairs}
    out: set[int] = set()
    for i, g in enumerate(gold):
        if i in matched_g or not (g.source or g.target):
            continue
        for _, j in pairs:
            u = coded[j]
            actors = u.source | u.target
            if (u.article == g.article and u.event_type == g.event_type and _overlap(g.spans, u.spans)
                    and g.source <= actors and g.target <= actors):
                out.add(i)
                break
    return out


def _date_ok(g: Unit, u: Unit, tol_days: int) -> bool:
    """The coded range overlaps the gold window (widened by ``tol_days``) and is not much wider."""
    if not (u.date_from and g.date_from):
        return False
    if not _windows_overlap(g, u, tol_days):
        return False
    gw = (date.fromisoformat(g.date_to or g.date_from) - date.fromisoformat(g.date_from)).days
    uw = (date.fromisoformat(u.date_to or u.date_from) - date.fromisoformat(u.date_from)).days
    return uw <= 2 * gw + 2 * tol_days + 1


def news_report(s: NewsScores, gold_path: str) -> str:
    """A Markdown report of news-gold scores."""
    sc = s.scored
    lines = [
        f"# eventcoder evaluate — `{gold_path}`", "",
        f"Articles: {s.n_articles}; gold events: {s.n_gold_events}; coded events (per article): "
        f"{s.n_coded_events}; matched one to one: {s.n_matched}; further gold dyads of a matched multi-actor event: "
        f"{s.n_covered_dyads}", "",
        "| figure | value |", "|---|---|",
        f"| event precision (share of coded events that are real) | {s.precision:.3f} |",
        f"| event recall | {s.recall:.3f} |",
        f"| event F1 | {s.f1:.3f} |",
        f"| typed event precision / recall / F1 | {s.typed_precision:.3f} / {s.typed_recall:.3f} / {s.typed_f1:.3f} |",
        f"| type accuracy on matched events (n={sc.get('type', 0)}) | {s.type_accuracy:.3f} |",
        f"| mode accuracy, type right (n={sc.get('mode', 0)}) | {s.mode_accuracy:.3f} |",
        f"| source country accuracy (n={sc.get('source_country', 0)}) | {s.source_country_accuracy:.3f} |",
        f"| target country accuracy (n={sc.get('target_country', 0)}) | {s.target_country_accuracy:.3f} |",
        f"| source sector accuracy (n={sc.get('source_sector', 0)}) | {s.source_sector_accuracy:.3f} |",
        f"| target sector accuracy (n={sc.get('target_sector', 0)}) | {s.target_sector_accuracy:.3f} |",
        f"| date accuracy (n={sc.get('date', 0)}) | {s.date_accuracy:.3f} |",
        f"| place accuracy (n={sc.get('place', 0)}) | {s.place_accuracy:.3f} |",
        f"| place country accuracy (n={sc.get('place_country', 0)}) | {s.place_country_accuracy:.3f} |",
        "", "## Per type", "", "| type | gold | coded | recall | precision | F1 |", "|---|---|---|---|---|---|",
    ]
    for t, v in s.per_type.items():
        lines.append(f"| {t} | {v['gold']} | {v['coded']} | {v['recall']:.3f} | {v['precision']:.3f} | {v['f1']:.3f} |")
    return "\n".join(lines) + "\n"


def news_gold_events(paths: Sequence[Path]) -> tuple[dict[str, list[dict[str, Any]]], Path | None]:
    """The events of news-gold files by article id (every listed document, with or without events)
    and where their articles are (the last file's ``corpus``, relative to it)."""
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    corpus: Path | None = None
    for path in paths:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
        corpus = Path(path).parent / gold["corpus"]
        for d in gold["documents"]:
            events.setdefault(gold_name(d["file"]), [])
        for g in gold["events"]:
            events[gold_name(g["docs"][0])].append(g)
    return events, corpus


def news_corpus_subset(corpus: Path, ids: set[str], out: Path) -> Path:
    """The records of a JSON-lines corpus whose ``id`` is in ``ids``, written to ``out`` (so only
    the gold's articles are coded); a directory or other file is returned unchanged."""
    if corpus.suffix not in (".jsonl", ".ndjson") or not corpus.is_file():
        return corpus
    with corpus.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            try:
                rid = str(json.loads(line).get("id"))
            except (json.JSONDecodeError, AttributeError):
                continue
            if rid in ids:
                dst.write(line)
    return out


def news_gold_subset(paths: Sequence[Path], keep: set[str], out: Path) -> Path:
    """A news-gold file of the articles in ``keep`` from the gold files ``paths`` (their corpus path
    made absolute), written to ``out``: what the training scripts train on when part of the gold is
    held out (scripts/train_eventness.py, benchmarks/crossfit.py)."""
    docs: list[dict[str, Any]] = []
    evs: list[dict[str, Any]] = []
    corpus = None
    for path in paths:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
        corpus = str((Path(path).parent / gold["corpus"]).resolve())
        docs += [d for d in gold["documents"] if gold_name(d["file"]) in keep]
        evs += [g for g in gold["events"] if gold_name(g["docs"][0]) in keep]
    out.write_text(json.dumps({"corpus": corpus, "tol_days": 1, "documents": docs, "events": evs}), encoding="utf-8")
    return out


def news_gold_articles(
    paths: Sequence[Path], only: set[str] | None = None
) -> tuple[dict[str, list[dict[str, Any]]], list[Article]]:
    """The events of news-gold files by article id (:func:`news_gold_events`) and their articles as the
    pipeline reads them (only those in ``only``, when given); the training scripts code these."""
    import tempfile

    from eventcoder.pipeline.ingest import read_inputs

    events, corpus = news_gold_events(paths)
    if corpus is None or not corpus.is_file():
        raise EventcoderError(f"the gold's articles are not at {corpus} (../shared is needed to train)")
    wanted = set(events) if only is None else set(events) & only
    with tempfile.TemporaryDirectory() as tmp:
        subset = news_corpus_subset(corpus, wanted, Path(tmp) / "articles.jsonl")
        articles = [a for a in read_inputs([subset]) if isinstance(a, Article)]
    return events, articles


def score_news_store(gold: dict[str, Any], store: Any) -> NewsScores:
    """Score the events of a store against news gold."""
    from eventcoder.store import event_from_row, mention_from_row

    events = [event_from_row(r) for r in store.query("SELECT * FROM events")]
    mentions = {m.mention_id: m for m in (mention_from_row(r) for r in store.query("SELECT * FROM mentions"))}
    return score_news(gold, events, mentions)


def load_gold(path: Path) -> dict[str, Any] | list[Any]:
    """A gold file: JSON (GSR ``records`` or document gold) or JSON lines of sentence records."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        if Path(path).suffix in (".jsonl", ".ndjson"):
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        return json.loads(text)
    except FileNotFoundError:
        raise EventcoderError(f"no such gold file: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise EventcoderError(f"gold file {path} is not valid JSON: {exc}") from None


def is_document_gold(data: Any) -> bool:
    return isinstance(data, dict) and "documents" in data and "events" in data


# -- running the pipeline for an evaluation -------------------------------------------------------
def code_texts(engine: Any, items: Sequence[tuple[str, str, str | None]], batch_size: int = 64,
               progress: Callable[[int], None] | None = None) -> dict[str, list[Mention]]:
    """The mentions of each (id, text, publication date) item, coded as an article of its own
    (nothing merges); ``progress`` is told how many items each batch coded."""
    from eventcoder.pipeline.ingest import content_hash

    out: dict[str, list[Mention]] = {i: [] for i, _, _ in items}
    for start in range(0, len(items), batch_size):
        chunk = items[start:start + batch_size]
        articles = [Article(article_id=i, text=t, published=d, published_basis="input" if d else "unknown",
                            content_hash=content_hash(t + i)) for i, t, d in chunk]
        for m in engine.code_articles(articles):
            out[m.article_id].append(m)
        if progress:
            progress(len(chunk))
    return out


def code_sentence_records(records: Sequence[SentenceRecord], engine: Any, batch_size: int = 64) -> list[list[Mention]]:
    """Code each gold sentence as its own article dated by its record date (nothing merges)."""
    coded = code_texts(engine, [(r.id, r.text, r.date) for r in records], batch_size)
    return [coded[r.id] for r in records]


def gold_name(name: str) -> str:
    """A gold ``docs``/``file`` entry as an article id: ``news.jsonl#A3`` names record ``A3``."""
    return name.split("#", 1)[1] if "#" in name else name


def score_document_store(gold: dict[str, Any], store: Any) -> DocumentScores:
    """Score the events and articles of a store against document gold."""
    from eventcoder.store import event_from_row, mention_from_row

    rows = store.query("SELECT * FROM events")
    mentions = {m.mention_id: m for m in (mention_from_row(r) for r in store.query("SELECT * FROM mentions"))}
    events = [event_from_row(r) for r in rows]
    event_docs = {e.event_id: {mentions[i].article_id for i in e.mention_ids if i in mentions} for e in events}
    gold = dict(gold, events=[dict(g, docs=[gold_name(d) for d in g.get("docs", [])]) for g in gold.get("events", [])],
                documents=[dict(d, file=gold_name(d["file"])) for d in gold.get("documents", [])])
    articles = {}
    for r in store.query("SELECT article_id, title, author, published, published_basis FROM articles"):
        articles[r["article_id"]] = Article(
            article_id=r["article_id"], text="", title=r["title"], author=list(r["author"] or []),
            published=r["published"].isoformat() if r["published"] else None,
            published_basis=r["published_basis"],
        )
    return score_documents(gold, events, articles, event_docs=event_docs)


def sentence_report(s: SentenceScores, gold_path: str) -> str:
    """A Markdown report of sentence-gold scores."""
    lines = [
        f"# eventcoder evaluate — `{gold_path}`", "",
        f"Records: {s.n_records}; coded mentions: {s.n_mentions}", "",
        "| figure | value |", "|---|---|",
        f"| type recall | {s.type_recall:.3f} |",
        f"| type precision | {s.type_precision:.3f} |",
        f"| source country accuracy (n={s.n_source_scored}) | {s.source_accuracy:.3f} |",
        f"| target country accuracy (n={s.n_target_scored}) | {s.target_accuracy:.3f} |",
        "", "## Per type", "", "| type | gold | recall | coded | precision |", "|---|---|---|---|---|",
    ]
    for t, v in s.per_type.items():
        lines.append(f"| {t} | {v['support']} | {v['recall']:.3f} | {v['coded']} | {v['precision']:.3f} |")
    cols = sorted({p for row in s.confusion.values() for p in row})
    lines += ["", "## Confusion (gold rows × top coded type)", "", "| gold \\ coded | " + " | ".join(cols) + " |",
              "|---|" + "---|" * len(cols)]
    for g, row in s.confusion.items():
        lines.append(f"| {g} | " + " | ".join(str(row.get(c, "")) for c in cols) + " |")
    if s.failures:
        lines += ["", "## Missed records (first 30)", ""]
        for f in s.failures[:30]:
            lines.append(f"- `{f['id']}` gold {f['gold']}, coded {', '.join(f['coded']) or 'nothing'}: {f['text']}")
    return "\n".join(lines) + "\n"


def document_report(s: DocumentScores, gold_path: str) -> str:
    """A Markdown report of document-gold scores."""
    lines = [
        f"# eventcoder evaluate — `{gold_path}`", "",
        "| figure | value |", "|---|---|",
        f"| gold events (required) | {s.n_gold_events} ({s.n_required}) |",
        f"| output events | {s.n_output_events} |",
        f"| recall (required) | {s.recall:.3f} |",
        f"| precision | {s.precision:.3f} |",
        f"| uniqueness | {s.uniqueness:.3f} |",
        f"| location accuracy | {s.location_accuracy:.3f} |",
        f"| article published accuracy | {s.published_accuracy:.3f} |",
        f"| article author accuracy | {s.author_accuracy:.3f} |",
        f"| article title accuracy | {s.title_accuracy:.3f} |",
    ]
    if s.missed:
        lines += ["", f"Missed required events: {', '.join(s.missed)}"]
    if s.not_unique:
        lines += ["", f"Not unique: {', '.join(s.not_unique)}"]
    return "\n".join(lines) + "\n"
