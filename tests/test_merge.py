"""Merge stage: clustering mentions into events, recycled-text marking, deterministic ids."""

from __future__ import annotations

import random

from eventcoder.models import Actor, Mention, Place
from eventcoder.pipeline.merge import mark_recycled, merge_mentions, places_compatible

AZE = Actor("Azerbaijan", "Azerbaijan", "AZE", "GOV")
TUR = Actor("Turkey", "Turkey", "TUR", "GOV")
HASANOV = Actor("Zakir Hasanov", "Zakir Hasanov", "AZE", "MIL")
AKAR = Actor("Hulusi Akar", "Hulusi Akar", "TUR", "MIL")
GEORGIA = Place("Georgia", "GEO", None, 42.0, 43.5, 614540, "country")
ZANGILAN = Place("Zangilan", "AZE", "69", 39.08, 46.66, 146901, "city")


def mention(mid, article, sentence, etype="CONSULT", src=(HASANOV,), tgt=(AKAR,), d="2021-10-05",
            d_end=None, precision="day", basis="explicit", place=None, background=False):
    return Mention(
        mention_id=mid, article_id=article, sentence=sentence, char_start=0, char_end=len(sentence),
        trigger="met", event_type=etype, mode=None, source=list(src), target=list(tgt), date=d,
        date_end=d_end or d, date_precision=precision, date_basis=basis, location=place,
        is_background=background, confidence=0.8,
    )


def test_same_meeting_told_by_two_outlets_is_one_event_with_two_sources():
    ms = [
        mention("m1", "a1", "Hasanov and Akar met in Georgia on October 5.", place=GEORGIA),
        mention("m2", "a2", "The defence chiefs of Azerbaijan and Turkey held talks in Georgia.", src=(AKAR,),
                tgt=(HASANOV,), d="2021-10-06", basis="publication", place=GEORGIA),
    ]
    events = merge_mentions(ms, {"a1": "Azernews", "a2": "Trend"})
    assert len(events) == 1
    ev = events[0]
    assert ev.n_mentions == 2 and ev.n_articles == 2 and ev.n_sources == 2
    assert ev.date == "2021-10-05" and ev.date_basis == "explicit"
    assert {m.event_id for m in ms} == {ev.event_id}
    assert ev.location.name == "Georgia"


def test_lookalike_meetings_on_other_dates_and_places_stay_apart():
    ms = [
        mention("m1", "a1", "Hasanov and Akar met in Georgia.", place=GEORGIA),
        mention("m2", "a2", "Hasanov and Akar met in liberated Zangilan.", d="2021-10-27", place=ZANGILAN),
    ]
    assert len(merge_mentions(ms)) == 2


def test_same_day_but_different_countries_stay_apart():
    ms = [
        mention("m1", "a1", "They met in Georgia.", place=GEORGIA),
        mention("m2", "a2", "They met in Zangilan.", place=ZANGILAN),
    ]
    assert len(merge_mentions(ms)) == 2


def test_different_types_never_merge():
    ms = [mention("m1", "a1", "x met y"), mention("m2", "a1", "x attacked y", etype="ASSAULT")]
    assert len(merge_mentions(ms)) == 2


def test_year_precision_background_merges_with_itself_across_stories():
    s = ("Military cooperation between Azerbaijan and Turkey first emerged in 1992, with an agreement signed "
         "between the Azerbaijani and Turkish governments on military education.")
    ms = [mention(f"m{i}", f"a{i}", s, etype="AGREE", src=(AZE, TUR), tgt=(), d="1992-01-01",
                  d_end="1992-12-31", precision="year") for i in range(4)]
    events = merge_mentions(ms)
    assert len(events) == 1
    assert events[0].date == "1992-01-01" and events[0].date_end == "1992-12-31"
    assert events[0].date_precision == "year" and events[0].n_articles == 4


def test_event_ids_do_not_depend_on_input_order():
    ms = [mention(f"m{i}", f"a{i % 3}", f"sentence {i} about a meeting", d=f"2021-10-{5 + (i % 2) * 20:02d}")
          for i in range(12)]
    first = {e.event_id: sorted(e.mention_ids) for e in merge_mentions(ms)}
    shuffled = ms[:]
    random.Random(7).shuffle(shuffled)
    second = {e.event_id: sorted(e.mention_ids) for e in merge_mentions(shuffled)}
    assert first == second and len(first) == 2


