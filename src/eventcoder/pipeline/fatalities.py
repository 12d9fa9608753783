"""How many people an attack killed and injured, when the sentence states it.

Entry point: :func:`count_casualties` ``(sentence, trigger) -> Casualties``, called by the coder for
ASSAULT and COERCE mentions only (it reads one parsed sentence, so it is cheap). It finds the harm
words of the sentence (``killed``, ``died``, ``dead``, ``deaths``, ``death toll``, ``claimed ... lives``;
``wounded``, ``injured``, ``injuries``) and the number each one counts:

- an active verb counts the number after it: "a car bomb killed 12 soldiers", "killing 3 and
  wounding 10", "killed at least 12 people";
- a passive verb, a participle, an adjective or a noun counts the number before it: "12 people were
  killed", "at least 12 killed", "12 dead", "twelve soldiers died", "30 injuries";
- a death toll counts the number after it: "the death toll rose to 40".

Numbers may be digits ("1,200") or words ("twelve", "twenty-five", "two hundred", "a dozen").
Qualifiers ("at least", "more than", "nearly", "about", "up to") are dropped, so a stated figure is
often a lower bound. Vague amounts ("dozens", "scores", "hundreds", "several", "many") state no
number: the count stays None. When a sentence states several counts of one kind, the largest is
kept; when the trigger is itself a harm word, its own count comes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: Event types whose mentions are searched for casualty counts.
CASUALTY_TYPES = frozenset({"ASSAULT", "COERCE"})

KILL_VERBS = frozenset({"kill", "slay", "murder", "massacre", "execute", "behead", "slaughter"})
DIE_VERBS = frozenset({"die", "perish"})
KILL_WORDS = frozenset({"dead", "deaths", "fatality", "fatalities", "killed", "slain"})
INJURE_VERBS = frozenset({"injure", "wound", "hurt", "maim"})
INJURE_WORDS = frozenset({"injured", "wounded", "hurt", "injury", "injuries", "maimed"})
#: Verbs after which "N lives" are deaths ("claimed 12 lives", "12 lives were lost").
LIFE_VERBS = frozenset({"claim", "lose", "take", "cost"})

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
#: Amounts that state no number.
VAGUE = frozenset({
    "dozens", "scores", "hundreds", "thousands", "tens", "several", "many", "numerous", "some", "countless",
    "millions",
})
#: Words that may stand between a number and the harm word it counts ("12 people were killed").
_FILLERS = frozenset({
    "people", "persons", "others", "other", "were", "was", "are", "is", "have", "has", "had", "been",
    "being", "be", "reportedly", "also", "all", "more", "civilians", "soldiers", "troops", "police",
    "policemen", "officers", "children", "women", "men", "militants", "fighters", "rebels", "members",
    "personnel", "workers", "protesters", "demonstrators", "worshippers", "passengers", "pilgrims",
    "students", "villagers", "residents", "security", "army", "of", "them", "whom", "including",
    "afghan", "iraqi", "syrian", "israeli", "palestinian", "ukrainian", "russian",
})
_DIGITS = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")
#: Entity labels of numbers that are no head count.
_NOT_COUNTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
#: How far (in tokens) a number may be from its harm word.
WINDOW = 6


@dataclass(frozen=True, slots=True)
class Casualties:
    """People killed and injured as stated (None: no number stated)."""

    killed: int | None = None
    injured: int | None = None


@dataclass(frozen=True, slots=True)
class _Number:
    start: int  # first token index (doc)
    end: int  # one past the last
    value: int | None  # None: a vague amount ("dozens")


def _number_at(doc: object, i: int, limit: int) -> _Number | None:
    """The number expression starting at token ``i`` (not beyond ``limit``), or None."""
    tok = doc[i]  # type: ignore[index]
    low = tok.lower_
    if tok.ent_type_ in _NOT_COUNTS:
        return None
    if low == "one" and i > 0 and doc[i - 1].lower_ in ("no", "any", "every", "each"):  # type: ignore[index]
        return None  # "no one was hurt"
    if low in VAGUE:
        return _Number(i, i + 1, None)
    if _DIGITS.match(low):
        nxt = doc[i + 1].lower_ if i + 1 < limit else ""  # type: ignore[index]
        if nxt in ("%", "percent", "per", "km", "kilometres", "kilometers", "miles", "metres", "meters",
                   "years", "year", "days", "hours", "minutes", "am", "pm", "kg", "tonnes", "dollars"):
            return None
        return _Number(i, i + 1, int(low.replace(",", "")))
    if low == "a" and i + 1 < limit and doc[i + 1].lower_ == "dozen":  # type: ignore[index]
        return _Number(i, i + 2, 12)
    if low not in _UNITS and low not in _SCALES and low != "dozen":
        return None
    total, current, j = 0, 0, i
    while j < limit:
        w = doc[j].lower_  # type: ignore[index]
        if w in _UNITS:
            current += _UNITS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w in _SCALES:
            current = (current or 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total, current = total + current, 0
        elif w in ("-", "and") and j + 1 < limit and doc[j + 1].lower_ in _UNITS and j > i:  # type: ignore[index]
            pass  # "twenty-five", "two hundred and fifty"
        else:
            break
        j += 1
    return _Number(i, j, total + current)


def _numbers(sent: Span) -> list[_Number]:
    out: list[_Number] = []
    doc, i, end = sent.doc, sent.start, sent.end
    while i < end:
        n = _number_at(doc, i, end)
        if n is None:
            i += 1
            continue
        out.append(n)
        i = n.end
    return out


def _kind(tok: Token) -> str | None:
    """"killed" or "injured" when the token is a harm word, else None."""
    lemma, low = tok.lemma_.lower(), tok.lower_
    if lemma in KILL_VERBS or lemma in DIE_VERBS or low in KILL_WORDS:
        return "killed"
    if low == "toll" and any(t.lower_ in ("death", "casualty") for t in tok.doc[max(tok.i - 2, 0):tok.i]):
        return "killed"
    if low == "lives" and (tok.head.lemma_.lower() in LIFE_VERBS):
        return "killed"
    if lemma in INJURE_VERBS or low in INJURE_WORDS:
        return "injured"
    return None


def _is_active(tok: Token) -> bool:
    """An active use of a verb that takes its victims as object ("killed 12", "killing 3")."""
    if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() in DIE_VERBS:
        return False
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children):
        return False
    if tok.tag_ == "VBN" and (tok.dep_ in ("acl", "amod", "conj") or tok.i == 0
                              or not any(c.dep_ in ("nsubj", "aux") for c in tok.children)):
        # "12 people killed", "3 were killed and 10 injured", "left 12 dead": a participle of the victims
        return any(c.dep_ in ("dobj", "obj") for c in tok.children)
    return True


def _after(tok: Token, numbers: list[_Number], sent: Span) -> _Number | None:
    """The first number after ``tok`` within reach, before punctuation or another harm word."""
    limit = min(sent.end, tok.i + WINDOW)
    for n in numbers:
        if n.start <= tok.i or n.start >= limit:
            continue
        between = tok.doc[tok.i + 1:n.start]
        if any(t.is_punct or _kind(t) for t in between):
            return None
        return n
    return None


def _before(tok: Token, numbers: list[_Number], sent: Span) -> _Number | None:
    """The nearest number before ``tok`` joined to it only by filler words ("12 people were")."""
    for n in reversed(numbers):
        if n.end > tok.i or n.end < tok.i - WINDOW or n.end < sent.start:
            continue
        between = tok.doc[n.end:tok.i]
        if all(t.lower_ in _FILLERS or t.pos_ in ("ADJ", "AUX") or (t.pos_ == "NOUN" and t.tag_ == "NNS")
               for t in between):
            return n
        return None
    return None


def _count(tok: Token, kind: str, numbers: list[_Number], sent: Span) -> _Number | None:
    if tok.lower_ == "toll":
        return _after(tok, [n for n in numbers if n.start > tok.i], sent) or _toll_number(tok, numbers, sent)
    if _is_active(tok) and kind in ("killed", "injured") and tok.lemma_.lower() not in DIE_VERBS:
        return _after(tok, numbers, sent) or (None if tok.pos_ == "VERB" and tok.tag_ != "VBN" else
                                              _before(tok, numbers, sent))
    return _before(tok, numbers, sent)


def _toll_number(tok: Token, numbers: list[_Number], sent: Span) -> _Number | None:
    """ "the death toll rose to 40": a number a little further, after a verb and "to"/"at"."""
    limit = min(sent.end, tok.i + WINDOW + 4)
    for n in numbers:
        if tok.i < n.start < limit:
            return n
    return None


def count_casualties(sent: Span, trigger: Token | None = None) -> Casualties:
    """Killed and injured counts the parsed sentence states (None where it states none).

    ``trigger`` is the mention's trigger token: when it is a harm word itself its own count is used
    for its kind; the other counts are the largest the sentence states.
    """
    found: dict[str, list[_Number]] = {"killed": [], "injured": []}
    numbers: list[_Number] | None = None
    own: dict[str, _Number] = {}
    for tok in sent:
        kind = _kind(tok)
        if kind is None:
            continue
        if numbers is None:
            numbers = _numbers(sent)
            if not numbers:
                return Casualties()
        n = _count(tok, kind, numbers, sent)
        if n is None:
            continue
        found[kind].append(n)
        if trigger is not None and tok.i == trigger.i:
            own[kind] = n

    def pick(kind: str) -> int | None:
        if kind in own:
            return own[kind].value
        stated = [n.value for n in found[kind] if n.value is not None]
        return max(stated) if stated else None

    return Casualties(pick("killed"), pick("injured"))
