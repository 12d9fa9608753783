"""User dictionaries (issue #18): `--actors FILE.tsv --places FILE.tsv` without editing the package."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.engines.local import LocalEngine, code_text
from eventcoder.errors import DictionaryError
from eventcoder.models import Article
from eventcoder.pipeline.userdicts import UserActor, UserDictionaries, UserPlace, read_actors, read_places
from eventcoder.store import Store

runner = CliRunner()

ACTORS = (
    "# my actors\n"
    "name\taliases\tcountry\tsector\tstart\tend\n"
    "Zorin Vexlar\tGeneral Vexlar|Vexlar\tARM\tMIL\t2010-01-01\t2019-12-31\n"
    "Zorin Vexlar\t\tARM\tGOV\t2020-01-01\t\n"
    "Ilham Aliyev\t\tARM\tOPP\t\t\n"  # overrides the shipped entry of the same name
)
PLACES = (
    "name\taliases\tcountry\tadmin1\tlat\tlon\n"
    "Camp Tessaly\tTessaly Base\tAZE\t\t40.1\t47.2\n"
    "Paris\t\tFRA\tIDF\t1.5\t2.5\n"  # overrides the gazetteer's Paris
)
TEXT = "Zorin Vexlar met Ilham Aliyev at Camp Tessaly on Monday."


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    actors, places = tmp_path / "actors.tsv", tmp_path / "places.tsv"
    actors.write_text(ACTORS, encoding="utf-8")
    places.write_text(PLACES, encoding="utf-8")
    return actors, places


@pytest.fixture(scope="module")
def user_engine(nlp, tmp_path_factory) -> LocalEngine:
    d = tmp_path_factory.mktemp("dicts")
    (d / "a.tsv").write_text(ACTORS, encoding="utf-8")
    (d / "p.tsv").write_text(PLACES, encoding="utf-8")
    return LocalEngine(nlp=nlp, dictionaries=UserDictionaries.load(d / "a.tsv", d / "p.tsv"))


# ---------------------------------------------------------------- reading and checking the files


def test_valid_files_are_read(files):
    actors, places = files
    rows = read_actors(actors)
    assert rows[0] == UserActor("Zorin Vexlar", ("General Vexlar", "Vexlar"), "ARM", "MIL", "2010-01-01", "2019-12-31")
    assert [r.sector for r in rows] == ["MIL", "GOV", "OPP"]
    assert read_places(places)[0] == UserPlace("Camp Tessaly", "AZE", 40.1, 47.2, ("Tessaly Base",), None)


def test_header_is_optional_and_may_reorder_columns(tmp_path):
    plain = tmp_path / "plain.tsv"
    plain.write_text("Jane Roe\tRoe\tusa\tgov\n", encoding="utf-8")  # codes in any case
    assert read_actors(plain) == (UserActor("Jane Roe", ("Roe",), "USA", "GOV"),)
    reordered = tmp_path / "reordered.tsv"
    reordered.write_text("lon\tlat\tname\tcountry\n10\t20\tSomewhere\tTUR\n", encoding="utf-8")
    assert read_places(reordered) == (UserPlace("Somewhere", "TUR", 20.0, 10.0),)


@pytest.mark.parametrize(("kind", "content", "problem"), [
    ("actors", "name\tcountry\nA Person\tXYZ\n", ":2: unknown country code 'XYZ'"),
    ("actors", "name\tcountry\tstart\nA Person\tTUR\t2020-13-01\n", ":2: bad start date '2020-13-01'"),
    ("actors", "name\tcountry\tend\nA Person\tTUR\t01/02/2020\n", ":2: bad end date '01/02/2020'"),
    ("actors", "name\tstart\tend\nA Person\t2020-02-01\t2020-01-01\n", ":2: end 2020-01-01 is before start"),
    ("actors", "name\tcountry\n\tTUR\n", ":2: missing name"),
    ("actors", "name\tsector\nA Person\tgovernment\n", ":2: bad sector 'government'"),
    ("actors", "name\tcolour\nA Person\tred\n", ":1: unknown column 'colour'"),
    ("places", "name\tcountry\tlat\tlon\nNowhere\tTUR\t91\t10\n", ":2: lat 91 out of range"),
    ("places", "name\tcountry\tlat\tlon\nNowhere\tTUR\t10\t-180.5\n", ":2: lon -180.5 out of range"),
    ("places", "name\tcountry\tlat\tlon\nNowhere\tTUR\tnorth\t10\n", ":2: lat 'north' is not a number"),
    ("places", "name\tcountry\tlat\tlon\nNowhere\tTURK\t10\t10\n", ":2: unknown country code 'TURK'"),
    ("places", "name\tcountry\tlat\tlon\n\tTUR\t10\t10\n", ":2: missing name"),
    ("places", "name\tcountry\tlat\nNowhere\tTUR\t10\n", ":2: missing lon"),
])
def test_each_bad_row_is_a_one_line_error_naming_file_and_line(tmp_path, kind, content, problem):
    path = tmp_path / f"{kind}.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        UserDictionaries.load(**{kind: path})
    msg = str(err.value)
    assert msg.startswith(f"{path}{problem}") and "\n" not in msg


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(DictionaryError, match="no such places file"):
        read_places(tmp_path / "nope.tsv")


def test_cli_reports_a_bad_row_in_one_line_before_any_work(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("name\tcountry\nA Person\tXYZ\n", encoding="utf-8")
    for args in (["code", TEXT, "--actors", str(bad)],
                 ["run", "--db", str(tmp_path / "x.duckdb"), "--actors", str(bad)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
        assert errors == [f"error: {bad}:2: unknown country code 'XYZ' (an ISO 3166 alpha-3 code such as TUR, or an "
                          "IGO code such as NAT)"]
    assert not (tmp_path / "x.duckdb").exists()


# ---------------------------------------------------------------- coding with them


def test_user_actors_and_places_are_recognised_and_win_over_shipped_ones(user_engine):
    _, mentions, _ = code_text(TEXT, published="2015-05-01", engine=user_engine)
    m = mentions[0]
    assert [(a.name, a.country, a.sector, a.actor_id) for a in m.source + m.target] == [
        ("Zorin Vexlar", "ARM", "MIL", "user:ZORIN_VEXLAR"),  # the row covering the date
        ("Ilham Aliyev", "ARM", "OPP", "user:ILHAM_ALIYEV"),  # the user's entry, not the shipped one
    ]
    assert (m.location.name, m.location.country, m.location.lat) == ("Camp Tessaly", "AZE", 40.1)


def test_user_actor_takes_the_row_of_the_date(user_engine):
    _, mentions, _ = code_text("General Vexlar met Ilham Aliyev in Baku on Monday.", published="2021-05-03",
                               engine=user_engine)
    assert (mentions[0].source[0].name, mentions[0].source[0].sector) == ("Zorin Vexlar", "GOV")


def test_user_place_replaces_the_gazetteer_entry(user_engine, nlp):
    text = "Turkish troops shelled Paris on Monday."
    _, mine, _ = code_text(text, published="2021-05-03", engine=user_engine)
    _, shipped, _ = code_text(text, published="2021-05-03", engine=LocalEngine(nlp=nlp))
    assert (mine[0].location.lat, mine[0].location.lon) == (1.5, 2.5)
    assert shipped[0].location.lat != 1.5


def test_shipped_dictionary_and_disk_cache_never_hold_user_entries(nlp, tmp_path, monkeypatch):
    from eventcoder.pipeline.actors import ActorDictionary, ActorRecognizer

    monkeypatch.setenv("EVENTCODER_CACHE_DIR", str(tmp_path / "cache"))
    shipped = ActorDictionary.default()

    def fresh() -> ActorDictionary:  # a shipped dictionary that builds its matchers anew (from the cache)
        return ActorDictionary(shipped.countries, shipped.igos, shipped.agents, shipped.shipped_people)

    fresh().matchers(nlp.vocab)
    before = {p.name: p.read_bytes() for p in (tmp_path / "cache").iterdir()}
    user, _ = shipped.with_user_actors(read_actors_from(ACTORS, tmp_path))
    doc = nlp("Zorin Vexlar met Ilham Aliyev.")
    ids = {a.actor_id for m in ActorRecognizer(user).recognize(doc) for a in m.actors}
    assert "user:ZORIN_VEXLAR" in ids  # the user's entry is there ...
    assert {p.name: p.read_bytes() for p in (tmp_path / "cache").iterdir()} == before  # ... the cache unchanged
    ids = {a.actor_id for m in ActorRecognizer(fresh()).recognize(doc) for a in m.actors}
    assert "user:ZORIN_VEXLAR" not in ids and "person:ILHAM_ALIYEV" in ids
    assert "Zorin Vexlar" not in shipped.people


def read_actors_from(text: str, tmp_path: Path) -> tuple[UserActor, ...]:
    path = tmp_path / "a.tsv"
    path.write_text(text, encoding="utf-8")
    return read_actors(path)


def test_dictionaries_travel_to_worker_processes(tmp_path, files):
    """A user actor is recognised in a run with --workers 2 (the workers build their coder from it)."""
    actors, places = files
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, day in enumerate(("2015-05-01", "2021-05-03")):
        (corpus / f"a{i}.json").write_text(json.dumps(
            {"id": f"a{i}", "date": day, "title": "Talks", "text": f"{TEXT} They met for the {i + 1}. time."}), "utf-8")
    db = tmp_path / "w.duckdb"
    result = runner.invoke(app, ["run", str(corpus), "--db", str(db), "--workers", "2", "--quiet",
                                 "--actors", str(actors), "--places", str(places)])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        rows = store.query("SELECT article_id, source, location FROM mentions ORDER BY article_id")
    got = {(r["article_id"], a["actor_id"], a["sector"]) for r in rows for a in r["source"]}
    assert {("a0", "user:ZORIN_VEXLAR", "MIL"), ("a1", "user:ZORIN_VEXLAR", "GOV")} <= got
    assert all(r["location"]["name"] == "Camp Tessaly" for r in rows)


def test_dictionaries_reach_the_spark_executors_coding_function(files, tmp_path, monkeypatch):
    """The Spark engine's coding task (run on the executors) builds its engine from the dictionaries
    it is handed, not from anything set in the driver."""
    from eventcoder.engines import spark, spark_executor

    actors, places = files
    dictionaries = pickle.loads(pickle.dumps(UserDictionaries.load(actors, places)))  # as shipped to a task
    monkeypatch.setattr(spark_executor, "_ENGINES", {})
    monkeypatch.setattr(spark, "_write_table", lambda *a, **k: None)
    article = Article(article_id="s1", text=TEXT, published="2015-05-01", published_basis="input",
                      content_hash="h1")
    out = list(spark._code_partition(0, [article], set(), None, 8, spark.RECYCLED_BANDS, spark.RECYCLED_ROWS,
                                     str(tmp_path), dictionaries))
    mentions = [v[0] for (kind, _), v in out if kind == "m"]
    assert mentions and mentions[0].source[0].actor_id == "user:ZORIN_VEXLAR"
    assert list(spark_executor._ENGINES) == [(None, dictionaries.key())]
