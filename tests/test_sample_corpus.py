"""Sanity checks for the bundled sample corpus and its hand-written document/event gold.

The corpus backs `eventcoder run` with no input and the end-to-end evaluation, so a broken record or a
gold entry naming a missing document would silently skew every later measurement.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest

SAMPLE_DIR = Path(str(files("eventcoder") / "sample"))
GOLD_PATH = Path(__file__).parent / "data" / "sample_gold.json"
RECORD_FIELDS = {"id", "title", "url", "source", "author", "text"}
PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
MIN_WORDS, MAX_WORDS = 120, 400


@dataclass(frozen=True)
class SampleArticle:
    """One article of the sample corpus as the gold file names it ('file.txt' or 'file.jsonl#A1')."""

    key: str
    record_id: str | None
    text: str


class _ArticleHTML(HTMLParser):
    """Collects the text inside <article> and the author/published meta tags of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.n_articles = 0
        self.chunks: list[str] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "article":
            self.depth += 1
            self.n_articles += 1
        elif tag == "meta":
            name = a.get("name") or a.get("property")
            if name:
                self.meta[name] = a.get("content", "")
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self.depth > 0:
            self.chunks.append(data)
        if self._in_title:
            self.title += data


def _parse_html(path: Path) -> _ArticleHTML:
    parser = _ArticleHTML()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _load_articles() -> list[SampleArticle]:
    out: list[SampleArticle] = []
    for path in sorted(SAMPLE_DIR.iterdir()):
        if path.suffix == ".txt":
            out.append(SampleArticle(path.name, None, path.read_text(encoding="utf-8")))
        elif path.suffix == ".html":
            out.append(SampleArticle(path.name, None, " ".join(_parse_html(path).chunks)))
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    out.append(SampleArticle(f"{path.name}#{rec['id']}", rec["id"], rec["text"]))
        elif path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as fh:
                for rec in csv.DictReader(fh):
                    out.append(SampleArticle(f"{path.name}#{rec['id']}", rec["id"], rec["text"]))
    return out


@pytest.fixture(scope="module")
def articles() -> list[SampleArticle]:
    return _load_articles()


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


