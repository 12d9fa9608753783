"""The merge stage: one event per real-world happening, however many sentences report it.

Two steps over all mentions of a database:

1. :func:`mark_recycled` finds sentences that recur across articles (exactly or nearly, with
   MinHash LSH over word shingles) and marks their mentions ``is_background``; such mentions
   keep the date their own text gives.
2. :func:`merge_mentions` blocks mentions by event type and the set of countries involved,
   orders each block by date, and clusters greedily: a mention joins the best compatible cluster
   (dates overlap within a tolerance, places agree, actor names do not conflict) or starts one.
   Ordering and ids depend only on mention content, so the same corpus gives the same events
   and ids in any input order, and re-running is idempotent.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from datasketch import MinHash, MinHashLSH

from . import settings
from .models import Actor, Event, Mention, Place

_WORD = re.compile(r"[a-z0-9]+")
_BASIS_RANK = {"explicit": 0, "relative": 1, "publication": 2}
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_PLACE_RANK = {"city": 0, "admin": 1, "country": 2}


# -- recycled text ------------------------------------------------------------------------------
def _shingles(text: str, n: int = 3) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def recycled_sentences(
    sentences: Sequence[tuple[str, str]], threshold: float = 0.6, num_perm: int = 64
) -> set[int]:
    """Indexes of ``(article_id, sentence)`` pairs whose sentence recurs, exactly or nearly, in
    at least ``settings.RECYCLED_MIN_ARTICLES`` distinct articles."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes: list[MinHash | None] = []
    for i, (_, text) in enumerate(sentences):
        sh = _shingles(text)
        if len(sh) < 4:
            hashes.append(None)
            continue
        mh = MinHash(num_perm=num_perm, seed=1)
        mh.update_batch([s.encode("utf-8") for s in sh])
        lsh.insert(str(i), mh)
        hashes.append(mh)
    out: set[int] = set()
    for i, mh in enumerate(hashes):
        if mh is None:
            continue
        articles = {sentences[int(j)][0] for j in lsh.query(mh)}
        if len(articles) >= settings.RECYCLED_MIN_ARTICLES:
            out.add(i)
    return out


def mark_recycled(mentions: Sequence[Mention]) -> int:
    """Mark mentions whose sentence is recycled across articles as background; returns how many."""
    recycled = recycled_sentences([(m.article_id, m.sentence) for m in mentions])
    for i in recycled:
        mentions[i].is_background = True
    return len(recycled)


# -- compatibility ------------------------------------------------------------------------------
def _range(m: Mention) -> tuple[date, date] | None:
    if not m.date:
        return None
    start = date.fromisoformat(m.date)
    end = date.fromisoformat(m.date_end or m.date)
    tol = settings.MERGE_DATE_TOLERANCE_DAYS if m.date_precision == "day" else 0
    if m.date_basis == "publication":
        # Undated in its text: the event happened on or before the report, recently.
        start -= timedelta(days=settings.MERGE_UNDATED_LOOKBACK_DAYS)
    return start - timedelta(days=tol), end + timedelta(days=tol)


def _dates_compatible(a: Mention, b: Mention) -> bool:
    ra, rb = _range(a), _range(b)
    if ra is None or rb is None:
        return True
    return ra[0] <= rb[1] and rb[0] <= ra[1]


def _km(a: Place, b: Place) -> float:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return 0.0
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def places_compatible(a: Place | None, b: Place | None) -> bool:
    """Could two places be where one event happened? Unknown places are compatible with any."""
    if a is None or b is None:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if a.precision == "country" or b.precision == "country":
        return True
    return _km(a, b) <= settings.MERGE_MAX_DISTANCE_KM


#: Words that make a multi-word actor name an institution or a role, not a person.
_INSTITUTION_WORDS = frozenset("""
assembly ministry parliament army forces council government court nations union organization organisation
party front committee agency office service police guard republic state states bank fund commission movement
brigade corps command national defence defense foreign president minister counterpart ministers military
troops embassy ambassador navy air force forces people council senate congress house cabinet
""".split())


