"""Fuzz every reader, the header/metadata parser and the date resolver with hostile input.

    python benchmarks/fuzz.py [--cases 100000] [--time-budget 300] [--seed 1] [--big] [--code N]

Each case is a generated file (random bytes, broken UTF-8/UTF-16, NULs, truncated or mutated
sample files, deeply nested JSON, ragged CSV, HTML without a body or with scripts only, …) fed to
the in-process reader :func:`eventcoder.pipeline.ingest.read_data`, or a generated string fed to
``clean_article``, ``parse_date``, ``infer_published`` or ``resolve_event_time``. A case passes when
it ends as an Article with text or a Reject with a one-line reason (or, for the parsers, a value of
the documented type); any exception is an *escape*. ``--big`` adds the 50 MB single-line files;
``--code N`` also runs the first N articles the readers produced through spaCy and the coder.
Prints cases/s, outcomes by reader and kind, the commonest reject reasons and every escape.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from eventcoder.models import Article, Reject
from eventcoder.pipeline.clean import clean_article, infer_published, parse_date
from eventcoder.pipeline.dates import find_time_expressions, resolve_event_time
from eventcoder.pipeline.ingest import read_data

SUFFIXES = (".txt", ".jsonl", ".json", ".csv", ".html", ".tsv", ".md", ".txt.gz", ".jsonl.gz")
WORDS = ("Turkey Azerbaijan Erdogan Aliyev met talks said on Monday October 5 2021 last week in "
         "the by Reuters minister border forces next year ago days three 15th of June, 2022 — "
         "Sept. 1-3 spring summer Q3 1990s Follow us on Twitter @CaspianWire Posted 2 hours ago").split()
DATE_BITS = ("2021-10-05", "9999-12-31", "0001-01-01", "2021-02-30", "1950-01-01", "Oct 5, 2021",
             "5 October 2021", "Tuesday", "yesterday", "next week", "in 9999", "10000-01-01",
             "2021-13-45T99:99:99Z", "Feb 29, 2023", "last year", "99999999999999999999", "")
EXTRA_CHARS = "\x00\x01\x0b\x0c\x1b\x7f\x85\u00a0\u200b\u2028\u2029\ufeff\ufffd\U0001f600é€â€™Ã©\t\r\n"


def _sample_seeds() -> list[tuple[str, bytes]]:
    root = Path(str(resources.files("eventcoder") / "sample"))
    return [(p.name, p.read_bytes()) for p in sorted(root.iterdir()) if p.is_file()]


def _words(rnd: random.Random, n: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(n))


def _noisy_text(rnd: random.Random, n: int) -> str:
    """Words, punctuation, control and odd Unicode characters, and lone surrogates."""
    out = []
    for _ in range(n):
        r = rnd.random()
        if r < 0.6:
            out.append(rnd.choice(WORDS))
        elif r < 0.8:
            out.append(rnd.choice(EXTRA_CHARS))
        elif r < 0.9:
            out.append(chr(rnd.randrange(0x20, 0x30000)))
        elif r < 0.95:
            out.append(chr(rnd.randrange(0xD800, 0xE000)))  # lone surrogate
        else:
            out.append(rnd.choice(DATE_BITS))
        out.append(rnd.choice(" \n,.:"))
    return "".join(out)


def _encode(rnd: random.Random, text: str) -> bytes:
    """Text as bytes in a random, possibly broken, encoding."""
    enc = rnd.choice(("utf-8", "utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "utf-8-sig"))
    data = text.encode(enc, errors="surrogatepass" if enc.startswith("utf") else "replace")
    if rnd.random() < 0.3 and data:
        cut = rnd.randrange(len(data))
        data = data[:cut] + bytes([rnd.choice((0x80, 0xC3, 0xE2, 0xFF, 0xFE, 0x00))]) + data[cut:]
    if rnd.random() < 0.2:
        data = data[: rnd.randrange(len(data) + 1)]  # cut mid-character
    return data


def _mutate(rnd: random.Random, data: bytes) -> bytes:
    """Bit flips, truncation, NULs, deletions and duplicated slices of a seed file."""
    b = bytearray(data)
    for _ in range(rnd.randrange(1, 6)):
        if not b:
            break
        op = rnd.randrange(6)
        i = rnd.randrange(len(b))
        if op == 0:
            b[i] ^= 1 << rnd.randrange(8)
        elif op == 1:
            del b[i:]
        elif op == 2:
            b[i:i] = b"\x00" * rnd.randrange(1, 4)
        elif op == 3:
            del b[i:i + rnd.randrange(1, 200)]
        elif op == 4:
            j = rnd.randrange(len(b))
            b[i:i] = b[j:j + rnd.randrange(1, 300)]
        else:
            b[i:i] = rnd.choice((b"\xff\xfe", b"\xef\xbb\xbf", b'"', b"{", b"<script>", b",,,\n", b"\r"))
    return bytes(b)


def _nested_json(rnd: random.Random) -> bytes:
    depth = rnd.choice((10, 500, 5_000, 100_000))
    opener, closer = rnd.choice((("[", "]"), ('{"a":', "}"), ('{"text":', "}")))
    body = opener * depth + rnd.choice(('"x"', "1", "null", '{"text": "Turkey met Azerbaijan."}')) + closer * depth
    if rnd.random() < 0.3:
        body = body[: rnd.randrange(len(body))]
    return body.encode()


def _json_records(rnd: random.Random, lines: bool) -> bytes:
    values: list[object] = [None, True, 3, 1e308, -0.0, "", " ", [], {}, "x" * 50, ["a", 1], {"k": [1]},
                            _words(rnd, 20), _noisy_text(rnd, 20), rnd.choice(DATE_BITS)]
    keys = ["id", "text", "title", "date", "published", "author", "authors", "url", "source", "body", "Text",
            " TEXT ", "content", "headline", "1", ""]
    recs: list[object] = []
    for _ in range(rnd.randrange(0, 6)):
        if rnd.random() < 0.15:
            recs.append(rnd.choice(values))
        else:
            recs.append({rnd.choice(keys): rnd.choice(values) for _ in range(rnd.randrange(0, 8))})
    if lines:
        out = "\n".join(json.dumps(r) for r in recs)
        if rnd.random() < 0.3 and out:
            out = out[: rnd.randrange(len(out))]  # a line cut in half
        return out.encode()
    wrapper = rnd.choice((None, "articles", "data", "other"))
    doc: object = recs if wrapper is None else {wrapper: recs}
    if rnd.random() < 0.2:
        doc = recs[0] if recs else rnd.choice(values)
    return json.dumps(doc).encode()


def _ragged_csv(rnd: random.Random, delim: str) -> bytes:
    header = rnd.sample(["id", "text", "title", "date", "author", "url", "source", "", "x"], rnd.randrange(0, 7))
    rows = [delim.join(header)]
    for _ in range(rnd.randrange(0, 8)):
        cells = []
        for _ in range(rnd.randrange(0, len(header) + 3)):
            c = rnd.choice((_words(rnd, 8), "", '"unclosed ' + _words(rnd, 3), '"a ""b"" c"', "\x00",
                            rnd.choice(DATE_BITS), '"multi\nline"', _noisy_text(rnd, 5)))
            cells.append(c)
        rows.append(delim.join(cells))
    return rnd.choice(("\n", "\r\n", "\r")).join(rows).encode("utf-8", errors="surrogatepass")


def _html(rnd: random.Random) -> bytes:
    para = _words(rnd, rnd.randrange(0, 40))
    shapes = (
        "<html><head><title>t</title></head></html>",
        f"<html><head><script>{para}</script><style>p{{}}</style></head></html>",
        f"<script>{para}</script>" * 3,
        f"<html><body><p>{para}</p>",
        f"<p>{para}<p>{para}<div><div><div>",
        f"<html><body>{'<div>' * rnd.choice((10, 1000, 5000))}{para}</body></html>",
        f'<meta property="article:published_time" content="{rnd.choice(DATE_BITS)}"><article><p>{para}</p></article>',
        f"<!DOCTYPE html><html><body><article><h1>{para}</h1><p>{para}. {para}.</p></article></body></html>",
        "<" * rnd.randrange(1, 50) + para + ">" * rnd.randrange(1, 50),
        f"<?xml version='1.0' encoding='bogus'?><html><body><p>{para}</p></body></html>",
        f"<html><body><p>{_noisy_text(rnd, 30)}</p></body></html>",
        "<html><body>&#0;&#xD800;&#99999999;&nbsp;&bogus;</body></html>",
    )
    return rnd.choice(shapes).encode("utf-8", errors="surrogatepass")


def make_file(rnd: random.Random, seeds: list[tuple[str, bytes]]) -> tuple[str, str, bytes]:
    """(kind, file name, bytes) of one generated input file."""
    kind = rnd.choice(("random", "mutated", "encoded", "nested", "jsonl", "json", "csv", "html", "html", "text"))
    suffix = rnd.choice(SUFFIXES)
    if kind == "random":
        data = rnd.randbytes(rnd.choice((0, 1, 7, 100, 4_000)))
    elif kind == "mutated":
        name, seed = rnd.choice(seeds)
        data, suffix = _mutate(rnd, seed), Path(name).suffix if rnd.random() < 0.8 else suffix
    elif kind == "encoded":
        data = _encode(rnd, _noisy_text(rnd, rnd.randrange(1, 300)))
    elif kind == "nested":
        data, suffix = _nested_json(rnd), rnd.choice((".json", ".jsonl"))
    elif kind in ("jsonl", "json"):
        data, suffix = _json_records(rnd, kind == "jsonl"), f".{kind}"
    elif kind == "csv":
        suffix = rnd.choice((".csv", ".tsv"))
        data = _ragged_csv(rnd, "\t" if suffix == ".tsv" else ",")
    elif kind == "html":
        data, suffix = _html(rnd), rnd.choice((".html", ".htm"))
    else:
        data = _encode(rnd, "\n".join(_words(rnd, rnd.randrange(1, 30)) for _ in range(rnd.randrange(1, 20))))
    if suffix.endswith(".gz"):
        import gzip

        data = gzip.compress(data) if rnd.random() < 0.7 else data  # or a .gz that is not gzip
    return kind, f"case{suffix}", data


def check_records(out: list[Article | Reject]) -> str:
    """'' when every record is a usable article or a one-line reject, else what is wrong."""
    if not out:
        return "no record at all"
    for r in out:
        if isinstance(r, Reject):
            if not r.reason or "\n" in r.reason or len(r.reason) > 400:
                return f"bad reject reason: {r.reason!r:.120}"
        elif isinstance(r, Article):
            if not r.text or not r.content_hash:
                return "article without text or hash"
        else:
            return f"unexpected record {type(r).__name__}"
    return ""


def big_files() -> list[tuple[str, str, bytes]]:
    """The 50 MB single-line inputs, one per reader."""
    line = ("Turkey and Azerbaijan held talks on October 5, 2021. " * 1_000_000)[:50_000_000]
    out = [("big", "big.txt", line.encode()), ("big", "big.html", f"<p>{line}</p>".encode()),
           ("big", "big.jsonl", json.dumps({"id": "x", "text": line}).encode()),
           ("big", "big.csv", ("text\n" + line.replace(",", " ")).encode()),
           ("big", "big.json", json.dumps([{"text": line}]).encode())]
    return out


def parser_case(rnd: random.Random) -> tuple[str, Callable[[], object]]:
    """(kind, thunk) of one direct call into the header parser or the date resolver."""
    text = _noisy_text(rnd, rnd.randrange(0, 60)) if rnd.random() < 0.7 else _words(rnd, rnd.randrange(0, 60))
    which = rnd.randrange(5)
    if which == 0:
        head = rnd.choice(("By ", "date ", "Posted ", "URL: https://x.example/", "", "BAKU, Oct 5 (Reuters) - "))
        return "clean_article", lambda: clean_article(head + text)
    if which == 1:
        return "parse_date", lambda: parse_date(rnd.choice(DATE_BITS) + rnd.choice(("", " ", text[:40])))
    if which == 2:
        return "infer_published", lambda: infer_published(text)
    pub: object = rnd.choice(DATE_BITS + (None,))
    if which == 3:
        return "find_time_expressions", lambda: find_time_expressions(text, pub)  # type: ignore[arg-type]
    trig = rnd.choice((None, 0, 5, len(text), -3, 10**9))
    return "resolve_event_time", lambda: resolve_event_time(text, pub, trigger_char=trig)  # type: ignore[arg-type]


def code_articles(articles: list[Article]) -> list[str]:
    """Code fuzzed articles with the engine (nlp + coder), one at a time; the escapes."""
    from eventcoder.engines.local import LocalEngine

    engine = LocalEngine()
    escapes = []
    t = time.perf_counter()
    n_mentions = 0
    for a in articles:
        try:
            n_mentions += len(engine.code_articles([a]))
        except Exception:  # noqa: BLE001 - the harness counts every escape
            escapes.append(f"coding {a.article_id}: {traceback.format_exc().strip().splitlines()[-1]}")
    print(f"coded {len(articles)} fuzzed articles in {time.perf_counter() - t:.1f} s: {n_mentions} mentions, "
          f"{len(escapes)} escapes")
    return escapes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--time-budget", type=float, default=300.0, help="stop after this many seconds")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--big", action="store_true", help="also feed the 50 MB single-line files")
    ap.add_argument("--max-chars", type=int, default=5_000_000)
    ap.add_argument("--code", type=int, default=0, metavar="N",
                    help="also run the first N articles the readers produce through spaCy and the coder")
    args = ap.parse_args(argv)
    rnd = random.Random(args.seed)
    seeds = _sample_seeds()
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    escapes: list[str] = []
    slowest = (0.0, "")
    t0 = time.perf_counter()
    extra = big_files() if args.big else []
    to_code: list[Article] = []
    n = 0
    while n < args.cases and time.perf_counter() - t0 < args.time_budget:
        n += 1
        t = time.perf_counter()
        if extra:
            kind, name, data = extra.pop()
            label = f"{kind}:{name}"
        elif rnd.random() < 0.7:
            kind, name, data = make_file(rnd, seeds)
            label = f"{kind}:{name}"
        else:
            kind, thunk = parser_case(rnd)
            label = f"parser:{kind}"
        try:
            if label.startswith("parser:"):
                thunk()
                outcomes[f"{label} ok"] += 1
            else:
                out = list(read_data(data, name, f"/fuzz/{name}", name, max_chars=args.max_chars))
                problem = check_records(out)
                if problem:
                    escapes.append(f"case {n} {label}: {problem}")
                for r in out:
                    if isinstance(r, Reject):
                        reasons[r.reason.split(":")[0]] += 1
                arts = sum(isinstance(r, Article) for r in out)
                if len(to_code) < args.code:
                    to_code.extend(r for r in out if isinstance(r, Article) and len(r.text) < 200_000)
                outcomes[f"{kind} → {'article' if arts else 'reject'}"] += 1
        except Exception:  # noqa: BLE001 - the harness counts every escape
            escapes.append(f"case {n} {label}: {traceback.format_exc().strip().splitlines()[-1]}")
            if len(escapes) <= 3:
                traceback.print_exc()
        dt = time.perf_counter() - t
        if dt > slowest[0]:
            slowest = (dt, label)
    elapsed = time.perf_counter() - t0
    print(f"fuzz: {n} cases in {elapsed:.1f} s ({n / elapsed:,.0f} cases/s), seed {args.seed}"
          + (" (time budget reached)" if n < args.cases else ""))
    print(f"slowest case: {slowest[0]:.2f} s ({slowest[1]})")
    print("outcomes:")
    for k, v in sorted(outcomes.items()):
        print(f"  {k:40s} {v:7d}")
    print("commonest reject reasons:")
    for k, v in reasons.most_common(12):
        print(f"  {v:7d}  {k}")
    if args.code:
        escapes.extend(code_articles(to_code[: args.code]))
    print(f"escapes: {len(escapes)}")
    for e in escapes[:30]:
        print(f"  {e}")
    return 1 if escapes else 0


if __name__ == "__main__":
    sys.exit(main())
