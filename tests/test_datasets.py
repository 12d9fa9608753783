"""The dataset scorers of `eventcoder evaluate` on invented records, with a stub engine standing in
for the coder (so each figure's arithmetic is checked exactly)."""

from __future__ import annotations

from eventcoder.datasets import (
    ECBPLUS_GENRES,
    detect,
    ecbplus_off_topic,
    score_conflibert,
    score_ecbplus,
    score_ipe,
    score_muc4,
    score_re3d,
)
from eventcoder.models import Actor, Mention, Place


class StubEngine:
    """Codes an article by a table: text -> [(type, source text, target text, quad, trigger word)]."""

    def __init__(self, table: dict[str, list[tuple]]) -> None:
        self.table = table

    def code_articles(self, articles):  # noqa: ANN001, ANN201 - the engine's interface
        out = []
        for a in articles:
            for n, (etype, src, tgt, quad, *rest) in enumerate(self.table.get(a.text, [])):
                trig = rest[0] if rest else ""
                place = rest[1] if len(rest) > 1 else None
                out.append(Mention(
                    mention_id=f"{a.article_id}-{n}", article_id=a.article_id, sentence=a.text, char_start=0,
                    char_end=len(a.text), trigger=trig, trigger_start=a.text.find(trig) if trig else -1,
                    event_type=etype, mode=None, source=[Actor(src, src, None, "COP" if "police" in src else None)],
                    target=[Actor(tgt, tgt)] if tgt else [], date="2020-01-01", date_end="2020-01-01",
                    date_precision="day", date_basis="explicit", quad_class=quad, location=place))
        return out


def test_each_dataset_is_told_apart_by_its_keys() -> None:
    assert detect([{"id": "x", "coref_annotated_sentences": [], "sentences": [], "mentions": []}]) == "ecbplus"
    assert detect([{"id": "x", "text": "t", "entities": [], "relations": []}]) == "re3d"
    assert detect([{"id": "x", "text": "t", "roles": {}}]) == "muc4"
    assert detect([{"id": "x", "text": "t", "quad_class": 1}]) == "conflibert"
    assert detect([{"id": "x", "text": "t", "sentences": [{"sent_id": 0, "text": "t", "labels": []}]}]) == "ipe"
    assert detect([{"id": "x", "text": "t", "plover16": "AGREE"}]) is None


def test_police_events_recall_and_false_alarms() -> None:
    docs = [{"id": "d", "date": "2002-03-01", "sentences": [
        {"sent_id": 0, "text": "police opened fire on the crowd near the market", "labels": ["KILL", "ANY_ACTION"]},
        {"sent_id": 1, "text": "police arrested forty people after the clashes", "labels": ["ARREST", "ANY_ACTION"]},
        {"sent_id": 2, "text": "the police stood by while the shops were burnt", "labels": ["FAIL"]},
        {"sent_id": 3, "text": "the minister opened a new bridge over the river", "labels": []},
    ]}]
    engine = StubEngine({
        "police opened fire on the crowd near the market": [("ASSAULT", "police", "crowd", 4)],
        "the police stood by while the shops were burnt": [("ASSAULT", "rioters", "shops", 4)],
    })
    s = score_ipe(docs, engine)
    assert s.figures["kill_recall"] == 1.0 and s.figures["arrest_recall"] == 0.0
    assert s.figures["fail_coded_as_force_or_arrest"] == 1.0
    assert s.figures["unlabelled_coded_as_force_or_arrest"] == 0.0
    assert s.figures["police_as_source"] == 1.0 and s.counts["police_as_source"] == 1


def test_quad_class_and_roles() -> None:
    recs = [{"id": "1", "text": "Ruritania shelled the border town.", "quad_class": 4,
             "actors": {"source": ["Ruritania"], "target": ["the border town"]}},
            {"id": "2", "text": "The weather was fine.", "quad_class": 0},
            {"id": "3", "text": "Freedonia praised the new treaty.", "quad_class": 1,
             "actors": {"source": ["Freedonia"], "target": ["the new treaty"]}}]
    engine = StubEngine({"Ruritania shelled the border town.": [("ASSAULT", "Ruritania", "town", 4)],
                         "Freedonia praised the new treaty.": [("ACCUSE", "Freedonia", "Ruritania", 3)]})
    s = score_conflibert(recs, engine)
    assert s.figures["quad_accuracy"] == round(2 / 3, 4)
    assert s.figures["source_role_accuracy"] == 1.0 and s.figures["target_role_accuracy"] == 0.5
    assert s.figures["event_detection_recall"] == 1.0


def test_phoenix_quad_classes_for_appeals_statements_and_reduced_relations() -> None:
    from eventcoder.datasets import phoenix_quad

    def m(code, quad):
        return Mention(mention_id="m", article_id="a", sentence="s", char_start=0, char_end=1, trigger="",
                       trigger_start=0, event_type="REQUEST", mode=None, source=[], target=[], date=None,
                       date_end=None, date_precision=None, date_basis=None, cameo_code=code, quad_class=quad)

    assert phoenix_quad(m("020", 1)) == 0 and phoenix_quad(m("0253", 1)) == 0 and phoenix_quad(m("010", 1)) == 0
    assert phoenix_quad(m("100", 3)) == 3 and phoenix_quad(m("036", 1)) == 1 and phoenix_quad(m(None, 4)) == 4
    assert phoenix_quad(m("163", 4)) == 3 and phoenix_quad(m("173", 4)) == 4


