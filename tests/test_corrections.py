"""The analyst in the loop: corrections that survive re-runs, the change log, gold from corrections.

The review stage is tested on hand-made mentions; the workflow (CLI, journal, runs, locks) on a few
articles of the bundled sample, plus one more article for the re-run; the seeds test needs ../shared.
"""

from __future__ import annotations

import getpass
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import load_script, require_shared
from eventcoder import corrections as corr
from eventcoder.cli import app
from eventcoder.engines.local import LocalEngine, sample_corpus_path
from eventcoder.models import Actor, Correction, Event, Mention
from eventcoder.pipeline.coder import mention_id
from eventcoder.pipeline.merge import build_event
from eventcoder.pipeline.review import anchor_of, diff_events, review
from eventcoder.store import Store, open_for_run, wip_path

runner = CliRunner()
SAMPLE = sorted(p for p in sample_corpus_path().iterdir() if p.suffix == ".txt")


def cli(*args: object) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def cli_fails(*args: object) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    return result.output


def rows(db: Path, sql: str, params: list | None = None) -> list[dict]:
    with Store(db, read_only=True) as store:
        return store.query(sql, params)


def event_of(db: Path, mention: str) -> dict | None:
    found = rows(db, "SELECT * FROM events WHERE list_contains(mention_ids, ?)", [mention])
    return found[0] if found else None


def other_type(t: str) -> str:
    return "PROTEST" if t != "PROTEST" else "AGREE"


