"""The command line: a thin Typer layer over the library. Library errors become one-line messages."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
from datetime import date
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from eventcoder import __version__, settings
from eventcoder.errors import EventcoderError
from eventcoder.store import DYAD_COLUMNS, DYADS_SQL, EXPORT_COLUMNS, Store

app = typer.Typer(
    name="eventcoder",
    help="Turn a corpus of news articles into deduplicated, dated, geolocated PLOVER/CAMEO event data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
DEFAULT_DB = "eventcoder.duckdb"

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB database file.")]
ActorsOption = Annotated[Path | None, typer.Option(
    "--actors", help="Your own actors, TSV: name, aliases, country, sector, start, end (docs/dictionaries.md).")]
PlacesOption = Annotated[Path | None, typer.Option(
    "--places", help="Your own places, TSV: name, aliases, country, admin1, lat, lon (docs/dictionaries.md).")]


class Table_(StrEnum):
    events = "events"
    mentions = "mentions"
    articles = "articles"
    rejects = "rejects"
    dyads = "dyads"
    corrections = "corrections"
    changes = "changes"


class EngineName(StrEnum):
    local = "local"
    spark = "spark"


class PrefilterMode(StrEnum):
    off = "off"
    fast = "fast"
    safe = "safe"
    triggers = "triggers"


DEFAULT_PREFILTER = PrefilterMode(settings.PREFILTER or "off")


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    plover = "plover"


def _one_line_errors(fn):  # noqa: ANN001, ANN202 - decorator over Typer commands
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except EventcoderError as exc:
            console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            console.print("[red]interrupted[/red]")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # the reader went away (`… | head`): stop quietly, as Unix tools do
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - flushed at exit instead of the closed pipe
            raise typer.Exit(0) from None
        except Exception as exc:  # an internal bug: one line, details only on request
            if os.environ.get("EVENTCODER_DEBUG"):
                raise
            first = str(exc).splitlines()[0] if str(exc) else ""
            console.print(f"[red]internal error:[/red] {type(exc).__name__}: {first} "
                          "(set EVENTCODER_DEBUG=1 for a traceback)", highlight=False)
            raise typer.Exit(2) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        print(f"eventcoder {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """eventcoder: who did what to whom, when and where, from your own news articles."""
    from eventcoder.util.threads import single_thread_blas

    single_thread_blas()


@app.command()
@_one_line_errors
def run(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Files, directories or globs (.txt .jsonl .json .csv .html); none: the bundled sample."),
    ] = None,
    db: DbOption = Path(DEFAULT_DB),
    batch_size: Annotated[int, typer.Option(help="Articles per database transaction.", min=1)] = 64,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    max_article_chars: Annotated[int, typer.Option(
        help="Reject articles with more characters of text than this.", min=1)] = settings.MAX_ARTICLE_CHARS,
    max_file_mb: Annotated[float, typer.Option(
        help="Reject input files larger than this many megabytes.", min=0)] = settings.MAX_FILE_BYTES / 1_000_000,
    time_budget: Annotated[float | None, typer.Option(
        help="Stop after the batch during which this many seconds have passed; re-run to continue.", min=0,
    )] = settings.RUN_TIME_BUDGET_SECONDS,
    wait: Annotated[float, typer.Option(
        help="Seconds to wait for another run on the same database to finish.", min=0,
    )] = settings.RUN_LOCK_WAIT_SECONDS,
    engine_name: Annotated[EngineName, typer.Option(
        "--engine", help="local: this machine, into --db; spark: a Spark cluster (or local[N]), Parquet into --out.",
    )] = EngineName.local,
    workers: Annotated[int, typer.Option(
        help="Worker processes for parsing and coding (spark: local[N] when not under spark-submit).", min=1,
    )] = settings.RUN_WORKERS,
    out: Annotated[Path | None, typer.Option(help="Output directory of --engine spark (Parquet tables).")] = None,
    prefilter: Annotated[PrefilterMode, typer.Option(
        help="First pass before parsing: fast (parse the sentences that may hold an event or introduce a name), "
             "off (parse everything), safe, or triggers; see docs/scaling.md.",
    )] = DEFAULT_PREFILTER,
    actors: ActorsOption = None,
    places: PlacesOption = None,
) -> None:
    """Ingest, code, date, place and merge events from news articles into a DuckDB database.

    The run writes a working copy (DB.wip) and replaces DB with it at the end, so readers keep
    seeing the last finished run; an interrupted run resumes from its working copy when re-run.
    """
    from eventcoder.pipeline.ingest import sample_corpus_path

    paths: list[str | Path] = list(inputs) if inputs else [sample_corpus_path()]
    if not inputs and not quiet:
        console.print(f"no input given: running on the bundled sample corpus ({paths[0]})")
    mode = None if prefilter == PrefilterMode.off else prefilter.value
    from eventcoder.pipeline.userdicts import UserDictionaries

    dictionaries = UserDictionaries.load(actors, places)  # checked before any work: one line per bad row
    if engine_name == EngineName.spark:  # the driver needs no spaCy: its executors load it
        _run_spark(paths, out, workers=workers, prefilter=mode, batch_size=batch_size,
                   max_article_chars=max_article_chars, max_file_bytes=int(max_file_mb * 1_000_000), quiet=quiet,
                   dictionaries=dictionaries)
        return
    from eventcoder.engines.local import LocalEngine
    from eventcoder.store import open_for_run

    with open_for_run(db, wait=wait) as store:
        engine = LocalEngine(prefilter=mode, workers=workers, dictionaries=dictionaries)
        engine.start_workers()  # before the progress bar's thread, so the workers can be forked
        with Progress(
            TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console, disable=quiet, transient=True,
        ) as progress:
            task = progress.add_task("coding articles", total=None)

            def on_progress(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            summary = engine.run(
                paths, store, batch_size=batch_size, on_progress=on_progress, max_article_chars=max_article_chars,
                max_file_bytes=int(max_file_mb * 1_000_000), time_budget=time_budget,
            )
    if summary.stopped_early:
        console.print(
            f"time budget of {time_budget:g} s used up: stopped after a committed batch with "
            f"{summary.articles_pending} new articles left; re-run the same command to continue",
            highlight=False, soft_wrap=True)
    _report_corrections(summary.corrections_not_applied)
    if quiet:
        return
    table = Table(title=f"eventcoder run → {db}", show_header=False)
    table.add_row("articles read", str(summary.articles_read))
    table.add_row("  new", str(summary.articles_new))
    table.add_row("  unchanged (already stored)", str(summary.articles_unchanged))
    table.add_row("rejects", str(len(summary.rejects)))
    table.add_row("mentions (new / total)", f"{summary.mentions_new} / {summary.mentions_total}")
    table.add_row("  recycled-text mentions", str(summary.recycled_mentions))
    table.add_row("events", str(summary.events_total))
    dropped = ", ".join(f"{k}: {v}" for k, v in sorted(summary.coding.dropped.items(), key=lambda kv: -kv[1]))
    table.add_row("triggers not coded", dropped or "-")
    table.add_row("top dyads", ", ".join(f"{d} ({n})" for d, n in summary.top_dyads[:8]) or "-")
    table.add_row("changes (eventcoder changes)", f"run {summary.run_id}: {_change_counts(summary.changes)}")
    n_corr = summary.corrections_applied + len(summary.corrections_not_applied)
    if n_corr:
        table.add_row("analyst corrections", f"{summary.corrections_applied} applied, "
                      f"{len(summary.corrections_not_applied)} not (stale or partial)")
    console.print(table)
    for r in summary.rejects[:20]:
        where = f"{r.path}" + (f" [{r.record}]" if r.record else "")
        console.print(f"  reject: {where}: {r.reason}", highlight=False)
    if len(summary.rejects) > 20:
        console.print(f"  … and {len(summary.rejects) - 20} more (eventcoder export rejects)")


def _report_corrections(not_applied: list[Any]) -> None:
    """One line per correction whose mentions are (partly) gone: reported, never dropped silently."""
    for c in not_applied:
        console.print(f"[yellow]correction {c.correction_id}[/yellow] ({c.kind} of {c.event_id}, {c.created_at[:10]}) "
                      f"is {c.status}: " + ("none of its mentions is in the database any more" if c.status == "stale"
                                            else "some of its mentions are no longer in the database")
                      + " (eventcoder export corrections)", highlight=False, soft_wrap=True)


def _run_spark(paths: list[str | Path], out: Path | None, *, workers: int, prefilter: str | None, batch_size: int,
               max_article_chars: int, max_file_bytes: int, quiet: bool, dictionaries: Any = None) -> None:
    """``run --engine spark``: Parquet tables under ``out``, loaded later with ``eventcoder import``."""
    from eventcoder.engines.spark import SparkEngine, require_pyspark

    require_pyspark()
    if out is None:
        raise EventcoderError("--engine spark writes Parquet: give --out DIR")
    under_submit = "SPARK_ENV_LOADED" in os.environ or "spark.master" in os.environ.get("PYSPARK_SUBMIT_ARGS", "")
    engine = SparkEngine(master=None if under_submit else f"local[{workers}]", prefilter=prefilter,
                         progress=not quiet, dictionaries=dictionaries)
    if not quiet:
        console.print(f"spark: coding {len(paths)} input(s) on {engine.sc.master} → {out}")
    summary = engine.run(paths, out, batch_size=batch_size, max_article_chars=max_article_chars,
                         max_file_bytes=max_file_bytes)
    if not quiet:
        console.print(f"articles {summary.articles}, rejects {summary.rejects}, mentions {summary.mentions} "
                      f"({summary.recycled_mentions} recycled), events {summary.events} → {out}; "
                      f"load with: eventcoder import {out} --db PATH", highlight=False, soft_wrap=True)


@app.command("import")
@_one_line_errors
def import_(
    directory: Annotated[Path, typer.Argument(help="Output directory of `run --engine spark`.")],
    db: DbOption = Path(DEFAULT_DB),
    wait: Annotated[float, typer.Option(
        help="Seconds to wait for another run on the same database to finish.", min=0,
    )] = settings.RUN_LOCK_WAIT_SECONDS,
) -> None:
    """Load the Parquet tables of a Spark run into a DuckDB database (new mentions merge into its events)."""
    from eventcoder.engines.spark import import_parquet
    from eventcoder.store import open_for_run

    with open_for_run(db, wait=wait) as store:
        s = import_parquet(directory, store)
    how = "merged again with the stored ones" if s.remerged else "loaded"
    console.print(f"imported {s.articles} articles, {s.mentions} mentions, {s.rejects} rejects; "
                  f"{s.events} events {how} → {db}", highlight=False, soft_wrap=True)


def _jsonable(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    return v


@app.command()
@_one_line_errors
def export(
    table: Annotated[Table_, typer.Argument(help=(
        "Which table; corrections: the analyst's corrections with their status; changes: what each run changed."))],
    db: DbOption = Path(DEFAULT_DB),
    format: Annotated[Format, typer.Option(
        "--format", "-f", help="Output format; plover (events only): PLOVER JSON lines.")] = Format.jsonl,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output file (stdout for jsonl/csv/plover).")] = None,
    as_gold: Annotated[bool, typer.Option(
        "--as-gold", help="corrections only: sentence gold for `eventcoder evaluate --gold` (JSON lines).")] = False,
    since: Annotated[str | None, typer.Option(help="changes only: the runs after this run id.")] = None,
) -> None:
    """Export events, mentions, articles, rejects, or the dyadic table (one row per source-target
    pair of an event, flat ICEWS/POLECAT-like columns: docs/formats.md) as JSONL, CSV or Parquet;
    events also as PLOVER JSON (one object a line, the PLOVER manual's field names)."""
    if table in (Table_.corrections, Table_.changes) or as_gold or since:
        _export_review(table, db, format, out, as_gold=as_gold, since=since)
        return
    if format is Format.plover:
        if table is not Table_.events:
            raise EventcoderError(f"--format plover exports events, not {table.value}")
        _export_plover(db, out)
        return
    if table is Table_.dyads:
        cols, sql = DYAD_COLUMNS, DYADS_SQL
    else:
        cols = EXPORT_COLUMNS[table.value]
        order = {"events": "date, event_id", "mentions": "article_id, char_start, mention_id",
                 "articles": "article_id", "rejects": "path, record"}[table.value]
        sql = f"SELECT {', '.join(cols)} FROM {table.value} ORDER BY {order}"
    with Store(db, read_only=True) as store:
        if format is Format.parquet:
            if out is None:
                raise EventcoderError("parquet needs --out FILE")
            import pyarrow.parquet as pq

            pq.write_table(store.arrow(sql), str(out))
            console.print(f"wrote {out}")
            return
        rows = store.query(sql)
    fh = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        if format is Format.jsonl:
            for row in rows:
                fh.write(json.dumps(_jsonable(row), ensure_ascii=False) + "\n")
        else:
            writer = csv.writer(fh)
            writer.writerow(cols)
            for row in rows:
                writer.writerow([
                    json.dumps(_jsonable(row[c]), ensure_ascii=False) if isinstance(row[c], list | dict) else
                    _jsonable(row[c]) for c in cols
                ])
    finally:
        if out:
            fh.close()


def _export_plover(db: Path, out: Path | None) -> None:
    """Write the events of ``db`` as PLOVER JSON lines (eventcoder.plover, docs/formats.md)."""
    from eventcoder.plover import plover_records

    with Store(db, read_only=True) as store:
        events = store.query(f"SELECT {', '.join(EXPORT_COLUMNS['events'])} FROM events ORDER BY date, event_id")
        mentions = store.query(
            "SELECT mention_id, event_id, article_id, sentence, sentence_index, char_start, char_end, trigger, "
            "date, is_background, coder_version, coded_at FROM mentions WHERE event_id IS NOT NULL")
        articles = store.query("SELECT article_id, title, url, source, language FROM articles")
    fh = open(out, "w", encoding="utf-8") if out else sys.stdout
    try:
        for rec in plover_records(events, mentions, articles):
            fh.write(json.dumps(_jsonable(rec), ensure_ascii=False) + "\n")
    finally:
        if out:
            fh.close()
    if out:
        console.print(f"wrote {out}")


def _write_rows(rows: list[dict[str, Any]], cols: list[str], format: Format, out: Path | None) -> None:
    """Rows as JSON lines, CSV (lists and objects as JSON cells) or Parquet."""
    if format is Format.parquet:
        if out is None:
            raise EventcoderError("parquet needs --out FILE")
        import pyarrow as pa
        import pyarrow.parquet as pq

        cells = [{c: json.dumps(_jsonable(r[c]), ensure_ascii=False) if isinstance(r[c], list | dict) else
                  _jsonable(r[c]) for c in cols} for r in rows]
        pq.write_table(pa.Table.from_pylist(cells) if cells else pa.table({c: [] for c in cols}), str(out))
        console.print(f"wrote {out}")
        return
    if format is Format.plover:
        raise EventcoderError("--format plover exports events only")
    fh = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        if format is Format.jsonl:
            for row in rows:
                fh.write(json.dumps(_jsonable({c: row[c] for c in cols}), ensure_ascii=False) + "\n")
        else:
            writer = csv.writer(fh)
            writer.writerow(cols)
            for row in rows:
                writer.writerow([json.dumps(_jsonable(row[c]), ensure_ascii=False) if isinstance(row[c], list | dict)
                                 else _jsonable(row[c]) for c in cols])
    finally:
        if out:
            fh.close()


def _export_review(table: Table_, db: Path, format: Format, out: Path | None, *, as_gold: bool,
                   since: str | None) -> None:
    """``export corrections`` (``--as-gold``: sentence gold) and ``export changes``."""
    from eventcoder import corrections as corr

    if as_gold and table is not Table_.corrections:
        raise EventcoderError("--as-gold exports corrections")
    if since and table is not Table_.changes:
        raise EventcoderError("--since selects runs of the changes table")
    with Store(db, read_only=True) as store:
        if table is Table_.changes:
            rows, cols = corr.change_rows(store.con, since), corr.CHANGE_COLUMNS
        elif as_gold:
            if format is not Format.jsonl:
                raise EventcoderError("--as-gold writes sentence gold as JSON lines (--format jsonl)")
            rows = corr.gold_records(store.con, db)
            cols = ["id", "text", "date", "type", "mode", "source", "target", "article_id", "trigger",
                    "trigger_start", "corrections"]
        else:
            rows, cols = corr.correction_rows(store.con, db), corr.CORRECTION_COLUMNS
    _write_rows(rows, cols, format, out)
    if as_gold and out:
        console.print(f"wrote {len(rows)} gold sentences to {out}; score the coder on them with "
                      f"`eventcoder evaluate --gold {out}`", highlight=False, soft_wrap=True)


@app.command()
@_one_line_errors
def correct(
    event_id: Annotated[str, typer.Argument(
        help="The event (ev_…) to correct, one of its mentions (m_…), or with --undo a correction (c_…).")],
    db: DbOption = Path(DEFAULT_DB),
    event_type: Annotated[str | None, typer.Option("--type", help="The right PLOVER type, e.g. ASSAULT.")] = None,
    mode: Annotated[str | None, typer.Option(help="The right mode of the type, e.g. firearms; 'none' clears it.")]
    = None,
    source: Annotated[str | None, typer.Option(
        help="Who acted: country or organisation codes, with a sector where known: 'TUR:GOV, AZE'; 'none'.")] = None,
    target: Annotated[str | None, typer.Option(help="Who was acted on, as --source.")] = None,
    date_: Annotated[str | None, typer.Option("--date", help="The day it happened, YYYY-MM-DD.")] = None,
    place: Annotated[str | None, typer.Option(help="Where: a place name (Baku) or a country code; 'none'.")] = None,
    reject: Annotated[bool, typer.Option(
        "--reject", help="Not an event (for a mention: not a report of one); it leaves the data.")] = False,
    confirm: Annotated[bool, typer.Option(
        "--confirm", help="Right as coded: marks it reviewed (and gold for `export corrections --as-gold`).")] = False,
    merge: Annotated[str | None, typer.Option(help="Another event id: the two are one event.")] = None,
    split: Annotated[str | None, typer.Option(help="A mention id of the event that reports another event.")] = None,
    note: Annotated[str | None, typer.Option(help="Why (kept with the correction).")] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Take back the correction EVENT_ID names (c_…).")] = False,
    wait: Annotated[float, typer.Option(
        help="Seconds to wait for a run on the database to finish; after that the run applies the correction.",
        min=0)] = settings.CORRECTION_RUN_WAIT_SECONDS,
) -> None:
    """Correct an event: its type, mode, actors, date or place, reject or confirm it, merge or split
    it; or undo a correction.

    The correction is kept next to the database (DB.corrections, with who and when) and applied by
    every later run, so re-running never brings the error back; `export corrections` lists them.
    """
    from eventcoder import corrections as corr

    edits = corr.Edits(event_type=event_type, mode=mode, source=source, target=target, date=date_, place=place,
                       reject=reject, confirm=confirm, merge=merge, split=split, note=note, undo=undo)
    result = corr.correct(db, event_id, edits, wait=wait)
    for c in result.corrections:
        where = ""
        if not result.pending_reason:
            gone = " (left the data)" if c.kind == "reject" else ""
            where = f" → {', '.join(c.applied_to)}" if c.applied_to else gone
            where += "" if c.status == "applied" else f" [{c.status}]"
        print(f"{c.correction_id} {event_id}: {corr.describe(c)}{where}")
    if result.pending_reason:
        console.print(f"saved in {corr.journal_path(db)}; not published yet: {result.pending_reason}. "
                      "The run holding the database applies it when it publishes.", highlight=False, soft_wrap=True)
    elif result.report is not None:
        console.print(f"published {db} as run {result.report.run_id} ({_change_counts(result.report.change_counts())})",
                      highlight=False, soft_wrap=True)


def _change_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {k}" for k, n in counts.items()) or "no change"


@app.command()
@_one_line_errors
def changes(
    db: DbOption = Path(DEFAULT_DB),
    since: Annotated[str | None, typer.Option(help="Only the runs after this run id (e.g. r3).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.", min=1)] = 500,
) -> None:
    """What each run changed: events created, merged, split, removed, retyped, redated (`export changes`
    writes them all)."""
    from eventcoder import corrections as corr

    with Store(db, read_only=True) as store:
        rows = corr.change_rows(store.con, since)
        runs = corr.run_rows(store.con, since)
    out = Console()
    for r in runs:
        when = r["finished_at"].strftime("%Y-%m-%d %H:%M:%S") if r["finished_at"] else "?"
        out.print(f"{r['run_id']} ({r['kind']}, {when} UTC, {r['user_name']}): {r['articles_new']} new articles, "
                  f"events {r['events_before']} → {r['events_after']}, {r['n_changes']} changes, corrections "
                  f"{r['corrections_applied']} applied / {r['corrections_stale']} not applied", highlight=False)
    if not rows:
        out.print("no changes" + (f" since {since}" if since else ""))
        return
    table = Table(title=f"changes ({len(rows)}{' since ' + since if since else ''})")
    for col in ("run", "change", "event", "before", "after", "detail"):
        table.add_column(col, overflow="fold")
    for r in rows[:limit]:
        event = r["event_id"] or ", ".join(r["old_event_ids"] or [])
        table.add_row(r["run_id"], r["kind"], event, r["old_value"] or "", r["new_value"] or "", r["detail"] or "")
    out.print(table)
    if len(rows) > limit:
        out.print(f"… and {len(rows) - limit} more (eventcoder export changes)")


def _actors_label(actors: list[dict[str, Any]]) -> str:
    parts = []
    for a in actors or []:
        bits = [a.get("country") or "", a.get("sector") or ""]
        code = "".join(b for b in bits if b)
        parts.append(f"{a.get('name')}" + (f" [{code}]" if code else ""))
    return "; ".join(parts)


def _place_label(p: dict[str, Any] | None) -> str:
    if not p:
        return ""
    return f"{p.get('name')} ({p.get('country') or '?'})"


@app.command()
@_one_line_errors
def timeline(
    db: DbOption = Path(DEFAULT_DB),
    dyad: Annotated[str | None, typer.Option(help="Two country codes, e.g. AZE:TUR.")] = None,
    actor: Annotated[str | None, typer.Option(help="A country code or actor name, e.g. TUR.")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="A PLOVER type, e.g. CONSULT.")] = None,
    include_background: Annotated[bool, typer.Option(help="Show events known only from background text.")] = True,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 500,
) -> None:
    """A chronological table of events."""
    where, params = [], []
    if dyad:
        codes = [c.strip().upper() for c in dyad.replace("-", ":").split(":") if c.strip()]
        if len(codes) != 2:
            raise EventcoderError("--dyad takes two codes, e.g. AZE:TUR")
        for c in codes:
            where.append("list_contains(list_transform(source || target, lambda x: x.country), ?)")
            params.append(c)
    if actor:
        where.append(
            "(list_contains(list_transform(source || target, lambda x: x.country), ?) OR "
            "list_contains(list_transform(source || target, lambda x: lower(x.name)), lower(?)))"
        )
        params += [actor.upper(), actor]
    if event_type:
        where.append("event_type = ?")
        params.append(event_type.upper())
    if not include_background:
        where.append("event_id IN (SELECT event_id FROM mentions GROUP BY event_id HAVING bool_or(NOT is_background))")
    sql = ("SELECT event_id, date, date_end, date_precision, date_basis, event_type, mode, source, target, location, "
           "cameo_code, goldstein, n_articles, n_mentions FROM events"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY date NULLS LAST, event_id LIMIT ?")
    params.append(limit)
    with Store(db, read_only=True) as store:
        rows = store.query(sql, params)
    out = Console()
    table = Table(title=f"timeline ({len(rows)} events)")
    for col in ("date", "type", "source", "target", "place", "cameo", "reports"):
        table.add_column(col, overflow="fold")
    for r in rows:
        d = r["date"].isoformat() if r["date"] else "?"
        if r["date_end"] and r["date_end"] != r["date"]:
            d += f"…{r['date_end'].isoformat()}"
        d += f" ({r['date_precision']}, {r['date_basis']})"
        typ = r["event_type"] + (f"/{r['mode']}" if r["mode"] else "")
        table.add_row(d, typ, _actors_label(r["source"]), _actors_label(r["target"]), _place_label(r["location"]),
                      f"{r['cameo_code']} ({r['goldstein']})", f"{r['n_mentions']} in {r['n_articles']}")
    out.print(table)


@app.command()
@_one_line_errors
def code(
    text: Annotated[str, typer.Argument(help="The text to code ('-' reads standard input).")],
    date_: Annotated[str | None, typer.Option("--date", help="Publication date YYYY-MM-DD.")] = None,
    actors: ActorsOption = None,
    places: PlacesOption = None,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Also list every word considered as an event and what became of it (kept, or why not)."
    )] = False,
) -> None:
    """Print the events of one text as JSON, with the trigger, rule and score behind each."""
    from eventcoder.engines.local import LocalEngine, code_text
    from eventcoder.pipeline.userdicts import UserDictionaries

    if text == "-":
        text = sys.stdin.read()
    if date_:
        try:
            date.fromisoformat(date_)
        except ValueError:
            raise EventcoderError(f"--date must be YYYY-MM-DD, got {date_!r}") from None
    if not text.strip():
        raise EventcoderError("no text to code")
    dictionaries = UserDictionaries.load(actors, places)
    engine = LocalEngine(dictionaries=dictionaries) if dictionaries else None
    if explain:
        engine = engine or LocalEngine()
        engine.coder.trace = {}
    article, mentions, events = code_text(text, published=date_, engine=engine)
    if article.language != "en":
        raise EventcoderError(f"language {article.language} not supported")
    by_id = {m.mention_id: m for m in mentions}
    result = {
        "published": article.published,
        "language": article.language,
        "events": [
            dict(e.to_dict(), mentions=[
                {k: by_id[i].to_dict()[k] for k in ("sentence", "trigger", "rule", "confidence", "is_background")}
                for i in e.mention_ids
            ])
            for e in events
        ],
    }
    if explain and engine is not None and engine.coder.trace is not None:
        # the words the coder considered, in text order, each with its fate: "kept" or the reason it was not
        entries = sorted(engine.coder.trace.get(article.article_id, []), key=lambda t: t.start)
        result["considered"] = [t.to_dict() for t in entries]
    print(json.dumps(result, indent=2, ensure_ascii=False))