def test_muc4_documents_and_roles() -> None:
    recs = [{"id": "a", "text": "GUERRILLAS BOMBED A BUS.", "roles": {
                "perp_individual_id": [["GUERRILLAS"]], "hum_tgt_name": [], "phys_tgt_id": [["BUS"]]}},
            {"id": "b", "text": "THE PRESIDENT SPOKE.", "roles": {"perp_individual_id": []}},
            {"id": "c", "text": "SOLDIERS FIRED ON A VILLAGE.", "roles": {}}]
    engine = StubEngine({"GUERRILLAS BOMBED A BUS.": [("ASSAULT", "GUERRILLAS", "A BUS", 4)],
                         "SOLDIERS FIRED ON A VILLAGE.": [("ASSAULT", "SOLDIERS", "VILLAGE", 4)]})
    s = score_muc4(recs, engine)
    assert s.figures["attack_doc_recall"] == 1.0 and s.figures["attack_doc_precision"] == 0.5
    assert s.figures["no_template_coded_as_attack"] == 0.5
    assert s.figures["perpetrator_as_source"] == 1.0 and s.figures["target_as_target"] == 1.0


def test_re3d_actor_and_place_precision() -> None:
    text = "The coalition struck Raqqa while officials met."
    recs = [{"id": "r", "text": text, "relations": [],
             "entities": [{"begin": 4, "end": 13, "type": "Organisation", "value": "coalition"},
                          {"begin": 21, "end": 26, "type": "Location", "value": "Raqqa"}]}]
    engine = StubEngine({text: [("ASSAULT", "coalition", "officials", 4, "struck", Place("Ar Raqqah", "SYR")),
                                ("CONSULT", "officials", None, 1, "met", Place("Aleppo", "SYR"))]})
    s = score_re3d(recs, engine)
    assert s.counts["actor_precision"] == 3 and s.figures["actor_precision"] == round(1 / 3, 4)
    assert s.figures["place_precision"] == 0.5


def test_ecbplus_merging_pairs() -> None:
    def doc(i: str, cluster: str) -> dict:
        return {"id": i, "coref_annotated_sentences": [0], "sentences": [["Troops", "stormed", "the", "prison"]],
                "mentions": [{"m_id": "1", "tag": "ACTION_OCCURRENCE", "sent": 0, "tokens": [1], "cluster": cluster}]}

    engine = StubEngine({"Troops stormed the prison\n": [("ASSAULT", "Troops", "prison", 4, "stormed")]})
    s = score_ecbplus([doc("x", "c1"), doc("y", "c1"), doc("z", "c2")], engine)
    assert s.counts["mapped_mentions"] == 3 and s.counts["gold_pairs"] == 1
    # the stub's three identical mentions merge into one event: the c1 pair is right, two pairs are wrong
    assert s.figures["pairwise_recall"] == 1.0 and s.figures["pairwise_precision"] == round(1 / 3, 4)


def test_ecbplus_off_topic_documents_and_false_alarms() -> None:
    def doc(i: str, topic: int, split: str, sentences: list[list[str]]) -> dict:
        return {"id": i, "topic": topic, "split": split, "coref_annotated_sentences": [], "sentences": sentences,
                "mentions": []}

    url = ["http", ":", "/", "/", "example", ".", "com"]
    match = [["The", "home", "side", "won", "."], ["Fans", "attacked", "the", "referee", "."]]
    quake = [url, ["A", "quake", "hit", "the", "island", "."]]
    riot = [["Protesters", "attacked", "police", "."]]
    records = [doc("s1", 29, "train", match), doc("q1", 20, "train", quake), doc("r1", 19, "train", riot),
               doc("s2", 5, "dev", match[:1])]
    # the sport (29) and disaster (20) documents are off-topic, the riot (19) is political news
    off = ecbplus_off_topic(records)
    assert [(i, g) for i, _, g in off] == [("s1", "sport"), ("q1", "disaster or accident"), ("s2", "sport")]
    assert dict((i, t) for i, t, _ in off)["q1"] == "A quake hit the island .\n"  # the source URL left out
    assert [i for i, _, _ in ecbplus_off_topic(records, "dev")] == ["s2"]
    assert all(ECBPLUS_GENRES[t] for t in (1, 8, 14, 35))

    engine = StubEngine({"The home side won .\nFans attacked the referee .\n":
                         [("ASSAULT", "Fans", "referee", 4, "attacked")],
                         "Protesters attacked police .\n": [("ASSAULT", "Protesters", "police", 4, "attacked")]})
    s = score_ecbplus(records, engine)
    # train: one of the two off-topic documents, one of their three sentences (the URL is no sentence)
    assert s.figures["off_topic_documents_with_event_train"] == 0.5
    assert s.counts["off_topic_sentences_train"] == 3
    assert s.figures["off_topic_sentences_with_event_train"] == round(1 / 3, 4)
    assert s.figures["off_topic_documents_with_event_dev"] == 0.0 and s.counts["off_topic_documents_dev"] == 1
