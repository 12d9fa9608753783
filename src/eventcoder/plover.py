"""PLOVER JSON: the field names of the PLOVER specification and our events written with them.

The names below are taken from the PLOVER manual (Open Event Data Alliance, "PLOVER: Political
Language Ontology for Verifiable Event Records", draft version 2.0, 4 February 2024;
``../shared/dictionaries/PLOVER_MANUAL.pdf``). In the PDF the underscores of multi-word names are
drawn as rules, so a text extraction shows "has event" where the name is ``has_event``.

- ``EVENT_FIELDS``: Table 6.1 "PLOVER JSON" (chapter 6, p. 41).
- ``ENTITY_FIELDS``: Table 6.2 "Information object for entities" (p. 42).
- ``TEXT_INFO_FIELDS``: Table 6.3 "Information object for text" (p. 42).
- ``SIZE_FIELDS``: Table 6.4 "Information object for size" (p. 43).
- ``CITE_INFO_FIELDS``: Table 6.5 "Information object for citations" (p. 43).
- ``LOCATION_FIELDS``: Table 6.6 "Location object" (p. 44).
- ``EVENT_TYPES``: the 16 categories of chapter 3 (Table 7.2, p. 48).
- ``MODES``: the mode tables of chapter 3 (Tables 3.1-3.11, pp. 11-25).
- ``CONTEXTS``: Table 2.1 "General contexts" (chapter 2.2, pp. 4-5).
- ``SCORES``: Table 2.2 "PLOVER conflict-cooperation scores" (chapter 2.5, p. 8), our ``event_scale``.

How each of our columns fills these fields is in docs/formats.md. ``dead`` and ``injured`` are
written at the top level of the record, as Table 7.3 lists them among ASSAULT's fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

#: Table 6.1: the fields of an event record (id, date, actor and event are required).
EVENT_FIELDS: tuple[str, ...] = (
    "id", "has_event", "date", "time", "enddate", "endtime", "actor", "recipient", "event", "event_loc",
    "event_text", "quad_code", "event_scale", "mode", "context", "link", "text", "text_info", "cite_info",
    "coder", "coded_date", "coded_time", "comment",
)
REQUIRED_EVENT_FIELDS: tuple[str, ...] = ("id", "date", "actor", "event")
#: Table 6.4: counts of people; Table 7.3 lists ``dead`` and ``injured`` as fields of ASSAULT events.
SIZE_FIELDS: tuple[str, ...] = ("dead", "injured", "arrested")
#: Table 6.2: an entity (actor or recipient).
ENTITY_FIELDS: tuple[str, ...] = (
    "code", "sector", "entity_text", "identifier_id", "identifier_text", "religion", "ethnicity", "office",
    "gender", "age",
)
#: Table 6.3: where the event's text is in its story.
TEXT_INFO_FIELDS: tuple[str, ...] = ("sequence", "start", "end", "text_story")
#: Table 6.5: the citation of the text.
CITE_INFO_FIELDS: tuple[str, ...] = (
    "corpus", "citation", "url", "title", "language", "publication", "license", "copyright", "coder",
    "codebook", "version",
)
#: Table 6.6: the location of the event (GeoNames fields).
LOCATION_FIELDS: tuple[str, ...] = (
    "extracted_place", "resolved_place", "geonameid", "lat", "lon", "city", "district", "province",
    "country", "country_code", "feature_class", "feature_code", "resolution",
)

#: The 16 PLOVER event categories with their quad category (Table 7.2).
EVENT_TYPES: dict[str, int] = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "SANCTION": 3, "THREATEN": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}

#: Modes by event category (chapter 3's mode tables); a category not listed has no modes.
#: ``sideAB`` is the auxiliary ASSAULT mode of section 3.16.1.
MODES: dict[str, frozenset[str]] = {
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset({
        "seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
        "misinformation", "cyber",
    }),
    "ASSAULT": frozenset({
        "abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms", "explosives",
        "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control", "unconventional", "sideAB",
    }),
}

#: Modes of the earlier PLOVER codebook that our lexicon still uses, as the manual names them now:
#: ASSAULT 'targeted' covers "assassinations and executions, as well as deliberate mass killings"
#: (Table 3.11); 'restrict' covers "the banning of individuals or organizations" (Tables 3.6, 3.10).
#: A mode with no counterpart in the manual (RETREAT 'return', THREATEN 'political') is left out.
MODE_RENAMES: dict[tuple[str, str], str] = {
    ("ASSAULT", "assassinate"): "targeted", ("ASSAULT", "execute"): "targeted",
    ("ASSAULT", "massacre"): "targeted", ("ASSAULT", "cleansing"): "targeted",
    ("COERCE", "ban"): "restrict", ("THREATEN", "ban"): "restrict",
}

#: Table 2.1: the general contexts.
CONTEXTS: frozenset[str] = frozenset({
    "military", "intelligence", "executive", "legislative", "election", "political_institutions",
    "pro_democracy", "pro_autocracy", "economic", "legal", "reparations", "human_rights", "rights_freedoms",
    "repression", "human_security", "gender", "lgbt", "religion_ethnicity", "inequality", "diplomatic",
    "territory", "peacekeeping", "health", "asylum", "migration", "disasters", "natural_resource",
    "environment", "technology", "terrorism", "cbrn", "cyber", "misinformation", "crime", "corruption",
    "illegal_drugs", "trafficking",
})

#: Table 2.2: conflict-cooperation score of each category (key: type) and mode (key: type:mode).
#: The table prints ACCUSE as 3; we read it as -3 (verbal conflict, its modes score -2 to -3.5).
SCORES: dict[str, float] = {
    "AGREE": 2.5, "CONSULT": 2.5, "CONSULT:visit": 4, "CONSULT:third-party": 1, "CONSULT:multilateral": 4,
    "CONSULT:phone": 1.5, "SUPPORT": 5, "CONCEDE": 4.5, "COOPERATE": 9.5, "AID": 10, "RETREAT": 6.5,
    "RETREAT:withdraw": 8, "RETREAT:release": 6.5, "RETREAT:disarm": 10, "RETREAT:ceasefire": 7.5,
    "RETREAT:access": 6.5, "RETREAT:resign": 4.5, "REQUEST": 0, "REQUEST:assist": 0.5, "REQUEST:change": -1,
    "REQUEST:yield": -1, "REQUEST:meet": 0, "ACCUSE": -3, "ACCUSE:disapprove": -2, "ACCUSE:investigate": -3.5,
    "ACCUSE:allege": -3.5, "REJECT": -2, "REJECT:assist": -1.5, "REJECT:change": -2, "REJECT:yield": -2,
    "REJECT:meet": -2, "THREATEN": -3.5, "THREATEN:restrict": -3, "THREATEN:arrest": -3.5,
    "THREATEN:relations": -3.5, "THREATEN:expel": -3.5, "THREATEN:territory": -4, "THREATEN:violence": -3.5,
    "PROTEST": -5, "PROTEST:demo": -5, "PROTEST:riot": -7, "PROTEST:strike": -5, "PROTEST:hunger": -4.5,
    "PROTEST:boycott": -4.5, "PROTEST:obstruct": -4.5, "SANCTION": -6, "SANCTION:convict": -6,
    "SANCTION:expel": -5.5, "SANCTION:withdraw": -6, "SANCTION:discontinue": -6, "MOBILIZE": -5.5,
    "MOBILIZE:troops": -6.5, "MOBILIZE:weapons": -6.5, "MOBILIZE:police": -5.5, "MOBILIZE:militia": -6,
    "COERCE": -7, "COERCE:seize": -7, "COERCE:restrict": -7, "COERCE:censor": -6.5, "COERCE:curfew": -6.5,
    "COERCE:martial-law": -7.5, "COERCE:arrest": -7, "COERCE:deport": -7, "COERCE:withhold": -7,
    "COERCE:misinformation": -6.5, "COERCE:cyber": -7, "ASSAULT": -9, "ASSAULT:abduct": -8.5,
    "ASSAULT:beat": -7.5, "ASSAULT:torture": -8.5, "ASSAULT:sexual": -8.5, "ASSAULT:targeted": -9.5,
    "ASSAULT:destroy": -8.5, "ASSAULT:primitive": -8, "ASSAULT:firearms": -9, "ASSAULT:explosives": -9,
    "ASSAULT:suicide-attack": -9.5, "ASSAULT:aerial": -9.5, "ASSAULT:drone": -9.5,
    "ASSAULT:heavy-weapons": -9.5, "ASSAULT:crowd-control": -7.5, "ASSAULT:unconventional": -10,
}

#: Our precision of a place → the manual's ``resolution`` (4 city, 2 province, 1 country).
RESOLUTION: dict[str, int] = {"city": 4, "admin": 2, "country": 1}
CODEBOOK = "plover-2.0"


def plover_mode(event_type: str, mode: str | None) -> str | None:
    """Our mode as the manual's mode of ``event_type``, or None when the manual has no such mode."""
    if not mode:
        return None
    mode = MODE_RENAMES.get((event_type, mode), mode)
    return mode if mode in MODES.get(event_type, frozenset()) else None


