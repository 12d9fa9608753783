"""Scoring against news gold (events anchored to sentence offsets): hand-made fixtures."""

from __future__ import annotations

import json
from pathlib import Path

from eventcoder.evaluate import Unit, is_news_gold, match_units, news_corpus_subset, score_news
from eventcoder.models import Actor, Event, Mention, Place


def gold_event(eid: str, art: str, span: tuple[int, int], etype: str, src: str, tgt: str | None, *,
               date: str = "2019-03-10", place: tuple[str, str] | None = None, mode: str = "") -> dict:
    return {"id": eid, "docs": [art], "sentences": [list(span)], "type": etype, "mode": mode,
            "source": {"name": src, "country": src, "sector": "GOV"},
            "target": {"name": tgt, "country": tgt, "sector": "MIL"} if tgt else None,
            "date_from": date, "date_to": date, "date_precision": "day",
            "place": {"name": place[0], "country": place[1]} if place else None}


def coded(eid: str, etype: str, src: str, tgt: str | None, spans: list[tuple[str, int, int]], *,
          date: str = "2019-03-10", place: Place | None = None) -> tuple[Event, list[Mention]]:
    mentions = [Mention(mention_id=f"{eid}-{n}", article_id=a, sentence="s", char_start=s, char_end=e, trigger="t",
                        event_type=etype, mode=None, source=[Actor("", src, src, "GOV")],
                        target=[Actor("", tgt, tgt, "MIL")] if tgt else [], date=date, date_end=date,
                        date_precision="day", date_basis="explicit", event_id=eid)
                for n, (a, s, e) in enumerate(spans)]
    ev = Event(eid, etype, None, [Actor("", src, src, "GOV")], [Actor("", tgt, tgt, "MIL")] if tgt else [],
               date, date, "day", "explicit", place, None, None, None, 0.8, len({a for a, _, _ in spans}),
               len(spans), [m.mention_id for m in mentions])
    return ev, mentions


def _score(gold_events: list[dict], outputs: list[tuple[Event, list[Mention]]], docs: list[str]):
    gold = {"tol_days": 1, "documents": [{"file": d} for d in docs], "events": gold_events}
    assert is_news_gold(gold)
    mentions = {m.mention_id: m for _, ms in outputs for m in ms}
    return score_news(gold, [e for e, _ in outputs], mentions)


def test_detection_type_actors_date_and_place_are_scored_separately() -> None:
    g = [gold_event("g1", "A", (0, 100), "ASSAULT", "RUS", "SYR", place=("Idlib", "SYR")),
         gold_event("g2", "A", (101, 200), "CONSULT", "TUR", "RUS", date="2019-03-01"),
         gold_event("g3", "A", (201, 300), "ACCUSE", "USA", "IRN")]
    out = [coded("e1", "ASSAULT", "RUS", "SYR", [("A", 0, 100)], place=Place("Idlib Governorate", "SYR")),
           coded("e2", "AGREE", "TUR", "USA", [("A", 120, 190)], date="2019-03-09"),  # type, target, date wrong
           coded("e3", "PROTEST", "SYR", None, [("A", 400, 450)])]  # no gold sentence: not a real event
    s = _score(g, out, ["A"])
    assert (s.n_gold_events, s.n_coded_events, s.n_matched) == (3, 3, 2)
    assert s.precision == round(2 / 3, 4) and s.recall == round(2 / 3, 4) and s.real_share == s.precision
    assert s.type_accuracy == 0.5 and s.typed_recall == round(1 / 3, 4)
    assert s.source_country_accuracy == 1.0 and s.target_country_accuracy == 0.5
    assert s.date_accuracy == 0.5 and s.place_accuracy == 1.0 and s.scored["place"] == 1
    assert s.missed == ["g3"] and s.spurious == ["e3@A"]
    assert s.per_type["ASSAULT"] == {"gold": 1, "coded": 1, "recall": 1.0, "precision": 1.0, "f1": 1.0}


def test_a_merged_event_counts_once_in_each_article_and_only_in_gold_articles() -> None:
    g = [gold_event("g1", "A", (0, 50), "ASSAULT", "RUS", "SYR"),
         gold_event("g2", "B", (10, 60), "ASSAULT", "RUS", "SYR")]
    out = [coded("e1", "ASSAULT", "RUS", "SYR", [("A", 0, 50), ("B", 10, 60), ("Z", 0, 10)])]
    s = _score(g, out, ["A", "B"])
    assert (s.n_coded_events, s.n_matched, s.f1) == (2, 2, 1.0)  # article Z is not in the gold


def test_one_coded_event_matches_one_gold_event_the_best_agreeing() -> None:
    same = (0, 100)
    gold = [Unit("A", [same], "CONSULT", {"TUR"}, {"RUS"}, set(), set(), None, None, None, None),
            Unit("A", [same], "AGREE", {"TUR"}, {"RUS"}, set(), set(), None, None, None, None)]
    out = [Unit("A", [(10, 20)], "AGREE", {"TUR"}, {"RUS"}, set(), set(), None, None, None, None)]
    assert match_units(gold, out) == [(1, 0)]
    assert match_units(gold, [Unit("B", [same], "AGREE", set(), set(), set(), set(), None, None, None, None)]) == []


def test_only_the_gold_articles_of_a_jsonl_corpus_are_coded(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": i, "text": "x"}) for i in ("a", "b", "c")) + "\nnot json\n")
    out = news_corpus_subset(corpus, {"a", "c"}, tmp_path / "sub.jsonl")
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "c"]
    assert news_corpus_subset(tmp_path, {"a"}, tmp_path / "x.jsonl") == tmp_path


def test_gold_dyads_of_one_multi_actor_event_are_found_by_it() -> None:
    """The gold splits "Ruritania demanded that FRA and DEU ..." into two dyads; one coded event with
    both targets finds both, and still counts once on the precision side."""
    g = [gold_event("g1", "A", (0, 80), "REQUEST", "USA", "FRA"),
         gold_event("g2", "A", (0, 80), "REQUEST", "USA", "DEU")]
    ev, ms = coded("e1", "REQUEST", "USA", "FRA", [("A", 0, 80)])
    ev.target.append(ev.target[0].__class__("", "Germany", "DEU", "GOV"))
    s = _score(g, [(ev, ms)], ["A"])
    assert (s.n_matched, s.n_covered_dyads, s.recall, s.precision) == (1, 1, 1.0, 1.0)
    ev.target.pop()
    s = _score(g, [(ev, ms)], ["A"])
    assert (s.n_covered_dyads, s.recall) == (0, 0.5)


def test_organisation_codes_are_no_country_codes():
    # a national NGO of the dictionaries (the White Helmets, coded SYR) must not make every Syrian
    # actor count as an IGO/NGO in the scoring
    from eventcoder.evaluate import _countries

    assert _countries([Actor("the Syrian army", "Syrian army", "SYR", "MIL")]) == {"SYR"}
    assert _countries([Actor("the UN", "United Nations", "UNO", "IGO")]) == {"UNO", "IGO", "NGO"}