@pytest.fixture
def coded(tmp_path: Path) -> tuple[Path, Path]:
    """Five sample articles coded into a database (corpus dir, database)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in SAMPLE[:5]:
        shutil.copy(f, corpus / f.name)
    db = tmp_path / "db.duckdb"
    cli("run", corpus, "--db", db, "-q")
    return corpus, db


def pick_event(db: Path, one_article: bool = False) -> dict:
    """A deterministic event (with a single article when asked)."""
    where = "WHERE n_articles = 1" if one_article else ""
    return rows(db, f"SELECT * FROM events {where} ORDER BY n_mentions DESC, event_id LIMIT 1")[0]


# -- the workflow on the bundled sample ---------------------------------------------------------
def test_corrected_type_survives_a_rerun_with_a_new_article(coded) -> None:
    corpus, db = coded
    e = pick_event(db)
    anchor, new = e["mention_ids"][0], other_type(e["event_type"])
    out = cli("correct", e["event_id"], "--db", db, "--type", new, "--note", "the sentence reports a protest")
    assert f"type {e['event_type']} → {new}" in out and "published" in out
    assert event_of(db, anchor)["event_type"] == new

    shutil.copy(SAMPLE[5], corpus / SAMPLE[5].name)
    before = {m["mention_id"] for m in rows(db, "SELECT mention_id FROM mentions")}
    out = cli("run", corpus, "--db", db)
    assert "1 applied" in out
    again = event_of(db, anchor)
    assert again["event_type"] == new and again["cameo_code"] != e["cameo_code"]

    listed = [json.loads(line) for line in cli("export", "corrections", "--db", db).splitlines()]
    assert len(listed) == 1
    c = listed[0]
    assert (c["kind"], c["old_value"], c["new_value"], c["status"]) == ("type", e["event_type"], new, "applied")
    assert c["user"] == getpass.getuser() and c["note"] == "the sentence reports a protest"
    assert c["applied_to"] == [again["event_id"]] and c["checked_in"] == "r3"
    assert {a["mention_id"] for a in c["anchors"]} == set(e["mention_ids"])

    # the change log: r1 first run, r2 the correction, r3 the run with the new article
    runs = rows(db, "SELECT run_id, kind FROM runs ORDER BY run_no")
    assert [(r["run_id"], r["kind"]) for r in runs] == [("r1", "run"), ("r2", "correct"), ("r3", "run")]
    changes = [json.loads(line) for line in cli("export", "changes", "--db", db, "--since", "r2").splitlines()]
    assert changes and {ch["run_id"] for ch in changes} == {"r3"}
    new_mentions = {m["mention_id"] for m in rows(db, "SELECT mention_id FROM mentions")} - before
    assert new_mentions
    only_new = {ev["event_id"] for ev in rows(db, "SELECT event_id, mention_ids FROM events")
                if set(ev["mention_ids"]) <= new_mentions}
    assert {ch["event_id"] for ch in changes if ch["kind"] == "created"} == only_new
    table = cli("changes", "--db", db, "--since", "r2")
    assert "r3" in table and "created" in table and "r2 (" not in table
    assert "retyped" in cli("changes", "--db", db, "--since", "r1")
    assert f"corrected: type {e['event_type']} → {new}" in cli("show", again["event_id"], "--db", db)
    assert "no run 'r9'" in cli_fails("changes", "--db", db, "--since", "r9")


def test_bad_corrections_are_one_line_errors(coded) -> None:
    _, db = coded
    e = pick_event(db)["event_id"]
    for args, message in [
        (["--type", "PARTY"], "unknown event type 'PARTY'"),
        (["--date", "2021-02-30"], "--date must be YYYY-MM-DD"),
        (["--source", "XQZ"], "unknown actor code 'XQZ'"),
        (["--target", "TUR:ABC"], "unknown sector 'ABC'"),
        (["--place", "Qwertyville Nowhere"], "unknown place"),
        (["--type", "CONSULT", "--mode", "aerial"], "unknown mode 'aerial' for CONSULT"),
        (["--reject", "--type", "AGREE"], "--reject cannot be combined"),
        (["--merge", e], "another event"),
        (["--split", "m_0"], "not one of event"),
        ([], "nothing to correct"),
    ]:
        assert message in cli_fails("correct", e, "--db", db, *args), args
    assert "no event or mention ev_missing" in cli_fails("correct", "ev_missing", "--db", db, "--type", "AGREE")
    assert not corr.Journal(db).read()  # nothing half-made was kept


def test_stale_correction_is_reported_not_dropped(coded) -> None:
    corpus, db = coded
    e = pick_event(db, one_article=True)
    article = rows(db, "SELECT article_id FROM mentions WHERE mention_id = ?", [e["mention_ids"][0]])[0]["article_id"]
    cli("correct", e["event_id"], "--db", db, "--type", other_type(e["event_type"]))
    # the article is replaced by other text: the corrected sentence is gone
    (corpus / article).write_text((corpus / article).read_text().split("\n\n")[0] + "\n\nNothing happened.\n")
    result = runner.invoke(app, ["run", str(corpus), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    assert "is stale: none of its mentions is in the database any more" in result.output
    (c,) = [json.loads(line) for line in cli("export", "corrections", "--db", db).splitlines()]
    assert c["status"] == "stale" and c["applied_to"] == []
    csv_out = cli("export", "corrections", "--db", db, "--format", "csv").splitlines()
    assert csv_out[0].startswith("correction_id,") and ",stale," in csv_out[1]


def test_reject_merge_split_and_mention_corrections(coded) -> None:
    _, db = coded
    events = rows(db, "SELECT * FROM events ORDER BY n_mentions DESC, event_id")
    big = events[0]
    assert big["n_mentions"] >= 2
    out = cli("correct", big["event_id"], "--db", db, "--split", big["mention_ids"][-1])
    assert "split" in out
    split_off = event_of(db, big["mention_ids"][-1])
    assert split_off["mention_ids"] == [big["mention_ids"][-1]]
    rest = event_of(db, big["mention_ids"][0])
    assert big["mention_ids"][-1] not in rest["mention_ids"]
    # and merge them back
    cli("correct", rest["event_id"], "--db", db, "--merge", split_off["event_id"])
    assert sorted(event_of(db, big["mention_ids"][0])["mention_ids"]) == sorted(big["mention_ids"])
    # reject a whole event: it leaves the events, its mentions point at none
    victim = next(e for e in events if e["event_id"] != big["event_id"] and e["n_mentions"] == 1)
    n = len(rows(db, "SELECT event_id FROM events"))
    cli("correct", victim["event_id"], "--db", db, "--reject")
    assert event_of(db, victim["mention_ids"][0]) is None
    assert len(rows(db, "SELECT event_id FROM events")) == n - 1
    assert rows(db, "SELECT event_id FROM mentions WHERE mention_id = ?", [victim["mention_ids"][0]]) == [
        {"event_id": None}]
    removed = rows(db, "SELECT * FROM changes WHERE kind = 'removed'")
    assert removed and removed[-1]["old_event_ids"] == [victim["event_id"]] and "rejected" in removed[-1]["detail"]
    # one sentence retyped: it leaves its event for one of its own type
    m = big["mention_ids"][0]
    out = cli("correct", m, "--db", db, "--type", "THREATEN")
    assert event_of(db, m)["event_type"] == "THREATEN"
    # date, place and actors of an event
    e = event_of(db, big["mention_ids"][1])
    cli("correct", e["event_id"], "--db", db, "--date", "2021-10-04", "--place", "Baku", "--source", "TUR:GOV, AZE",
        "--target", "none")
    after = event_of(db, big["mention_ids"][1])
    assert str(after["date"]) == "2021-10-04" and after["date_precision"] == "day"
    assert after["location"]["name"] == "Baku" and after["location"]["country"] == "AZE"
    assert [(a["country"], a["sector"]) for a in after["source"]] == [("TUR", "GOV"), ("AZE", None)]
    assert after["target"] == []


def test_undo_takes_a_correction_back(coded) -> None:
    _, db = coded
    e = pick_event(db)
    out = cli("correct", e["event_id"], "--db", db, "--reject")
    cid = re.search(r"\bc_[0-9a-f]{12}\b", out).group(0)
    assert event_of(db, e["mention_ids"][0]) is None
    out = cli("correct", cid, "--db", db, "--undo", "--note", "misclick")
    assert f"undo {cid}" in out
    back = event_of(db, e["mention_ids"][0])
    assert back is not None and sorted(back["mention_ids"]) == sorted(e["mention_ids"])
    listed = {c["correction_id"]: c for c in map(json.loads, cli("export", "corrections", "--db", db).splitlines())}
    assert listed[cid]["status"] == "undone" and len(listed) == 2
    assert cli("export", "corrections", "--db", db, "--as-gold").strip() == ""  # an undone judgement is no gold
    assert "undone already" in cli_fails("correct", cid, "--db", db, "--undo")
    assert "no correction c_nope" in cli_fails("correct", "c_nope", "--db", db, "--undo")


def test_correction_made_while_a_run_writes_is_kept(coded) -> None:
    corpus, db = coded
    e = pick_event(db)
    new = other_type(e["event_type"])
    shutil.copy(SAMPLE[5], corpus / SAMPLE[5].name)
    started, go, done = threading.Event(), threading.Event(), []

    def run() -> None:
        def progress(n: int, total: int) -> None:
            started.set()
            go.wait(60)

        with open_for_run(db) as store:
            done.append(LocalEngine().run([corpus], store, batch_size=1, on_progress=progress))

    t = threading.Thread(target=run)
    t.start()
    try:
        assert started.wait(60)
        result = runner.invoke(app, ["correct", e["event_id"], "--db", str(db), "--type", new, "--wait", "0.2"])
        assert result.exit_code == 0, result.output
        assert "not published yet" in result.output and "in use by another eventcoder process" in result.output
        assert event_of(db, e["mention_ids"][0])["event_type"] == e["event_type"]  # the published file: unchanged
        (pending,) = [json.loads(line) for line in cli("export", "corrections", "--db", db).splitlines()]
        assert pending["status"] == "pending"
    finally:
        go.set()
        t.join(120)
    assert done and done[0].corrections_applied == 1 and done[0].articles_new == 1
    assert event_of(db, e["mention_ids"][0])["event_type"] == new
    (c,) = [json.loads(line) for line in cli("export", "corrections", "--db", db).splitlines()]
    assert c["status"] == "applied" and c["checked_in"] == done[0].run_id


def test_correction_after_the_runs_last_read_waits_and_publishes(coded) -> None:
    """A run reads the journal at its merge; a correction made after that read but before the run
    publishes waits for the run to let go and then publishes itself: it never waits for a later run."""
    corpus, db = coded
    e = pick_event(db)
    new = other_type(e["event_type"])
    merged, go = threading.Event(), threading.Event()

    def run() -> None:
        with open_for_run(db) as store:
            LocalEngine.merge(store)
            merged.set()
            go.wait(60)

    t = threading.Thread(target=run)
    t.start()
    results: list = []
    c = threading.Thread(target=lambda: results.append(corr.correct(db, e["event_id"], corr.Edits(event_type=new))))
    try:
        assert merged.wait(60)
        c.start()
        time.sleep(0.5)
        assert not results  # blocked on the journal, which the run holds until it has published
    finally:
        go.set()
        t.join(60)
        c.join(60)
    assert results and results[0].pending_reason is None and results[0].report is not None
    assert event_of(db, e["mention_ids"][0])["event_type"] == new


KILLED_RUN = """
import sys, time
from eventcoder.corrections import merge_and_review
from eventcoder.store import open_for_run
with open_for_run(sys.argv[1]) as store:
    merge_and_review(store)
    print("merged", flush=True)
    time.sleep(120)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_killed_run_loses_no_correction(coded) -> None:
    corpus, db = coded
    e = pick_event(db)
    new = other_type(e["event_type"])
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(db)], stdout=subprocess.PIPE, text=True)
    results: list = []
    try:
        assert proc.stdout.readline().strip() == "merged"  # it holds the run lock and the journal's
        c = threading.Thread(target=lambda: results.append(
            corr.correct(db, e["event_id"], corr.Edits(event_type=new), wait=0.2)))
        c.start()
        time.sleep(0.3)
        proc.send_signal(signal.SIGKILL)
        c.join(60)
    finally:
        proc.kill()
        proc.wait()
    assert results and "an interrupted run left" in results[0].pending_reason
    assert wip_path(db).exists()
    assert [c.status for c in corr.Journal(db).read()] == ["pending"]
    out = cli("run", corpus, "--db", db)  # resumes the killed run's working copy and applies the correction
    assert "1 applied" in out and not wip_path(db).exists()
    assert event_of(db, e["mention_ids"][0])["event_type"] == new