def plover_score(event_type: str, mode: str | None) -> float | None:
    """Table 2.2's score of a category and (manual) mode; the category's score for other modes."""
    return SCORES.get(f"{event_type}:{mode}", SCORES.get(event_type))


def _country_name(code: str | None) -> str | None:
    if not code or len(code) != 3:
        return None
    import pycountry

    rec = pycountry.countries.get(alpha_3=code)
    return getattr(rec, "common_name", None) or getattr(rec, "name", None) if rec is not None else None


def _entity(actor: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": actor.get("country"),
        "sector": actor.get("sector"),
        "entity_text": actor.get("text") or None,
        "identifier_text": actor.get("name"),
    }


def _location(place: dict[str, Any] | None) -> dict[str, Any] | None:
    """Table 6.6 from our place (``extracted_place`` is not written: we keep no surface form)."""
    if not place:
        return None
    precision = place.get("precision") or "city"
    return {
        "resolved_place": place.get("name"),
        "geonameid": place.get("geonameid"),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "city": place.get("name") if precision == "city" else None,
        "district": place.get("admin2_name"),
        "province": place.get("admin1_name") or (place.get("name") if precision == "admin" else None),
        "country": _country_name(place.get("country")),
        "country_code": place.get("country"),
        "feature_class": place.get("feature_class"),
        "feature_code": place.get("feature_code"),
        "resolution": RESOLUTION.get(precision),
    }


