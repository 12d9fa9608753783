"""The review stage: an analyst's corrections applied to the merged events, and what a run changed.

Corrections (:class:`~eventcoder.models.Correction`) name mentions by their :class:`~eventcoder.models.Anchor`
(article content hash, sentence, trigger span), never by ``mention_id`` (which contains the coder's
type), so they find their mentions again whenever an article is coded anew. Every run applies all of
them, in the order they were made, to the freshly merged events (:func:`review`):

1. each correction's anchors are looked up among the stored mentions (a correction none of whose
   mentions is left is *stale*, one that lost some is *partial*: both are reported, never dropped);
2. before merging, rejected mentions are set aside, and a correction of one mention (not of a whole
   event) writes its type, mode, actors, date or place onto that mention, so that merging sees the
   analyst's reading of the sentence (retyped, it leaves an event of the old type);
3. the mentions are merged (:func:`~eventcoder.pipeline.merge.merge_mentions`) as the coder read
   them, then the analyst's merges and splits are applied to the events;
4. last, a correction of an event sets its field on every event that holds one of its mentions, so
   the analyst's value wins even when new reports join the event. Correcting an event's fields
   never re-shapes events by itself (a retyped event does not silently merge into another event of
   its new type): merging and splitting are corrections of their own.

:func:`diff_events` compares the events before and after a run: the change log.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from eventcoder.models import Actor, Anchor, Change, Correction, Event, Mention, Place
from eventcoder.pipeline.cameo import PLOVER_TYPES, default_cameo
from eventcoder.pipeline.cameo import modes as cameo_modes
from eventcoder.pipeline.merge import build_event, merge_mentions

#: Every kind of correction, in the order the CLI and the workbench offer them.
KINDS = ("reject", "confirm", "type", "mode", "source", "target", "date", "place", "merge", "split", "undo")
#: Kinds that set one field of a mention or an event.
FIELD_KINDS = ("type", "mode", "source", "target", "date", "place")
#: Kinds that change which mentions form an event.
STRUCTURE_KINDS = ("merge", "split")


@cache
def valid_modes(event_type: str) -> tuple[str, ...]:
    """The modes a type may have: those of its CAMEO codes and of the trigger lexicon's rows."""
    from eventcoder.pipeline.triggers import TriggerLexicon

    lexicon = {r.mode for r in TriggerLexicon.default().rules if r.event_type == event_type and r.mode}
    return tuple(sorted(set(cameo_modes(event_type)) | lexicon))


def is_event_type(value: str) -> bool:
    return value in PLOVER_TYPES


# -- anchors ------------------------------------------------------------------------------------
def sentence_key(sentence: str) -> str:
    """A short hash of a sentence's words (whitespace-insensitive)."""
    return hashlib.sha1(" ".join(sentence.split()).encode("utf-8")).hexdigest()[:16]


def anchor_of(m: Mention, content_hash: str | None) -> Anchor:
    """The stable identity of a stored mention (``content_hash`` of its article)."""
    start = m.trigger_start if m.trigger_start is not None else -1
    return Anchor(
        content_hash=content_hash or f"id:{m.article_id}", article_id=m.article_id,
        sentence_index=m.sentence_index, char_start=m.char_start, char_end=m.char_end,
        trigger_start=start, trigger_end=start + len(m.trigger or "") if start >= 0 else -1,
        trigger=m.trigger or "", event_type=m.event_type, sentence=m.sentence, mention_id=m.mention_id,
    )


class AnchorIndex:
    """Finds the stored mention an anchor names: same article text and trigger offset, or (offsets
    moved, e.g. boilerplate dropped differently) same article text, sentence words and trigger word.
    When one trigger carries mentions of two types, the one of the anchor's original type wins."""

    def __init__(self, mentions: Iterable[Mention], content_hashes: dict[str, str]) -> None:
        self.by_offset: dict[tuple[str, int], list[Mention]] = defaultdict(list)
        self.by_text: dict[tuple[str, str, str], list[Mention]] = defaultdict(list)
        for m in mentions:
            h = content_hashes.get(m.article_id) or f"id:{m.article_id}"
            self.by_offset[(h, m.trigger_start)].append(m)
            self.by_text[(h, sentence_key(m.sentence), (m.trigger or "").lower())].append(m)

    def find(self, a: Anchor) -> Mention | None:
        found = self.by_offset.get((a.content_hash, a.trigger_start)) or self.by_text.get(
            (a.content_hash, sentence_key(a.sentence or ""), (a.trigger or "").lower()))
        if not found:
            return None
        return min(found, key=lambda m: (m.event_type != a.event_type, (m.trigger or "") != a.trigger, m.mention_id))


