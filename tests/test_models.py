"""The data model's hand-written serialisers keep every field (they replace the slower ``asdict``)."""

from __future__ import annotations

from dataclasses import asdict, fields

from eventcoder.models import Actor, Place


def test_actor_and_place_dicts_have_every_field() -> None:
    a = Actor("Ankara", "Turkey", "TUR", "GOV", "country:TUR")
    p = Place("Afrin", "SYR", "09", 36.5, 36.9, 170000, "city", "Aleppo", None, "P", "PPL")
    assert a.to_dict() == asdict(a) and list(a.to_dict()) == [f.name for f in fields(Actor)]
    assert p.to_dict() == asdict(p) and list(p.to_dict()) == [f.name for f in fields(Place)]