def test_recycled_sentences_are_marked_background_near_duplicates_included():
    ms = [
        mention("m1", "a1", "On June 15, 2021, the two countries signed a memorandum of alliance that cemented "
                            "the existing military, political and economic cooperation."),
        mention("m2", "a2", "On June 15, the two countries signed a memorandum of alliance that cemented the "
                            "existing military, political and economic cooperation."),
        mention("m3", "a3", "Defence Minister Zakir Hasanov has received the newly appointed military attache."),
    ]
    assert mark_recycled(ms) == 2
    assert [m.is_background for m in ms] == [True, True, False]


def test_same_sentence_twice_in_one_article_is_not_recycled():
    s = "The ministers discussed regional security and military-technical cooperation in detail."
    ms = [mention("m1", "a1", s), mention("m2", "a1", s)]
    assert mark_recycled(ms) == 0


def test_place_compatibility():
    assert places_compatible(None, GEORGIA)
    assert not places_compatible(GEORGIA, ZANGILAN)
    baku = Place("Baku", "AZE", "09", 40.38, 49.89, 587084, "city")
    assert not places_compatible(baku, ZANGILAN)  # ~300 km apart
    assert places_compatible(Place("Azerbaijan", "AZE", None, 40.4, 47.6, None, "country"), ZANGILAN)


def test_sources_are_counted_case_insensitively_and_unknown_outlets_once():
    from eventcoder.pipeline.merge import count_sources

    outlets = {"a1": "AzerNews", "a2": "Azernews", "a3": "Trend"}
    assert count_sources({"a1", "a2", "a3"}, outlets) == 2
    assert count_sources({"a1", "a4", "a5"}, outlets) == 2  # a4, a5: unknown outlet, counted once


def test_date_index_finds_clusters_across_weeks_and_precisions():
    ms = [
        mention("m1", "a1", "Hasanov and Akar met on October 27.", d="2021-10-27"),
        mention("m2", "a2", "Hasanov and Akar met in October.", d="2021-10-01", d_end="2021-10-31",
                precision="month"),
        mention("m3", "a3", "Hasanov and Akar met this year.", d="2021-01-01", d_end="2021-12-31",
                precision="year"),
        mention("m4", "a4", "Hasanov and Akar met.", d=None, precision=None, basis=None),
    ]
    events = merge_mentions(ms)
    assert len(events) == 1 and events[0].n_mentions == 4


def test_report_naming_the_other_reports_place_is_compatible_despite_the_geocoder():
    rus, ukr = Actor("Russia", "Russia", "RUS", "MIL"), Actor("Ukraine", "Ukraine", "UKR", "GOV")
    zolochiv = Place("Zolochiv", "UKR", "15", 49.81, 24.90, 686896, "city")  # the Lviv one, 800 km away
    kharkiv = Place("Kharkiv", "UKR", "07", 49.98, 36.25, 706483, "city")
    ms = [
        mention("m1", "a1", "Russian troops fired artillery at the border town of Zolochiv on April 12.",
                etype="ASSAULT", src=(rus,), tgt=(ukr,), d="2022-04-12", place=zolochiv),
        mention("m2", "a2", "On 12 April, Russian artillery struck Zolochiv in the Kharkiv region.",
                etype="ASSAULT", src=(rus,), tgt=(ukr,), d="2022-04-12", place=kharkiv),
        mention("m3", "a3", "Russian artillery struck Kharkiv on April 12.", etype="ASSAULT", src=(rus,),
                tgt=(ukr,), d="2022-04-12", place=kharkiv),
    ]
    for order in (ms, ms[::-1]):
        events = merge_mentions(order)
        groups = sorted(sorted(e.mention_ids) for e in events)
        # m2 names Zolochiv, so it joins m1; m3 names only Kharkiv, far from m1's Zolochiv.
        assert groups == [["m1", "m2"], ["m3"]]


