"""The workbench's review side: writes only with --allow-edits and the CSRF token, the review queue,
corrections through the API, and the one shared head and navigation of every page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from eventcoder.cli import app as cli
from eventcoder.store import Store
from eventcoder.web.app import CSRF_HEADER, NAV, PAGES, create_app, local_hosts
from test_web_api import sample_db_path

runner = CliRunner()
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def db(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    """A writable copy of the session's coded sample."""
    copy = tmp_path / "review.duckdb"
    shutil.copy(sample_db_path(tmp_path_factory), copy)
    return copy


def _client(db: Path, *, edits: bool) -> TestClient:
    web = create_app(db, allowed_hosts=local_hosts("127.0.0.1"), allow_edits=edits)
    web.state.reader.check_interval = 0
    return TestClient(web, base_url=BASE)


def _first_event(db: Path) -> dict:
    with Store(db, read_only=True) as store:
        return store.query("SELECT * FROM events ORDER BY n_mentions DESC, event_id LIMIT 1")[0]


def test_writes_are_refused_without_the_flag(db: Path) -> None:
    e = _first_event(db)
    with _client(db, edits=False) as client:
        page = client.get(f"/events/{e['event_id']}").text
        assert 'name="wb-edits" content="0"' in page and "wb-csrf" not in page
        r = client.post(f"/api/events/{e['event_id']}/corrections", json={"type": "AID"},
                        headers={CSRF_HEADER: client.app.state.csrf_token})
        assert r.status_code == 403 and "read-only" in r.json()["detail"]
        assert client.put(f"/api/events/{e['event_id']}/corrections", json={}).status_code == 405
        assert client.get("/api/vocabulary").json()["edits"] is False
    assert _first_event(db)["event_type"] == e["event_type"]


def test_writes_need_the_csrf_token_and_this_origin(db: Path) -> None:
    e = _first_event(db)
    url = f"/api/events/{e['event_id']}/corrections"
    with _client(db, edits=True) as client:
        token = client.app.state.csrf_token
        page = client.get("/review").text
        assert f'<meta name="wb-csrf" content="{token}">' in page
        assert client.post(url, json={"type": "AID"}).status_code == 403
        assert client.post(url, json={"type": "AID"}, headers={CSRF_HEADER: "x" + token}).status_code == 403
        other = client.post(url, json={"type": "AID"}, headers={CSRF_HEADER: token, "Origin": "http://evil.example"})
        assert other.status_code == 403 and "another origin" in other.json()["detail"]
        assert _first_event(db)["event_type"] == e["event_type"]

        r = client.post(url, json={"type": "AID", "note": "aid convoy", "expected": {"type": e["event_type"]}},
                        headers={CSRF_HEADER: token, "Origin": BASE})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["published"] and body["event_id"] and body["corrections"][0]["kind"] == "type"
        assert body["corrections"][0]["summary"] == f"type {e['event_type']} → AID"
        after = client.get(f"/api/events/{body['event_id']}").json()["event"]
        assert after["event_type"] == "AID"
        listed = client.get("/api/corrections", params={"event_id": body["event_id"]}).json()
        assert [(c["kind"], c["status"], c["note"]) for c in listed] == [("type", "applied", "aid convoy")]

        # the page still shows the old type: a second edit from it is refused
        stale = client.post(f"/api/events/{after['event_id']}/corrections",
                            json={"type": "REQUEST", "expected": {"type": e["event_type"]}},
                            headers={CSRF_HEADER: token})
        assert stale.status_code == 409 and "reload" in stale.json()["detail"]
        bad = client.post(url, json={"type": "PARTY"}, headers={CSRF_HEADER: token})
        assert bad.status_code in (400, 404)
        assert client.post("/api/events/ev_missing/corrections", json={"type": "AID"},
                           headers={CSRF_HEADER: token}).status_code == 404
        assert client.post(f"/api/events/{after['event_id']}/corrections", json={"type": "PARTY"},
                           headers={CSRF_HEADER: token}).json()["detail"].startswith("unknown event type 'PARTY'")
        assert client.post(url, json={"colour": "red"}, headers={CSRF_HEADER: token}).status_code == 422

        # and taken back
        cid = body["corrections"][0]["correction_id"]
        assert client.post(f"/api/corrections/{cid}/undo").status_code == 403
        undone = client.post(f"/api/corrections/{cid}/undo", headers={CSRF_HEADER: token})
        assert undone.status_code == 200 and undone.json()["published"]
        assert client.get(f"/api/events/{undone.json()['event_id']}").json()["event"]["event_type"] == e["event_type"]
        assert client.post("/api/corrections/c_nope/undo", headers={CSRF_HEADER: token}).status_code == 404


def test_review_queue_is_lowest_confidence_first_and_shrinks(db: Path) -> None:
    with _client(db, edits=True) as client:
        page = client.get("/api/review", params={"limit": 20}).json()
        confidences = [item["event"]["confidence"] for item in page["items"]]
        assert confidences == sorted(confidences) and len(confidences) == 20
        assert all(item["evidence"]["mention"]["event_id"] == item["event"]["event_id"] for item in page["items"])
        first = page["items"][0]["event"]["event_id"]
        r = client.post(f"/api/events/{first}/corrections", json={"confirm": True},
                        headers={CSRF_HEADER: client.app.state.csrf_token})
        assert r.status_code == 200 and r.json()["event_id"] == first
        again = client.get("/api/review", params={"limit": 20}).json()
        assert again["total"] == page["total"] - 1
        assert first not in [item["event"]["event_id"] for item in again["items"]]


def test_every_page_shares_one_head_and_navigation(db: Path) -> None:
    with _client(db, edits=False) as client:
        for route, (name, nav) in PAGES.items():
            path = (route.replace("{pair}", "AZE:TUR").replace("{event_id}", "ev_x")
                    .replace("{article_id:path}", "a.txt"))
            response = client.get(path)
            assert response.status_code == 200 and "script-src 'self'" in response.headers["content-security-policy"]
            html = response.text
            assert html.count("<head>") == 1 and html.count('<header class="top">') == 1, path
            assert html.count('src="/static/js/common.js"') == 1, path
            (nav_html,) = re.findall(r"<nav>.*?</nav>", html, re.S)
            assert re.findall(r'<a href="([^"]*)"', nav_html) == [h for h, _ in NAV], path
            here = re.findall(r'<a href="([^"]*)" class="here">', html)
            assert here == ([nav] if nav else []), path
            assert f'src="/static/js/{name}.js"' in html, path
            assert "{{" not in html, path


def test_serve_refuses_edits_on_a_public_interface(db: Path) -> None:
    result = runner.invoke(cli, ["serve", "--db", str(db), "--host", "0.0.0.0", "--allow-edits"])
    assert result.exit_code == 1
    assert "--allow-edits serves this machine only" in result.output
    assert len(result.output.strip().splitlines()) == 1
