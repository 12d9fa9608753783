"""The data model shared by every stage: Article, Mention, Event, Actor, Place, TimeSpan, Reject.

Field names follow the output contract (README, docs/architecture.md) and are never renamed;
later stages may add fields. Every record serialises with ``to_dict`` to plain JSON types.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Precision = Literal["day", "month", "year"]
DateBasis = Literal["explicit", "relative", "publication"]
PublishedBasis = Literal["input", "header", "text", "unknown"]
PlacePrecision = Literal["city", "admin", "country"]


@dataclass(slots=True)
class Actor:
    """One participant of an event: surface text, canonical name, ISO-3 country, agent sector."""

    text: str
    name: str
    country: str | None = None
    sector: str | None = None
    #: Stable id of the dictionary entry the actor comes from, the same in every run
    #: (``person:JOHN_KERRY``, ``country:TUR``, ``org:NAT``, ``office:USA:FOREIGN_MINISTER`` for an
    #: office with no known holder that day, ``user:...`` from ``--actors``; see docs/dictionaries.md);
    #: None for a name no dictionary knows.
    actor_id: str | None = None

    def to_dict(self) -> dict[str, Any]:  # by hand: asdict's deep copy is slow, and this runs per actor
        return {"text": self.text, "name": self.name, "country": self.country, "sector": self.sector,
                "actor_id": self.actor_id}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Actor:
        return cls(d.get("text", ""), d.get("name", ""), d.get("country"), d.get("sector"), d.get("actor_id"))


@dataclass(slots=True)
class Place:
    """A geocoded location; ``precision`` says whether it is a city, an admin region or a country."""

    name: str
    country: str | None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    precision: PlacePrecision = "city"
    #: Name of the first-level administrative unit (``admin1`` is its GeoNames code).
    admin1_name: str | None = None
    #: Name of the second-level unit (district, county): not in the offline gazetteer yet, so None.
    admin2_name: str | None = None
    #: GeoNames feature class (P populated place, A administrative area) and code (PPLC, PCLI, ADM1...).
    feature_class: str | None = None
    feature_code: str | None = None

    def to_dict(self) -> dict[str, Any]:  # by hand, as Actor.to_dict
        return {"name": self.name, "country": self.country, "admin1": self.admin1, "lat": self.lat, "lon": self.lon,
                "geonameid": self.geonameid, "precision": self.precision, "admin1_name": self.admin1_name,
                "admin2_name": self.admin2_name, "feature_class": self.feature_class,
                "feature_code": self.feature_code}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Place | None:
        if not d:
            return None
        return cls(
            d.get("name", ""), d.get("country"), d.get("admin1"), d.get("lat"), d.get("lon"),
            d.get("geonameid"), d.get("precision", "city"), d.get("admin1_name"), d.get("admin2_name"),
            d.get("feature_class"), d.get("feature_code"),
        )


@dataclass(slots=True)
class TimeSpan:
    """When an event happened: ISO first and last day, how precise, and how it was found.

    A month-precision date spans its whole month and a year-precision date its whole year, so
    ``date`` and ``date_end`` never claim more precision than the text gives.
    """

    date: str | None
    date_end: str | None
    precision: Precision = "day"
    basis: DateBasis = "publication"


@dataclass(slots=True)
class Article:
    """A cleaned news article. ``text`` is the body without header lines or site boilerplate."""

    article_id: str
    text: str
    title: str | None = None
    author: list[str] = field(default_factory=list)
    published: str | None = None
    published_basis: PublishedBasis = "unknown"
    source: str | None = None
    url: str | None = None
    content_hash: str = ""
    path: str | None = None
    #: ISO 639-1 code of the text's language ("en"; other languages are rejected at ingest).
    language: str | None = None

    @property
    def n_chars(self) -> int:
        return len(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "author": list(self.author),
            "published": self.published,
            "published_basis": self.published_basis,
            "source": self.source,
            "url": self.url,
            "text": self.text,
            "n_chars": self.n_chars,
            "content_hash": self.content_hash,
            "path": self.path,
            "language": self.language,
        }


@dataclass(slots=True)
class Reject:
    """Input that could not become an article, with a one-line reason. Nothing is dropped silently."""

    path: str
    record: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Mention:
    """One report of an event: a coded sentence of one article."""

    mention_id: str
    article_id: str
    sentence: str
    char_start: int
    char_end: int
    trigger: str
    event_type: str
    mode: str | None
    source: list[Actor]
    target: list[Actor]
    date: str | None
    date_end: str | None
    date_precision: str | None
    date_basis: str | None
    location: Place | None = None
    trigger_start: int = -1
    is_background: bool = False
    cameo_code: str | None = None
    goldstein: float | None = None
    quad_class: int | None = None
    confidence: float = 0.5
    event_id: str | None = None
    sentence_index: int = 0
    rule: str = ""
    #: Reported only as someone's claim or accusation ("X accused Y of shelling Z", "reportedly"):
    #: the claim itself is coded as ACCUSE; this mention is what was alleged, never a plain fact.
    alleged: bool = False
    #: PLOVER context tags (manual ch. 2.2/4), from the CAMEO code and the mode; see docs/formats.md.
    context: list[str] = field(default_factory=list)
    #: People killed / injured as the sentence states them (ASSAULT and COERCE only; None: not stated).
    killed: int | None = None
    injured: int | None = None
    #: Which coder made the mention (``eventcoder.util.version.coder_version``) and when (UTC, ISO 8601).
    coder_version: str | None = None
    coded_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mention_id": self.mention_id,
            "event_id": self.event_id,
            "article_id": self.article_id,
            "sentence": self.sentence,
            "sentence_index": self.sentence_index,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "trigger": self.trigger,
            "trigger_start": self.trigger_start,
            "event_type": self.event_type,
            "mode": self.mode,
            "source": [a.to_dict() for a in self.source],
            "target": [a.to_dict() for a in self.target],
            "date": self.date,
            "date_end": self.date_end,
            "date_precision": self.date_precision,
            "date_basis": self.date_basis,
            "location": self.location.to_dict() if self.location else None,
            "is_background": self.is_background,
            "cameo_code": self.cameo_code,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "confidence": self.confidence,
            "rule": self.rule,
            "alleged": self.alleged,
            "context": list(self.context),
            "killed": self.killed,
            "injured": self.injured,
            "coder_version": self.coder_version,
            "coded_at": self.coded_at,
        }


@dataclass(slots=True)
class Event:
    """A real-world event: the merge of every mention that reports it."""

    event_id: str
    event_type: str
    mode: str | None
    source: list[Actor]
    target: list[Actor]
    date: str | None
    date_end: str | None
    date_precision: str | None
    date_basis: str | None
    location: Place | None
    cameo_code: str | None
    goldstein: float | None
    quad_class: int | None
    confidence: float
    n_articles: int
    n_mentions: int
    mention_ids: list[str]
    n_sources: int = 0
    #: Every report of the event is an allegation (see ``Mention.alleged``).
    alleged: bool = False
    #: Union of the mentions' PLOVER context tags, sorted.
    context: list[str] = field(default_factory=list)
    #: Largest count any mention states (reports of one attack often give rising tolls).
    killed: int | None = None
    injured: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "event_type": self.event_type,
            "mode": self.mode,
            "source": [a.to_dict() for a in self.source],
            "target": [a.to_dict() for a in self.target],
            "date": self.date,
            "date_end": self.date_end,
            "date_precision": self.date_precision,
            "date_basis": self.date_basis,
            "location": self.location.to_dict() if self.location else None,
            "cameo_code": self.cameo_code,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "confidence": self.confidence,
            "n_articles": self.n_articles,
            "n_sources": self.n_sources,
            "n_mentions": self.n_mentions,
            "mention_ids": list(self.mention_ids),
            "alleged": self.alleged,
            "context": list(self.context),
            "killed": self.killed,
            "injured": self.injured,
        }


@dataclass(slots=True)
class Anchor:
    """A mention's identity that survives re-coding: its article's content hash, the sentence
    (index, offsets, text) and the trigger span. Unlike ``mention_id`` it does not contain the event
    type, so a mention whose type an analyst corrected is still found when its article is coded again."""

    content_hash: str
    article_id: str
    sentence_index: int
    char_start: int
    char_end: int
    trigger_start: int
    trigger_end: int
    trigger: str
    #: The coder's type of the mention when the correction was made (prefers the same mention when
    #: one trigger carries mentions of two types).
    event_type: str
    sentence: str
    #: The mention's id when the correction was made (for people; matching uses the fields above).
    mention_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Anchor:
        return cls(**{k: d.get(k) for k in cls.__slots__})  # type: ignore[arg-type]


@dataclass(slots=True)
class Correction:
    """An analyst's change to the coded data: reject, confirm, type, mode, source, target, date,
    place, merge or split, of an event (``scope`` event: every mention it had) or of one mention.

    ``old_value``/``new_value`` are plain JSON values: a type or mode name, a list of actor dicts,
    an ISO date, a place dict, the other event's id (merge) or the mention's id (split).
    """

    correction_id: str
    kind: str
    scope: str
    event_id: str | None
    anchors: list[Anchor]
    old_value: Any = None
    new_value: Any = None
    note: str | None = None
    user: str | None = None
    created_at: str = ""
    #: merge only: the mentions of the event merged into this one.
    other_anchors: list[Anchor] = field(default_factory=list)
    #: Journal order (ties of ``created_at``).
    seq: int = 0
    #: pending (not yet seen by a run), applied, partial (some of its mentions are gone) or stale
    #: (none is left: reported, never dropped).
    status: str = "pending"
    #: Events the correction shaped in the last run that applied it.
    applied_to: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["anchors"] = [a.to_dict() for a in self.anchors]
        d["other_anchors"] = [a.to_dict() for a in self.other_anchors]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Correction:
        return cls(
            correction_id=d["correction_id"], kind=d["kind"], scope=d.get("scope") or "event",
            event_id=d.get("event_id"), anchors=[Anchor.from_dict(a) for a in d.get("anchors") or []],
            old_value=d.get("old_value"), new_value=d.get("new_value"), note=d.get("note"), user=d.get("user"),
            created_at=d.get("created_at") or "",
            other_anchors=[Anchor.from_dict(a) for a in d.get("other_anchors") or []], seq=int(d.get("seq") or 0),
            status=d.get("status") or "pending", applied_to=list(d.get("applied_to") or []),
        )


@dataclass(slots=True)
class Change:
    """One thing a run changed in the events: created, removed, merged, split, retyped, redated,
    relocated, actors or mentions (see ``eventcoder changes``)."""

    kind: str
    event_id: str | None
    old_event_ids: list[str] = field(default_factory=list)
    old_value: str | None = None
    new_value: str | None = None
    detail: str | None = None
    run_id: str = ""
    seq: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