def _iso(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def test_sample_dir_has_every_format() -> None:
    suffixes = [p.suffix for p in SAMPLE_DIR.iterdir()]
    assert suffixes.count(".txt") >= 10
    assert suffixes.count(".jsonl") == 1
    assert suffixes.count(".csv") == 1
    assert 2 <= suffixes.count(".html") <= 3
    assert not (SAMPLE_DIR / "README.md").exists()  # it would be read as an article; see docs/sample-corpus.md


def test_jsonl_records_are_valid() -> None:
    (path,) = SAMPLE_DIR.glob("*.jsonl")
    ids = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        rec = json.loads(line)
        assert RECORD_FIELDS <= rec.keys(), f"line {n} lacks {RECORD_FIELDS - rec.keys()}"
        assert "date" in rec or "published" in rec, f"line {n} has no date"
        assert rec["id"] and rec["text"].strip()
        ids.append(rec["id"])
    assert len(ids) == len(set(ids))


def test_csv_has_columns_and_multiline_text() -> None:
    (path,) = SAMPLE_DIR.glob("*.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert set(reader.fieldnames or []) == RECORD_FIELDS | {"date"}
        rows = list(reader)
    assert 4 <= len(rows) <= 6
    assert all("\n" in r["text"] for r in rows), "CSV text should keep its paragraphs (quoted newlines)"
    assert all(_iso(r["date"]) for r in rows)


def test_html_pages_have_article_and_meta() -> None:
    for path in SAMPLE_DIR.glob("*.html"):
        page = _parse_html(path)
        assert page.n_articles == 1, path.name
        assert page.meta.get("author"), path.name
        assert dt.datetime.fromisoformat(page.meta["article:published_time"]), path.name
        assert page.title.strip(), path.name
        body = " ".join(page.chunks)
        assert "All rights reserved" not in body and "Subscribe" not in body, "boilerplate leaked into <article>"


def test_article_count_and_lengths(articles: list[SampleArticle]) -> None:
    assert 20 <= len(articles) <= 40
    keys = [a.key for a in articles]
    assert len(keys) == len(set(keys))
    for a in articles:
        n = len(a.text.split())
        assert MIN_WORDS <= n <= MAX_WORDS, f"{a.key}: {n} words"


def _outlet_then_author(lines: list[str]) -> bool:
    """An outlet byline on the first line, then blank lines, then the real 'By <author>' line."""
    if "By " not in lines[0]:
        return False
    rest = lines[1:]
    n_blank = len(rest) - len("\n".join(rest).lstrip("\n").split("\n"))
    return n_blank >= 2 and rest[n_blank].startswith("By ")


def test_txt_headers_cover_the_messy_variants() -> None:
    heads = [p.read_text(encoding="utf-8").splitlines() for p in sorted(SAMPLE_DIR.glob("*.txt"))]
    date_first = [ls for ls in heads if re.match(r"^ date \d{4}-\d{2}-\d{2} By ", ls[0])]
    outlet_first = [ls for ls in heads if _outlet_then_author(ls)]
    title_then_by = [ls for ls in heads if "By " not in ls[0] and ls[1].startswith("By ")]
    assert len(date_first) >= 5
    assert len(outlet_first) >= 3
    assert any(ls[0].startswith("By ") for ls in outlet_first), "a bare outlet byline without a date line"
    assert len(title_then_by) >= 3
    tails = "\n".join("\n".join(ls[-6:]) for ls in heads)
    assert "Thank you!" in tails and "Follow us on Twitter @" in tails and "\u2014" in tails


def test_gold_docs_name_existing_articles(gold: dict, articles: list[SampleArticle]) -> None:
    keys = {a.key for a in articles}
    record_ids = {a.record_id for a in articles if a.record_id}
    for e in gold["events"]:
        for d in e["docs"]:
            assert d in keys, f"{e['id']}: unknown doc {d}"
    doc_files = [d["file"] for d in gold["documents"]]
    assert len(doc_files) == len(set(doc_files))
    assert set(doc_files) == {a.key for a in articles if a.record_id is None} | record_ids


def test_gold_dates_and_codes_are_valid(gold: dict) -> None:
    assert gold["tol_days"] >= 0
    ids = [e["id"] for e in gold["events"]]
    assert len(ids) == len(set(ids)) and len(ids) >= 40
    for e in gold["events"]:
        assert _iso(e["date_from"]) <= _iso(e["date_to"]), e["id"]
        assert set(e["types"]) <= PLOVER_TYPES, e["id"]
        assert e["a"] and all(re.fullmatch(r"[A-Z]{3}", c) for c in e["a"] + e["b"]), e["id"]
        assert e["location_country"] is None or re.fullmatch(r"[A-Z]{3}", e["location_country"])
        assert e["docs"], e["id"]
    for d in gold["documents"]:
        assert _iso(d["published_from"]) <= _iso(d["published_to"]), d["file"]


def test_gold_covers_types_and_multi_outlet_events(gold: dict) -> None:
    required = [e for e in gold["events"] if e["required"]]
    assert {t for e in required for t in e["types"]} >= PLOVER_TYPES - {"CONCEDE"}
    multi = [e for e in gold["events"] if len(e["docs"]) >= 2]
    assert all(e["unique"] for e in multi if e["required"])
    assert sum(len(e["docs"]) >= 3 for e in multi) >= 5


def test_repeated_background_is_really_repeated(articles: list[SampleArticle]) -> None:
    """Dedup must face background paragraphs copied across stories, with and without the year."""
    shusha = [a.key for a in articles if "signed the Shusha Declaration, a pact" in a.text]
    assert len(shusha) >= 4
    with_year = [k for k in shusha if "On June 15, 2021," in next(a.text for a in articles if a.key == k)]
    assert 0 < len(with_year) < len(shusha)
    ceasefire = [a.key for a in articles if "ceasefire signed on November 10, 2020" in a.text]
    assert len(ceasefire) >= 3


def test_non_events_point_at_real_sentences(gold: dict, articles: list[SampleArticle]) -> None:
    by_key = {a.key: a.text for a in articles}
    for ne in gold["non_events"]:
        assert ne["contains"] in by_key[ne["doc"]], ne
        assert set(ne["types"]) <= PLOVER_TYPES
