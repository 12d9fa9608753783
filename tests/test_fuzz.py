"""Bad input never escapes as an exception: every reader, the header parser and the date resolver.

Property-based (hypothesis) over random bytes, broken encodings, random JSON, ragged CSV and HTML,
plus the named hostile shapes of issue 8. The full run (100,000+ cases) is benchmarks/fuzz.py.
"""

from __future__ import annotations

import gzip
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcoder.models import Article, Reject, TimeSpan
from eventcoder.pipeline.clean import clean_article, infer_published, parse_date
from eventcoder.pipeline.dates import find_time_expressions, resolve_event_time
from eventcoder.pipeline.ingest import read_data
from eventcoder.store import Store

FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = [".txt", ".jsonl", ".json", ".csv", ".tsv", ".html", ".md", ".txt.gz", ".json.gz", ".bin"]
WORDS = st.sampled_from(
    "Turkey Azerbaijan met talks said on Monday October 5 2021 last week in by Reuters next year ago "
    "15th June, 2022 — spring Q3 1990s \x00 \ufeff \u200b é â€™ \r \n \t".split(" ")
)
PROSE = st.lists(WORDS, max_size=60).map(" ".join)
ANY_TEXT = st.one_of(st.text(max_size=300), PROSE)


def records(data: bytes, name: str, max_chars: int = 5_000_000) -> list[Article | Reject]:
    """Read one in-memory file, asserting the outcome contract: articles with text, one-line rejects."""
    out = list(read_data(data, name, f"/in/{name}", name, max_chars=max_chars))
    assert out, "every file ends as at least one article or reject"
    for r in out:
        if isinstance(r, Reject):
            assert r.reason and "\n" not in r.reason and len(r.reason) <= 400, r.reason
        else:
            assert isinstance(r, Article) and r.text and r.content_hash
    return out


def reasons(out: list[Article | Reject]) -> list[str]:
    return [r.reason for r in out if isinstance(r, Reject)]


# -- property-based --------------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=2_000), st.sampled_from(SUFFIXES))
def test_random_bytes_never_escape(data: bytes, suffix: str) -> None:
    records(data, f"f{suffix}")


@FAST
@given(ANY_TEXT, st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252", "utf-8-sig"]),
       st.integers(0, 400), st.sampled_from(SUFFIXES))
def test_broken_encodings_never_escape(text: str, enc: str, cut: int, suffix: str) -> None:
    data = text.encode(enc, errors="surrogatepass" if enc.startswith("utf") else "replace")
    records(data[:cut] + b"\xc3" + data[cut:], f"f{suffix}")  # a stray byte, possibly mid-character


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "text", "title", "date", "author", "url", "body", "x"]), inner,
                      max_size=6),
    max_leaves=20,
)


@FAST
@given(st.lists(JSON_VALUES, max_size=5), st.booleans(), st.integers(0, 10_000))
def test_random_json_and_jsonl_never_escape(recs: list[object], lines: bool, cut: int) -> None:
    if lines:
        body = "\n".join(json.dumps(r) for r in recs)
        records(body[: max(cut, 1)].encode("utf-8", "surrogatepass"), "f.jsonl")  # possibly cut mid-line
    else:
        records(json.dumps(recs).encode("utf-8", "surrogatepass"), "f.json")


@FAST
@given(st.lists(st.sampled_from(["id", "text", "title", "date", "", "x"]), max_size=6),
       st.lists(st.lists(st.one_of(PROSE, st.just('"unclosed'), st.just('a"b')), max_size=8), max_size=6),
       st.sampled_from([",", "\t"]), st.sampled_from(["\n", "\r\n", "\r"]))
def test_ragged_csv_never_escapes(header: list[str], rows: list[list[str]], delim: str, eol: str) -> None:
    body = eol.join([delim.join(header)] + [delim.join(r) for r in rows])
    records(body.encode("utf-8", "surrogatepass"), "f.csv" if delim == "," else "f.tsv")