# -- values -------------------------------------------------------------------------------------
def actors_from_value(value: Any) -> list[Actor]:
    return [Actor.from_dict(a) for a in value or []]


def date_label(date: str | None, date_end: str | None = None) -> str | None:
    """'2021-10-04', or '2021-10-01..2021-10-31' for a span."""
    if not date:
        return None
    return date if not date_end or date_end == date else f"{date}..{date_end}"


def place_label(p: Place | dict | None) -> str | None:
    if p is None:
        return None
    d = p.to_dict() if isinstance(p, Place) else p
    return f"{d.get('name')} ({d.get('country') or '?'})"


def actors_label(actors: Sequence[Actor] | Sequence[dict]) -> str:
    out = []
    for a in actors:
        d = a.to_dict() if isinstance(a, Actor) else a
        out.append(" ".join(x for x in (d.get("country"), d.get("sector")) if x) or d.get("name") or "?")
    return ", ".join(out)


def _set_type(rec: Mention | Event, event_type: str, mode: str | None) -> None:
    rec.event_type = event_type
    rec.mode = mode if mode in valid_modes(event_type) else None
    entry = default_cameo(event_type, rec.mode)
    rec.cameo_code, rec.goldstein, rec.quad_class = entry.code, entry.goldstein, entry.quad_class


def set_field(rec: Mention | Event, kind: str, value: Any) -> None:
    """Write a corrected value onto a mention or an event (the CAMEO code follows type and mode)."""
    if kind == "type":
        _set_type(rec, value, rec.mode)
    elif kind == "mode":
        _set_type(rec, rec.event_type, value)
    elif kind == "source":
        rec.source = actors_from_value(value)
    elif kind == "target":
        rec.target = actors_from_value(value)
    elif kind == "date":
        rec.date, rec.date_end, rec.date_precision, rec.date_basis = value, value, "day", "explicit"
    elif kind == "place":
        rec.location = Place.from_dict(value)
    else:
        raise ValueError(f"not a field correction: {kind}")


def field_value(rec: Mention | Event, kind: str) -> Any:
    """The current value of a correctable field, as a correction stores it."""
    if kind == "type":
        return rec.event_type
    if kind == "mode":
        return rec.mode
    if kind in ("source", "target"):
        return [a.to_dict() for a in getattr(rec, kind)]
    if kind == "date":
        return date_label(rec.date, rec.date_end)
    if kind == "place":
        return rec.location.to_dict() if rec.location else None
    raise ValueError(f"not a field correction: {kind}")


# -- applying corrections -----------------------------------------------------------------------
@dataclass(slots=True)
class Outcome:
    """What became of one correction in a run."""

    status: str
    matched: int
    expected: int
    applied_to: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Review:
    """The reviewed events, every mention (rejected ones with no event), and each correction's outcome."""

    events: list[Event]
    mentions: list[Mention]
    outcomes: dict[str, Outcome]
    #: event id → the corrections that shaped it, as (correction id, kind).
    touched: dict[str, list[tuple[str, str]]]
    #: mention id → the correction that rejected it.
    rejected: dict[str, str]


def _order(c: Correction) -> tuple:
    return (c.created_at, c.seq, c.correction_id)


