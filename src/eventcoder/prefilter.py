"""A cheap first pass before the NLP stage: parse only the sentences that can yield an event.

The tokenizer output of an article is split into sentences by punctuation and line breaks. A
sentence *may hold a trigger* when one of its word forms could be lemmatised (by the spaCy
lemmatizer's own rules and exceptions, under any POS) to a trigger lemma of the lexicon, and, for
lemmas whose every lexicon row needs a context word ("held" + talks), a context word's form is in
the sentence too (refusable verbs count with a negation, obligation modals with a reporting verb).

Two modes (``settings.PREFILTER`` / ``run --prefilter``):

* ``safe``: candidates are sentences that may hold a trigger, or have a dictionary actor (the
  recogniser's own phrase matchers over LOWER/ORTH), a group phrase ("the two countries") or a
  capitalised word after the first token (an unknown person the NER may find and the coder
  resolves across sentences). Skipped sentences have no trigger and no actor for the model
  fallback, so they yield no mention and feed no actor memory.
* ``triggers``: candidates are the sentences that may hold a trigger. Faster, but it loses the
  trained-model fallback's mentions in other sentences and people introduced only there
  (measured in docs/scaling.md).

Runs of consecutive candidate sentences are parsed (tagger, parser, NER …) as sub-documents and
their annotations copied back into the article's full tokenized ``Doc``; the other sentences get a
flat placeholder parse with no tags, lemmas or entities. The coder then runs on the full ``Doc``, so
character offsets, sentence indices and mention ids are those of the article text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import X
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from .actors import COUNTERPART_WORDS, GROUP_NOUNS, ActorDictionary
from .lexical import OBLIGATION_MODALS, REFUSABLE_LEMMAS, REPORTING
from .nlp import line_breaks
from .triggers import TriggerLexicon

#: Token attributes copied from a parsed run back into the article's Doc.
COPIED_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
#: Group phrases ("the two countries", "both sides") are actors of the recogniser's Matcher.
GROUP_WORDS = frozenset(GROUP_NOUNS) | COUNTERPART_WORDS
GROUP_COUNTS = frozenset({"two", "both"})
#: Negation words under which a refusable verb is a refusal ("will not accept").
NEGATIONS = frozenset({"not", "n't", "never", "no", "nor"})


@dataclass(slots=True)
class PrefilterStats:
    """How much of the text the first pass sent to the parser."""

    sentences: int = 0
    candidate_sentences: int = 0
    tokens: int = 0
    parsed_tokens: int = 0

    def merge(self, other: PrefilterStats) -> None:
        self.sentences += other.sentences
        self.candidate_sentences += other.candidate_sentences
        self.tokens += other.tokens
        self.parsed_tokens += other.parsed_tokens


@dataclass
class CandidateScanner:
    """Decides from tokenizer output alone which sentences may hold an event mention."""

    nlp: Language
    lexicon: TriggerLexicon
    dictionary: ActorDictionary
    #: "safe": trigger forms, dictionary actors or capitalised words; "triggers": trigger forms only.
    mode: str = "safe"
    stats: PrefilterStats = field(default_factory=PrefilterStats)

    def __post_init__(self) -> None:
        #: Trigger lemmas with a rule that needs no context word, and the context words of the others.
        self.free: set[str] = set()
        self.context: dict[str, set[str]] = {}
        for rule in self.lexicon.rules:
            if rule.context:
                self.context.setdefault(rule.lemma, set()).update(rule.context)
            else:
                self.free.add(rule.lemma)
        self.lemmas = self.lexicon.lemmas | REFUSABLE_LEMMAS | OBLIGATION_MODALS
        lemmatizer = self.nlp.get_pipe("lemmatizer") if "lemmatizer" in self.nlp.pipe_names else None
        tables = lemmatizer.lookups if lemmatizer is not None else None
        self._rules: list[tuple[str, str]] = []
        self._exc: list[dict[str, list[str]]] = []
        if tables is not None and tables.has_table("lemma_rules"):
            for rules in tables.get_table("lemma_rules").values():
                self._rules += [(old, new) for old, new in rules]
        if tables is not None and tables.has_table("lemma_exc"):
            self._exc = list(tables.get_table("lemma_exc").values())
        self._forms: dict[str, frozenset[str]] = {}
        self._sentencizer = Sentencizer()
        self._matchers = self.dictionary.matchers(self.nlp.vocab)

    def lemmas_of(self, lower: str) -> frozenset[str]:
        """Every lemma the lemmatizer could give this lower-cased word form (under any POS)."""
        out = self._forms.get(lower)
        if out is None:
            lemmas = {lower}
            for exc in self._exc:
                lemmas.update(exc.get(lower, ()))
            for old, new in self._rules:
                if lower.endswith(old):
                    lemmas.add(lower[: len(lower) - len(old)] + new)
            out = self._forms[lower] = frozenset(lemmas)
        return out

    def is_trigger_form(self, lower: str) -> bool:
        """Could this lower-cased word form be lemmatised to a trigger lemma (under any POS)?"""
        return bool(self.lemmas_of(lower) & self.lemmas)

    def has_trigger(self, lowers: list[str]) -> bool:
        """Could the lexicon (or the obligation and refusal rules) find a trigger in these words?

        A trigger whose every lexicon row needs a context word ("held" + talks) counts only when
        a form of a context word is in the sentence too."""
        lemmas: set[str] = set()
        for w in lowers:
            lemmas |= self.lemmas_of(w)
        if lemmas & self.free:
            return True
        for lemma in lemmas & self.context.keys():
            if self.context[lemma] & lemmas:
                return True
        if lemmas & REFUSABLE_LEMMAS and NEGATIONS.intersection(lowers):
            return True
        return bool(lemmas & OBLIGATION_MODALS and lemmas & REPORTING)

    @staticmethod
    def has_group(lowers: list[str]) -> bool:
        """A group phrase the recogniser may resolve ("the two countries", "both sides")."""
        return bool(GROUP_WORDS.intersection(lowers) and GROUP_COUNTS.intersection(lowers)) or (
            "sides" in lowers or "parties" in lowers)

    def candidates(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges of the runs of consecutive candidate sentences of a tokenized ``doc``.

        Sets provisional sentence starts on ``doc`` (punctuation and line breaks).
        """
        if len(doc) == 0:
            return []
        self._sentencizer(doc)
        line_breaks(doc)
        for tok in doc[1:]:
            if tok.is_space:  # whitespace belongs to the sentence before it, as in the parse
                tok.is_sent_start = False
        actor_tokens = numpy.zeros(len(doc) + 1, dtype=bool)
        for matcher in (self._matchers.lower, self._matchers.exact):
            for _, start, end in matcher(doc):
                actor_tokens[start:end] = True
        runs: list[tuple[int, int]] = []
        for sent in doc.sents:
            self.stats.sentences += 1
            self.stats.tokens += len(sent)
            lowers = [tok.lower_ for tok in sent]
            if self.mode == "triggers":
                keep = self.has_trigger(lowers)
            else:
                keep = (bool(actor_tokens[sent.start : sent.end].any())
                        or any(tok.i > sent.start and tok.text[:1].isupper() for tok in sent)
                        or self.has_trigger(lowers) or self.has_group(lowers))
            if not keep:
                continue
            self.stats.candidate_sentences += 1
            self.stats.parsed_tokens += len(sent)
            if runs and runs[-1][1] == sent.start:
                runs[-1] = (runs[-1][0], sent.end)
            else:
                runs.append((sent.start, sent.end))
        return runs


