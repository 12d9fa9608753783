"""A cheap first pass before the NLP stage: parse only the sentences that can yield an event.

The tokenizer output of an article is split into sentences by punctuation and line breaks. A
sentence *may hold a trigger* when one of its word forms could be lemmatised (by the spaCy
lemmatizer's own rules and exceptions, under any POS) to a trigger lemma of the lexicon, and, for
lemmas whose every lexicon row needs a context word ("held" + talks), a context word's form is in
the sentence too (refusable verbs count with a negation, obligation modals with a reporting verb).

Three modes (``settings.PREFILTER`` / ``run --prefilter``):

* ``fast`` (the default): candidates are the sentences that may hold a trigger; the sentences the
  trained type model might code (its probability over the sentence's word forms, with every
  lemma a form may have and every pairing of them, reaches ``MODEL_MIN_PROBABILITY`` minus
  ``PREFILTER_MODEL_MARGIN``); and the sentences that introduce a name a candidate sentence
  uses on its own (a run of two or more capitalised words, one of them outside dictionary names
  and standing alone in a candidate: "Zakir Hasanov … Hasanov said"), so the coder's memory of
  people is what the full parse would give it. Then, with ``parse_candidates(may_yield=…)``,
  the NER runs only on the parsed sentences that may still yield a mention and on those that
  introduce a bare name they use (``benchmarks/prefilter_agreement.py`` measures what this changes
  against a full parse).
* ``safe``: candidates are sentences that may hold a trigger, or have a dictionary actor (the
  recogniser's own phrase matchers over LOWER/ORTH), a group phrase ("the two countries") or a
  capitalised word after the first token (an unknown person the NER may find and the coder
  resolves across sentences). Skipped sentences have no trigger and no actor for the model
  fallback, so they yield no mention and feed no actor memory.
* ``triggers``: candidates are the sentences that may hold a trigger. It loses the trained-model
  fallback's mentions in other sentences and people introduced only there.

Runs of consecutive candidate sentences are parsed (tagger, parser, NER …) as sub-documents and
their annotations copied back into the article's full tokenized ``Doc``; the other sentences get a
flat placeholder parse with no tags, lemmas or entities. The coder then runs on the full ``Doc``, so
character offsets, sentence indices and mention ids are those of the article text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import X
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span, Token

from eventcoder import settings
from eventcoder.pipeline.actors import COUNTERPART_WORDS, GROUP_NOUNS, ActorDictionary
from eventcoder.pipeline.coder import UNPARSED
from eventcoder.pipeline.lexical import OBLIGATION_MODALS, REFUSABLE_LEMMAS, REPORTING
from eventcoder.pipeline.nlp import line_breaks
from eventcoder.pipeline.triggers import TriggerLexicon
from eventcoder.pipeline.typemodel import FUTURE, NONE, OFF_TOPIC, TypeModel
from eventcoder.pipeline.typemodel import NEGATIONS as MODEL_NEGATIONS

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
    #: Sentences (and their tokens) the NER ran on, when it runs on those that need entities only.
    entity_sentences: int = 0
    entity_tokens: int = 0

    def merge(self, other: PrefilterStats) -> None:
        self.sentences += other.sentences
        self.candidate_sentences += other.candidate_sentences
        self.tokens += other.tokens
        self.parsed_tokens += other.parsed_tokens
        self.entity_sentences += other.entity_sentences
        self.entity_tokens += other.entity_tokens


@dataclass
class CandidateScanner:
    """Decides from tokenizer output alone which sentences may hold an event mention."""

    nlp: Language
    lexicon: TriggerLexicon
    dictionary: ActorDictionary
    #: "fast": trigger forms, model candidates and name introductions; "safe": trigger forms,
    #: dictionary actors or capitalised words; "triggers": trigger forms only.
    mode: str = "safe"
    stats: PrefilterStats = field(default_factory=PrefilterStats)
    #: The coder's trained type model ("fast" keeps the sentences it might code); None: no model.
    model: TypeModel | None = None

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
        self._stop = frozenset(self.nlp.Defaults.stop_words)
        #: The model's features by their first lemma: (feature, kind, the other words it needs).
        self._features: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
        for feature in self.model.weights if self.model is not None else ():
            kind, _, rest = feature.partition(":")
            first, *others = rest.split("_")
            self._features.setdefault(first, []).append((feature, kind, tuple(others)))

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

    def model_may_code(self, lowers: list[str]) -> bool:
        """Might the trained type model code this sentence (the coder's fallback where the lexicon
        finds nothing)? Its features are read off the parse; here every lemma each content word form
        may have stands in for its lemma, every pairing of present words for the dependency pairs,
        and each content lemma in turn for the root. The sentence is kept when the best of these
        reaches ``MODEL_MIN_PROBABILITY - PREFILTER_MODEL_MARGIN`` for an event type (with
        ``MODEL_EVENT_MAX_NONE`` set: when its probability of no event is at most that plus the margin)."""
        if self.model is None:
            return False
        words: set[str] = set(lowers)
        content: set[str] = set()
        for w in lowers:
            lemmas = self.lemmas_of(w)
            words |= lemmas
            if w.isalpha() and w not in self._stop:
                content |= lemmas
        negated, future = bool(MODEL_NEGATIONS & words), bool(FUTURE & words)
        feats: set[str] = set()
        roots: list[str] = []
        for lemma in content:
            for feature, kind, others in self._features.get(lemma, ()):
                if kind == "root":
                    roots.append(feature)
                elif kind == "w" or (kind == "neg" and negated) or (kind == "fut" and future) or (
                        kind not in ("w", "neg", "fut") and words.issuperset(others)):
                    feats.add(feature)
        need = settings.MODEL_MIN_PROBABILITY - settings.PREFILTER_MODEL_MARGIN
        max_none = settings.MODEL_EVENT_MAX_NONE
        base = list(self.model.intercept)
        for feature in feats:
            for i, w in self.model.weights[feature]:
                base[i] += w
        no_event = [i for i, c in enumerate(self.model.classes) if c in (NONE, OFF_TOPIC)]
        for root in [None, *roots]:
            scores = base if root is None or root in feats else list(base)
            if root is not None and root not in feats:
                for i, w in self.model.weights[root]:
                    scores[i] += w
            top = max(scores)
            exps = [math.exp(x - top) for x in scores]
            if max_none is not None:
                if sum(exps[i] for i in no_event) <= (max_none + settings.PREFILTER_MODEL_MARGIN) * sum(exps):
                    return True
            elif max(e for i, e in enumerate(exps) if i not in no_event) >= need * sum(exps):
                return True
        return False

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
        actor_tokens = self.dictionary_tokens(doc) if self.mode != "triggers" else numpy.zeros(len(doc) + 1, bool)
        sents = list(doc.sents)
        keep: list[bool] = []
        for sent in sents:
            lowers = [tok.lower_ for tok in sent]
            if self.mode == "triggers":
                keep.append(self.has_trigger(lowers))
            elif self.mode == "fast":
                keep.append(self.has_trigger(lowers) or self.model_may_code(lowers))
            else:
                keep.append(bool(actor_tokens[sent.start : sent.end].any())
                            or any(tok.i > sent.start and tok.text[:1].isupper() for tok in sent)
                            or self.has_trigger(lowers) or self.has_group(lowers))
        if self.mode == "fast":
            self._keep_introductions(sents, keep, {id(doc): actor_tokens})
        runs: list[tuple[int, int]] = []
        for sent, kept in zip(sents, keep, strict=True):
            self.stats.sentences += 1
            self.stats.tokens += len(sent)
            if not kept:
                continue
            self.stats.candidate_sentences += 1
            self.stats.parsed_tokens += len(sent)
            if runs and runs[-1][1] == sent.start:
                runs[-1] = (runs[-1][0], sent.end)
            else:
                runs.append((sent.start, sent.end))
        return runs

    def dictionary_tokens(self, doc: Doc) -> numpy.ndarray:
        """Which tokens of ``doc`` are in a dictionary name (countries, organisations, roles, people)."""
        found = numpy.zeros(len(doc) + 1, dtype=bool)
        for matcher in (self._matchers.lower, self._matchers.exact):
            for _, start, end in matcher(doc):
                found[start:end] = True
        return found

    def _keep_introductions(self, sents: list[Span], keep: list[bool], actor_tokens: dict[int, numpy.ndarray]) -> None:
        """Also keep a skipped sentence that introduces a name a kept sentence refers back to: a run
        of two or more capitalised words, one of whose words (not a sentence's first, not in a
        dictionary name) stands alone in a kept sentence ("Zakir Hasanov … Hasanov said"); a name
        given in full where it is used needs no introduction.
        ``actor_tokens`` marks dictionary tokens (:meth:`dictionary_tokens`) per Doc, by ``id``."""
        def bare_names(sent: Span) -> list[str]:
            """Capitalised words standing alone, outside dictionary names ("Hasanov said")."""
            k, out, run = actor_tokens[id(sent.doc)], [], []
            for tok in [*sent, None]:
                if tok is not None and tok.is_alpha and tok.text[:1].isupper() and not k[tok.i]:
                    run.append(tok)
                    continue
                if len(run) == 1 and not (run[0].i == sent.start and run[0].lower_ in self._stop):
                    out.append(run[0].text)
                run = []
            return out

        named = {name for sent, kept in zip(sents, keep, strict=True) if kept for name in bare_names(sent)}
        for n, sent in enumerate(sents):
            if keep[n]:
                continue
            k = actor_tokens[id(sent.doc)]
            run: list[Token] = []
            for tok in [*sent, None]:
                if tok is not None and tok.is_alpha and tok.text[:1].isupper():
                    run.append(tok)
                    continue
                if len(run) >= 2 and any(t.text in named and not k[t.i] for t in run if t.i > sent.start):
                    keep[n] = True
                    break
                run = []


def parse_candidates(
    nlp: Language, scanner: CandidateScanner, texts: Sequence[str], batch_size: int = 1024,
    may_yield: Callable[[Span], bool] | None = None,
) -> list[Doc]:
    """Docs of ``texts`` with the full pipeline's annotation on candidate sentences only.

    With ``may_yield`` (the coder's :meth:`~eventcoder.pipeline.coder.EventCoder.may_yield`), the candidate
    runs are parsed without the NER first, and the NER — a third of spaCy's time, with its own
    token encoder — then runs only on the parsed sentences that may yield a mention and on those
    introducing a name they refer back to; the others keep no entities.

    The pieces (runs of sentences, then name windows) are many and short, and the networks pay a cost
    per batch: ``batch_size`` is large enough that a worker's group of articles (``PARSE_GROUP``, which
    bounds what is alive at once) goes through each network in one batch. On 96 Guardian articles in
    groups of four, three paired runs: 20% less CPU than batches of 64 (28.2/22.1, 31.8/25.5,
    28.1/22.5 s), the same mentions; end to end with two workers, four noisier pairs: 6% less CPU in
    all (222.8 → 209.1 s), 10-20 MB more per worker."""
    docs = [nlp.make_doc(t) for t in texts]
    runs = [scanner.candidates(doc) for doc in docs]
    pieces = [_fresh(doc, s, e) for doc, rs in zip(docs, runs, strict=True) for s, e in rs]
    if may_yield is not None and "ner" in nlp.pipe_names:
        parsed = list(nlp.pipe(pieces, batch_size=batch_size, disable=["ner"]))
        grouped, i = [], 0
        for rs in runs:
            grouped.append(parsed[i : i + len(rs)])
            i += len(rs)
        _recognise_entities(nlp.get_pipe("ner"), scanner, grouped, may_yield, batch_size)
    else:
        parsed = list(nlp.pipe(pieces, batch_size=batch_size))
    it = iter(parsed)
    for doc, rs in zip(docs, runs, strict=True):
        _assemble(doc, rs, [next(it) for _ in rs])
    return docs


def _recognise_entities(ner: Any, scanner: CandidateScanner, articles: list[list[Doc]],
                        may_yield: Callable[[Span], bool], batch_size: int) -> None:
    """Run the NER on the sentences of parsed pieces that need entities (per article: those that
    may yield a mention and those introducing a name they use), and write them into the pieces."""
    jobs: list[tuple[Doc, int, int]] = []
    for pieces in articles:
        sents = [sent for piece in pieces for sent in piece.sents]
        need = [may_yield(sent) for sent in sents]
        scanner._keep_introductions(sents, need, {id(p): scanner.dictionary_tokens(p) for p in pieces})
        scanner.stats.entity_sentences += sum(need)
        for sent, needed in zip(sents, need, strict=True):
            if not needed:
                continue
            last = jobs[-1] if jobs else None
            if last is not None and last[0] is sent.doc and last[2] == sent.start:
                jobs[-1] = (sent.doc, last[1], sent.end)
            else:
                jobs.append((sent.doc, sent.start, sent.end))
    # Within each run of such sentences, only the windows around words that may be names.
    jobs = [(doc, a, b) for doc, start, end in jobs for a, b in name_windows(doc[start:end], settings.NER_WINDOW)]
    scanner.stats.entity_tokens += sum(b - a for _, a, b in jobs)
    # Every token outside an entity (IOB 2, no type) unless the NER found one there.
    arrays = {id(p): numpy.tile(numpy.array([2, 0], dtype="uint64"), (len(p), 1)) for ps in articles for p in ps}
    found = ner.pipe([_fresh(doc, s, e) for doc, s, e in jobs], batch_size=batch_size)
    for (doc, start, end), ents in zip(jobs, found, strict=True):
        arrays[id(doc)][start:end] = ents.to_array([ENT_IOB, ENT_TYPE])
    for pieces in articles:
        for piece in pieces:
            piece.from_array([ENT_IOB, ENT_TYPE], arrays[id(piece)])


#: Lower-case words that open or carry a time, number or amount the NER labels ("two weeks ago", "dozens").
_NAMELESS_ENTITY_WORDS = frozenset({
    "year", "years", "week", "weeks", "month", "months", "day", "days", "ago", "yesterday", "today", "tonight",
    "morning", "afternoon", "evening", "night", "decade", "decades", "century", "hour", "hours", "minute",
    "minutes", "weekend", "dozen", "dozens", "hundreds", "thousands", "millions", "percent",
})


def name_windows(span: Span, width: int | None) -> list[tuple[int, int]]:
    """Token ranges of ``span`` (a run of sentences) the NER needs to see: ``width`` tokens either side of
    every word that may be or start an entity (a capitalised word, a number, a time word), merged; the
    whole span when ``width`` is None. The small model's token encoder reads four tokens either side, so
    the entities of a window are nearly always those of the whole run (on 60 Guardian articles, sentence
    by sentence at a width of 5: 5,397 of 5,417 entities the same, in 74% of the tokens; most of the rest
    are lower-case words such as "jihadist" or "winter")."""
    if width is None:
        return [(span.start, span.end)]
    out: list[tuple[int, int]] = []
    for tok in span:
        text = tok.text
        if not ((text[:1].isupper() and tok.is_alpha) or tok.like_num or any(c.isdigit() for c in text)
                or tok.lower_ in _NAMELESS_ENTITY_WORDS):
            continue
        start, end = max(span.start, tok.i - width), min(span.end, tok.i + width + 1)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


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
    starts = numpy.flatnonzero(arr[:, dep_col] == root)
    parsed_at = numpy.zeros(len(doc), dtype=bool)
    for start, end in runs:
        parsed_at[start:end] = True
    doc.user_data[UNPARSED] = {int(i) for i in starts if not parsed_at[i]}