HTML_SHAPES = [
    "<html><head><title>{t}</title></head></html>",
    "<script>{t}</script><style>{t}</style>",
    "<html><body><p>{t}</p>",
    "<p>{t}<div><div><table><tr><td>{t}",
    "<html><body><article><h1>{t}</h1><p>{t}. {t}.</p></article></body></html>",
    '<meta property="article:published_time" content="{t}"><p>{t}</p>',
    "<<<{t}>>>&#0;&#xD800;&#99999999;&bogus;",
]


@SLOW
@given(st.sampled_from(HTML_SHAPES), ANY_TEXT)
def test_html_never_escapes(shape: str, text: str) -> None:
    records(shape.replace("{t}", text).encode("utf-8", "surrogatepass"), "f.html")


@FAST
@given(st.sampled_from(["", "By ", "date ", "Posted ", "URL: https://x.example/", "BAKU, Oct 5 (Reuters) - "]),
       ANY_TEXT)
def test_header_parser_never_escapes(head: str, text: str) -> None:
    cleaned = clean_article(head + text)
    assert isinstance(cleaned.text, str)
    pub, basis = infer_published(text)
    assert pub is None or date.fromisoformat(pub)
    iso = parse_date(head + text[:60])
    assert iso is None or date.fromisoformat(iso)


PUBLISHED = st.one_of(
    st.none(), st.dates().map(date.isoformat), st.dates(),
    st.sampled_from(["0001-01-01", "9999-12-31", "2021-02-30", "garbage", "", "10000-01-01"]),
)


@FAST
@given(ANY_TEXT, PUBLISHED, st.one_of(st.none(), st.integers(-5, 400)))
def test_date_resolver_never_escapes(sentence: str, published: object, trigger: int | None) -> None:
    for e in find_time_expressions(sentence, published):  # type: ignore[arg-type]
        assert e.date <= e.date_end
    span = resolve_event_time(sentence, published, trigger_char=trigger)  # type: ignore[arg-type]
    assert isinstance(span, TimeSpan)


@SLOW
@given(st.lists(st.tuples(st.binary(max_size=600) | PROSE.map(str.encode), st.sampled_from(SUFFIXES)), max_size=4))
def test_anything_read_can_be_stored(files: list[tuple[bytes, str]]) -> None:
    """What the readers yield (odd characters in any field included) is accepted by the store."""
    arts, rejs = [], []
    for i, (data, suffix) in enumerate(files):
        for r in records(data, f"f{i}{suffix}"):
            (rejs if isinstance(r, Reject) else arts).append(r)
    with Store(":memory:") as store:
        store.write_batch(list({a.article_id: a for a in arts}.values()), [], rejs)


# -- named hostile shapes ---------------------------------------------------------------------------


def test_fifty_megabyte_single_line_is_rejected_by_size() -> None:
    line = b"Turkey and Azerbaijan held talks on October 5, 2021. " * 950_000  # ~50 MB, no newline
    for name in ("big.txt", "big.jsonl", "big.csv"):
        data = line if name == "big.txt" else (
            json.dumps({"text": line.decode()}).encode() if name == "big.jsonl" else b"text\n" + line)
        out = records(data, name, max_chars=1_000_000)
        assert all(isinstance(r, Reject) for r in out), name
    assert reasons(records(line, "big.txt", max_chars=1_000_000))[0].startswith("article too large")


def test_long_single_line_within_limits_is_read() -> None:
    line = "Turkey and Azerbaijan held talks on October 5, 2021 in Baku with ministers. " * 20_000  # 1.5 MB
    (art,) = records(line.encode(), "long.txt")
    assert isinstance(art, Article) and len(art.text) > 1_000_000


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_reject(depth: int) -> None:
    body = "[" * depth + '{"text": "Turkey met Azerbaijan in Baku on Monday."}' + "]" * depth
    for name in ("deep.json", "deep.jsonl"):
        out = records(body.encode(), name)
        assert all(isinstance(r, Reject) for r in out)