def _person_names(m: Mention) -> dict[str, set[str]]:
    """Named people per country among a mention's actors (surnames, lowercased)."""
    out: dict[str, set[str]] = defaultdict(set)
    for a in m.source + m.target:
        words = a.name.split()
        if (a.country and len(words) >= 2 and all(w[:1].isupper() for w in words)
                and not any(w.lower() in _INSTITUTION_WORDS for w in words)):
            out[a.country].add(words[-1].lower())
    return out


def _countries(m: Mention) -> frozenset[str]:
    return frozenset(a.country or a.name.lower() for a in m.source + m.target)


def people_compatible(a: Mention, b: Mention) -> bool:
    """No country is represented by different named people ("Hasanov–Akar" is not "Hasanov–Yalcin")."""
    pa, pb = _person_names(a), _person_names(b)
    return all(pa[c] & pb[c] for c in set(pa) & set(pb))


@dataclass(slots=True)
class _Cluster:
    members: list[Mention]

    def compatible(self, m: Mention) -> bool:
        """Same parties (the same countries, or a subset of them told in an article already in the
        cluster), overlapping dates, compatible places and no conflicting named people."""
        mine, theirs = _countries(m), frozenset().union(*(_countries(o) for o in self.members))
        src_m = {a.country for a in m.source} - {None}
        src_c = {a.country for o in self.members for a in o.source} - {None}
        if m.event_type in DIRECTED_TYPES and src_m and src_c and not src_m & src_c:
            return False  # "Armenia asked Russia" is not "Russia called on Armenia"
        if mine != theirs:
            # One report may miss a party (a shelled town is no actor): a subset is the same event,
            # and so are sets that differ but share the acting country.
            shared_source = {a.country for a in m.source} & {a.country for o in self.members for a in o.source}
            if not (mine & theirs) or not (mine <= theirs or theirs <= mine or shared_source - {None}):
                return False
        return all(
            _dates_compatible(m, o) and places_compatible(m.location, o.location) and people_compatible(m, o)
            for o in self.members
        )

    def score(self, m: Mention) -> float:
        """How well ``m`` fits: shared words, same place, same precise date."""
        words = set(_WORD.findall(m.sentence.lower()))
        best = 0.0
        for o in self.members:
            ow = set(_WORD.findall(o.sentence.lower()))
            jac = len(words & ow) / max(1, len(words | ow))
            same_day = 1.0 if (m.date == o.date and m.date_precision == o.date_precision == "day") else 0.0
            same_place = 1.0 if (m.location and o.location and m.location.name == o.location.name) else 0.0
            same_type = 1.0 if m.event_type == o.event_type else 0.0
            best = max(best, jac + 0.5 * same_day + 0.3 * same_place + 0.3 * same_type)
        return best


#: Types whose direction matters: A's accusation of B is not B's accusation of A.
DIRECTED_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "SANCTION", "COERCE", "ASSAULT", "AID",
                            "PROTEST", "MOBILIZE", "RETREAT", "CONCEDE"})
#: Types that outlets use for the same happening ("signed a deal" / "concluded an accord",
#: "expelled" / "sanctioned") are blocked together; the event takes its members' majority type.
TYPE_FAMILIES = {"AGREE": "AGREE", "SUPPORT": "AGREE", "SANCTION": "COERCE", "COERCE": "COERCE",
                 "CONCEDE": "RETREAT", "RETREAT": "RETREAT"}


def _block_key(m: Mention) -> str:
    return TYPE_FAMILIES.get(m.event_type, m.event_type)


def _sort_key(m: Mention) -> tuple:
    return (
        _BASIS_RANK.get(m.date_basis or "publication", 3),
        _PRECISION_RANK.get(m.date_precision or "year", 3),
        m.date or "9999",
        m.mention_id,
    )