def test_concurrent_edits_of_one_event_are_serialised(coded) -> None:
    _, db = coded
    e = pick_event(db)
    barrier = threading.Barrier(2)
    results: list = []
    errors: list = []

    def edit(t: str) -> None:
        barrier.wait()
        try:
            results.append(corr.correct(db, e["event_id"], corr.Edits(event_type=t), wait=30))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("AID", "THREATEN")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors and len(results) == 2
    journal = corr.Journal(db).read()
    assert [c.seq for c in journal] == [1, 2]
    last = max(journal, key=lambda c: (c.created_at, c.seq))
    assert event_of(db, e["mention_ids"][0])["event_type"] == last.new_value
    assert {r["status"] for r in rows(db, "SELECT status FROM corrections")} == {"applied"}
    # a page that still shows the first type may not overwrite what was published since
    with pytest.raises(corr.CorrectionConflict, match="not what the page showed"):
        corr.correct(db, last.applied_to[0] if last.applied_to else e["event_id"], corr.Edits(event_type="AGREE"),
                     expect={"type": e["event_type"]})


def test_corrections_as_gold_are_read_by_evaluate(coded, tmp_path: Path) -> None:
    _, db = coded
    events = rows(db, "SELECT * FROM events ORDER BY n_mentions DESC, event_id")
    retyped, rejected, confirmed = events[0], events[1], events[2]
    cli("correct", retyped["event_id"], "--db", db, "--type", other_type(retyped["event_type"]), "--source", "ARM")
    cli("correct", rejected["event_id"], "--db", db, "--reject")
    cli("correct", confirmed["event_id"], "--db", db, "--confirm")
    gold = tmp_path / "gold.jsonl"
    cli("export", "corrections", "--db", db, "--as-gold", "--out", gold)
    records = [json.loads(line) for line in gold.read_text().splitlines()]
    n = retyped["n_mentions"] + rejected["n_mentions"] + confirmed["n_mentions"]
    assert len(records) == n
    by_type = {}
    for r in records:
        by_type.setdefault(r["type"], []).append(r)
        assert r["text"] and r["date"]
    assert len(by_type["NONE"]) == rejected["n_mentions"]
    assert len(by_type[other_type(retyped["event_type"])]) >= retyped["n_mentions"]
    assert all(r["source"] == ["ARM"] for r in by_type[other_type(retyped["event_type"])][:retyped["n_mentions"]])
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout[result.stdout.index("{"):])
    assert scores["n_records"] == n
    assert scores["per_type"][other_type(retyped["event_type"])]["support"] >= 1
    assert "NONE" in scores["confusion"]
    assert "--as-gold exports corrections" in cli_fails("export", "events", "--db", db, "--as-gold")