def parse_candidates(
    nlp: Language, scanner: CandidateScanner, texts: Sequence[str], batch_size: int = 64
) -> list[Doc]:
    """Docs of ``texts`` with the full pipeline's annotation on candidate sentences only."""
    docs = [nlp.make_doc(t) for t in texts]
    runs = [scanner.candidates(doc) for doc in docs]
    pieces = [_fresh(doc, s, e) for doc, rs in zip(docs, runs, strict=True) for s, e in rs]
    parsed = iter(nlp.pipe(pieces, batch_size=batch_size))
    for doc, rs in zip(docs, runs, strict=True):
        _assemble(doc, rs, [next(parsed) for _ in rs])
    return docs


def _fresh(doc: Doc, start: int, end: int) -> Doc:
    """Tokens ``start:end`` of ``doc`` as a new Doc without the provisional sentence starts."""
    toks = doc[start:end]
    return Doc(doc.vocab, words=[t.text for t in toks], spaces=[bool(t.whitespace_) for t in toks])


def _assemble(doc: Doc, runs: list[tuple[int, int]], parsed: list[Doc]) -> None:
    """Copy each parsed run's annotation into ``doc``; other sentences get a flat parse."""
    if len(doc) == 0:
        return
    arr = numpy.zeros((len(doc), len(COPIED_ATTRS)), dtype="uint64")
    dep_col, head_col, iob_col = COPIED_ATTRS.index(DEP), COPIED_ATTRS.index(HEAD), COPIED_ATTRS.index(ENT_IOB)
    root, dep = doc.vocab.strings.add("ROOT"), doc.vocab.strings.add("dep")
    arr[:, iob_col] = 2  # outside any entity
    arr[:, COPIED_ATTRS.index(POS)] = X  # tagged "other", so a Doc with no candidate is still tagged
    for sent in doc.sents:  # placeholder: one flat tree per provisional sentence
        arr[sent.start, dep_col] = root
        arr[sent.start + 1 : sent.end, dep_col] = dep
        arr[sent.start + 1 : sent.end, head_col] = (
            numpy.arange(-1, sent.start - sent.end, -1, dtype="int64").view("uint64")
        )
    for (start, end), piece in zip(runs, parsed, strict=True):
        arr[start:end] = piece.to_array(COPIED_ATTRS)
    doc.from_array(COPIED_ATTRS, arr)