def merge_mentions(
    mentions: Sequence[Mention],
    articles_source: dict[str, str] | None = None,
    *,
    min_score: float = settings.MERGE_MIN_SCORE,
) -> list[Event]:
    """Cluster mentions into events; sets each mention's ``event_id``. Order-independent.

    A mention joins the compatible cluster it fits best when its fit score (shared wording, same
    day, same place) reaches ``min_score``; otherwise it starts an event of its own.
    """
    blocks: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        blocks[_block_key(m)].append(m)
    events: list[Event] = []
    for key in sorted(blocks):
        clusters: list[_Cluster] = []
        # Precise mentions first, so that vague ones join the cluster they fit best.
        for m in sorted(blocks[key], key=_sort_key):
            scored = [(c.score(m), -i, c) for i, c in enumerate(clusters) if c.compatible(m)]
            best = max(scored, key=lambda t: t[:2], default=None)
            if best is not None and best[0] >= min_score:
                best[2].members.append(m)
            else:
                clusters.append(_Cluster([m]))
        for c in clusters:
            events.append(build_event(c.members, articles_source or {}))
    events.sort(key=lambda e: (e.date or "", e.event_id))
    return events


# -- event record -------------------------------------------------------------------------------
def event_id_for(mention_ids: Sequence[str]) -> str:
    """Deterministic event id from the mentions that support it (their smallest id)."""
    return "ev_" + hashlib.sha1(min(mention_ids).encode("utf-8")).hexdigest()[:16]


def _merge_actors(lists: Sequence[list[Actor]]) -> list[Actor]:
    out: list[Actor] = []
    seen: set[tuple[str, str | None]] = set()
    for actors in lists:
        for a in actors:
            key = (a.name.lower(), a.country)
            if key not in seen:
                seen.add(key)
                out.append(a)
    return out


def count_sources(article_ids: set[str], articles_source: dict[str, str]) -> int:
    """Distinct outlets among the articles (case-insensitive); articles of unknown outlet count
    together as one source, so that independence is never overstated."""
    known = {articles_source[a].strip().casefold() for a in article_ids if articles_source.get(a)}
    unknown = any(not articles_source.get(a) for a in article_ids)
    return len(known) + int(unknown)


def build_event(members: list[Mention], articles_source: dict[str, str]) -> Event:
    """The event record of a cluster: the best-dated, best-placed reading of its mentions."""
    ids = sorted(m.mention_id for m in members)
    eid = event_id_for(ids)
    for m in members:
        m.event_id = eid
    lead = max(members, key=lambda m: (bool(m.source), m.confidence, -_BASIS_RANK.get(m.date_basis or "", 3),
                                       m.mention_id))
    dated = min(members, key=_sort_key)
    placed = [m.location for m in members if m.location is not None]
    location = None
    if placed:
        counts = Counter((p.name, p.country) for p in placed)
        location = min(placed, key=lambda p: (_PLACE_RANK.get(p.precision, 3), -counts[(p.name, p.country)]))
    lead_src = {a.country for a in lead.source}
    same_dir = [m for m in members if {a.country for a in m.source} & lead_src or not m.source]
    other_dir = [m for m in members if m not in same_dir]
    source = _merge_actors([lead.source] + [m.source for m in same_dir] + [m.target for m in other_dir])
    target = _merge_actors([lead.target] + [m.target for m in same_dir] + [m.source for m in other_dir])
    target = [a for a in target if (a.name.lower(), a.country) not in {(s.name.lower(), s.country) for s in source}]
    types = Counter(m.event_type for m in members)
    modes = Counter(m.mode for m in members if m.event_type == lead.event_type)
    conf = 1.0
    for m in members:
        conf *= 1.0 - m.confidence
    articles = {m.article_id for m in members}
    return Event(
        event_id=eid,
        event_type=types.most_common(1)[0][0],
        mode=modes.most_common(1)[0][0] if modes else None,
        source=source,
        target=target,
        date=dated.date,
        date_end=dated.date_end,
        date_precision=dated.date_precision,
        date_basis=dated.date_basis,
        location=location,
        cameo_code=lead.cameo_code,
        goldstein=lead.goldstein,
        quad_class=lead.quad_class,
        confidence=round(1.0 - conf, 3),
        n_articles=len(articles),
        n_sources=count_sources(articles, articles_source),
        n_mentions=len(members),
        mention_ids=ids,
    )
