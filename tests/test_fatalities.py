"""Killed and injured counts stated in a sentence (pipeline/fatalities.py), and on coded events."""

from __future__ import annotations

import pytest

from eventcoder.pipeline.fatalities import count_casualties

CASES = [
    ("A car bomb killed 12 soldiers in Kabul on Monday.", 12, None),
    ("At least 12 people were killed in the attack.", 12, None),
    ("The blast killed twelve people and wounded 30 others.", 12, 30),
    ("Gunmen opened fire, killing 3 and wounding 10.", 3, 10),
    ("The explosion left 12 dead and dozens injured.", 12, None),
    ("Dozens of people were killed in the clashes.", None, None),
    ("Twenty-five soldiers died when their convoy was ambushed.", 25, None),
    ("No one was hurt in the attack.", None, None),
    ("The death toll from Sunday's bombing rose to 40.", 40, None),
    ("Police arrested 15 protesters in Baku on 12 March 2021.", None, None),
    ("Israeli air strikes killed more than 1,200 people in Gaza.", 1200, None),
    ("Two hundred civilians were wounded.", None, 200),
    ("A suicide bomber killed a dozen worshippers at a mosque in 2019.", 12, None),
    ("Three policemen were killed and five injured in the ambush.", 3, 5),
    ("The rebels attacked the town in 2014.", None, None),
]


@pytest.mark.parametrize(("text", "killed", "injured"), CASES)
def test_stated_counts(nlp, text: str, killed: int | None, injured: int | None) -> None:
    sent = next(nlp(text).sents)
    got = count_casualties(sent)
    assert (got.killed, got.injured) == (killed, injured)


def test_the_triggers_own_count_comes_first(nlp) -> None:
    sent = next(nlp("The attack killed 4 people, a week after a bombing killed 30.").sents)
    first = next(t for t in sent if t.lower_ == "killed")
    assert count_casualties(sent, first).killed == 4
    assert count_casualties(sent).killed == 30  # without a trigger: the largest stated count


def test_a_coded_attack_carries_its_fatalities() -> None:
    from eventcoder.engines.local import code_text

    _, mentions, events = code_text("A car bomb killed 12 soldiers in Kabul on Monday.", published="2021-06-01")
    (event,) = [e for e in events if e.event_type == "ASSAULT"]
    assert event.killed == 12 and event.injured is None
    assert [m.killed for m in mentions if m.event_type == "ASSAULT"] == [12]
    _, mentions, _ = code_text("Turkey and Azerbaijan signed 12 agreements in Baku.", published="2021-06-01")
    assert all(m.killed is None for m in mentions)  # counted for ASSAULT and COERCE only
