"""The workbench end to end in headless Chromium (Debian's chromium package driven by Playwright).

Skips with a reason when Chromium or the playwright package is absent; CI installs both.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eventcoder.doctor import chromium_path
from eventcoder.models import Actor, Article, Event, Mention, Place
from eventcoder.store import Store
from eventcoder.web.app import background_server

CHROMIUM = chromium_path()
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

if CHROMIUM is None:
    pytest.skip("browser tests need Chromium on PATH (Debian: apt-get install -y chromium; or set $CHROMIUM)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package (dev extra)")

from test_web_api import sample_db_path  # noqa: E402 - after the skips: shares the session's sample database


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda msg: msg.type == "error" and pg.problems.append(msg.text))
    pg.on("pageerror", lambda exc: pg.problems.append(str(exc)))
    pg.on("dialog", lambda dialog: (pg.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield pg
    context.close()


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> Iterator[str]:
    with background_server(sample_db_path(tmp_path_factory)) as url:
        yield url


def wait_ready(page) -> None:
    page.wait_for_selector("body[data-ready='1']", timeout=15_000)


def test_analyst_goes_from_overview_to_the_sentences_of_an_event(page, sample_url, tmp_path):
    page.goto(sample_url + "/")
    wait_ready(page)
    assert int(page.text_content("#stats .num").replace(",", "")) >= 20
    page.click("a[data-dyad='AZE:TUR']")
    wait_ready(page)
    assert page.url.endswith("/dyads/AZE:TUR")
    assert "AZE – TUR" in page.text_content("h1")
    assert page.locator("table.events tbody tr").count() >= 8

    page.select_option("select[name=type]", "CONSULT")
    page.click("#filters button[type=submit]")
    page.wait_for_function(
        "() => { const cells = [...document.querySelectorAll('table.events tbody td.type')];"
        " return cells.length > 0 && cells.every((td) => td.textContent.startsWith('CONSULT')); }")
    assert "type=CONSULT" in page.url
    assert "type=CONSULT" in page.get_attribute("#dl-csv", "href")

    page.click("table.events tbody tr:first-child td:first-child a")
    wait_ready(page)
    assert "/events/ev_" in page.url
    assert page.text_content("h1").startswith("CONSULT")
    sentences = page.locator("ol.evidence li.mention")
    assert sentences.count() >= 1
    assert page.locator("ol.evidence mark.trigger").count() == sentences.count()
    assert page.locator("ol.evidence mark.actor").count() >= 1
    page.screenshot(path=str(tmp_path / "event.png"), full_page=True)
    assert (tmp_path / "event.png").stat().st_size > 10_000

    page.click("ol.evidence li.mention a.article-link")
    wait_ready(page)
    assert "/articles/" in page.url
    assert page.locator("#text mark.sentence").count() >= 1
    assert page.problems == []


def test_clicking_the_october_2021_bar_lists_that_months_events(page, sample_url):
    page.goto(sample_url + "/dyads/AZE:TUR")
    wait_ready(page)
    x, y = page.evaluate(
        "() => { const chart = Chart.getChart('series-chart');"
        " const i = chart.data.labels.indexOf('2021-10-01');"
        " const bar = chart.getDatasetMeta(0).data[i]; const box = chart.canvas.getBoundingClientRect();"
        " return [box.left + bar.x, box.top + (bar.y + bar.base) / 2]; }")
    page.mouse.click(x, y)
    page.wait_for_function("() => new URLSearchParams(location.search).get('date_to') === '2021-10-31'")
    page.wait_for_function(
        "() => { const rows = [...document.querySelectorAll('table.events tbody tr td:first-child')];"
        " return rows.length > 0 && rows.every((td) => td.textContent.includes('2021-10')); }")
    assert page.locator("table.events tbody tr").count() >= 4
    assert page.problems == []


def test_network_and_map_draw_from_bundled_assets(page, sample_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(sample_url + "/network")
    wait_ready(page)
    assert page.locator("svg.network g.node").count() >= 10
    assert page.locator("svg.network line.edge").count() >= 10
    page.goto(sample_url + "/map")
    wait_ready(page)
    assert page.locator("svg.map path.land").count() > 150
    assert page.locator("svg.map circle.place").count() >= 10
    page.click("#places tbody tr:first-child a")
    wait_ready(page)
    assert "place=" in page.url and page.locator("table.events tbody tr").count() >= 1
    assert all(url.startswith(sample_url) for url in requested), "a page fetched something from elsewhere"
    assert page.problems == []


HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory) -> Iterator[str]:
    """A database whose one article carries markup and script in its text, title, source and URL."""
    db = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    sentence = f"Turkey met Azerbaijan in Baku {HOSTILE} on Monday."
    text = f"{sentence}\n\nMore text with <b>tags</b> and {HOSTILE}."
    article = Article(article_id="evil<script>.txt", text=text, title=f"<i>Title</i>{HOSTILE}",
                      published="2021-10-04", published_basis="input", source=f"<b>Wire</b>{HOSTILE}",
                      url="javascript:window.pwned=3", content_hash="h1")
    actors = [Actor("Turkey", "Turkey", "TUR", "GOV"), Actor("Azerbaijan", f"Azerbaijan{HOSTILE}", "AZE", "GOV")]
    mention = Mention(
        mention_id="m_1", article_id=article.article_id, sentence=sentence, char_start=0, char_end=len(sentence),
        trigger="met", event_type="CONSULT", mode=None, source=actors, target=[], date="2021-10-04",
        date_end=None, date_precision="day", date_basis="explicit",
        location=Place(f"Baku{HOSTILE}", "AZE", None, 40.4, 49.9, 587084, "city"), trigger_start=7,
        cameo_code="040", goldstein=1.0, quad_class=1, confidence=0.9, event_id="ev_evil", rule=HOSTILE)
    event = Event(event_id="ev_evil", event_type="CONSULT", mode=None, source=actors, target=[], date="2021-10-04",
                  date_end=None, date_precision="day", date_basis="explicit", location=mention.location,
                  cameo_code="040", goldstein=1.0, quad_class=1, confidence=0.9, n_articles=1, n_mentions=1,
                  mention_ids=["m_1"], n_sources=1)
    with Store(db) as store:
        store.write_batch([article], [mention], [])
        store.replace_events([event], [mention])
    with background_server(db) as url:
        yield url


@pytest.mark.parametrize("path", ["/", "/events/ev_evil", "/articles/evil%3Cscript%3E.txt", "/dyads/AZE:TUR", "/map",
                                  "/network"])
def test_markup_in_articles_renders_as_text(page, hostile_url, path):
    page.goto(hostile_url + path)
    wait_ready(page)
    assert page.evaluate("window.pwned") is None
    assert page.locator("main script, main img, main i, main b").count() == 0
    body = page.text_content("main")
    if path.startswith(("/events/", "/articles/")):
        assert "<script>window.pwned = 1</script>" in body
    if path.startswith("/articles/"):
        assert "<b>tags</b>" in page.text_content("#text")
        assert page.locator("a[href^='javascript']").count() == 0
        assert "javascript:window.pwned=3" in page.text_content("#meta")
    assert page.problems == []


# -- review: corrections from the pages (serve --allow-edits) ------------------------------------
def _coded_corpus(tmp_path):  # noqa: ANN001, ANN202 - (corpus dir, database, the sample's files)
    import shutil

    from typer.testing import CliRunner

    from eventcoder.cli import app
    from eventcoder.engines.local import sample_corpus_path

    files = sorted(p for p in sample_corpus_path().iterdir() if p.suffix == ".txt")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in files[:5]:
        shutil.copy(f, corpus / f.name)
    db = tmp_path / "review.duckdb"
    result = CliRunner().invoke(app, ["run", str(corpus), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    return corpus, db, files


def _event_holding(db, mention_id: str) -> dict:  # noqa: ANN001
    with Store(db, read_only=True) as store:
        return store.query("SELECT * FROM events WHERE list_contains(mention_ids, ?)", [mention_id])[0]


def test_analyst_corrects_an_event_in_the_page_and_sees_it_after_a_rerun(page, tmp_path):
    import shutil

    from typer.testing import CliRunner

    from eventcoder.cli import app

    corpus, db, files = _coded_corpus(tmp_path)
    with Store(db, read_only=True) as store:
        e = store.query("SELECT * FROM events ORDER BY n_mentions DESC, event_id LIMIT 1")[0]
    new = "PROTEST" if e["event_type"] != "PROTEST" else "AGREE"
    with background_server(db, allow_edits=True) as url:
        page.goto(f"{url}/events/{e['event_id']}")
        wait_ready(page)
        assert page.text_content("h1").startswith(e["event_type"])
        page.select_option("#correct select[name=type]", new)
        page.fill("#correct input[name=note]", "a protest, not an agreement")
        page.click("#correct button[name=save]")
        page.wait_for_url("**corrected=*")
        wait_ready(page)
        assert page.text_content("h1").startswith(new)
        assert "applied" in page.text_content("#corrections") and "a protest" in page.text_content("#corrections")

        # a write without the page's token, even from the page itself, is refused
        status = page.evaluate(
            "async (id) => (await fetch(`/api/events/${id}/corrections`, {method: 'POST',"
            " headers: {'Content-Type': 'application/json'}, body: JSON.stringify({confirm: true})})).status",
            e["event_id"])
        assert status == 403
        page.problems = [p for p in page.problems if "403" not in p]  # the browser logs the refused request

        shutil.copy(files[5], corpus / files[5].name)
        result = CliRunner().invoke(app, ["run", str(corpus), "--db", str(db), "-q"])
        assert result.exit_code == 0, result.output
        now = _event_holding(db, e["mention_ids"][0])
        page.goto(f"{url}/events/{now['event_id']}")
        wait_ready(page)
        assert page.text_content("h1").startswith(new)
        assert page.locator("#corrections tr.status-applied").count() == 1
    assert page.problems == []


def test_review_queue_by_keyboard(page, tmp_path):
    from eventcoder.corrections import Journal

    _, db, _ = _coded_corpus(tmp_path)
    with background_server(db, allow_edits=True) as url:
        page.goto(url + "/review")
        wait_ready(page)
        items = page.locator("ol.queue li.item")
        total = int(page.text_content("#count").split()[0])
        first = items.nth(0).get_attribute("data-event-id")
        assert page.get_attribute("li.item.selected", "data-event-id") == first
        page.keyboard.press("j")
        second = items.nth(1).get_attribute("data-event-id")
        assert page.get_attribute("li.item.selected", "data-event-id") == second
        page.keyboard.press("k")
        assert page.get_attribute("li.item.selected", "data-event-id") == first

        page.keyboard.press("r")
        page.wait_for_function("() => document.getElementById('review-status').textContent.includes('rejected')")
        assert page.get_attribute("li.item.selected", "data-event-id") == second
        assert int(page.text_content("#count").split()[0]) == total - 1

        page.keyboard.press("t")
        assert page.evaluate("document.activeElement.name") == "type"
        shown = page.text_content("li.item.selected a.type").split("/")[0]
        page.select_option("li.item.selected select[name=type]", "AID" if shown != "AID" else "REQUEST")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.getElementById('review-status').textContent.includes('retyped')")
        page.keyboard.press("c")
        page.wait_for_function("() => document.getElementById('review-status').textContent.includes('confirmed')")
        assert int(page.text_content("#count").split()[0]) == total - 3
    assert [c.kind for c in Journal(db).read()] == ["reject", "type", "confirm"]
    assert page.problems == []
