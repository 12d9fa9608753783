"""The workbench API on the bundled sample corpus: filters, evidence, aggregates, downloads, safety."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventcoder.cli import app as cli
from eventcoder.store import EXPORT_COLUMNS, Store
from eventcoder.web.app import PAGES_DIR, STATIC_DIR, create_app, local_hosts

runner = CliRunner()


def sample_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample coded once per test session (shared by the API and browser tests)."""
    db = tmp_path_factory.getbasetemp() / "web-sample" / "sample.duckdb"
    if not db.exists():
        db.parent.mkdir(exist_ok=True)
        result = runner.invoke(cli, ["run", "--db", str(db), "--quiet"])
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="session")
def web_sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_db_path(tmp_path_factory)


@pytest.fixture(scope="module")
def client(web_sample_db: Path) -> TestClient:
    with TestClient(create_app(web_sample_db)) as c:
        yield c


def _countries(event: dict) -> set[str]:
    return {a["country"] for a in event["source"] + event["target"] if a["country"]}


def _all(client: TestClient, **params: object) -> list[dict]:
    return client.get("/api/events", params={**params, "limit": 500}).json()["events"]


def test_overview_counts_match_the_database(client, web_sample_db):
    body = client.get("/api/overview").json()
    with Store(web_sample_db, read_only=True) as store:
        counts = store.counts()
    assert (body["n_events"], body["n_mentions"], body["n_articles"]) == (
        counts["events"], counts["mentions"], counts["articles"])
    assert sum(t["n_events"] for t in body["types"]) == counts["events"]
    assert body["first_date"] <= body["last_date"]


def test_dyad_filter_keeps_events_with_both_countries(client):
    page = client.get("/api/events", params={"dyad": "tur-aze", "limit": 500}).json()
    assert page["total"] >= 8
    assert all({"AZE", "TUR"} <= _countries(e) for e in page["events"])
    dates = [e["date"] for e in page["events"] if e["date"]]
    assert dates == sorted(dates)


@pytest.mark.parametrize(("params", "check"), [
    ({"type": "consult"}, lambda e: e["event_type"] == "CONSULT"),
    ({"quad_class": 4}, lambda e: e["quad_class"] == 4),
    ({"actor": "ARM"}, lambda e: "ARM" in _countries(e)),
    ({"actor": "ilham aliyev"}, lambda e: any(a["name"] == "Ilham Aliyev" for a in e["source"] + e["target"])),
    ({"date_from": "2021-10-01", "date_to": "2021-10-31"},
     lambda e: e["date"] <= "2021-10-31" and (e["date_end"] or e["date"]) >= "2021-10-01"),
    ({"place": "Brussels"}, lambda e: e["location"]["name"] == "Brussels"),
    ({"place": "aze"}, lambda e: e["location"]["country"] == "AZE"),
])
def test_each_filter_narrows_the_list(client, params, check):
    everything = client.get("/api/events").json()["total"]
    events = _all(client, **params)
    assert events, params
    assert len(events) < everything
    assert all(check(e) for e in events), params


def test_text_search_finds_events_by_their_sentences(client):
    events = _all(client, q="ERDOGAN")
    assert events
    for e in events[:5]:
        detail = client.get(f"/api/events/{e['event_id']}").json()
        assert any("erdogan" in ev["mention"]["sentence"].lower() for ev in detail["evidence"])


def test_october_2021_between_azerbaijan_and_turkey(client):
    """The issue's question: what happened between AZE and TUR in October 2021, where, and who says so."""
    events = _all(client, dyad="AZE:TUR", date_from="2021-10-01", date_to="2021-10-31")
    assert len(events) >= 4
    assert {"CONSULT", "SUPPORT"} <= {e["event_type"] for e in events}
    assert any(e["location"] and e["location"]["name"] in {"Shusha", "Zangilan", "Tbilisi"} for e in events)


def test_sorting_and_pagination(client):
    newest = client.get("/api/events", params={"sort": "-date", "limit": 5}).json()["events"]
    assert [e["date"] for e in newest] == sorted((e["date"] for e in newest), reverse=True)
    first = client.get("/api/events", params={"limit": 10, "offset": 0}).json()
    second = client.get("/api/events", params={"limit": 10, "offset": 10}).json()
    assert first["total"] == second["total"]
    assert not {e["event_id"] for e in first["events"]} & {e["event_id"] for e in second["events"]}
    by_reports = client.get("/api/events", params={"sort": "-n_mentions", "limit": 20}).json()["events"]
    assert [e["n_mentions"] for e in by_reports] == sorted((e["n_mentions"] for e in by_reports), reverse=True)