def test_training_script_takes_corrections(tmp_path: Path) -> None:
    """scripts/train_type_model.py --corrections reads the --as-gold file as typed sentences."""
    mod = load_script("scripts/train_type_model.py", "train_type_model")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a#3", "text": "Police detained ten protesters.", "type": "COERCE"}) + "\n"
                    + json.dumps({"id": "b#9", "text": "The minister said it was a fine day.", "type": "NONE"}) + "\n")
    assert mod.correction_examples([gold]) == [("Police detained ten protesters.", "COERCE"),
                                               ("The minister said it was a fine day.", "NONE")]
    with pytest.raises(SystemExit, match="no corrections file"):
        mod.correction_examples([tmp_path / "missing.jsonl"])


# -- the review stage on hand-made mentions -----------------------------------------------------
def _mention(h: str, start: int, etype: str, sentence: str, **kw: object) -> Mention:
    return Mention(mention_id=mention_id(h, start, etype), article_id=f"art-{h}", sentence=sentence, char_start=0,
                   char_end=len(sentence), trigger=sentence.split()[1], event_type=etype, mode=None,
                   source=[Actor("Turkey", "Turkey", "TUR", "GOV")], target=[Actor("Azerbaijan", "Azerbaijan", "AZE")],
                   date="2021-10-05", date_end="2021-10-05", date_precision="day", date_basis="explicit",
                   trigger_start=start, confidence=0.8, **kw)


