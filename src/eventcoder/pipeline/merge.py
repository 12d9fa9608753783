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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from eventcoder import settings
from eventcoder.models import Actor, Event, Mention, Place
from eventcoder.pipeline.lexical import PARTY_CAMEO

if TYPE_CHECKING:  # datasketch pulls in scipy (~1.4 s): imported where used, so coding workers never load it
    from datasketch import MinHash

_WORD = re.compile(r"[a-z0-9]+")
#: Words too common in news to show that two sentences tell one event.
_FUNCTION_WORDS = frozenset("""
that this with from have said were been their they which would there about after also what when
will more than into over other could them some against since while where those these such being
""".split())

#: Statements, appeals and verdicts: many a day, by many speakers, alike in type and parties, so
#: two reports are one only when their words show it (settings.MERGE_STATEMENT_MIN_EVIDENCE).
STATEMENT_TYPES = frozenset({"ACCUSE", "REQUEST", "REJECT", "SUPPORT", "AGREE", "THREATEN", "CONCEDE"})

_BASIS_RANK = {"explicit": 0, "relative": 1, "publication": 2}
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_PLACE_RANK = {"city": 0, "admin": 1, "country": 2}


# -- recycled text ------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _empty_minhash(num_perm: int) -> MinHash:
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=1)


def prepare_recycled(num_perm: int = 64) -> None:
    """Import what recycled-text detection needs (datasketch loads scipy: ~0.3–0.5 s) and draw its
    MinHash permutations now, before the first sentence needs them."""
    from datasketch import MinHashLSH  # noqa: F401

    _empty_minhash(num_perm)


def minhash(shingles: Iterable[str], num_perm: int = 64) -> MinHash:
    """MinHash of a set of shingles; every one shares the (costly to draw) permutations of seed 1."""
    mh = _empty_minhash(num_perm).copy()
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh


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
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes: list[MinHash | None] = []
    for i, (_, text) in enumerate(sentences):
        sh = _shingles(text)
        if len(sh) < 4:
            hashes.append(None)
            continue
        mh = minhash(sh, num_perm)
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
struggle revolutionary liberation resistance militia group network battalion regiment division
""".split())
#: Sectors of organisations, never of one person (armed groups are named like people: "Revolutionary
#: People's Struggle").
_GROUP_SECTORS = frozenset({"REB", "IGO", "NGO"})


def _person_names(m: Mention) -> dict[str, set[str]]:
    """Named people per country among a mention's actors (surnames, lowercased)."""
    out: dict[str, set[str]] = defaultdict(set)
    for a in m.source + m.target:
        words = a.name.split()
        if (a.country and len(words) >= 2 and a.sector not in _GROUP_SECTORS and all(w[:1].isupper() for w in words)
                and not any(w.lower() in _INSTITUTION_WORDS for w in words)):
            out[a.country].add(words[-1].lower())
    return out


def _countries(m: Mention) -> frozenset[str]:
    return frozenset(a.country or a.name.lower() for a in m.source + m.target)


def people_compatible(a: Mention, b: Mention) -> bool:
    """No country is represented by different named people ("Hasanov–Akar" is not "Hasanov–Yalcin")."""
    return _people_agree(_person_names(a), _person_names(b))


def _people_agree(pa: dict[str, set[str]], pb: dict[str, set[str]]) -> bool:
    return all(pa[c] & pb[c] for c in set(pa) & set(pb))


def _names(words: frozenset[str] | set[str], place: Place) -> bool:
    return set(_WORD.findall(place.name.lower())) <= words


def _places_agree(a: Place, a_words: frozenset[str], b: Place, b_words: set[str]) -> bool:
    """Places compatible, or one report also names the place the other was geocoded to (the
    geocoder picked another name of the sentence: "struck Zolochiv in the Kharkiv region")."""
    return places_compatible(a, b) or _names(a_words, b) or _names(b_words, a)


#: Width in days of the date buckets that index the clusters of a block.
_BUCKET_DAYS = 7
#: Clusters (and mentions) spanning more buckets than this are checked against everything.
_MAX_BUCKETS = 10