@pytest.mark.parametrize(("params", "message"), [
    ({"dyad": "AZE"}, "two different country codes"),
    ({"sort": "title"}, "cannot sort by 'title'"),
    ({"date_from": "October"}, "date_from must be YYYY-MM-DD"),
])
def test_bad_filters_are_one_line_400s(client, params, message):
    response = client.get("/api/events", params=params)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert "\n" not in response.json()["detail"]


def test_out_of_range_parameters_are_rejected(client):
    assert client.get("/api/events", params={"limit": 100_000}).status_code == 422
    assert client.get("/api/events", params={"quad_class": 7}).status_code == 422
    assert client.get("/api/series", params={"freq": "fortnight"}).status_code == 422


def test_event_detail_has_every_sentence_with_trigger_and_actor_spans(client):
    event = _all(client, dyad="AZE:TUR", sort="-n_mentions")[0]
    detail = client.get(f"/api/events/{event['event_id']}").json()
    assert detail["event"]["event_id"] == event["event_id"]
    assert len(detail["evidence"]) == event["n_mentions"]
    cited = {ev["mention"]["article_id"] for ev in detail["evidence"]}
    assert cited == {a["article_id"] for a in detail["articles"]}
    for ev in detail["evidence"]:
        m, spans = ev["mention"], ev["spans"]
        triggers = [s for s in spans if s["kind"] == "trigger"]
        assert len(triggers) == 1
        assert m["sentence"][triggers[0]["start"]:triggers[0]["end"]] == m["trigger"]
        assert any(s["kind"] == "actor" for s in spans)
        assert all(a["end"] <= b["start"] for a, b in zip(spans, spans[1:], strict=False))


def test_unknown_event_and_article_are_404(client):
    assert client.get("/api/events/ev_nope").status_code == 404
    assert client.get("/api/articles/nope.txt").status_code == 404


def test_article_detail_offsets_point_at_the_coded_sentences(client):
    event = _all(client, dyad="AZE:TUR")[-1]
    detail = client.get(f"/api/events/{event['event_id']}").json()
    mention = detail["evidence"][0]["mention"]
    article = client.get(f"/api/articles/{mention['article_id']}").json()
    assert article["article"]["article_id"] == mention["article_id"]
    match = next(m for m in article["mentions"] if m["mention_id"] == mention["mention_id"])
    assert article["text"][match["char_start"]:match["char_end"]].strip() == mention["sentence"]


def test_dyads_agree_with_the_dyad_filter(client):
    dyads = client.get("/api/dyads", params={"limit": 5}).json()
    assert len(dyads) == 5
    assert [d["n_events"] for d in dyads] == sorted((d["n_events"] for d in dyads), reverse=True)
    for d in dyads:
        assert d["a"] < d["b"] and d["dyad"] == f"{d['a']}:{d['b']}"
        assert client.get("/api/events", params={"dyad": d["dyad"]}).json()["total"] == d["n_events"]
    assert "AZE:TUR" in {d["dyad"] for d in dyads}


def test_series_counts_every_dated_event_once_in_consecutive_months(client):
    points = client.get("/api/series", params={"dyad": "AZE:TUR", "freq": "month"}).json()
    dated = [e for e in _all(client, dyad="AZE:TUR") if e["date"]]
    assert sum(p["n_events"] for p in points) == len(dated)
    for p in points:
        assert p["n_events"] == p["verbal_coop"] + p["material_coop"] + p["verbal_conflict"] + p["material_conflict"]
        assert (p["goldstein_mean"] is None) == (p["n_events"] == 0)
    months = [p["period"] for p in points]
    assert all(re.fullmatch(r"\d{4}-\d{2}-01", m) for m in months)
    assert len(months) == len(set(months)) and months == sorted(months)
    october = next(p for p in points if p["period"] == "2021-10-01")
    assert october["n_events"] >= 4 and october["goldstein_sum"] > 0


