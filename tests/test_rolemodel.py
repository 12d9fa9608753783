"""The role model: its features, how the coder lets it choose an event's source and target, and the
shipped weights on plain sentences."""

from __future__ import annotations

import pytest

from eventcoder import settings
from eventcoder.models import Article
from eventcoder.pipeline.coder import EventCoder
from eventcoder.pipeline.rolemodel import RoleModel, dependency_path, role_features


def _tokens(nlp, text: str, *words: str):
    doc = nlp(text)
    return [next(t for t in doc if t.text == w) for w in words]


def test_the_dependency_path_runs_up_from_the_trigger_and_down_to_the_actor(nlp) -> None:
    trigger, subj, obj = _tokens(nlp, "Russia accused Ukraine of shelling the town.", "accused", "Russia", "Ukraine")
    assert dependency_path(trigger, subj) == "vnsubj"
    assert dependency_path(trigger, obj) == "vdobj"
    shelling, russia = _tokens(nlp, "Russia accused Ukraine of shelling the town.", "shelling", "Russia")
    assert dependency_path(shelling, russia).startswith("^pcomp|^prep|")
    assert dependency_path(trigger, trigger) == "self"


def test_features_carry_the_rules_verdict_and_are_deterministic(nlp) -> None:
    trigger, subj = _tokens(nlp, "Russia accused Ukraine of shelling the town.", "accused", "Russia")
    f = role_features(trigger, subj, "country", "GOV", "ACCUSE", "src", True)
    assert {"verdict:src", "type_verdict:ACCUSE_src", "last:vnsubj", "side:before", "kind:country"} <= set(f)
    assert f == sorted(set(f)) == role_features(trigger, subj, "country", "GOV", "ACCUSE", "src", True)


def _code(nlp, coder: EventCoder, text: str):
    return coder.code_article(Article("t", text, published="2018-01-22", content_hash="h"), nlp(text))


def test_the_model_fills_a_side_the_rules_left_empty(nlp, monkeypatch) -> None:
    """A (stub) model sure that an actor the rules gave no role is the target fills the empty target
    and says so in the rule (';roles:model'); a side the parse rules filled stands; below the
    threshold, or switched off, nothing changes."""
    text = "Turkey rejected the proposal on Monday, which Russia had drafted."
    fill = RoleModel(["NONE", "SRC", "TGT"], {"verdict:none": [(2, 5.0)]}, [0.0, 0.0, 0.0])

    def rejection(model: RoleModel) -> tuple[list[str | None], list[str | None], str]:
        m = next(m for m in _code(nlp, EventCoder(roles=model), text) if m.event_type == "REJECT")
        return [a.country for a in m.source], [a.country for a in m.target], m.rule

    source, target, rule = rejection(fill)
    assert source == ["TUR"] and target == ["RUS"] and rule.endswith(";roles:model")
    swap = RoleModel(["NONE", "SRC", "TGT"], {"verdict:tgt": [(1, 5.0)], "verdict:src": [(2, 5.0)]}, [0.0, 0.0, 0.0])
    accusation = "Turkey accused Russia of bombing the town on Monday."
    m = next(m for m in _code(nlp, EventCoder(roles=swap), accusation) if m.event_type == "ACCUSE")
    assert [a.country for a in m.source] == ["TUR"] and ";roles:model" not in m.rule  # the parse rules stand
    monkeypatch.setattr(settings, "ROLE_MODEL_MIN_PROBABILITY", 0.999)
    assert rejection(fill)[1] == []
    monkeypatch.setattr(settings, "ROLE_MODEL_MIN_PROBABILITY", 0.3)
    monkeypatch.setattr(settings, "ROLE_MODEL", False)
    assert rejection(fill)[1] == []


def test_without_fills_only_the_model_overrides_the_parse_rules(nlp, monkeypatch) -> None:
    monkeypatch.setattr(settings, "ROLE_MODEL_FILLS_ONLY", False)
    swap = RoleModel(["NONE", "SRC", "TGT"], {"verdict:tgt": [(1, 5.0)], "verdict:src": [(2, 5.0)]}, [0.0, 0.0, 0.0])
    text = "Turkey accused Russia of bombing the town on Monday."
    m = next(m for m in _code(nlp, EventCoder(roles=swap), text) if m.event_type == "ACCUSE")
    assert [a.country for a in m.source] == ["RUS"] and [a.country for a in m.target] == ["TUR"]


def test_the_coder_records_role_features_for_training(nlp) -> None:
    coder = EventCoder(roles=None)
    coder.roles_model = None
    coder.record_roles = {}
    _code(nlp, coder, "Turkey accused Russia of bombing the town on Monday.")
    rows = next(iter(coder.record_roles.values()))
    assert {tuple(c) for _, c in rows} >= {("TUR",), ("RUS",)}
    assert all(any(f.startswith("verdict:") for f in feats) for feats, _ in rows)


@pytest.mark.parametrize(("text", "source", "target"), [
    ("Turkish jets bombed Syrian army positions near Afrin on Sunday.", "TUR", "SYR"),
    ("Russia accused the United States of backing the rebels on Monday.", "RUS", "USA"),
    ("The Iraqi government met Iranian officials in Baghdad on Monday.", "IRQ", "IRN"),
])
def test_the_shipped_model_keeps_plain_sentences_right(nlp, text, source, target) -> None:
    assert RoleModel.default() is not None
    ms = _code(nlp, EventCoder(), text)
    assert any(source in {a.country for a in m.source} and target in {a.country for a in m.target} for m in ms), [
        (m.event_type, [a.country for a in m.source], [a.country for a in m.target]) for m in ms]
