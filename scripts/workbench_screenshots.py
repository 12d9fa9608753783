"""Take the README's workbench screenshots (docs/workbench-*.png) from the bundled sample corpus.

Codes the sample into a temporary database, serves it, and photographs the AZE–TUR dyad page and
the first of its 2021 events in headless Chromium (Debian's /usr/bin/chromium via Playwright).

Usage: python scripts/workbench_screenshots.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from eventcoder.doctor import chromium_path
from eventcoder.engines.local import LocalEngine, sample_corpus_path
from eventcoder.store import Store
from eventcoder.web.app import background_server

DOCS = Path(__file__).resolve().parents[1] / "docs"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sample.duckdb"
        with Store(db) as store:
            LocalEngine().run([sample_corpus_path()], store)
        with background_server(db) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path() or "chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(base + "/dyads/AZE:TUR?date_from=2021-01-01")
            page.wait_for_selector("body[data-ready='1']")
            page.screenshot(path=str(DOCS / "workbench-dyad.png"))
            page.click("table.events tbody tr:first-child td:first-child a")
            page.wait_for_selector("body[data-ready='1']")
            page.screenshot(path=str(DOCS / "workbench-event.png"))
            browser.close()
    print(f"wrote {DOCS / 'workbench-dyad.png'} and {DOCS / 'workbench-event.png'}")


if __name__ == "__main__":
    main()
