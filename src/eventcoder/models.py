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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Actor:
        return cls(d.get("text", ""), d.get("name", ""), d.get("country"), d.get("sector"))


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Place | None:
        if not d:
            return None
        return cls(
            d.get("name", ""), d.get("country"), d.get("admin1"), d.get("lat"), d.get("lon"),
            d.get("geonameid"), d.get("precision", "city"),
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
        }
