"""User dictionaries: actors and places a user adds without editing the package.

``eventcoder run --actors my_actors.tsv --places my_places.tsv`` (and ``eventcoder code``, and the
Python API) read two tab-separated files, documented in docs/dictionaries.md:

* actors: ``name, aliases, country, sector, start, end`` — one row per role; several rows of one
  name are the dated roles of one actor (``start``/``end``: first and last day, YYYY-MM-DD, either
  may be empty);
* places: ``name, aliases, country, admin1, lat, lon``.

Aliases are separated by ``|`` (or ``;``). A first row naming the columns is optional; with one,
the columns may come in any order and the optional ones may be left out. Every row is checked
when the file is read, so a bad row stops the run before any work with one line naming the file,
the line and the problem (:class:`~eventcoder.errors.DictionaryError`).

User entries win over shipped ones: a user actor's name or alias is matched before the package's
people, and a user place's name replaces the gazetteer's entries of that name. They are plain data
(:class:`UserDictionaries`) handed to every engine's constructor, so worker processes and Spark
executors build the same coder from them; the shipped disk caches are keyed on shipped data only
and never hold user entries.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from eventcoder.errors import DictionaryError

ACTOR_COLUMNS = ("name", "aliases", "country", "sector", "start", "end")
PLACE_COLUMNS = ("name", "aliases", "country", "admin1", "lat", "lon")
#: Columns a row must fill.
REQUIRED = {"actors": ("name",), "places": ("name", "country", "lat", "lon")}
SECTOR_RE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class UserActor:
    """One row of an actors file: a role of the named actor, valid from ``start`` to ``end``
    (inclusive ISO dates; empty: open)."""

    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    sector: str | None = None
    start: str = ""
    end: str = ""


@dataclass(frozen=True, slots=True)
class UserPlace:
    """One row of a places file."""

    name: str
    country: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()
    admin1: str | None = None


@dataclass(frozen=True, slots=True)
class UserDictionaries:
    """The rows of a user's actors and places files (picklable: engines pass it to their workers)."""

    actors: tuple[UserActor, ...] = ()
    places: tuple[UserPlace, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.actors or self.places)

    @classmethod
    def load(cls, actors: str | Path | None = None, places: str | Path | None = None) -> UserDictionaries:
        """Read and check the files; raises DictionaryError naming the file, line and problem."""
        return cls(read_actors(actors) if actors else (), read_places(places) if places else ())

    def key(self) -> str:
        """A digest of the rows (which engine a Spark executor keeps for them)."""
        return hashlib.sha1(repr((self.actors, self.places)).encode("utf-8")).hexdigest()[:16]

    def coder_parts(self) -> dict[str, Any]:
        """``EventCoder`` keyword arguments holding the shipped dictionaries with these entries over them."""
        from eventcoder.pipeline.actors import ActorDictionary, ActorRecognizer
        from eventcoder.pipeline.places import Gazetteer
        from eventcoder.pipeline.roles import RoleBook

        parts: dict[str, Any] = {}
        if self.actors:
            dictionary, roles = ActorDictionary.default().with_user_actors(self.actors)
            parts["recognizer"] = ActorRecognizer(dictionary, roles=RoleBook.default().with_roles(roles))
        if self.places:
            parts["gazetteer"] = Gazetteer.default().with_places(self.places)
        return parts


@lru_cache(maxsize=1)
def _codes() -> tuple[frozenset[str], frozenset[str]]:
    """(ISO-3 country codes, IGO codes) the shipped dictionaries know."""
    root = resources.files("eventcoder").joinpath("data")
    countries = json.loads(root.joinpath("countries.json").read_text(encoding="utf-8"))
    igos = json.loads(root.joinpath("igos.json").read_text(encoding="utf-8"))
    return (frozenset(k for k in countries if not k.startswith("_")),
            frozenset(v["code"] for k, v in igos.items() if not k.startswith("_")))