@dataclass(slots=True)
class _Features:
    """What merging needs of a mention, computed once: words, parties, date span, people."""

    words: frozenset[str]
    countries: frozenset[str]
    sources: frozenset[str]
    span: tuple[int, int] | None
    people: dict[str, set[str]]
    people_key: tuple
    day: str | None
    place_name: str | None
    content: frozenset[str] = frozenset()
    explicit_day: str | None = None
    #: The mention's own date (its start) as a day ordinal, or None when undated.
    ordinal: int | None = None

    @classmethod
    def of(cls, m: Mention) -> _Features:
        r = _range(m)
        people = _person_names(m)
        return cls(
            words=frozenset(_WORD.findall(m.sentence.lower())),
            countries=_countries(m),
            sources=frozenset(a.country for a in m.source if a.country),
            span=(r[0].toordinal(), r[1].toordinal()) if r else None,
            people=people,
            people_key=tuple(sorted((c, tuple(sorted(n))) for c, n in people.items())),
            day=m.date if m.date_precision == "day" else None,
            place_name=m.location.name if m.location else None,
            content=frozenset(w for w in _WORD.findall(m.sentence.lower()) if len(w) > 3 and w not in _FUNCTION_WORDS),
            explicit_day=m.date if m.date_precision == "day" and m.date_basis == "explicit" else None,
            ordinal=date.fromisoformat(m.date).toordinal() if m.date else None,
        )


def _place_key(p: Place) -> tuple:
    return (p.name, p.country, p.precision, p.lat, p.lon)


def _evidence(m: Mention, f: _Features, reports: list[tuple[frozenset[str], str | None, str | None, str]]) -> float:
    """The best, over earlier reports (content words, explicit day, place name, trigger), of shared
    content words (Jaccard) + 0.5 the same explicit day + 0.3 the same place + 0.3 the same trigger word."""
    best = 0.0
    for words, day, place, trigger in reports:
        inter = len(f.content & words)
        jac = inter / max(1, len(f.content) + len(words) - inter)
        best = max(best, jac + 0.5 * (f.explicit_day is not None and f.explicit_day == day)
                   + 0.3 * (f.place_name is not None and f.place_name == place)
                   + 0.3 * (trigger == m.trigger.lower()))
    return best


@dataclass(slots=True)
class _Cluster:
    """A growing event: its members and a summary that answers compatibility without them.

    The summary is exact: dates overlap every member's span iff they reach the latest start and
    the earliest end; places, people and wording are kept once per distinct value.
    """

    index: int
    members: list[Mention] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    latest_start: int | None = None
    earliest_end: int | None = None
    places: dict[tuple, tuple[Place, set[str]]] = field(default_factory=dict)  # place → its reports' words
    people: dict[tuple, dict[str, set[str]]] = field(default_factory=dict)
    readings: dict[tuple, tuple[frozenset[str], str | None, str | None, str]] = field(default_factory=dict)
    #: Per article of its members: (content words, explicit day, place name, trigger) of each member.
    by_article: dict[str, list[tuple[frozenset[str], str | None, str | None, str]]] = field(default_factory=dict)
    #: Per article of its members: the days (ordinals) of their own dates.
    days_by_article: dict[str, set[int]] = field(default_factory=dict)

    def add(self, m: Mention, f: _Features) -> None:
        self.members.append(m)
        self.countries |= f.countries
        self.sources |= f.sources
        if f.span is not None:
            s, e = f.span
            self.latest_start = s if self.latest_start is None else max(self.latest_start, s)
            self.earliest_end = e if self.earliest_end is None else min(self.earliest_end, e)
        if m.location is not None:
            self.places.setdefault(_place_key(m.location), (m.location, set()))[1].update(f.words)
        self.people.setdefault(f.people_key, f.people)
        reading = (f.words, f.day, f.place_name, m.event_type)
        self.readings.setdefault(reading, reading)
        self.by_article.setdefault(m.article_id, []).append(
            (f.content, f.explicit_day, f.place_name, m.trigger.lower()))
        if f.ordinal is not None:
            self.days_by_article.setdefault(m.article_id, set()).add(f.ordinal)

    def report_evidence(self, m: Mention, f: _Features) -> float:
        """How surely ``m`` re-tells what another article's member reported (:func:`_evidence` over
        the members from other articles); 1.0 when there is no such member, or when one of them is
        dated within ``MERGE_STATEMENT_SAME_DAYS`` of ``m`` (the same news cycle: outlets retell one
        statement in their own words the day it is made)."""
        if all(article == m.article_id for article in self.by_article):
            return 1.0
        if f.ordinal is not None and any(abs(f.ordinal - d) <= settings.MERGE_STATEMENT_SAME_DAYS
                                         for article, days in self.days_by_article.items()
                                         if article != m.article_id for d in days):
            return 1.0
        return _evidence(m, f, [r for article, own in self.by_article.items() if article != m.article_id for r in own])

    def same_article_evidence(self, m: Mention, f: _Features) -> float:
        """How surely ``m`` re-tells an event its own article already reported (:func:`_evidence`
        over the members from its article). Within one article two sentences of one type are usually
        two events (a 2014 attack and a 2019 one, the first strike and the next), so a re-telling
        must show it; 1.0 when no member comes from its article."""
        own = self.by_article.get(m.article_id)
        return _evidence(m, f, own) if own else 1.0

    def compatible(self, m: Mention, f: _Features) -> bool:
        """Same parties (the same countries, or a subset of them told in an article already in the
        cluster), dates overlapping every member's, compatible places, no conflicting named people."""
        if (m.event_type in DIRECTED_TYPES and m.cameo_code not in PARTY_CAMEO and f.sources and self.sources
                and not f.sources & self.sources):
            # "Armenia asked Russia" is not "Russia called on Armenia"; but an agreement X and Y signed is
            # one whichever party a report names first
            return False
        mine, theirs = f.countries, self.countries
        if mine != theirs and not (settings.MERGE_PARTYLESS_SAME_ARTICLE and (not mine or not theirs)
                                   and m.article_id in self.by_article):
            # One report may miss a party (a shelled town is no actor): a subset is the same event,
            # and so are sets that differ but share the acting country.
            if not (mine & theirs) or not (mine <= theirs or theirs <= mine or f.sources & self.sources):
                return False
        if f.span is not None and self.latest_start is not None:
            if not (f.span[0] <= self.earliest_end and self.latest_start <= f.span[1]):
                return False
        if m.location is not None and not all(_places_agree(m.location, f.words, p, words)
                                              for p, words in self.places.values()):
            return False
        return all(_people_agree(f.people, p) for p in self.people.values())

    def score(self, m: Mention, f: _Features) -> float:
        """How well ``m`` fits its closest member: shared words, same day, same place, same type."""
        best = 0.0
        for words, day, place, etype in self.readings.values():
            inter = len(f.words & words)
            jac = inter / max(1, len(f.words) + len(words) - inter)
            same_day = 1.0 if (f.day is not None and f.day == day) else 0.0
            same_place = 1.0 if (f.place_name is not None and f.place_name == place) else 0.0
            same_type = 1.0 if m.event_type == etype else 0.0
            best = max(best, jac + 0.5 * same_day + 0.3 * same_place + 0.3 * same_type)
        return best