def _one_event(mentions: list[Mention], sources: dict) -> list[Event]:
    """A merge that puts every mention of a type into one event (the tests choose the shapes)."""
    by_type: dict[str, list[Mention]] = {}
    for m in mentions:
        by_type.setdefault(m.event_type, []).append(m)
    return [build_event(ms, sources) for ms in by_type.values()]


def _correction(cid: str, kind: str, anchors: list, new: object, scope: str = "event", **kw: object) -> Correction:
    return Correction(cid, kind, scope, None, anchors, None, new, created_at=f"2024-01-01T00:00:0{cid[-1]}", **kw)


def test_anchor_finds_a_mention_whose_coded_type_changed() -> None:
    """The type is part of mention_id, not of the anchor: re-coded with another type, the mention is found."""
    m = _mention("h1", 10, "CONSULT", "Erdogan met Aliyev in Baku.")
    c = _correction("c1", "type", [anchor_of(m, "h1")], "AGREE")
    recoded = _mention("h1", 10, "ACCUSE", "Erdogan met Aliyev in Baku.")
    assert recoded.mention_id != m.mention_id
    out = review([recoded], [c], {"art-h1": "h1"}, merge=_one_event)
    assert out.outcomes["c1"].status == "applied"
    assert [e.event_type for e in out.events] == ["AGREE"]
    assert out.events[0].cameo_code == "030" and out.events[0].quad_class == 1
    # the offsets moved (boilerplate dropped differently): found by its sentence and trigger word
    moved = _mention("h1", 45, "CONSULT", "Erdogan met  Aliyev in Baku.")
    assert review([moved], [c], {"art-h1": "h1"}, merge=_one_event).events[0].event_type == "AGREE"
    # another article text: stale, and nothing changes
    other = _mention("h2", 10, "CONSULT", "Erdogan met Aliyev in Baku.")
    out = review([other], [c], {"art-h2": "h2"}, merge=_one_event)
    assert out.outcomes["c1"].status == "stale" and out.events[0].event_type == "CONSULT"


def test_event_corrections_hold_as_new_reports_join() -> None:
    a = _mention("h1", 10, "CONSULT", "Erdogan met Aliyev in Baku.")
    b = _mention("h1", 60, "CONSULT", "Erdogan talked with Aliyev.")
    c = _correction("c1", "type", [anchor_of(a, "h1"), anchor_of(b, "h1")], "AGREE")
    joined = [_mention("h2", 5, "CONSULT", f"Erdogan visited Aliyev {i}.") for i in range(3)]
    out = review([a, b, *joined], [c], {"art-h1": "h1", "art-h2": "h2"}, merge=_one_event)
    (e,) = out.events
    assert e.n_mentions == 5 and e.event_type == "AGREE"  # the analyst's type, though 3 of 5 reports say CONSULT
    assert out.touched[e.event_id] == [("c1", "type")]