def _rows(path: str | Path, kind: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row by column) of a TSV; a header row, when there is one, names the columns."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DictionaryError(f"{path}: no such {kind} file") from None
    except UnicodeDecodeError:
        raise DictionaryError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise DictionaryError(f"{path}: cannot read: {exc.strerror or exc}") from None
    out: list[tuple[int, dict[str, str]]] = []
    header: tuple[str, ...] | None = None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))]
        if header is None and not out and "name" in (lowered := [c.lower() for c in cells]) and (
                cells[0].lower() == "name" or all(c in columns for c in lowered)):
            unknown = [c for c in cells if c.lower() not in columns]
            if unknown:
                raise DictionaryError(f"{path}:{n}: unknown column {unknown[0]!r} "
                                      f"({kind} columns: {', '.join(columns)})")
            header = tuple(c.lower() for c in cells)
            continue
        names = header or columns
        if len(cells) > len(names) and any(cells[len(names):]):
            raise DictionaryError(f"{path}:{n}: {len(cells)} columns, expected at most {len(names)} "
                                  f"({', '.join(names)}); separate columns with tabs")
        row = dict(zip(names, cells, strict=False))
        for col in REQUIRED[kind]:
            if not row.get(col):
                raise DictionaryError(f"{path}:{n}: missing {col}")
        out.append((n, row))
    return out


def _aliases(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in re.split(r"[|;]", text or "") if a.strip())


def _day(value: str, path: str | Path, n: int, column: str) -> str:
    if not value:
        return ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise DictionaryError(f"{path}:{n}: bad {column} date {value!r} (expected YYYY-MM-DD)")


def read_actors(path: str | Path) -> tuple[UserActor, ...]:
    """The rows of an actors file, checked (DictionaryError: file, line, problem)."""
    countries, igos = _codes()
    out: list[UserActor] = []
    for n, row in _rows(path, "actors", ACTOR_COLUMNS):
        country = (row.get("country") or "").upper() or None
        if country is not None and country not in countries and country not in igos:
            raise DictionaryError(f"{path}:{n}: unknown country code {row['country']!r} "
                                  "(an ISO 3166 alpha-3 code such as TUR, or an IGO code such as NAT)")
        sector = (row.get("sector") or "").upper() or None
        if sector is not None and not SECTOR_RE.match(sector):
            raise DictionaryError(f"{path}:{n}: bad sector {row['sector']!r} (three letters, e.g. GOV, MIL, REB)")
        start = _day(row.get("start", ""), path, n, "start")
        end = _day(row.get("end", ""), path, n, "end")
        if start and end and end < start:
            raise DictionaryError(f"{path}:{n}: end {end} is before start {start}")
        out.append(UserActor(row["name"], _aliases(row.get("aliases", "")), country, sector, start, end))
    return tuple(out)


def read_places(path: str | Path) -> tuple[UserPlace, ...]:
    """The rows of a places file, checked (DictionaryError: file, line, problem)."""
    countries, _ = _codes()
    out: list[UserPlace] = []
    for n, row in _rows(path, "places", PLACE_COLUMNS):
        country = row["country"].upper()
        if country not in countries:
            raise DictionaryError(f"{path}:{n}: unknown country code {row['country']!r} "
                                  "(an ISO 3166 alpha-3 code such as TUR)")
        coords = []
        for col, limit in (("lat", 90.0), ("lon", 180.0)):
            try:
                value = float(row[col])
            except ValueError:
                raise DictionaryError(f"{path}:{n}: {col} {row[col]!r} is not a number") from None
            if not -limit <= value <= limit:
                raise DictionaryError(f"{path}:{n}: {col} {row[col]} out of range (-{limit:g} to {limit:g})")
            coords.append(value)
        out.append(UserPlace(row["name"], country, coords[0], coords[1], _aliases(row.get("aliases", "")),
                             row.get("admin1") or None))
    return tuple(out)