def _iso(v: Any) -> str | None:
    return v.isoformat() if hasattr(v, "isoformat") else v


def plover_record(event: dict[str, Any], mentions: list[dict[str, Any]],
                  articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One event (a row of the events table) as a PLOVER JSON object.

    ``mentions`` are the event's mention rows (the first is the best-dated report and gives the
    text), ``articles`` the rows of their articles by id. Fields we have no value for are left out.
    """
    etype = event["event_type"]
    lead = mentions[0] if mentions else {}
    mode = plover_mode(etype, event.get("mode"))
    coded = max((m["coded_at"] for m in mentions if m.get("coded_at")), default=None)
    coded_iso = _iso(coded)
    article = articles.get(lead.get("article_id", ""), {})
    rec: dict[str, Any] = {
        "id": event["event_id"],
        "has_event": True,
        "date": _iso(event.get("date")),
        "enddate": _iso(event.get("date_end")),
        "actor": [_entity(a) for a in event.get("source") or []],
        "recipient": [_entity(a) for a in event.get("target") or []],
        "event": [etype],
        "event_loc": _location(event.get("location")),
        "event_text": [lead["trigger"]] if lead.get("trigger") else [],
        "quad_code": EVENT_TYPES.get(etype),
        "event_scale": plover_score(etype, mode),
        "mode": [mode] if mode else [],
        "context": sorted(c for c in event.get("context") or [] if c in CONTEXTS),
        "text": lead.get("sentence"),
        "text_info": {
            "sequence": lead.get("sentence_index"),
            "start": lead.get("char_start"),
            "end": lead.get("char_end"),
        } if lead else None,
        "cite_info": {
            "citation": lead.get("article_id"),
            "url": article.get("url"),
            "title": article.get("title"),
            "language": article.get("language") or "en",
            "publication": article.get("source"),
            "coder": lead.get("coder_version") and f"eventcoder {lead['coder_version']}",
            "codebook": CODEBOOK,
        } if lead else None,
        "coder": f"eventcoder {lead['coder_version']}" if lead.get("coder_version") else "eventcoder",
        "coded_date": coded_iso[:10] if coded_iso else None,
        "coded_time": coded_iso[11:19] if coded_iso else None,
        "dead": event.get("killed"),
        "injured": event.get("injured"),
    }
    if rec["event_loc"] is not None:
        rec["event_loc"] = {k: v for k, v in rec["event_loc"].items() if v is not None}
    for key in ("text_info", "cite_info"):
        if rec[key] is not None:
            rec[key] = {k: v for k, v in rec[key].items() if v is not None}
    rec["actor"] = [{k: v for k, v in a.items() if v is not None} for a in rec["actor"]]
    rec["recipient"] = [{k: v for k, v in a.items() if v is not None} for a in rec["recipient"]]
    return {k: v for k, v in rec.items() if v is not None and v != []} | {"actor": rec["actor"]}


def plover_records(events: Iterable[dict[str, Any]], mentions: Iterable[dict[str, Any]],
                   articles: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """PLOVER records of events, from rows of the events, mentions and articles tables."""
    by_event: dict[str, list[dict[str, Any]]] = {}
    for m in mentions:
        if m.get("event_id"):
            by_event.setdefault(m["event_id"], []).append(m)
    arts = {a["article_id"]: a for a in articles}
    for e in events:
        ms = by_event.get(e["event_id"], [])
        ms.sort(key=lambda m: (m.get("is_background") or False, m.get("date") is None, m["mention_id"]))
        yield plover_record(e, ms, arts)