@app.command()
@_one_line_errors
def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help=(
        "Sentence gold (PLOVER GSR records), document or news gold (eval/news/*.json), or a dataset file of "
        "../shared/datasets (IndiaPoliceEvents, ConfliBERT CAMEO, MUC-4, re3d, ECB+), told apart by its keys."))],
    db: Annotated[Path | None, typer.Option(
        "--db", help="Score this database instead of coding the corpus anew (document gold only).")] = None,
    corpus: Annotated[Path | None, typer.Option(
        help="Directory of the gold's documents (document gold); default: its 'corpus' key, else the sample.")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Also write a Markdown report here.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    rules_only: Annotated[bool, typer.Option(
        "--rules-only", help="Code without the trained type model (to score the rules alone).")] = False,
    limit: Annotated[int | None, typer.Option(
        "--limit", help="Score a seeded sample of at most this many records (dataset files).")] = None,
) -> None:
    """Score the coder against gold data; the figures in docs and notes come from this command."""
    import tempfile

    from eventcoder import datasets
    from eventcoder import evaluate as ev
    from eventcoder.engines.local import LocalEngine, sample_corpus_path
    from eventcoder.pipeline.coder import EventCoder

    def engine() -> LocalEngine:
        return LocalEngine(coder=EventCoder(use_model=False)) if rules_only else LocalEngine()

    data = ev.load_gold(gold)
    if ev.is_news_gold(data):
        if db is not None:
            with Store(db, read_only=True) as store:
                scores = ev.score_news_store(data, store)
        else:
            root = corpus or (gold.parent / data["corpus"] if data.get("corpus") else None)
            if root is None or not root.exists():
                raise EventcoderError(f"the articles of {gold} are not at {root}: pass --corpus PATH "
                                      "(the Guardian sample is in the team's ../shared/corpus)")
            ids = {ev.gold_name(d["file"]) for d in data["documents"]}
            with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "eval.duckdb") as store:
                subset = ev.news_corpus_subset(root, ids, Path(tmp) / "gold_articles.jsonl")
                engine().run([subset], store)
                scores = ev.score_news_store(data, store)
        text = ev.news_report(scores, str(gold))
    elif ev.is_document_gold(data):
        if db is not None:
            with Store(db, read_only=True) as store:
                scores = ev.score_document_store(data, store)
        else:
            root = corpus or (gold.parent / data["corpus"] if data.get("corpus") else sample_corpus_path())
            with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "eval.duckdb") as store:
                engine().run([root], store)
                scores = ev.score_document_store(data, store)
        text = ev.document_report(scores, str(gold))
    elif isinstance(data, list) and (kind := datasets.detect(data)):
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task(f"coding {kind}", total=None)
            scores = datasets.score_dataset(data, engine(), limit=limit,
                                            progress=lambda k: bar.advance(task, k))
        text = datasets.dataset_report(scores, str(gold))
    else:
        records = ev.load_sentence_gold(data)
        if not records:
            raise EventcoderError(f"{gold} has no gold records")
        scores = ev.score_sentences(records, ev.code_sentence_records(records, engine()))
        text = ev.sentence_report(scores, str(gold))
    if report:
        report.write_text(text, encoding="utf-8")
    if json_out:
        print(json.dumps(scores.to_dict(), indent=2))
    else:
        from rich.markdown import Markdown

        Console().print(Markdown(text))


