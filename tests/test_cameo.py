"""CAMEO table: entries, defaults per PLOVER type/mode, quad classes."""

from __future__ import annotations

import pytest

from eventcoder.pipeline.cameo import PLOVER_TYPES, CameoEntry, cameo_entry, default_cameo


def test_entry_fields():
    e = cameo_entry("042")
    assert isinstance(e, CameoEntry)
    assert (e.event_type, e.mode, e.quad_class) == ("CONSULT", "visit", 1)
    assert e.goldstein == pytest.approx(1.9)
    assert "visit" in e.description.lower()


def test_unknown_code_is_none():
    assert cameo_entry("999") is None


def test_codes_missing_from_plover_table_inherit_parent_type():
    # 0211 has no row of its own in CAMEO->PLOVER; it is an appeal, folded into REQUEST
    assert cameo_entry("0211").event_type == "REQUEST"
    # 1822 (torture) inherits ASSAULT from its own row; 1724 has its own COERCE row
    assert cameo_entry("1822").event_type == "ASSAULT"
    assert cameo_entry("1724").event_type == "COERCE"


@pytest.mark.parametrize("code, quad", [("010", 1), ("057", 1), ("061", 2), ("0841", 2), ("112", 3),
                                        ("138", 3), ("145", 4), ("190", 4), ("2042", 4)])
def test_quad_class_from_root(code, quad):
    assert cameo_entry(code).quad_class == quad


def test_every_plover_type_has_a_default_of_that_type():
    for t in PLOVER_TYPES:
        e = default_cameo(t)
        assert e.event_type == t, (t, e)


@pytest.mark.parametrize("etype, mode, code", [
    ("CONSULT", None, "040"), ("CONSULT", "visit", "042"), ("CONSULT", "phone", "041"),
    ("ASSAULT", None, "190"), ("PROTEST", "demo", "141"), ("COERCE", "arrest", "173"),
    ("MOBILIZE", "troops", "154"),
])
def test_defaults(etype, mode, code):
    assert default_cameo(etype, mode).code == code


def test_unknown_mode_falls_back_to_type_default():
    assert default_cameo("AGREE", "no-such-mode").code == "030"


def test_unknown_type_raises():
    with pytest.raises(KeyError):
        default_cameo("GREET")


def test_goldstein_signs_follow_cooperation_and_conflict():
    assert default_cameo("AID").goldstein > 0
    assert default_cameo("ASSAULT").goldstein < 0
