"""CAMEO codes with their PLOVER type/mode, Goldstein value and quad class.

The event coder decides a PLOVER type (and maybe a mode); downstream users of event data still
expect a CAMEO code, a Goldstein score and a quad class, so this module maps between the two.
The table (``data/cameo.tsv``) is built by ``scripts/build_dictionaries.py`` and read lazily.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: PLOVER types in the order of the codebook.
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

#: The most typical CAMEO code of each PLOVER type: the general code of the CAMEO root that the
#: type mostly comes from (AGREE covers "express intent", SUPPORT "diplomatic cooperation", ...).
DEFAULT_CODES: dict[str, str] = {
    "AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "CONCEDE": "080", "COOPERATE": "060",
    "AID": "070", "RETREAT": "084", "REQUEST": "100", "ACCUSE": "110", "REJECT": "120",
    "THREATEN": "130", "PROTEST": "140", "SANCTION": "160", "MOBILIZE": "150", "COERCE": "170",
    "ASSAULT": "190",
}

#: Type/mode pairs whose best code is not simply the first code listed with that mode.
DEFAULT_MODE_CODES: dict[tuple[str, str], str] = {
    ("CONSULT", "visit"): "042", ("CONSULT", "phone"): "041", ("CONSULT", "third-party"): "044",
    ("ASSAULT", "firearms"): "193", ("ASSAULT", "heavy-weapons"): "194", ("ASSAULT", "beat"): "182",
    ("COERCE", "arrest"): "173", ("COERCE", "seize"): "192", ("COERCE", "restrict"): "172",
    ("PROTEST", "demo"): "141", ("MOBILIZE", "troops"): "154", ("MOBILIZE", "police"): "153",
    ("SANCTION", "expel"): "166", ("SANCTION", "withdraw"): "161", ("RETREAT", "withdraw"): "0872",
    ("RETREAT", "ceasefire"): "0871", ("RETREAT", "release"): "0841", ("ACCUSE", "investigate"): "090",
("ACCUSE", "disapprove"): "111", ("REQUEST", "assist"): "101",
    ("REQUEST", "meet"): "106", ("REQUEST", "change"): "104",
    ("THREATEN", "violence"): "138", ("REJECT", "meet"): "125",
}


#: Words of asking rather than demanding: CAMEO codes a request made with them as an appeal (02x,
#: Goldstein +3 to -0.3) and keeps its demand codes (10x, -5) for demands, insistence and pressure;
#: PLOVER's REQUEST covers both.
APPEAL_LEMMAS = frozenset({
    "call", "urge", "appeal", "ask", "request", "plea", "plead", "implore", "encourage", "exhort",
    "petition", "lobby", "seek", "beg", "invite", "invitation", "entreat", "recommend",
})


def request_code(code: str, lemma: str) -> str:
    """The CAMEO code of a REQUEST told with ``lemma``: the appeal code parallel to a demand code
    (100 → 020, 1053 → 0253, 106 → 026) when the word asks rather than demands; else ``code``."""
    if lemma.lower() in APPEAL_LEMMAS and code.startswith("10") and len(code) >= 3:
        appeal = "02" + code[2:]
        if appeal in _table():
            return appeal
    return code


@dataclass(frozen=True, slots=True)
class CameoEntry:
    """One CAMEO code: its PLOVER type and mode (empty when PLOVER drops the code), Goldstein value,
    quad class (1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict) and label."""

    code: str
    event_type: str
    mode: str | None
    goldstein: float
    quad_class: int
    description: str
    #: PLOVER context tags the CAMEO2PLOVER table gives the code (PLOVER 2.0 names).
    context: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _table() -> dict[str, CameoEntry]:
    text = resources.files("eventcoder").joinpath("data/cameo.tsv").read_text(encoding="utf-8")
    table: dict[str, CameoEntry] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("code\t"):
            continue
        code, etype, mode, gold, quad, desc, context = (line.split("\t") + [""] * 7)[:7]
        table[code] = CameoEntry(code, etype, mode or None, float(gold), int(quad), desc,
                                 tuple(c for c in context.strip().split(";") if c))
    return table


def cameo_entry(code: str) -> CameoEntry | None:
    """The entry for a CAMEO code (``"042"``), or None for codes CAMEO does not have."""
    return _table().get(code.strip())


def default_cameo(event_type: str, mode: str | None = None) -> CameoEntry:
    """The most typical CAMEO code for a PLOVER type and optional mode.

    Unknown modes fall back to the type's default; an unknown type raises ``KeyError`` because
    it is a programming error, not a data problem.
    """
    etype = event_type.strip().upper()
    if etype not in DEFAULT_CODES:
        raise KeyError(f"not a PLOVER event type: {event_type!r}")
    table = _table()
    if mode:
        code = DEFAULT_MODE_CODES.get((etype, mode))
        if code is None:
            code = next((e.code for e in table.values() if e.event_type == etype and e.mode == mode), None)
        if code is not None and code in table:
            return table[code]
    return table[DEFAULT_CODES[etype]]


def modes(event_type: str) -> list[str]:
    """The PLOVER modes CAMEO codes of a type carry (``ASSAULT`` → aerial, firearms, …), sorted."""
    etype = event_type.strip().upper()
    return sorted({e.mode for e in _table().values() if e.event_type == etype and e.mode})


#: Modes that bring their PLOVER context with them (PLOVER manual, Table 3.10).
MODE_CONTEXTS: dict[str, str] = {"cyber": "cyber", "misinformation": "misinformation"}


def plover_context(code: str | None, mode: str | None = None) -> list[str]:
    """PLOVER context tags of a mention: those of its CAMEO code, plus the context its mode implies."""
    entry = _table().get(code.strip()) if code else None
    tags = list(entry.context) if entry is not None else []
    if mode in MODE_CONTEXTS and MODE_CONTEXTS[mode] not in tags:
        tags.append(MODE_CONTEXTS[mode])
    return tags
