"""A trained model of which word of a sentence reports an event, and of what PLOVER type.

The lexicon (:mod:`eventcoder.pipeline.triggers`) knows a thousand trigger words; the sentence type model
(:mod:`eventcoder.pipeline.typemodel`) knows what a whole sentence is about but not which of its words is the
act, so its events used to hang off the sentence's main verb ("there *are* tensions …"). This model reads
one content word at a time in its parse context — its lemma and part of speech, its head and
dependents, prepositional objects, negation, modals and reporting verbs above it, whether its
subject and object are named entities, and the lexicon's own verdict on it (the rules as a feature)
— and gives the probability of each PLOVER type and of ``NONE``.

It is a multinomial logistic regression trained by ``scripts/train_trigger_model.py`` (seeded, CPU) on
the annotated triggers of our real-news gold (``eval/news``, train split: each gold event's trigger
word against every other content word of its article) and shipped as ``data/trigger_model.json``,
applied in plain Python through the type model's class. The coder asks it where the lexicon finds
nothing: the likeliest trigger word of such a sentence, when the model is sure enough, is the event
(``settings.TRIGGER_MODEL_*``). In the fast mode it sees the sentences the first pass parses, those
the lexicon or the sentence type model flag (:mod:`eventcoder.pipeline.prefilter`).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from eventcoder.pipeline.triggers import TriggerLexicon
from eventcoder.pipeline.typemodel import NONE, TypeModel
from eventcoder.util.packaged import load_packaged

MODEL_FILE = "trigger_model.json"
#: The parts of speech a trigger word may have.
TRIGGER_POS = frozenset({"VERB", "NOUN", "ADJ"})
_MODALS = frozenset({"would", "could", "may", "might", "should", "must", "can", "will", "'ll", "shall", "wo"})
_REPORTING = frozenset({"say", "tell", "claim", "allege", "report", "accuse", "insist", "argue", "believe",
                        "warn", "add", "write", "note", "state", "announce", "deny", "fear", "hope", "think"})
_NEGATIONS = frozenset({"not", "n't", "never", "no"})
_ACTOR_ENTS = frozenset({"GPE", "NORP", "ORG", "PERSON", "LOC", "FAC"})

__all__ = ["MODEL_FILE", "NONE", "TRIGGER_POS", "TriggerModel", "is_trigger_candidate", "sentence_actor_entities",
           "trigger_features", "word_features"]


def is_trigger_candidate(tok: Token) -> bool:
    """Could this word report an event (a content word outside a name)?"""
    return (tok.pos_ in TRIGGER_POS and tok.is_alpha and len(tok.text) > 2 and not tok.is_stop
            and tok.ent_type_ not in _ACTOR_ENTS)


def _arg(tok: Token) -> str:
    """What an argument is: a kind of named entity, a pronoun or a common noun."""
    if tok.ent_type_:
        return "ENT" if tok.ent_type_ in _ACTOR_ENTS else "OTHER"
    if tok.pos_ == "PRON":
        return "PRON"
    if any(t.ent_type_ in _ACTOR_ENTS for t in tok.subtree):
        return "ENTSUB"
    return tok.pos_


def sentence_actor_entities(sent: Span) -> int:
    """How many actor-like named entities (:data:`_ACTOR_ENTS`) a sentence has: a feature of each of
    its words, counted once per sentence by callers that score many of them."""
    return sum(1 for t in sent if t.ent_iob_ == "B" and t.ent_type_ in _ACTOR_ENTS)


def trigger_features(tok: Token, lexicon_type: str | None, n_ents: int | None = None) -> list[str]:
    """The model's features of one candidate word (deterministic, order-free); ``lexicon_type``: the
    type the trigger lexicon gives the word in its context, None where it gives none; ``n_ents``: the
    word's sentence's :func:`sentence_actor_entities`, counted here when not given."""
    lemma = tok.lemma_.lower()
    head = tok.head
    hl = head.lemma_.lower() if head is not tok else "-"
    f = {f"l:{lemma}", f"pos:{tok.pos_}", f"tag:{tok.tag_}", f"dep:{tok.dep_}", f"ld:{lemma}_{tok.dep_}",
         f"h:{hl}", f"hd:{tok.dep_}_{hl}", f"hp:{head.pos_}", f"lex:{lexicon_type or '-'}",
         f"lexl:{lexicon_type or '-'}_{tok.pos_}"}
    for c in tok.children:
        dep, cl = c.dep_, c.lemma_.lower()
        if dep in ("dobj", "obj", "attr", "oprd"):
            f.add(f"o:{lemma}_{cl}" if c.pos_ == "NOUN" else f"oa:{_arg(c)}")
            f.add(f"oarg:{_arg(c)}")
        elif dep in ("nsubj", "nsubjpass", "csubj"):
            f.add(f"s:{dep}_{_arg(c)}")
        elif dep == "agent":
            f.add("agent")
        elif dep == "prep":
            f.add(f"p:{lemma}_{c.lower_}")
            for g in c.children:
                if g.dep_ == "pobj":
                    f.add(f"pa:{c.lower_}_{_arg(g)}")
                    if g.pos_ == "NOUN":
                        f.add(f"po:{lemma}_{c.lower_}_{g.lemma_.lower()}")
        elif dep == "prt":
            f.add(f"prt:{lemma}_{c.lower_}")
        elif dep == "neg" or c.lower_ in _NEGATIONS:
            f.add("neg")
        elif dep in ("aux", "auxpass"):
            f.add(f"aux:{c.lower_}" if c.lower_ in _MODALS or c.lower_ in ("has", "have", "had") else f"aux:{dep}")
        elif dep in ("amod", "compound") and c.pos_ in ("ADJ", "NOUN"):
            f.add(f"m:{lemma}_{cl}")
        elif dep == "poss":
            f.add(f"poss:{_arg(c)}")
        elif dep in ("xcomp", "ccomp") and c.pos_ == "VERB":
            f.add(f"x:{lemma}_{cl}")
        elif dep == "mark":
            f.add(f"mark:{cl}")
    for n, anc in enumerate(list(tok.ancestors)[:4]):
        al = anc.lemma_.lower()
        if al in _REPORTING:
            f.add(f"under:{al}")
        if n == 0:
            continue
        f.add(f"anc:{al}")
        for c in anc.children:
            if c.dep_ == "mark":
                f.add(f"amark:{c.lower_}")
            if c.dep_ == "aux" and c.lower_ in _MODALS:
                f.add("amodal")
    doc = tok.doc
    if tok.i > 0:
        f.add(f"prev:{doc[tok.i - 1].lower_}")
    if tok.i + 1 < len(doc):
        f.add(f"next:{doc[tok.i + 1].lower_}")
    if n_ents is None:
        n_ents = sentence_actor_entities(tok.sent)
    f.add(f"ents:{min(n_ents, 3)}")
    if tok.dep_ == "ROOT":
        f.add("root")
    return sorted(f)


def word_features(tok: Token, lexicon: TriggerLexicon, n_ents: int | None = None) -> list[str]:
    """:func:`trigger_features` of a word with ``lexicon``'s verdict on it: what the coder asks the model
    about and what ``scripts/train_trigger_model.py`` trains it on, computed in one place."""
    rule = lexicon.match(tok)
    return trigger_features(tok, rule.event_type if rule else None, n_ents)


class TriggerModel(TypeModel):
    """Sparse multinomial logistic regression over :func:`trigger_features` (the type model's format)."""

    @classmethod
    def default(cls) -> TriggerModel | None:  # type: ignore[override]
        """The model shipped with the package, or None when the package carries none."""
        return _default_model()


@lru_cache(maxsize=1)
def _default_model() -> TriggerModel | None:
    return load_packaged(MODEL_FILE, TriggerModel.from_file)
