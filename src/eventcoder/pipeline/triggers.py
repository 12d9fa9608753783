"""The PLOVER trigger lexicon: which lemmas signal which event type, mode and CAMEO code.

The lexicon is a data file (``data/triggers.tsv``) so users can extend it; a row whose ``context``
lists lemmas applies only when one of them is a syntactic dependent of the trigger, and such a row
beats a context-free row for the same lemma.
"""

from __future__ import annotations

import calendar
import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from eventcoder.pipeline.dates import WEEKDAYS

if TYPE_CHECKING:  # annotations only: the merge stage reads this module's vocabulary without loading spaCy
    from spacy.tokens import Token

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

#: Dependency labels under which a context word counts as the trigger's dependent.
CONTEXT_DEPS = frozenset({
    "dobj", "obj", "pobj", "prep", "prt", "xcomp", "ccomp", "compound", "amod", "nsubjpass", "attr",
    "dative", "npadvmod", "advmod", "acomp", "oprd", "agent", "pcomp", "conj", "appos", "nmod",
})


@dataclass(frozen=True, slots=True)
class TriggerRule:
    """One lexicon row."""

    lemma: str
    pos: str
    event_type: str
    mode: str | None
    cameo: str | None
    context: frozenset[str]
    weight: float


def context_dependents(token: Token, depth: int = 3) -> list[Token]:
    """A trigger's dependents that may select its row, looking through prepositions (``call for``,
    ``met with``): ``depth`` levels of CONTEXT_DEPS children, nearest first."""
    out: list[Token] = []
    frontier = [token]
    for _ in range(depth):
        frontier = [child for tok in frontier for child in tok.children if child.dep_ in CONTEXT_DEPS]
        out += frontier
    return out


#: Words that make a prepositional phrase a time ("on Sunday", "in January"), besides DATE/TIME entities.
_TIME_WORDS = frozenset(WEEKDAYS) | {m.lower() for m in calendar.month_name if m} | frozenset({
    "day", "days", "week", "weeks", "month", "months", "year", "years", "weekend", "morning", "afternoon",
    "evening", "night", "occasion", "anniversary", "eve",
})


def _is_temporal_phrase(prep: Token) -> bool:
    """A preposition whose objects are all times ("on Sunday", "in early January")."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objs) and all(o.ent_type_ in ("DATE", "TIME") or o.lower_ in _TIME_WORDS for o in objs)


def _dependent_lemmas(token: Token, depth: int = 3) -> set[str]:
    """Lemmas (and forms) of the trigger's context dependents (:func:`context_dependents`)."""
    found: set[str] = set()
    for child in context_dependents(token, depth):
        if child.dep_ == "prep" and _is_temporal_phrase(child):
            continue  # "called them terrorists on Sunday" is no "call on"
        found.add(child.lemma_.lower())
        found.add(child.lower_)
    if token.dep_ in ("acl", "relcl"):  # "an agreement signed by …", "the declaration they signed"
        found.add(token.head.lemma_.lower())
    return found


class TriggerLexicon:
    """Trigger rules indexed by (lemma, coarse POS)."""

    def __init__(self, rules: list[TriggerRule]) -> None:
        self.rules = rules
        self._index: dict[tuple[str, str], list[TriggerRule]] = defaultdict(list)
        for rule in rules:
            self._index[(rule.lemma, rule.pos)].append(rule)
        for key in self._index:
            # Context rows first (more specific), then by weight.
            self._index[key].sort(key=lambda r: (not r.context, -r.weight))
        self.lemmas = frozenset(lemma for lemma, _ in self._index)

    @classmethod
    def from_file(cls, path: Path) -> TriggerLexicon:
        """Read a lexicon TSV (header row; ``#`` comment lines are skipped)."""
        with open(path, encoding="utf-8") as fh:
            lines = [line for line in fh if line.strip() and not line.startswith("#")]
        rules = []
        for row in csv.DictReader(lines, delimiter="\t"):
            event_type = (row.get("event_type") or "").strip().upper()
            lemma = (row.get("lemma") or "").strip().lower()
            if event_type not in PLOVER_TYPES or not lemma:
                continue
            rules.append(TriggerRule(
                lemma=lemma,
                pos=(row.get("pos") or "VERB").strip().upper(),
                event_type=event_type,
                mode=(row.get("mode") or "").strip() or None,
                cameo=(row.get("cameo") or "").strip() or None,
                context=frozenset((row.get("context") or "").lower().split()),
                weight=float((row.get("weight") or "0.7").strip() or 0.7),
            ))
        return cls(rules)

    @classmethod
    def default(cls) -> TriggerLexicon:
        """The lexicon shipped with the package (cached)."""
        return _default_lexicon()

    def match(self, token: Token) -> TriggerRule | None:
        """The best rule for ``token`` in its syntactic context, or None."""
        lemma = token.lemma_.lower()
        if lemma not in self.lemmas:
            return None
        pos = "NOUN" if token.pos_ in ("NOUN", "PROPN") else "VERB" if token.pos_ in ("VERB", "AUX") else None
        if pos is None:
            return None
        candidates = self._index.get((lemma, pos))
        if not candidates:
            return None
        deps: set[str] | None = None
        for rule in candidates:
            if not rule.context:
                return rule
            if deps is None:
                deps = _dependent_lemmas(token)
            if rule.context & deps:
                return rule
        return None


@lru_cache(maxsize=1)
def _default_lexicon() -> TriggerLexicon:
    path = resources.files("eventcoder") / "data" / "triggers.tsv"
    with resources.as_file(path) as p:
        return TriggerLexicon.from_file(p)
