"""Reading a user's corpus: files, directories and globs of txt, jsonl, json, csv and html.

A corpus is messy: odd encodings, broken lines, binary files left in the folder. Nothing here
stops a run for bad input: each file or record that cannot become an article is yielded as a
:class:`~eventcoder.models.Reject` with a one-line reason, and reading goes on. The only exception
is :class:`~eventcoder.errors.InputNotFound`, for a path or glob that names nothing at all.
"""

from __future__ import annotations

import csv
import glob
import gzip
import hashlib
import io
import json
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

from eventcoder.errors import InputNotFound
from eventcoder.models import Article, PublishedBasis, Reject
from eventcoder.pipeline.clean import clean_article, fold_whitespace, infer_published, parse_date, split_names
from eventcoder.pipeline.language import detect_language

#: Extensions read as one plain-text article per file.
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".story"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})
CSV_SUFFIXES = frozenset({".csv", ".tsv"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
#: Keys of a JSON object that may hold the list of records.
JSON_LIST_KEYS = ("articles", "records", "data", "items", "documents")
#: Record fields, first present wins.
TEXT_KEYS = ("text", "body", "content")
DATE_KEYS = ("published", "date", "publish_date", "published_at", "pubdate")
TITLE_KEYS = ("title", "headline")
#: Bytes looked at to decide whether a file is text.
SNIFF_BYTES = 65_536
#: Share of control characters above which undecodable-as-UTF-8 bytes are called binary.
MAX_CONTROL_RATIO = 0.01
#: Share of letters, digits, punctuation and spaces a cp1252 reading must reach to count as text.
MIN_PRINTABLE_RATIO = 0.95
#: Share of letters a cp1252 reading must reach to count as text (prose is about 75 % letters).
MIN_LETTER_RATIO = 0.3
#: An HTML page whose longest extracted line has fewer words than this is a menu, not an article.
MIN_HTML_PARAGRAPH_WORDS = 6
_GLOB_CHARS = re.compile(r"[*?\[]")
#: Lone UTF-16 surrogates: JSON may escape them ("\\ud800"), but no encoder or database accepts them.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass(slots=True)
class RecordMeta:
    """Metadata a structured record gives for its article (JSON/CSV fields, HTML metadata)."""

    title: str | None = None
    author: list[str] = field(default_factory=list)
    published: str | None = None
    source: str | None = None
    url: str | None = None


class _DecodeError(Exception):
    """Bytes that cannot become text; the message is the reject reason."""


# --------------------------------------------------------------------------------------------
# Public helpers
# --------------------------------------------------------------------------------------------


def sample_corpus_path() -> Path:
    """The directory of the sample corpus bundled with the package."""
    return Path(str(resources.files("eventcoder") / "sample"))


def content_hash(text: str) -> str:
    """SHA-256 hex of the cleaned body with whitespace folded and NFC applied, so copies of one
    story that differ only in spacing or line breaks hash alike."""
    return hashlib.sha256(fold_whitespace(text).encode("utf-8")).hexdigest()


def article_from_text(
    raw: str, article_id: str, *, path: str | None = None, meta: RecordMeta | None = None
) -> Article:
    """Clean one raw text into an Article. Record metadata wins over header lines, a header date
    over a date inferred from the body."""
    meta = meta or RecordMeta()
    cleaned = clean_article(raw)
    published: str | None = None
    basis: PublishedBasis = "unknown"
    if meta.published and (iso := parse_date(meta.published)):
        published, basis = iso, "input"
    elif cleaned.published:
        published, basis = cleaned.published, "header"
    else:
        published, basis = infer_published(cleaned.text)
    return Article(
        article_id=article_id,
        text=cleaned.text,
        title=meta.title or cleaned.title,
        author=list(meta.author) or cleaned.author,
        published=published,
        published_basis=basis,
        source=meta.source or cleaned.source,
        url=meta.url or cleaned.url,
        content_hash=content_hash(cleaned.text),
        path=path,
        language=detect_language(f"{meta.title or cleaned.title or ''}\n{cleaned.text}"),
    )


def _split_glob(pattern: str) -> Path:
    """The fixed directory part of a glob: article ids are relative to it."""
    parts = Path(pattern).parts
    fixed: list[str] = []
    for p in parts:
        if _GLOB_CHARS.search(p):
            break
        fixed.append(p)
    return Path(*fixed) if fixed else Path(".")


def _is_hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _resolve(item: str | Path) -> list[tuple[Path, Path]]:
    """Files (with their root) that one input names; InputNotFound when it names none."""
    p = Path(item)
    if p.is_file():
        return [(p, p.parent)]
    if p.is_dir():
        files = [f for f in p.rglob("*") if f.is_file() and not _is_hidden(f.relative_to(p))]
        return sorted(((f, p) for f in files), key=lambda t: t[0].relative_to(p).as_posix())
    s = str(item)
    if _GLOB_CHARS.search(s):
        root = _split_glob(s)
        out: list[tuple[Path, Path]] = []
        for m in sorted(glob.glob(s, recursive=True)):
            mp = Path(m)
            if mp.is_file():
                out.append((mp, root))
            elif mp.is_dir():
                out.extend((f, root) for f, _ in _resolve(mp))
        if not out:
            raise InputNotFound(f"no files match: {s}")
        return out
    raise InputNotFound(f"no such file or directory: {s}")


def iter_input_files(paths: Sequence[str | Path]) -> Iterator[tuple[Path, Path]]:
    """(file, input root) for files, directories (recursive, hidden entries skipped) and globs,
    sorted and without repeats. Every input is checked before the first file is given, so a
    missing path raises InputNotFound up front."""
    resolved = [_resolve(p) for p in paths]
    return _unique(resolved)


def _unique(resolved: list[list[tuple[Path, Path]]]) -> Iterator[tuple[Path, Path]]:
    seen: set[Path] = set()
    for group in resolved:
        for f, root in group:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                yield f, root


def read_inputs(
    paths: Sequence[str | Path], *, max_chars: int = 5_000_000, max_file_bytes: int = 200_000_000
) -> Iterator[Article | Reject]:
    """Articles and rejects from every input, in a deterministic order. Raises InputNotFound
    (at call time) for an input that names nothing; never raises for bad content."""
    files = iter_input_files(paths)
    return _read_all(files, max_chars, max_file_bytes)


def _read_all(files: Iterator[tuple[Path, Path]], max_chars: int, max_file_bytes: int) -> Iterator[Article | Reject]:
    for f, root in files:
        yield from read_file(f, root, max_chars=max_chars, max_file_bytes=max_file_bytes)


# --------------------------------------------------------------------------------------------
# One file
# --------------------------------------------------------------------------------------------


def _rel_id(f: Path, root: Path) -> str:
    try:
        return f.relative_to(root).as_posix()
    except ValueError:
        return f.name


def _decode_bytes(data: bytes) -> str:
    """Text of a file's bytes: UTF-8 (BOM optional), UTF-16/32 with BOM, else cp1252/latin-1 when
    the bytes look like text. Raises _DecodeError with the reject reason otherwise."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                     (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                label = enc.upper().removesuffix("-SIG")
                raise _DecodeError(f"undecodable text: invalid {label} at byte {e.start}") from None
    sample = data[:SNIFF_BYTES]
    if b"\x00" in sample:
        raise _DecodeError("binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12)) + sample.count(0x7F)
    if controls > MAX_CONTROL_RATIO * len(sample):
        raise _DecodeError("binary file")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    head = text[:SNIFF_BYTES]
    good = sum(1 for ch in head if ch.isprintable() or ch in "\n\r\t")
    letters = sum(1 for ch in head if ch.isalpha())
    if good < MIN_PRINTABLE_RATIO * len(head) or letters < MIN_LETTER_RATIO * len(head):
        raise _DecodeError("undecodable text: not UTF-8 and does not read as cp1252/latin-1 text")
    return text


def read_file(f: Path, root: Path, *, max_chars: int = 5_000_000,
              max_file_bytes: int = 200_000_000) -> Iterator[Article | Reject]:
    """Articles and rejects of one file, dispatched on its extension."""
    path = str(f)
    try:
        size = f.stat().st_size
        if size > max_file_bytes:
            yield Reject(path, None, f"file too large: {size} bytes > limit {max_file_bytes}")
            return
        data = f.read_bytes()
    except OSError as e:
        yield Reject(path, None, f"cannot read file: {e.strerror or e}")
        return
    yield from read_data(data, f.name, path, _rel_id(f, root), max_chars=max_chars, max_file_bytes=max_file_bytes)


def read_data(data: bytes, name: str, path: str, rel: str, *, max_chars: int = 5_000_000,
              max_file_bytes: int = 200_000_000) -> Iterator[Article | Reject]:
    """Articles and rejects of one file's bytes; ``name`` (the file name) picks the reader.

    The in-memory half of :func:`read_file`, so tests and the fuzz harness need no files on disk.
    """
    name = name.lower()
    if len(data) > max_file_bytes:
        yield Reject(path, None, f"file too large: {len(data)} bytes > limit {max_file_bytes}")
        return
    if name.endswith(".gz"):
        try:
            with gzip.open(io.BytesIO(data)) as gz:
                data = gz.read(max_file_bytes + 1)
        except (OSError, EOFError, zlib.error) as e:
            yield Reject(path, None, f"broken gzip file: {_one_line(e)}")
            return
        if len(data) > max_file_bytes:
            yield Reject(path, None, f"file too large: more than {max_file_bytes} bytes after gunzip")
            return
        name = name[:-3]
    if not data.strip():
        yield Reject(path, None, "empty file")
        return
    try:
        text = _decode_bytes(data)
    except _DecodeError as e:
        yield Reject(path, None, str(e))
        return
    suffix = Path(name).suffix
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(text, path, rel, max_chars)
    elif suffix in JSON_SUFFIXES:
        yield from _read_json(text, path, rel, max_chars)
    elif suffix in CSV_SUFFIXES:
        yield from _read_csv(text, path, rel, max_chars, delimiter="\t" if suffix == ".tsv" else ",")
    elif suffix in HTML_SUFFIXES:
        yield _read_html(text, path, rel, max_chars)
    else:
        yield _from_raw(text, rel, path, None, None, max_chars)


def _short(text: str, limit: int = 30) -> str:
    """A value quoted in a reject reason: one line, at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(exc: BaseException) -> str:
    """First line of an exception's message (reject reasons are one line)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _from_raw(raw: str, article_id: str, path: str, record: str | None, meta: RecordMeta | None,
              max_chars: int) -> Article | Reject:
    if len(raw) > max_chars:
        return Reject(path, record, f"article too large: {len(raw)} chars > limit {max_chars}")
    art = article_from_text(raw, article_id, path=path, meta=meta)
    if not art.text:
        return Reject(path, record, "no article text left after cleaning")
    if art.language != "en":  # it would yield nothing: say why instead (pipeline/language.py)
        return Reject(path, record, f"language {art.language} not supported")
    return art


# --------------------------------------------------------------------------------------------
# Structured records
# --------------------------------------------------------------------------------------------


def _scrub(text: str) -> str:
    """A record's string with lone surrogates replaced by U+FFFD."""
    return _SURROGATE_RE.sub("\ufffd", text)


def _str_field(rec: dict[str, Any], keys: Sequence[str]) -> str | None:
    for k in keys:
        v = rec.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if isinstance(v, str) and v.strip():
            return _scrub(v.strip())
    return None


def _authors(value: Any) -> list[str]:
    if isinstance(value, str):
        return split_names(_scrub(value))
    if isinstance(value, list):
        return [n for v in value if isinstance(v, str) for n in split_names(_scrub(v))]
    return []


def _from_record(rec: Any, default_id: str, path: str, record: str, max_chars: int) -> Article | Reject:
    """One JSON/CSV record to an article, or a reject naming what is wrong with it."""
    if not isinstance(rec, dict):
        return Reject(path, record, f"expected an object, got {type(rec).__name__}")
    rec = {str(k).strip().lower(): v for k, v in rec.items()}
    text = None
    for k in TEXT_KEYS:
        v = rec.get(k)
        if isinstance(v, str) and v.strip():
            text = _scrub(v)
            break
    if text is None:
        return Reject(path, record, "record has no text (missing or empty 'text' field)")
    meta = RecordMeta(
        title=_str_field(rec, TITLE_KEYS),
        author=_authors(rec.get("author", rec.get("authors"))),
        published=_str_field(rec, DATE_KEYS),
        source=_str_field(rec, ("source", "outlet", "publisher", "sitename")),
        url=_str_field(rec, ("url", "link")),
    )
    article_id = _str_field(rec, ("id", "article_id", "doc_id")) or default_id
    return _from_raw(text, article_id, path, record, meta, max_chars)


def _read_jsonl(text: str, path: str, rel: str, max_chars: int) -> Iterator[Article | Reject]:
    n_records = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        n_records += 1
        record = f"line {lineno}"
        rec, error = _parse_json(line, with_line=False)
        if error is not None:
            yield Reject(path, record, error)
            continue
        yield _from_record(rec, f"{rel}#{lineno}", path, record, max_chars)
    if n_records == 0:
        yield Reject(path, None, "empty file")


def _parse_json(text: str, *, with_line: bool) -> tuple[Any, str | None]:
    """The parsed value, or None and the one-line reason it is not JSON (with the error's line when
    ``with_line``, else its column only: a JSONL record is one line)."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as e:
        where = f"line {e.lineno} column {e.colno}" if with_line else f"column {e.colno}"
        return None, f"invalid JSON: {e.msg} at {where}"
    except RecursionError:
        return None, "invalid JSON: nested too deeply"


def _read_json(text: str, path: str, rel: str, max_chars: int) -> Iterator[Article | Reject]:
    doc, error = _parse_json(text, with_line=True)
    if error is not None:
        yield Reject(path, None, error)
        return
    if isinstance(doc, dict):
        key = next((k for k in JSON_LIST_KEYS if isinstance(doc.get(k), list)), None)
        if key is None:
            yield _from_record(doc, rel, path, "record 1", max_chars)
            return
        doc = doc[key]
    if not isinstance(doc, list):
        yield Reject(path, None, f"expected a JSON object or list, got {type(doc).__name__}")
        return
    if not doc:
        yield Reject(path, None, "JSON file holds no records")
        return
    for i, rec in enumerate(doc, start=1):
        yield _from_record(rec, f"{rel}#{i}", path, f"record {i}", max_chars)


def _read_csv(text: str, path: str, rel: str, max_chars: int, *, delimiter: str) -> Iterator[Article | Reject]:
    """CSV with a header row. Row numbers count the header as row 1, as a spreadsheet shows them."""
    if csv.field_size_limit() < max_chars + 1:
        csv.field_size_limit(max_chars + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as e:
        yield Reject(path, "row 1", f"broken CSV header: {_one_line(e)}")
        return
    if not header or not any(h.strip() for h in header):
        yield Reject(path, None, "CSV file has no header row")
        return
    cols = [h.strip().lstrip("\ufeff").lower() for h in header]
    if not any(c in cols for c in TEXT_KEYS):
        shown = ", ".join(_short(c) for c in cols[:8]) + (", …" if len(cols) > 8 else "")
        yield Reject(path, None, f"CSV has no 'text' column (columns: {shown})")
        return
    rowno = 1
    n_records = 0
    while True:
        rowno += 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            n_records += 1
            yield Reject(path, f"row {rowno}", f"broken CSV row: {_one_line(e)}")
            break
        if not row or not any(c.strip() for c in row):
            continue
        n_records += 1
        if len(row) != len(cols):
            yield Reject(path, f"row {rowno}", f"row has {len(row)} fields, header has {len(cols)}")
            continue
        rec = {c: (v if v.strip() else None) for c, v in zip(cols, row, strict=True)}
        yield _from_record(rec, f"{rel}#{rowno}", path, f"row {rowno}", max_chars)
    if n_records == 0:
        yield Reject(path, None, "CSV file holds no records")


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _trafilatura() -> Any:
    """trafilatura, or None when it cannot be imported (its lxml extras missing)."""
    try:
        import trafilatura
    except ImportError:
        return None
    return trafilatura


class _SimpleHTML(HTMLParser):
    """Fallback extractor when trafilatura is unavailable: paragraphs, headings, title, meta tags."""

    BLOCKS = frozenset({"p", "h1", "h2", "h3", "li", "blockquote"})
    SKIP = frozenset({"script", "style", "nav", "header", "footer", "aside", "form", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paras: list[str] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self._buf: list[str] = []
        self._in_block = 0
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"].strip())
        elif tag == "link" and a.get("rel", "").lower() == "canonical" and a.get("href"):
            self.meta.setdefault("canonical", a["href"])
        elif tag in self.BLOCKS:
            self._in_block += 1
        elif tag == "br" and self._in_block:
            self._buf.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCKS and self._in_block:
            self._in_block -= 1
            if not self._in_block:
                para = " ".join("".join(self._buf).split())
                if para:
                    self.paras.append(para)
                self._buf = []

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self._in_block and not self._skip:
            self._buf.append(data)


def _extract_html(html: str) -> tuple[str, RecordMeta]:
    """Main text (paragraphs on separate lines) and metadata of an HTML page."""
    traf = _trafilatura()
    if traf is not None:
        doc = traf.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
        if doc is None:
            return "", RecordMeta()
        d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        author = d.get("author") or ""
        meta = RecordMeta(
            title=d.get("title") or None,
            author=[n for a in author.split(";") for n in split_names(a)] if author else [],
            published=d.get("date") or None,
            source=d.get("sitename") or None,
            url=d.get("url") or None,
        )
        return d.get("text") or "", meta
    p = _SimpleHTML()
    p.feed(html)
    p.close()
    m = p.meta
    meta = RecordMeta(
        title=(m.get("og:title") or p.title.strip() or None),
        author=split_names(m["author"]) if m.get("author") else [],
        published=m.get("article:published_time") or m.get("date") or m.get("datepublished"),
        source=m.get("og:site_name"),
        url=m.get("og:url") or m.get("canonical"),
    )
    return "\n".join(p.paras), meta


def _read_html(html: str, path: str, rel: str, max_chars: int) -> Article | Reject:
    if len(html) > max_chars * 20:
        return Reject(path, None, f"HTML page too large: {len(html)} chars > limit {max_chars * 20}")
    text, meta = _extract_html(html)
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if lines and meta.title and lines[0].strip() == meta.title.strip():
        lines = lines[1:]  # the extractor repeats the headline as the first line
    if not lines or max(len(ln.split()) for ln in lines) < MIN_HTML_PARAGRAPH_WORDS:
        return Reject(path, None, "no main text found in HTML page")
    # Each extracted line is a paragraph: keep them apart so they are not joined as wrapped text.
    return _from_raw("\n\n".join(lines), rel, path, None, meta, max_chars)