def test_html_without_body_or_with_scripts_only() -> None:
    assert reasons(records(b"<html><head><title>Talks</title></head></html>", "a.html")) == [
        "no main text found in HTML page"]
    scripts = b"<script>document.write('Turkey and Azerbaijan held talks in Baku on Monday');</script>" * 5
    assert reasons(records(scripts, "b.html")) == ["no main text found in HTML page"]


def test_ragged_csv_rows_are_rejected_one_by_one() -> None:
    body = "id,text\nC1,Turkey met Azerbaijan in Baku.\nC2\nC3,too,many\nC4,Armenia protested.\n"
    out = records(body.encode(), "r.csv")
    assert [type(r).__name__ for r in out] == ["Article", "Reject", "Reject", "Article"]
    assert reasons(out) == ["row has 1 fields, header has 2", "row has 3 fields, header has 2"]


def test_csv_with_header_only_is_a_reject() -> None:
    assert reasons(records(b"id,text\n\n,\n", "h.csv")) == ["CSV file holds no records"]


def test_csv_without_text_column_names_a_few_columns_on_one_line() -> None:
    header = ",".join(f'"col\n{i} ' + "x" * 50 + '"' for i in range(20))
    (reason,) = reasons(records(f"{header}\n1\n".encode(), "w.csv"))
    assert reason.startswith("CSV has no 'text' column") and len(reason) < 400


def test_broken_utf16_and_nuls() -> None:
    good = "Turkey and Azerbaijan held talks in Baku.".encode("utf-16")
    assert reasons(records(good[:-1] + b"\x00\xd8", "u.txt"))[0].startswith("undecodable text: invalid UTF-16")
    assert reasons(records(b"Turkey\x00\x00 met Azerbaijan", "n.txt")) == ["binary file"]
    (art,) = records("Turkey\x00 met Azerbaijan in Baku.".encode("utf-16"), "n16.txt")
    assert "\x00" not in art.text


def test_lone_surrogates_in_json_become_replacement_characters() -> None:
    line = ('{"id": "s\\ud800", "title": "T\\udfff", "author": "Jane \\ud801Doe", '
            '"text": "Turkey \\ud83d met Azerbaijan."}')
    (art,) = records(line.encode(), "s.jsonl")
    assert isinstance(art, Article)
    assert "\ufffd" in art.text and "\ufffd" in art.article_id
    art.text.encode("utf-8")  # no surrogate left to break hashing or the database


def test_broken_gzip_is_a_reject() -> None:
    assert reasons(records(b"not gzip at all", "a.txt.gz"))[0].startswith("broken gzip file")
    assert reasons(records(gzip.compress(b"Turkey met Azerbaijan.")[:-6], "b.txt.gz"))[0].startswith("broken gzip")


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31", date(1, 1, 2), date(9999, 12, 30)])
def test_dates_near_the_ends_of_the_calendar(published: object) -> None:
    for sentence in ("They met yesterday.", "Talks next year, in spring.", "He left 5000 years ago on Monday.",
                     "They met on January 1, 0001 and said so."):
        span = resolve_event_time(sentence, published, trigger_char=5)  # type: ignore[arg-type]
        assert isinstance(span, TimeSpan)


@pytest.mark.parametrize("text", ["BAKU, 5 October - Turkey and Azerbaijan held talks.",
                                  "BAKU, 5 October 2021 (Reuters) - Turkey and Azerbaijan held talks."])
def test_dateline_with_day_month_date(text: str) -> None:
    """Found by benchmarks/fuzz.py: a day-month dateline date crashed publication-date inference."""
    assert infer_published(text)[1] in ("text", "unknown")
    (art,) = records(text.encode(), "d.txt")
    assert isinstance(art, Article)
