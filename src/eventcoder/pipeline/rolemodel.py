"""A trained model of which actor of a sentence is an event's source, which its target, and which neither.

The rules (:mod:`eventcoder.pipeline.coder`) read the source and target of a trigger off the parse:
subjects, objects, "by"-agents, "on"/"against" objects, controllers of subjectless clauses. News
sentences defeat them in many small ways (a second event of the sentence takes the first one's
subject; a purpose clause holds the target; an apposition holds the real actor). This model scores
every actor named in the sentence for one proposed event: the dependency path from the trigger to
the actor, their order and distance, the actor's kind and sector, the event type, and the rules'
own verdict (source, target, near the trigger, in its clause, or none) as features. It gives the
probability that the actor is the source (``SRC``), the target (``TGT``) or neither (``NONE``).

It is a multinomial logistic regression trained by ``scripts/train_role_model.py`` (seeded, CPU) on
the events of our real-news gold (``eval/news``): the coder's proposals on the training articles, each
actor labelled by the countries of the gold event the proposal reports. The weights ship as
``data/role_model.json`` and are applied in plain Python through the type model's class.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from eventcoder.pipeline.typemodel import TypeModel
from eventcoder.util.packaged import load_packaged

MODEL_FILE = "role_model.json"
SRC, TGT, NONE = "SRC", "TGT", "NONE"
#: Longest dependency path (in arcs) written out; a longer one is "far".
MAX_PATH = 4


def dependency_path(trigger: Token, head: Token) -> str:
    """The arcs from the trigger up to the two words' lowest common ancestor (``^dep``) and down to
    the actor's head word (``vdep``, with the preposition for a prepositional object)."""
    up = [trigger, *trigger.ancestors]
    where = {t.i: n for n, t in enumerate(up)}
    down: list[Token] = []
    node = head
    while node.i not in where:
        down.append(node)
        if node.head.i == node.i:
            return "far"
        node = node.head
    n_up = where[node.i]
    if n_up + len(down) > MAX_PATH:
        return "far"
    arcs = [f"^{t.dep_}" for t in up[:n_up]]
    for t in reversed(down):
        arcs.append(f"v{t.dep_}:{t.lower_}" if t.dep_ == "prep" else f"v{t.dep_}")
    return "|".join(arcs) or "self"


def role_features(trigger: Token, head: Token, kind: str, sector: str | None, event_type: str, verdict: str,
                  first_in_sentence: bool) -> list[str]:
    """The model's features of one actor (its head word ``head``, match kind and sector) for one
    proposed event (``trigger``, ``event_type``); ``verdict`` is what the rules made of the actor:
    ``src``, ``tgt``, ``near`` (in the trigger's phrase), ``clause`` (in its complement) or ``none``."""
    path = dependency_path(trigger, head)
    last = path.split("|")[-1] if path not in ("far", "self") else path
    distance = head.i - trigger.i
    side = "before" if distance < 0 else "after"
    feats = {
        f"path:{path}", f"last:{last}", f"type_last:{event_type}_{last}", f"verdict:{verdict}",
        f"type_verdict:{event_type}_{verdict}", f"verdict_last:{verdict}_{last}", f"side:{side}",
        f"dist:{side}_{min(abs(distance) // 4, 4)}", f"kind:{kind}", f"sector:{sector or '-'}",
        f"type_side:{event_type}_{side}", f"tpos:{trigger.pos_}", f"tpos_last:{trigger.pos_}_{last}",
        f"first:{first_in_sentence}", f"passive:{any(c.dep_ in ('auxpass', 'agent') for c in trigger.children)}",
    }
    return sorted(feats)


class RoleModel(TypeModel):
    """Sparse multinomial logistic regression over :func:`role_features` (the type model's format)."""

    @classmethod
    def default(cls) -> RoleModel | None:  # type: ignore[override]
        """The model shipped with the package, or None when the package carries none."""
        return _default_model()


@lru_cache(maxsize=1)
def _default_model() -> RoleModel | None:
    return load_packaged(MODEL_FILE, RoleModel.from_file)