def test_cli_series_gives_the_api_series(client, web_sample_db):
    api = client.get("/api/series", params={"dyad": "AZE:TUR", "freq": "quarter"}).json()
    result = runner.invoke(cli, ["series", "--db", str(web_sample_db), "--dyad", "AZE:TUR", "--freq", "quarter",
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["period"] for r in rows] == [p["period"] for p in api]
    assert [int(r["n_events"]) for r in rows] == [p["n_events"] for p in api]
    table = runner.invoke(cli, ["series", "--db", str(web_sample_db), "--dyad", "AZE:TUR", "--freq", "year"])
    assert table.exit_code == 0 and "2021-01-01" in table.stdout


def test_cli_series_and_serve_errors_are_one_line(tmp_path, web_sample_db):
    missing = runner.invoke(cli, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1
    assert "no database at" in missing.output and "Traceback" not in missing.output
    bad = runner.invoke(cli, ["series", "--db", str(web_sample_db), "--dyad", "AZE"])
    assert bad.exit_code == 1 and "two different country codes" in bad.output


def test_network_edges_are_the_heaviest_dyads(client):
    net = client.get("/api/network", params={"max_edges": 10}).json()
    assert len(net["edges"]) == 10
    dyads = client.get("/api/dyads", params={"limit": 10}).json()
    assert [(e["source"], e["target"], e["weight"]) for e in net["edges"]] == [
        (d["a"], d["b"], d["n_events"]) for d in dyads]
    ids = {n["id"] for n in net["nodes"]}
    assert {e["source"] for e in net["edges"]} | {e["target"] for e in net["edges"]} == ids
    turkey = next(n for n in net["nodes"] if n["id"] == "TUR")
    assert turkey["name"] == "Turkey" and turkey["n_events"] >= 13


def test_places_have_coordinates_and_counts(client):
    places = client.get("/api/places").json()
    assert places
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 and p["n_events"] >= 1 for p in places)
    brussels = next(p for p in places if p["name"] == "Brussels")
    assert brussels["n_events"] == client.get("/api/events", params={"place": "Brussels"}).json()["total"]


def test_downloads_of_a_filtered_list(client):
    total = client.get("/api/events", params={"dyad": "AZE:TUR"}).json()["total"]
    response = client.get("/api/events.csv", params={"dyad": "AZE:TUR", "sort": "-date"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == EXPORT_COLUMNS["events"] and len(rows) == total + 1
    lines = client.get("/api/events.jsonl", params={"dyad": "AZE:TUR"}).text.splitlines()
    assert len(lines) == total
    assert list(json.loads(lines[0])) == EXPORT_COLUMNS["events"]
    series = client.get("/api/series.csv", params={"dyad": "AZE:TUR"}).text.splitlines()
    assert series[0].startswith("period,n_events,verbal_coop")
    assert client.get("/api/dyads.jsonl").text.count("\n") >= 10
    assert client.get("/api/events.csv", params={"sort": "nope"}).status_code == 400
    assert client.get("/api/events.xml").status_code == 422


def test_openapi_schema_lists_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/dyads",
                 "/api/series", "/api/network", "/api/events.{fmt}"):
        assert path in paths


@pytest.mark.parametrize("path", ["/", "/events", "/dyads/AZE:TUR", "/events/ev_x", "/articles/a/b.txt",
                                  "/network", "/map"])
def test_pages_are_served_with_a_strict_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


def test_every_asset_is_bundled_and_nothing_is_fetched_from_elsewhere(client):
    own = [*PAGES_DIR.glob("*.html"), *STATIC_DIR.glob("js/*.js"), *STATIC_DIR.glob("css/*.css")]
    assert len(own) >= 8
    for path in own:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), path
        assert not re.search(r"\.(inner|outer)HTML\s*[+]?=|insertAdjacentHTML\(|document\.write\(", text), path
        for ref in re.findall(r'(?:src|href)="(/static/[^"]+)"', text):
            assert client.get(ref).status_code == 200, ref
    assert client.get("/static/vendor/chart.umd.min.js").status_code == 200
    world = client.get("/static/vendor/world-110m.json").json()
    assert len(world["countries"]) > 150 and world["countries"][0]["d"].startswith("M")
    assert client.get("/docs").status_code == 404  # FastAPI's docs page would load scripts from a CDN


def test_database_is_opened_read_only(web_sample_db):
    web = create_app(web_sample_db)
    with web.state.reader.reading() as events_db:
        cur = events_db.cursor()
        with pytest.raises(duckdb.Error, match="read-only"):
            cur.execute("CREATE TABLE scratch (i INTEGER)")
        with pytest.raises(duckdb.Error, match="read-only"):
            cur.execute("DELETE FROM events")
        cur.close()
    web.state.reader.close()


def test_workbench_follows_a_new_run(web_sample_db, tmp_path):
    """A run publishes a new database file; the next request sees it without a restart."""
    import shutil

    db = tmp_path / "follow.duckdb"
    shutil.copy(web_sample_db, db)
    web = create_app(db)
    web.state.reader.check_interval = 0
    with TestClient(web) as client:
        before = client.get("/api/overview").json()
        assert before["n_events"] > 0
        empty = tmp_path / "empty.duckdb"
        Store(empty).close()  # an empty database with the same schema, published over the old one
        empty.replace(db)
        assert client.get("/api/overview").json()["n_events"] == 0


def test_loopback_server_refuses_other_host_names(web_sample_db):
    assert local_hosts("0.0.0.0") is None
    web = create_app(web_sample_db, allowed_hosts=local_hosts("127.0.0.1"))
    with TestClient(web, base_url="http://127.0.0.1:8000") as ok:
        assert ok.get("/api/overview").status_code == 200
    with TestClient(web, base_url="http://attacker.example") as rebound:
        assert rebound.get("/api/overview").status_code == 400
