"""Workbench speed on a large database: API latency (p50/p95) and each page's first render.

Builds a database of synthetic events (default 100,000, with their mentions and articles) through
Store's migrations and bulk Arrow inserts, serves it with the workbench, times filtered event lists
and series over HTTP, then times every page in headless Chromium (Debian's /usr/bin/chromium).

Targets (issue 7): p95 < 200 ms for filtered lists and series; first render < 1 s per page.

Usage: python benchmarks/web.py [--events 100000] [--db PATH] [--repeat 20] [--no-browser]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa

from eventcoder.doctor import chromium_path
from eventcoder.pipeline.cameo import PLOVER_TYPES, default_cameo
from eventcoder.store import Store
from eventcoder.web.app import background_server

#: (code, name, capital, lat, lon); drawn with Zipf-like weights so a few dyads dominate, as in news.
COUNTRIES = [
    ("USA", "United States", "Washington", 38.9, -77.04), ("RUS", "Russia", "Moscow", 55.75, 37.62),
    ("CHN", "China", "Beijing", 39.9, 116.4), ("UKR", "Ukraine", "Kyiv", 50.45, 30.52),
    ("TUR", "Turkey", "Ankara", 39.93, 32.86), ("AZE", "Azerbaijan", "Baku", 40.41, 49.87),
    ("ARM", "Armenia", "Yerevan", 40.18, 44.51), ("IRN", "Iran", "Tehran", 35.69, 51.39),
    ("ISR", "Israel", "Jerusalem", 31.77, 35.21), ("GBR", "United Kingdom", "London", 51.51, -0.13),
    ("FRA", "France", "Paris", 48.86, 2.35), ("DEU", "Germany", "Berlin", 52.52, 13.4),
    ("IND", "India", "New Delhi", 28.61, 77.21), ("PAK", "Pakistan", "Islamabad", 33.68, 73.05),
    ("SYR", "Syria", "Damascus", 33.51, 36.29), ("EGY", "Egypt", "Cairo", 30.04, 31.24),
    ("ETH", "Ethiopia", "Addis Ababa", 9.03, 38.74), ("SDN", "Sudan", "Khartoum", 15.5, 32.56),
    ("NGA", "Nigeria", "Abuja", 9.08, 7.4), ("BRA", "Brazil", "Brasilia", -15.79, -47.88),
    ("MEX", "Mexico", "Mexico City", 19.43, -99.13), ("JPN", "Japan", "Tokyo", 35.68, 139.69),
    ("KOR", "South Korea", "Seoul", 37.57, 126.98), ("PRK", "North Korea", "Pyongyang", 39.04, 125.76),
    ("SAU", "Saudi Arabia", "Riyadh", 24.71, 46.68), ("QAT", "Qatar", "Doha", 25.29, 51.53),
    ("AFG", "Afghanistan", "Kabul", 34.56, 69.21), ("IRQ", "Iraq", "Baghdad", 33.31, 44.37),
    ("POL", "Poland", "Warsaw", 52.23, 21.01), ("BLR", "Belarus", "Minsk", 53.9, 27.57),
    ("GEO", "Georgia", "Tbilisi", 41.69, 44.83), ("KAZ", "Kazakhstan", "Astana", 51.17, 71.45),
    ("VEN", "Venezuela", "Caracas", 10.48, -66.9), ("COL", "Colombia", "Bogota", 4.71, -74.07),
    ("ZAF", "South Africa", "Pretoria", -25.75, 28.19), ("KEN", "Kenya", "Nairobi", -1.29, 36.82),
    ("IDN", "Indonesia", "Jakarta", -6.21, 106.85), ("AUS", "Australia", "Canberra", -35.28, 149.13),
    ("CAN", "Canada", "Ottawa", 45.42, -75.7), ("NAT", "NATO", "Brussels", 50.85, 4.35),
]
SECTORS = ["GOV", "MIL", "GOV", None, "LEG", "CVL"]
START = date(2015, 1, 1)
DAYS = 3650


def synthetic_tables(n_events: int, seed: int = 7) -> dict[str, pa.Table]:
    """Events, mentions and articles as Arrow tables with the store's columns."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(COUNTRIES))]
    n_articles = max(1, n_events // 3)
    events: dict[str, list[Any]] = {k: [] for k in (
        "event_id", "event_type", "mode", "source", "target", "date", "date_end", "date_precision", "date_basis",
        "location", "cameo_code", "goldstein", "quad_class", "confidence", "n_articles", "n_sources", "n_mentions",
        "mention_ids")}
    mentions: dict[str, list[Any]] = {k: [] for k in (
        "mention_id", "event_id", "article_id", "sentence", "sentence_index", "char_start", "char_end", "trigger",
        "trigger_start", "event_type", "mode", "source", "target", "date", "date_end", "date_precision",
        "date_basis", "location", "is_background", "cameo_code", "goldstein", "quad_class", "confidence", "rule")}
    article_sentences: list[list[str]] = [[] for _ in range(n_articles)]
    article_dates = [START + timedelta(days=rng.randrange(DAYS)) for _ in range(n_articles)]
    for i in range(n_events):
        src, tgt = rng.choices(COUNTRIES, weights, k=2)
        while tgt == src:
            tgt = rng.choices(COUNTRIES, weights)[0]
        etype = rng.choice(PLOVER_TYPES)
        cameo = default_cameo(etype)
        day = START + timedelta(days=rng.randrange(DAYS))
        source = [{"text": src[1], "name": src[1], "country": src[0], "sector": rng.choice(SECTORS)}]
        target = [{"text": tgt[1], "name": tgt[1], "country": tgt[0], "sector": rng.choice(SECTORS)}]
        place = rng.choice([src, tgt])
        location = ({"name": place[2], "country": place[0], "admin1": None, "lat": place[3], "lon": place[4],
                     "geonameid": None, "precision": "city"} if rng.random() < 0.7 else None)
        event_id = f"ev_{i:016x}"
        n_mentions = rng.choice((1, 1, 1, 2, 2, 3))
        mention_ids = [f"m_{i:012x}{j}" for j in range(n_mentions)]
        articles = set()
        for j, mention_id in enumerate(mention_ids):
            a = rng.randrange(n_articles)
            articles.add(a)
            trigger = etype.lower()
            sentence = f"{src[1]} said it would {trigger} with {tgt[1]} in {place[2]} on {day:%B %d, %Y}."
            start = sum(len(s) + 1 for s in article_sentences[a])
            article_sentences[a].append(sentence)
            values = {
                "mention_id": mention_id, "event_id": event_id, "article_id": f"a{a:07d}.txt", "sentence": sentence,
                "sentence_index": len(article_sentences[a]) - 1, "char_start": start, "char_end": start + len(sentence),
                "trigger": trigger, "trigger_start": start + sentence.index(trigger), "event_type": etype, "mode": None,
                "source": source, "target": target, "date": day, "date_end": None, "date_precision": "day",
                "date_basis": "explicit", "location": location, "is_background": j > 1, "cameo_code": cameo.code,
                "goldstein": cameo.goldstein, "quad_class": cameo.quad_class, "confidence": 0.8,
                "rule": "synthetic",
            }
            for k, v in values.items():
                mentions[k].append(v)
        values = {
            "event_id": event_id, "event_type": etype, "mode": None, "source": source, "target": target, "date": day,
            "date_end": None, "date_precision": "day", "date_basis": "explicit", "location": location,
            "cameo_code": cameo.code, "goldstein": cameo.goldstein, "quad_class": cameo.quad_class,
            "confidence": round(rng.uniform(0.4, 1.0), 3), "n_articles": len(articles), "n_sources": len(articles),
            "n_mentions": n_mentions, "mention_ids": mention_ids,
        }
        for k, v in values.items():
            events[k].append(v)
    texts = [" ".join(s) for s in article_sentences]
    articles_tbl = pa.table({
        "article_id": [f"a{a:07d}.txt" for a in range(n_articles)],
        "title": [f"Synthetic report {a}" for a in range(n_articles)],
        "author": [["Wire Staff"]] * n_articles, "published": article_dates,
        "published_basis": ["input"] * n_articles, "source": [f"Outlet {a % 25}" for a in range(n_articles)],
        "url": [f"https://example.org/{a}" for a in range(n_articles)], "text": texts,
        "n_chars": [len(t) for t in texts], "content_hash": [f"h{a}" for a in range(n_articles)],
        "path": [None] * n_articles,
    })
    return {"events": pa.table(events), "mentions": pa.table(mentions), "articles": articles_tbl}


def build_db(path: Path, n_events: int) -> None:
    """A fresh database (schema by Store's migrations) filled with bulk inserts, not row by row."""
    with Store(path) as store:
        for name, table in synthetic_tables(n_events).items():
            store.con.register("_bulk", table)
            store.con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _bulk")
            store.con.unregister("_bulk")
        store.con.execute("CHECKPOINT")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def api_cases(client: httpx.Client) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Request groups → (path, params) to time; the dyads and actors come from the database itself."""
    dyads = [d["dyad"] for d in client.get("/api/dyads", params={"limit": 40}).json()]
    sample = client.get("/api/events", params={"sort": "-confidence", "limit": 100}).json()["events"]
    codes = [c[0] for c in COUNTRIES]
    types = list(PLOVER_TYPES)
    return {
        "list: no filter": [("/api/events", {"offset": 50 * k}) for k in range(5)],
        "list: dyad": [("/api/events", {"dyad": d}) for d in dyads],
        "list: dyad + type": [("/api/events", {"dyad": d, "type": t}) for d, t in zip(dyads, types * 3, strict=False)],
        "list: actor, newest first": [("/api/events", {"actor": c, "sort": "-date"}) for c in codes],
        "list: quad class + date range": [("/api/events", {"quad_class": q, "date_from": f"{y}-01-01",
                                                           "date_to": f"{y}-06-30"})
                                          for q in (1, 2, 3, 4) for y in (2016, 2019, 2023)],
        "list: place": [("/api/events", {"place": c[2]}) for c in COUNTRIES[:20]],
        "list: text search": [("/api/events", {"q": w}) for w in ("Baku", "Moscow on March", "threaten with",
                                                                   "2021.", "Kyiv")],
        "list: deep page, by Goldstein": [("/api/events", {"sort": "-goldstein", "offset": 20_000 + 500 * k})
                                          for k in range(5)],
        "series: dyad per month": [("/api/series", {"dyad": d, "freq": "month"}) for d in dyads],
        "series: all events per week": [("/api/series", {"freq": "week"})],
        "series: actor + type per quarter": [("/api/series", {"actor": c, "type": t, "freq": "quarter"})
                                             for c, t in zip(codes, types * 3, strict=False)],
        "dyads (top 50)": [("/api/dyads", {})],
        "network": [("/api/network", {})],
        "places": [("/api/places", {})],
        "overview": [("/api/overview", {})],
        "event detail": [("/api/events/" + e["event_id"], {}) for e in sample],
    }


def time_api(base: str, repeat: int) -> list[tuple[str, int, float, float]]:
    """(group, requests, p50 ms, p95 ms) per request group."""
    results = []
    with httpx.Client(base_url=base, timeout=60) as client:
        cases = api_cases(client)
        for path, params in [c for group in cases.values() for c in group][:20]:  # warm up
            client.get(path, params=params)
        for group, requests in cases.items():
            timings = []
            for _ in range(max(1, repeat // len(requests))):
                for path, params in requests:
                    t0 = time.perf_counter()
                    response = client.get(path, params=params)
                    timings.append((time.perf_counter() - t0) * 1000)
                    if response.status_code != 200:
                        raise SystemExit(f"{path} {params}: HTTP {response.status_code} {response.text[:200]}")
            results.append((group, len(timings), statistics.median(timings), percentile(timings, 0.95)))
    return results


def time_pages(base: str, runs: int = 3) -> list[tuple[str, float, float]]:
    """(page, median ms, worst ms) from navigation start to the page's data being drawn, each in a fresh context."""
    from playwright.sync_api import sync_playwright

    with httpx.Client(base_url=base) as client:
        dyad = client.get("/api/dyads", params={"limit": 1}).json()[0]["dyad"]
        event = client.get("/api/events", params={"dyad": dyad, "sort": "-n_mentions", "limit": 1}).json()["events"][0]
        article = client.get(f"/api/events/{event['event_id']}").json()["articles"][0]["article_id"]
    pages = ["/", "/events", f"/dyads/{dyad}", f"/events/{event['event_id']}", f"/articles/{article}", "/network",
             "/map"]
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path() or "chromium", args=args)
        for path in pages:
            times = []
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(base + path)
                page.wait_for_selector("body[data-ready='1']", timeout=30_000)
                times.append(page.evaluate("window.wbRenderedAt"))
                context.close()
            results.append((path, statistics.median(times), max(times)))
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="Keep the database here (default: a temporary directory).")
    parser.add_argument("--repeat", type=int, default=40, help="Requests per API group (at least one per case).")
    parser.add_argument("--no-browser", action="store_true", help="Skip the page render timings.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "web-bench.duckdb"
        if db.exists():
            print(f"using the existing database {db}")
        else:
            t0 = time.perf_counter()
            build_db(db, args.events)
            print(f"built {db.name}: {args.events:,} synthetic events in {time.perf_counter() - t0:.1f} s")
        with Store(db, read_only=True) as store:
            counts = store.counts()
        print(f"database: {counts['events']:,} events, {counts['mentions']:,} mentions, "
              f"{counts['articles']:,} articles")
        with background_server(db) as base:
            api = time_api(base, args.repeat)
            pages = [] if args.no_browser else time_pages(base)
    print("\nAPI latency over HTTP (ms)")
    print(f"{'request':36} {'n':>4} {'p50':>7} {'p95':>7}")
    for group, n, p50, p95 in api:
        print(f"{group:36} {n:>4} {p50:>7.1f} {p95:>7.1f}")
    targeted = [p95 for group, _, _, p95 in api if group.startswith(("list", "series"))]
    print(f"worst p95 of filtered lists and series: {max(targeted):.1f} ms (target < 200 ms)")
    if pages:
        print("\nfirst render in headless Chromium (ms from navigation start to data drawn; median and worst of 3)")
        for path, median, worst in pages:
            print(f"{path:44} {median:>7.0f} {worst:>7.0f}")
        print(f"worst first render: {max(w for _, _, w in pages):.0f} ms (target < 1000 ms)")


if __name__ == "__main__":
    main()