def review(
    mentions: list[Mention],
    corrections: Sequence[Correction],
    content_hashes: dict[str, str],
    articles_source: dict[str, str] | None = None,
    *,
    merge: Callable[..., list[Event]] = merge_mentions,
) -> Review:
    """Merge ``mentions`` into events with ``corrections`` applied (see the module docstring).

    ``mentions`` are changed in place: corrected fields, event ids (None for rejected mentions).
    """
    sources = articles_source or {}
    outcomes: dict[str, Outcome] = {}
    # an undo takes back another correction (as if it had never been made); undoing an undo restores it
    known = {c.correction_id for c in corrections}
    undone: set[str] = set()
    for c in sorted((c for c in corrections if c.kind == "undo"), key=_order, reverse=True):
        if c.correction_id not in undone and c.new_value in known:
            undone.add(c.new_value)
    for c in corrections:
        if c.correction_id in undone:
            outcomes[c.correction_id] = Outcome("undone", 0, len(c.anchors) + len(c.other_anchors))
        elif c.kind == "undo":
            outcomes[c.correction_id] = Outcome("applied" if c.new_value in known else "stale", 0, 0)
    ordered = sorted((c for c in corrections if c.correction_id not in outcomes), key=_order)
    index = AnchorIndex(mentions, content_hashes) if ordered else None
    found: dict[str, list[Mention]] = {}
    others: dict[str, list[Mention]] = {}
    for c in ordered:
        assert index is not None
        hits = [m for m in (index.find(a) for a in c.anchors) if m is not None]
        other = [m for m in (index.find(a) for a in c.other_anchors) if m is not None]
        found[c.correction_id], others[c.correction_id] = hits, other
        expected = len(c.anchors) + len(c.other_anchors)
        matched = len(hits) + len(other)
        usable = bool(hits) and (c.kind != "merge" or bool(other))
        status = "stale" if not usable else ("applied" if matched == expected else "partial")
        outcomes[c.correction_id] = Outcome(status, matched, expected)

    # 2. mention-level: rejects and corrected fields, before merging
    rejected: dict[str, str] = {}
    for c in ordered:
        if outcomes[c.correction_id].status == "stale":
            continue
        if c.kind == "reject":
            for m in found[c.correction_id]:
                rejected[m.mention_id] = c.correction_id
        elif c.kind in FIELD_KINDS and c.scope == "mention":
            for m in found[c.correction_id]:
                set_field(m, c.kind, c.new_value)
    kept = [m for m in mentions if m.mention_id not in rejected]
    events = {e.event_id: e for e in merge(kept, sources)} if kept else {}
    by_mention = {m.mention_id: m for m in kept}
    touched: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def event_of(m: Mention) -> Event | None:
        return events.get(m.event_id) if m.mention_id not in rejected and m.event_id else None

    def rebuild(groups: list[list[Mention]]) -> list[Event]:
        built = [build_event(g, sources) for g in groups if g]
        for e in built:
            events[e.event_id] = e
        return built

    # 3. merges and splits of events, in order; a sentence retyped after a merge leaves the merged event
    for c in ordered:
        out = outcomes[c.correction_id]
        retyped = c.kind == "type" and c.scope == "mention"
        if out.status == "stale" or not (c.kind in STRUCTURE_KINDS or retyped):
            continue
        if c.kind == "merge":
            olds = {e.event_id: e for e in map(event_of, found[c.correction_id] + others[c.correction_id]) if e}
            if len(olds) > 1:
                members = [by_mention[i] for e in olds.values() for i in e.mention_ids]
                for eid in olds:
                    del events[eid]
                olds = {e.event_id: e for e in rebuild([members])}
            out.applied_to = sorted(olds)
        else:  # split one mention out of its event (a retyped sentence: out of an event of another type)
            m = found[c.correction_id][0]
            e = event_of(m)
            if e is None:
                continue
            if e.n_mentions > 1 and not (retyped and e.event_type == c.new_value):
                del events[e.event_id]
                rest = [by_mention[i] for i in e.mention_ids if i != m.mention_id]
                rebuild([rest, [m]])
            out.applied_to = sorted({x.event_id for x in (event_of(m),) if x})

    # 4. event-wide fields (and confirmations) on every event holding one of the correction's mentions
    for c in ordered:
        out = outcomes[c.correction_id]
        if out.status == "stale":
            continue
        targets = {e.event_id: e for e in map(event_of, found[c.correction_id]) if e}
        if c.kind in FIELD_KINDS and (c.scope == "event" or c.kind == "type"):
            # (a retyped sentence's event has its type: it was split out of any other in step 3, and a
            # correction of a whole event made earlier must not retype it back)
            for e in targets.values():
                set_field(e, c.kind, c.new_value)
            out.applied_to = sorted(targets)
        elif c.kind == "confirm" or (c.kind in FIELD_KINDS and c.scope == "mention"):
            out.applied_to = sorted(targets)
        for eid in out.applied_to:
            if eid in events:
                touched[eid].append((c.correction_id, c.kind))

    for m in mentions:
        if m.mention_id in rejected:
            m.event_id = None
    ordered_events = sorted(events.values(), key=lambda e: (e.date or "", e.event_id))
    return Review(ordered_events, mentions, outcomes, dict(touched), rejected)