def test_armed_group_names_are_not_people():
    grc, tur = Actor("Greece", "Greece", "GRC", "GOV"), Actor("Turkey", "Turkey", "TUR", "GOV")
    dendias = Actor("Nikos Dendias", "Nikos Dendias", "GRC", "GOV")
    group = Actor("Greece", "Revolutionary People's Struggle", "GRC", "REB")
    ms = [
        mention("m1", "a1", "Dendias dismissed Turkey's call.", etype="REJECT", src=(dendias,), tgt=(tur,),
                d="2022-06-10"),
        mention("m2", "a2", "Greece rejected a Turkish demand.", etype="REJECT", src=(group, grc), tgt=(tur,),
                d="2022-06-10"),
    ]
    assert len(merge_mentions(ms)) == 1


def test_support_keeps_its_direction():
    """Turkey's support for Azerbaijan and Azerbaijan's thanks to Turkey are two events."""
    ms = [mention("m1", "a1", "Turkey backed Azerbaijan.", etype="SUPPORT", src=(TUR,), tgt=(AZE,)),
          mention("m2", "a2", "Azerbaijan thanked Turkey.", etype="SUPPORT", src=(AZE,), tgt=(TUR,))]
    assert len(merge_mentions(ms, {})) == 2
    signed = mention("m3", "a3", "Azerbaijan and Turkey signed a pact.", etype="SUPPORT", src=(AZE, TUR), tgt=())
    assert len(merge_mentions([*ms[:1], signed], {})) == 1  # a joint signing shares the actor


def test_an_agreement_signed_is_one_event_whichever_party_is_named_first():
    """Signing an agreement (CAMEO 057, PLOVER SUPPORT) is a two-party act coded first-named → other: two
    reports naming the parties in opposite orders tell one signing; a directed SUPPORT does not merge so."""
    from dataclasses import replace

    a = replace(mention("m1", "a1", "Azerbaijan and Turkey signed the Shusha Declaration.", etype="SUPPORT",
                        src=(AZE,), tgt=(TUR,)), cameo_code="057")
    b = replace(mention("m2", "a2", "Turkey and Azerbaijan signed the Shusha Declaration.", etype="SUPPORT",
                        src=(TUR,), tgt=(AZE,)), cameo_code="057")
    assert len(merge_mentions([a, b], {})) == 1
    assert len(merge_mentions([replace(a, cameo_code="051"), replace(b, cameo_code="051")], {})) == 2


def test_two_outlets_statements_merge_only_when_their_words_show_one_statement():
    """Statements are many and alike in type and parties: two articles' undated accusations by the
    same country are one event only with evidence (same trigger word, shared wording)."""
    from dataclasses import replace

    a = mention("m1", "a1", "Azerbaijan accused Turkey of stalling the border talks.", etype="ACCUSE", src=(AZE,),
                tgt=(TUR,), d="2021-10-01", basis="publication")
    b = mention("m2", "a2", "Baku also criticised Ankara's treatment of its truck drivers.", etype="ACCUSE", src=(AZE,),
                tgt=(TUR,), d="2021-10-04", basis="publication")
    a, b = replace(a, trigger="accused"), replace(b, trigger="criticised")
    assert len(merge_mentions([a, b])) == 2
    retold = replace(b, sentence="Azerbaijan accused Turkey on Friday of stalling the talks on the border.",
                     trigger="accused")
    assert len(merge_mentions([a, retold])) == 1
    # the same news cycle: another outlet's words for one statement, reported the next day
    assert len(merge_mentions([a, replace(b, date="2021-10-02", date_end="2021-10-02")])) == 1
    # violence is not a statement: two reports of one shelling merge on type, parties and dates alone
    s1 = replace(a, event_type="ASSAULT", sentence="Turkish shells hit the village.", trigger="hit")
    s2 = replace(b, event_type="ASSAULT", sentence="Artillery fire struck the area overnight.", trigger="struck")
    assert len(merge_mentions([s1, s2])) == 1


def test_the_merge_stage_never_loads_spacy():
    """The merge runs in the parent process (and the Spark driver), which never loads the spaCy pipeline."""
    import subprocess
    import sys

    code = "import sys, eventcoder.pipeline.merge; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