@app.command()
@_one_line_errors
def doctor() -> None:
    """Say which optional parts are installed (Spark and Java, Chromium for browser tests, the place
    index cache) and how to add each; exits 1 if a required part is missing."""
    from rich.table import Table

    from eventcoder.doctor import checks

    table = Table("part", "status", "found", "to add it", box=None)
    failed = False
    for c in checks():
        status = "[green]ok[/green]" if c.ok else ("[red]missing[/red]" if c.required else "[yellow]absent[/yellow]")
        failed |= c.required and not c.ok
        table.add_row(c.name, status, c.found, "" if c.ok else c.fix)
    Console().print(table)
    if failed:
        raise typer.Exit(1)


@app.command()
@_one_line_errors
def show(
    event_id: Annotated[str, typer.Argument(help="An event id (see `eventcoder timeline` or the events export).")],
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Print one event with every sentence that reports it and its article's title, date and source."""
    from rich.panel import Panel
    from rich.text import Text

    with Store(db, read_only=True) as store:
        rows = store.query("SELECT * FROM events WHERE event_id = ?", [event_id])
        if not rows:
            raise EventcoderError(f"no event {event_id} in {db}")
        e = rows[0]
        mentions = store.query(
            "SELECT m.*, a.title, a.published, a.source AS outlet, a.url FROM mentions m "
            "JOIN articles a USING (article_id) WHERE m.event_id = ? "
            "ORDER BY a.published, m.article_id, m.char_start",
            [event_id],
        )
        from eventcoder.corrections import all_corrections, describe

        fixes = [c for c in all_corrections(store.con, db) if c.event_id == event_id or event_id in c.applied_to]
    out = Console()
    when = e["date"].isoformat() if e["date"] else "?"
    if e["date_end"] and e["date_end"] != e["date"]:
        when += f" … {e['date_end'].isoformat()}"
    head = Text()
    head.append(f"{e['event_type']}" + (f"/{e['mode']}" if e["mode"] else ""), style="bold")
    head.append(f"  {_actors_label(e['source'])}  →  {_actors_label(e['target']) or '—'}\n")
    where = _place_label(e["location"]) or "—"
    head.append(f"when: {when} ({e['date_precision']}, {e['date_basis']})   where: {where}\n")
    head.append(f"CAMEO {e['cameo_code']}  Goldstein {e['goldstein']}  quad class {e['quad_class']}  "
                f"confidence {e['confidence']}\n")
    head.append(f"{e['n_mentions']} mentions in {e['n_articles']} articles from {e['n_sources']} sources")
    out.print(Panel(head, title=event_id))
    for m in mentions:
        sentence = Text(m["sentence"])
        start = m["trigger_start"] - m["char_start"] if m["trigger_start"] is not None else -1
        if 0 <= start < len(m["sentence"]):
            sentence.stylize("bold underline", start, start + len(m["trigger"]))
        published = m["published"].isoformat() if m["published"] else "undated"
        meta = f"{m['title'] or m['article_id']} — {m['outlet'] or 'unknown source'}, {published}"
        if m["url"]:
            meta += f" <{m['url']}>"
        flag = "  [background]" if m["is_background"] else ""
        out.print(Text(f"• {meta}{flag}", style="dim"))
        out.print(sentence)
        out.print(Text(f"  trigger '{m['trigger']}', rule {m['rule']}, confidence {m['confidence']}", style="dim"))
    for c in fixes:
        note = f" — {c.note}" if c.note else ""
        out.print(Text(f"corrected: {describe(c)} ({c.correction_id}, {c.user}, {c.created_at[:10]}, {c.status}){note}",
                       style="italic"))


class SeriesFormat(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


@app.command()
@_one_line_errors
def series(
    dyad: Annotated[str | None, typer.Option(help="Two country codes, e.g. AZE:TUR.")] = None,
    db: DbOption = Path(DEFAULT_DB),
    freq: Annotated[str, typer.Option(help="day, week, month, quarter or year.")] = "month",
    actor: Annotated[str | None, typer.Option(help="A country code or actor name, e.g. TUR.")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="A PLOVER type, e.g. CONSULT.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First day YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day YYYY-MM-DD.")] = None,
    format: Annotated[SeriesFormat, typer.Option("--format", "-f", help="Output format.")] = SeriesFormat.table,
) -> None:
    """Events per period by quad class with Goldstein mean and sum (the workbench's /api/series)."""
    from eventcoder.web.queries import SERIES_COLUMNS, EventFilter, EventsDB, csv_lines, jsonl_lines
    from eventcoder.web.queries import series as series_query

    flt = EventFilter(actor=actor, dyad=dyad, event_type=event_type, date_from=date_from, date_to=date_to)
    with EventsDB(db) as events_db:
        points = series_query(events_db.cursor(), flt, freq=freq)
    rows = [vars(p) for p in points]
    if format is SeriesFormat.csv:
        sys.stdout.writelines(csv_lines(iter(rows), SERIES_COLUMNS))
    elif format is SeriesFormat.jsonl:
        sys.stdout.writelines(jsonl_lines(iter(rows)))
    else:
        table = Table(title=f"series ({dyad or 'all events'}, per {freq})")
        for col in SERIES_COLUMNS:
            table.add_column(col, justify="left" if col == "period" else "right", no_wrap=col == "period")
        for r in rows:
            table.add_row(*("" if r[c] is None else str(r[c]) for c in SERIES_COLUMNS))
        Console().print(table)


@app.command()
@_one_line_errors
def serve(
    db: DbOption = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Interface to bind; the default serves this machine only.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    allow_edits: Annotated[bool, typer.Option(
        "--allow-edits", help="Let the pages correct events (review queue, buttons); loopback hosts only.")] = False,
) -> None:
    """Open the workbench (timeline, dyad trends, network, map, evidence) on a database, read-only
    unless --allow-edits (then corrections as with `eventcoder correct`, and a review queue)."""
    import uvicorn

    from eventcoder.web.app import create_app, local_hosts

    hosts = local_hosts(host)
    if allow_edits and hosts is None:
        raise EventcoderError(f"--allow-edits serves this machine only: bind --host 127.0.0.1 (not {host})")
    web = create_app(db, allowed_hosts=hosts, allow_edits=allow_edits)
    mode = "corrections allowed" if allow_edits else "read-only"
    console.print(f"workbench on http://{host}:{port}/ (database {db}, {mode}); Ctrl+C stops it")
    uvicorn.run(web, host=host, port=port, log_level="warning")