class _DateIndex:
    """Clusters of a block bucketed by the weeks of their first member's date span.

    A cluster's span only narrows as members join, so its first member's buckets always cover it:
    a mention needs to be compared only with the clusters of the buckets its own span touches.
    """

    def __init__(self) -> None:
        self.clusters: list[_Cluster] = []
        self.buckets: dict[int, list[_Cluster]] = defaultdict(list)
        self.everywhere: list[_Cluster] = []  # undated or very long spans

    @staticmethod
    def _weeks(span: tuple[int, int] | None) -> range | None:
        if span is None:
            return None
        weeks = range(span[0] // _BUCKET_DAYS, span[1] // _BUCKET_DAYS + 1)
        return weeks if len(weeks) <= _MAX_BUCKETS else None

    def add(self, c: _Cluster, f: _Features) -> None:
        self.clusters.append(c)
        weeks = self._weeks(f.span)
        if weeks is None:
            self.everywhere.append(c)
        else:
            for w in weeks:
                self.buckets[w].append(c)

    def candidates(self, f: _Features) -> list[_Cluster]:
        weeks = self._weeks(f.span)
        if weeks is None:
            return self.clusters
        seen: dict[int, _Cluster] = {c.index: c for c in self.everywhere}
        for w in weeks:
            for c in self.buckets.get(w, ()):
                seen[c.index] = c
        return list(seen.values())


#: Types whose direction matters: A's accusation of B is not B's accusation of A.
DIRECTED_TYPES = frozenset({
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "SANCTION", "COERCE", "ASSAULT", "AID", "SUPPORT",
    "PROTEST", "MOBILIZE", "RETREAT", "CONCEDE",
})
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
        index = _DateIndex()
        # Precise mentions first, so that vague ones join the cluster they fit best.
        for m in sorted(blocks[key], key=_sort_key):
            f = _Features.of(m)
            scored = [(c.score(m, f), -c.index, c) for c in index.candidates(f) if c.compatible(m, f)
                      and c.same_article_evidence(m, f) >= settings.MERGE_SAME_ARTICLE_MIN_EVIDENCE
                      and (m.event_type not in STATEMENT_TYPES
                           or c.report_evidence(m, f) >= settings.MERGE_STATEMENT_MIN_EVIDENCE)]
            best = max(scored, key=lambda t: t[:2], default=None)
            if best is not None and best[0] >= min_score:
                best[2].add(m, f)
            else:
                c = _Cluster(len(index.clusters))
                c.add(m, f)
                index.add(c, f)
        for c in index.clusters:
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
        alleged=all(m.alleged for m in members),
        context=sorted({c for m in members for c in m.context}),
        killed=_most(m.killed for m in members),
        injured=_most(m.injured for m in members),
    )


def _most(counts: Iterable[int | None]) -> int | None:
    """The largest stated count (reports of one attack give rising tolls), None when none states one."""
    stated = [c for c in counts if c is not None]
    return max(stated) if stated else None
