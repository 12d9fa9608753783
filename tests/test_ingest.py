"""Tests for reading and cleaning articles (eventcoder.pipeline.ingest, eventcoder.pipeline.clean)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from eventcoder.errors import InputNotFound
from eventcoder.models import Article, Reject
from eventcoder.pipeline import ingest
from eventcoder.pipeline.clean import (
    clean_article,
    handle_to_name,
    infer_published,
    is_boilerplate,
    parse_byline,
    parse_date,
    parse_dateline,
)
from eventcoder.pipeline.ingest import (
    RecordMeta,
    article_from_text,
    content_hash,
    iter_input_files,
    read_inputs,
)

DATA = Path(__file__).parent / "data" / "ingest"


def _by_id(items: list[Article | Reject]) -> dict[str, Article]:
    return {a.article_id: a for a in items if isinstance(a, Article)}


def _rejects(items: list[Article | Reject]) -> list[Reject]:
    return [r for r in items if isinstance(r, Reject)]


@pytest.fixture(scope="module")
def txt_articles() -> dict[str, Article]:
    items = list(read_inputs([DATA / "txt"]))
    assert not _rejects(items)
    return _by_id(items)


@pytest.fixture(scope="module")
def record_items() -> list[Article | Reject]:
    return list(read_inputs([DATA / "records"]))


# ------------------------------------------------------------------------------------------
# Files, ids, ordering
# ------------------------------------------------------------------------------------------


def test_directory_is_recursive_sorted_and_ids_are_relative(txt_articles: dict[str, Article]) -> None:
    ids = list(txt_articles)
    assert ids == sorted(ids)
    assert "sub/nested.txt" in ids
    assert "date_by.txt" in ids
    # A file without an extension that decodes as text is one article.
    assert txt_articles["NOTES"].text.startswith("Mongolian officials")


def test_single_file_id_is_its_name() -> None:
    [art] = list(read_inputs([DATA / "txt" / "sub" / "nested.txt"]))
    assert isinstance(art, Article)
    assert art.article_id == "nested.txt"
    assert art.path == str(DATA / "txt" / "sub" / "nested.txt")


def test_glob_ids_relative_to_fixed_part_and_no_repeats() -> None:
    pattern = str(DATA / "txt" / "**" / "*.txt")
    pairs = list(iter_input_files([pattern, DATA / "txt" / "date_by.txt"]))
    names = [f.relative_to(DATA / "txt").as_posix() for f, _ in pairs]
    assert "sub/nested.txt" in names and "NOTES" not in names
    assert names.count("date_by.txt") == 1
    ids = [a.article_id for a in read_inputs([pattern]) if isinstance(a, Article)]
    assert "sub/nested.txt" in ids


def test_input_not_found_raised_up_front(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound, match="no such file or directory"):
        read_inputs([DATA / "txt", tmp_path / "missing.txt"])
    with pytest.raises(InputNotFound, match="no files match"):
        read_inputs([str(tmp_path / "*.nothing")])


def test_hidden_files_in_directories_are_skipped(tmp_path: Path) -> None:
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01binary")
    (tmp_path / "a.txt").write_text("Officials in Baku said the talks went well.", encoding="utf-8")
    items = list(read_inputs([tmp_path]))
    assert [i.article_id for i in items if isinstance(i, Article)] == ["a.txt"]
    assert not _rejects(items)


# ------------------------------------------------------------------------------------------
# Header shapes
# ------------------------------------------------------------------------------------------


def test_date_by_header(txt_articles: dict[str, Article]) -> None:
    a = txt_articles["date_by.txt"]
    assert (a.published, a.published_basis) == ("2022-03-02", "header")
    assert a.author == ["Leyla Aliyeva"]
    assert a.title is None
    assert a.text.startswith("The foreign ministers of Kazakhstan")


def test_outlet_byline_then_person_byline(txt_articles: dict[str, Article]) -> None:
    a = txt_articles["outlet_then_person.txt"]
    assert a.source == "Caspiannews"
    assert a.author == ["Rustam Guliyev"]
    assert a.published == "2022-04-18"
    assert not a.text.startswith("By ")


def test_title_line_footer_and_text_date(txt_articles: dict[str, Article]) -> None:
    a = txt_articles["title_footer.txt"]
    assert a.title == "Kazakh and Kyrgyz border guards hold joint patrol"
    assert a.author == ["Aigerim Sadykova"]
    # Reporting date "reported on March 14" with the year from "Steppe Eagle-2022".
    assert (a.published, a.published_basis) == ("2022-03-14", "text")
    assert a.source == "SteppeWire"  # from the footer handle @SteppeWireKz
    for junk in ("Follow us", "Subscribe to our newsletter", "Thank you", "—", "support our work"):
        assert junk not in a.text
    # A middle paragraph mentioning subscribing is real text and stays.
    assert "readers who subscribe to the ministry bulletin" in a.text
    # Single newlines between full-sentence lines became paragraph breaks.
    assert a.text.count("\n\n") == 3
    assert a.text.endswith("send two companies to the drills.")


def test_keyed_header_lines(txt_articles: dict[str, Article]) -> None:
    a = txt_articles["keyed_header.txt"]
    assert a.title == "Port talks resume in Constanta"
    assert a.author == ["Elena Popescu"]
    assert (a.published, a.published_basis) == ("2021-10-05", "header")
    assert a.source == "Black Sea Monitor"
    assert a.url == "https://example.org/news/port-talks"
    assert a.text.startswith("Romanian and Moldovan officials")


def test_posted_on_two_authors_and_edge_boilerplate(txt_articles: dict[str, Article]) -> None:
    a = txt_articles["posted_two_authors.txt"]
    assert a.published == "2022-05-12"
    assert a.author == ["Jane Doe", "John Roe"]
    assert a.text.startswith("Hundreds of farmers")
    assert a.text.endswith("in the evening.")
    assert "Read more" not in a.text and "©" not in a.text and "Share" not in a.text


def test_caps_byline_with_agency_and_dateline(txt_articles: dict[str, Article]) -> None:
    a = txt_articles["caps_byline_dateline.txt"]
    assert a.author == ["Jane Doe"]
    assert a.source == "Reuters"
    # The body keeps its dateline; the place is reported separately.
    assert a.text.startswith("TBILISI, May 3 (Reuters) - ")
    assert parse_dateline(a.text) == "Tbilisi"
    # No year anywhere in the story: the date stays unknown rather than guessed.
    assert (a.published, a.published_basis) == (None, "unknown")


def test_hard_wrapped_lines_are_joined(txt_articles: dict[str, Article]) -> None:
    a = txt_articles["hard_wrapped.txt"]
    paras = a.text.split("\n\n")
    assert len(paras) == 2
    assert "European Union would arrive" in paras[0]
    assert "\n" not in paras[0]


def test_byline_parsing_rules() -> None:
    assert parse_byline("Jane Doe and John Roe") is not None
    by = parse_byline("JANE DOE, Reuters")
    assert by is not None and by.authors == ["Jane Doe"] and by.source == "Reuters"
    by = parse_byline("Metronews")
    assert by is not None and by.authors == [] and by.source == "Metronews"
    by = parse_byline("Lale Demir", footer_names=["Lale Demir"])
    assert by is not None and by.source == "Lale Demir"
    assert parse_byline("the end of the year, officials hope") is None
    assert parse_byline("Staff Reporter") is not None and parse_byline("Staff Reporter").authors == []
    by = parse_byline("Ali Kaya, Anatolia News Agency")
    assert by is not None and by.authors == ["Ali Kaya"] and by.source == "Anatolia News Agency"
    by = parse_byline("Ana Silva in Lisbon")
    assert by is not None and by.authors == ["Ana Silva"]


def test_title_needs_a_following_header_line() -> None:
    # A one-word tag is not a title, and header reading stops at the first line that is neither.
    c = clean_article("(wire)\n\nMay 5, 2017\n\nThe ministers met in Riga on Friday.")
    assert c.title is None and c.published is None
    c = clean_article("Ministers gather in Riga\n\nMay 5, 2017\n\nThe ministers met in Riga on Friday.")
    assert c.title == "Ministers gather in Riga" and c.published == "2017-05-05"
    c = clean_article("Ministers meet in Riga\n\nThe ministers met in Riga on Friday.")
    assert c.title is None
    assert c.text.startswith("Ministers meet in Riga")


def test_prose_starting_with_by_is_not_a_header() -> None:
    c = clean_article("By the end of the week, the ministry said, all crossings will reopen.\n\nMore follows.")
    assert c.author == []
    assert c.text.startswith("By the end of the week")


def test_dateline_shapes() -> None:
    assert parse_dateline("BAKU, Oct 5 (Reuters) - Ministers met.") == "Baku"
    assert parse_dateline("NEW YORK (AP) — The council met.") == "New York"
    assert parse_dateline("Officials said - nothing more.") is None
    assert parse_dateline("The minister arrived in Baku on Tuesday.") is None


# ------------------------------------------------------------------------------------------
# Boilerplate and normalisation
# ------------------------------------------------------------------------------------------


def test_boilerplate_only_at_edges() -> None:
    raw = (
        "Share this article\n\n"
        "Georgia and Turkey agreed to expand a railway link, the ministry said.\n\n"
        "Read more: the minister thanked his counterpart for the visit and left.\n\n"
        "The line will open next year.\n\n"
        "Sign up for our newsletter\n\n"
        "Copyright 2022 Some Outlet\n"
    )
    c = clean_article(raw)
    assert c.text.split("\n\n") == [
        "Georgia and Turkey agreed to expand a railway link, the ministry said.",
        "Read more: the minister thanked his counterpart for the visit and left.",
        "The line will open next year.",
    ]


def test_is_boilerplate_examples() -> None:
    assert is_boilerplate("Follow us on Twitter @SomeOutlet")
    assert is_boilerplate("—")
    assert is_boilerplate("Thank you!")
    assert is_boilerplate("We use cookies to improve your experience.")
    assert is_boilerplate("Wire reporters contributed to this report.")
    assert not is_boilerplate("The minister thanked his Turkish counterpart for the support.")


def test_handle_to_name() -> None:
    assert handle_to_name("@AzerNewsAz") == "AzerNews"
    assert handle_to_name("@Reuters") == "Reuters"
    assert handle_to_name("DailyPostNg") == "DailyPost"


def test_normalisation_nfc_newlines_and_spaces() -> None:
    raw = "Cafe\u0301 owners in Tbilisi  protested on Monday.   \r\n\r\n\r\n\r\nPolice\u00a0watched.\u200b\r\n"
    c = clean_article(raw)
    assert c.text == "Café owners in Tbilisi protested on Monday.\n\nPolice watched."


def test_mojibake_is_repaired() -> None:
    broken = "Armenia’s foreign minister met his Georgian counterpart.".encode().decode("cp1252")
    assert "â€" in broken
    assert clean_article(broken).text == "Armenia’s foreign minister met his Georgian counterpart."


def test_content_hash_stable_across_whitespace() -> None:
    a = content_hash("Two ministers met.\n\nThey agreed on a deal.")
    b = content_hash("  Two  ministers met.\nThey agreed\ton a deal.  ")
    c = content_hash("Two ministers met. They agreed on a deal!")
    assert a == b != c
    assert len(a) == 64
    assert content_hash("Cafe\u0301") == content_hash("Café")


# ------------------------------------------------------------------------------------------
# Dates
# ------------------------------------------------------------------------------------------


def test_parse_date_shapes() -> None:
    assert parse_date("2021-10-05") == "2021-10-05"
    assert parse_date("2022-06-01T09:30:00Z") == "2022-06-01"
    assert parse_date("5 October 2021") == "2021-10-05"
    assert parse_date("Tuesday, Oct. 5, 2021 14:30") == "2021-10-05"
    assert parse_date("October 2021") is None
    assert parse_date("reports suggest the talks failed") is None
    assert parse_date("2021-02-30") is None


def test_infer_published_latest_reporting_date_with_story_year() -> None:
    text = (
        "On March 2, the ministry said it would take part. "
        "The drills, named Silk Shield-2023, began after the agency reported on March 9 that troops had arrived. "
        "The two countries first signed a defence pact in 1995."
    )
    assert infer_published(text) == ("2023-03-09", "text")


def test_infer_published_explicit_year_and_unknowns() -> None:
    assert infer_published("The ministry announced on 4 April 2019 that the border would reopen.") == (
        "2019-04-04", "text")
    # A weekday alone, or a date with no year anywhere, cannot be placed.
    assert infer_published("The minister said on Tuesday that talks were over.") == (None, "unknown")
    assert infer_published("The ministry reported on May 3 that talks were over.") == (None, "unknown")
    # A historical year is not the story's year.
    assert infer_published("Officials said on May 3 that ties first emerged in 1992.") == (None, "unknown")
    # Non-reporting dates do not count.
    assert infer_published("On June 15, 2021, the two countries signed a memorandum.") == (None, "unknown")


def test_article_from_text_meta_wins_over_header() -> None:
    raw = " date 2021-01-01 By Some Person\n\nBody text about the talks in Baku."
    meta = RecordMeta(title="Given", author=["Record Author"], published="2021-02-02", source="Feed")
    a = article_from_text(raw, "x1", path="p", meta=meta)
    assert (a.title, a.author, a.published, a.published_basis, a.source) == (
        "Given", ["Record Author"], "2021-02-02", "input", "Feed")
    assert a.text == "Body text about the talks in Baku."
    assert a.content_hash == content_hash(a.text)
    # An unparseable record date falls back to the header date.
    b = article_from_text(raw, "x2", meta=RecordMeta(published="sometime"))
    assert (b.published, b.published_basis) == ("2021-01-01", "header")


# ------------------------------------------------------------------------------------------
# Structured formats
# ------------------------------------------------------------------------------------------


def test_jsonl_records_ids_and_rejects(record_items: list[Article | Reject]) -> None:
    arts = _by_id(record_items)
    a = arts["kz-001"]
    assert a.title == "Astana hosts talks"
    assert (a.published, a.published_basis) == ("2022-06-01", "input")
    assert a.author == ["Dana Nur", "Erlan Bek"]
    assert a.source == "Steppe Wire" and a.url == "https://example.org/kz-001"
    assert arts["news.jsonl#2"].author == ["Aliya Osmon"]
    assert arts["news.jsonl#2"].published == "2022-06-03"
    assert arts["6"].published_basis == "text" and arts["6"].published == "2022-06-07"
    rej = {(Path(r.path).name, r.record): r.reason for r in _rejects(record_items)}
    assert rej[("news.jsonl", "line 4")].startswith("invalid JSON")
    assert "no text" in rej[("news.jsonl", "line 5")]
    assert "no text" in rej[("news.jsonl", "line 6")]
    assert "expected an object" in rej[("news.jsonl", "line 7")]


def test_json_list_single_and_wrapped(record_items: list[Article | Reject]) -> None:
    arts = _by_id(record_items)
    assert arts["j-1"].published == "2022-02-10"
    assert "list.json#2" in arts
    assert arts["solo"].title == "Ministers meet" and arts["solo"].author == ["Nino Beridze"]
    assert {"w-1", "w-2"} <= set(arts)
    rej = {(Path(r.path).name, r.record) for r in _rejects(record_items)}
    assert ("list.json", "record 3") in rej


def test_csv_rows(record_items: list[Article | Reject]) -> None:
    arts = _by_id(record_items)
    assert arts["c-1"].title == "Grain deal" and arts["c-1"].published == "2022-07-22"
    assert arts["c-2"].text == "A quoted text that spans two lines, with a comma."
    assert arts["c-5"].author == ["Jane Doe", "John Roe"]
    rej = {(Path(r.path).name, r.record): r.reason for r in _rejects(record_items)}
    assert rej[("table.csv", "row 4")] == "row has 4 fields, header has 5"
    assert "no text" in rej[("table.csv", "row 5")]


def test_csv_without_text_column(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("id,title\n1,Hello\n", encoding="utf-8")
    [r] = list(read_inputs([f]))
    assert isinstance(r, Reject) and "no 'text' column" in r.reason


def test_html_article_and_menu_page() -> None:
    items = list(read_inputs([DATA / "html"]))
    arts = _by_id(items)
    a = arts["article.html"]
    assert a.title == "Border talks resume"
    assert a.author == ["Mariam Kapanadze"]
    assert (a.published, a.published_basis) == ("2022-09-14", "input")
    assert a.source == "Caucasus Ledger"
    assert a.url == "https://ledger.example.org/2022/09/border-talks"
    assert a.text.startswith("Delegations from Armenia and Azerbaijan")
    assert len(a.text.split("\n\n")) == 3
    assert "Home" not in a.text and "Copyright" not in a.text
    [r] = _rejects(items)
    assert Path(r.path).name == "empty.html" and r.reason == "no main text found in HTML page"


def test_html_fallback_without_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "_trafilatura", lambda: None)
    items = list(read_inputs([DATA / "html"]))
    a = _by_id(items)["article.html"]
    assert a.title == "Border talks resume" and a.source == "Caucasus Ledger"
    assert a.published == "2022-09-14"
    assert a.text.startswith("Delegations from Armenia") and "Copyright" not in a.text
    assert len(_rejects(items)) == 1


# ------------------------------------------------------------------------------------------
# Decoding and rejects
# ------------------------------------------------------------------------------------------


def test_encodings(tmp_path: Path) -> None:
    text = "Officials in Chișinău said the café reopened."
    (tmp_path / "bom8.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "win.txt").write_bytes("Officials said the café reopened – finally.".encode("cp1252"))
    arts = _by_id(list(read_inputs([tmp_path])))
    assert arts["bom8.txt"].text == text
    assert arts["u16.txt"].text == text
    assert arts["win.txt"].text == "Officials said the café reopened – finally."


def test_rejects_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n ")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "ctrl.dat").write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 200, 201, 202]) * 20)
    (tmp_path / "badbom.txt").write_bytes(b"\xef\xbb\xbfOfficials said \xff\xfe hello")
    (tmp_path / "big.txt").write_text("The minister spoke at length. " * 20, encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Officials said the talks went well.", encoding="utf-8")
    (tmp_path / "huge.jsonl").write_text('{"id": "h", "text": "' + "word " * 40 + '"}\n', encoding="utf-8")
    items = list(read_inputs([tmp_path], max_chars=150, max_file_bytes=10_000))
    rej = {Path(r.path).name: r for r in _rejects(items)}
    assert rej["empty.txt"].reason == "empty file"
    assert rej["blank.txt"].reason == "empty file"
    assert rej["image.png"].reason == "binary file"
    assert rej["ctrl.dat"].reason == "binary file"
    assert rej["badbom.txt"].reason.startswith("undecodable text: invalid UTF-8")
    assert rej["big.txt"].reason == "article too large: 600 chars > limit 150"
    assert rej["huge.jsonl"].record == "line 1" and rej["huge.jsonl"].reason.startswith("article too large")
    assert [a.article_id for a in items if isinstance(a, Article)] == ["ok.txt"]
    # A file over the byte limit is rejected before it is read.
    items = list(read_inputs([tmp_path / "big.txt"], max_file_bytes=100))
    assert isinstance(items[0], Reject) and items[0].reason == "file too large: 600 bytes > limit 100"


def test_gzipped_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl.gz"
    f.write_bytes(gzip.compress(b'{"text": "Uzbek officials said the border post would reopen."}\n'))
    [a] = list(read_inputs([f]))
    assert isinstance(a, Article) and a.article_id == "feed.jsonl.gz#1"


def test_whole_file_invalid_json(tmp_path: Path) -> None:
    f = tmp_path / "broken.json"
    f.write_text('[{"text": "a"', encoding="utf-8")
    [r] = list(read_inputs([f]))
    assert isinstance(r, Reject) and r.record is None and r.reason.startswith("invalid JSON")


# ------------------------------------------------------------------------------------------
# Seed stories (reference data, not shipped)
# ------------------------------------------------------------------------------------------


def test_seed_stories() -> None:
    from conftest import require_shared

    items = list(read_inputs([require_shared("corpus", "seeds")]))
    assert not _rejects(items)
    arts = {a.article_id[:3]: a for a in items if isinstance(a, Article)}
    assert len(arts) == 5
    a = arts["000"]
    assert (a.published, a.published_basis, a.author) == ("2021-09-15", "header", ["Vafa Ismayilova"])
    a = arts["001"]
    assert (a.published, a.author, a.source) == ("2021-11-11", ["Vafa Ismayilova"], "Azernews")
    a = arts["002"]
    assert a.title == "Azerbaijani, Turkish defence chiefs meet in Georgia"
    assert a.author == ["Vugar Khalilov"]
    assert (a.published, a.published_basis) == ("2021-10-05", "text")
    assert "Follow us" not in a.text and "subscri" not in a.text.lower() and "Thank you" not in a.text
    assert a.text.rstrip().endswith("he said.")
    assert len(a.text.split("\n\n")) >= 15
    a = arts["003"]
    assert (a.published, a.published_basis, a.author) == ("2021-10-08", "header", ["Vugar Khalilov"])
    a = arts["004"]
    assert (a.published, a.author, a.source) == ("2021-10-27", ["Vugar Khalilov"], "Azernews")
    for a in arts.values():
        assert not a.text.startswith((" date", "date ", "By "))
        assert a.content_hash == content_hash(a.text)