def test_split_merge_and_reject_then_the_change_log() -> None:
    ms = [_mention("h1", s, "ASSAULT", f"Troops shelled village {s}.") for s in (10, 40, 70)]
    other = _mention("h2", 10, "ASSAULT", "Artillery shelled the town.")
    sources = {"art-h1": "h1", "art-h2": "h2"}

    def two_events(mentions: list[Mention], src: dict) -> list[Event]:
        groups: dict[str, list[Mention]] = {}
        for m in mentions:
            groups.setdefault(m.article_id, []).append(m)
        return [build_event(g, src) for g in groups.values()]

    before = review([*ms, other], [], sources, merge=two_events).events
    assert sorted(e.n_mentions for e in before) == [1, 3]
    split = _correction("c1", "split", [anchor_of(ms[2], "h1")], ms[2].mention_id)
    merge = _correction("c2", "merge", [anchor_of(ms[0], "h1")], "x", other_anchors=[anchor_of(other, "h2")])
    reject = _correction("c3", "reject", [anchor_of(ms[1], "h1")], "not an event")
    fresh = [_mention("h1", s, "ASSAULT", f"Troops shelled village {s}.") for s in (10, 40, 70)]
    fresh_other = _mention("h2", 10, "ASSAULT", "Artillery shelled the town.")
    out = review([*fresh, fresh_other], [split, merge, reject], sources, merge=two_events)
    assert {c: o.status for c, o in out.outcomes.items()} == {"c1": "applied", "c2": "applied", "c3": "applied"}
    members = sorted(sorted(e.mention_ids) for e in out.events)
    assert members == sorted([sorted([fresh[0].mention_id, fresh_other.mention_id]), [fresh[2].mention_id]])
    assert fresh[1].event_id is None and out.rejected == {fresh[1].mention_id: "c3"}
    changes = diff_events(before, out.events, out.touched, out.rejected)
    kinds = sorted(c.kind for c in changes)
    assert kinds == ["merged", "split"]
    merged = next(c for c in changes if c.kind == "merged")
    assert sorted(merged.old_event_ids) == sorted(e.event_id for e in before) and merged.detail == "correction c2"
    # rejecting the lone event removes it, and the log says why
    solo = review([_mention("h2", 10, "ASSAULT", "Artillery shelled the town.")],
                  [_correction("c4", "reject", [anchor_of(other, "h2")], "no")], sources, merge=two_events)
    (removed,) = diff_events([e for e in before if e.n_mentions == 1], solo.events, solo.touched, solo.rejected)
    assert removed.kind == "removed" and removed.detail == "rejected by correction c4" and solo.events == []


def test_undo_of_an_undo_restores_the_correction() -> None:
    m = _mention("h1", 10, "CONSULT", "Erdogan met Aliyev in Baku.")
    fix = _correction("c1", "type", [anchor_of(m, "h1")], "AGREE")
    undo = _correction("c2", "undo", [], "c1")
    redo = _correction("c3", "undo", [], "c2")
    out = review([m], [fix, undo], {"art-h1": "h1"}, merge=_one_event)
    assert out.events[0].event_type == "CONSULT" and out.outcomes["c1"].status == "undone"
    m = _mention("h1", 10, "CONSULT", "Erdogan met Aliyev in Baku.")
    out = review([m], [fix, undo, redo], {"art-h1": "h1"}, merge=_one_event)
    assert out.events[0].event_type == "AGREE" and out.outcomes["c2"].status == "undone"


# -- the check on the real seed stories ---------------------------------------------------
def test_seeds_correct_rerun_export_changes(tmp_path: Path) -> None:
    seeds = require_shared("corpus", "seeds")
    files = sorted(seeds.glob("*.txt"))
    corpus = tmp_path / "seeds"
    corpus.mkdir()
    for f in files[:-1]:
        shutil.copy(f, corpus / f.name)
    db = tmp_path / "seeds.duckdb"
    cli("run", corpus, "--db", db, "-q")
    e = pick_event(db)
    new = other_type(e["event_type"])
    cli("correct", e["event_id"], "--db", db, "--type", new)
    shutil.copy(files[-1], corpus / files[-1].name)
    cli("run", corpus, "--db", db, "-q")
    assert event_of(db, e["mention_ids"][0])["event_type"] == new
    (c,) = [json.loads(line) for line in cli("export", "corrections", "--db", db).splitlines()]
    assert c["status"] == "applied" and c["new_value"] == new
    out = cli("changes", "--db", db, "--since", "r2")
    assert "r3" in out and ("created" in out or "mentions" in out)