# -- the change log -----------------------------------------------------------------------------
def _countries(actors: Sequence[Actor]) -> str:
    return ", ".join(sorted({a.country or a.name for a in actors})) or "-"


def _what(e: Event) -> str:
    return f"{e.event_type} {date_label(e.date, e.date_end) or 'undated'}"


def _actors(e: Event) -> str:
    return f"{_countries(e.source)} → {_countries(e.target)}"


def diff_events(
    before: Sequence[Event], after: Sequence[Event], touched: dict[str, list[tuple[str, str]]] | None = None,
    rejected: dict[str, str] | None = None,
) -> list[Change]:
    """What changed from the events ``before`` a run to those ``after`` it, event by event.

    Events are followed through their mentions (ids may change when an event's smallest mention
    changes): an event whose mentions are all new is *created*; one whose mentions are all gone is
    *removed*; one made of several earlier events is *merged*; an earlier event now spread over
    several is *split*; otherwise the event is compared field by field (*retyped*, *redated*,
    *relocated*, *actors*) and by its mentions (*mentions*: reports joined or left, id changed).
    """
    touched = touched or {}
    rejected = rejected or {}
    old_of = {mid: e.event_id for e in before for mid in e.mention_ids}
    new_of = {mid: e.event_id for e in after for mid in e.mention_ids}
    old_by_id = {e.event_id: e for e in before}
    out: list[Change] = []

    def why(eid: str | None, *kinds: str) -> str | None:
        """The corrections of these kinds (any, when none is named) that shaped the event."""
        cids = [c for c, k in touched.get(eid or "", []) if not kinds or k in kinds]
        return f"correction {', '.join(cids)}" if cids else None

    for e in after:
        olds = sorted({old_of[m] for m in e.mention_ids if m in old_of})
        if not olds:
            out.append(Change("created", e.event_id, [], None, _what(e), why(e.event_id)))
            continue
        if len(olds) > 1:
            out.append(Change("merged", e.event_id, olds, ", ".join(olds), e.event_id, why(e.event_id, "merge")))
            continue
        old = old_by_id[olds[0]]
        if len({new_of[m] for m in old.mention_ids if m in new_of}) > 1:
            continue  # reported once, as a split of the old event
        checks = [
            ("retyped", f"{old.event_type}/{old.mode or '-'}", f"{e.event_type}/{e.mode or '-'}", ("type", "mode")),
            ("redated", date_label(old.date, old.date_end), date_label(e.date, e.date_end), ("date",)),
            ("relocated", place_label(old.location), place_label(e.location), ("place",)),
            ("actors", _actors(old), _actors(e), ("source", "target")),
        ]
        for kind, a, b, by in checks:
            if a != b:
                out.append(Change(kind, e.event_id, [old.event_id], a, b, why(e.event_id, *by)))
        if set(old.mention_ids) != set(e.mention_ids):
            joined = len(set(e.mention_ids) - set(old.mention_ids))
            left = len(set(old.mention_ids) - set(e.mention_ids))
            detail = f"{joined} joined, {left} left"
            if old.event_id != e.event_id:
                detail += f"; id was {old.event_id}"
            out.append(Change("mentions", e.event_id, [old.event_id], str(old.n_mentions), str(e.n_mentions), detail))
    for old in before:
        news = sorted({new_of[m] for m in old.mention_ids if m in new_of})
        if not news:
            cids = sorted({rejected[m] for m in old.mention_ids if m in rejected})
            detail = (f"rejected by correction {', '.join(cids)}" if cids
                      else "its mentions are gone (articles replaced)")
            out.append(Change("removed", None, [old.event_id], _what(old), None, detail))
        elif len(news) > 1:
            out.append(Change("split", None, [old.event_id], old.event_id, ", ".join(news),
                              "; ".join(filter(None, (why(n, "split") for n in news))) or None))
    for i, c in enumerate(out, 1):
        c.seq = i
    return out
