"""The event-coding stage: who did what to whom in each sentence of a parsed article.

For every sentence the coder finds trigger words from the PLOVER lexicon, drops negated,
hypothetical and questioned statements, and reads the source and target actors off the
dependency parse: subjects (and passive agents) are sources; direct objects, recipients and
the objects of "with/to/against/on …" are targets; coordination, apposition, control verbs
("urged X to …"), relative clauses and pronouns are followed. Each mention is then dated
(:mod:`eventcoder.pipeline.dates`), placed (:mod:`eventcoder.pipeline.places`) and given its CAMEO code,
Goldstein value and quad class (:mod:`eventcoder.pipeline.cameo`).
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from eventcoder import settings
from eventcoder.models import Actor, Article, Mention, Place
from eventcoder.pipeline.actors import ActorMatch, ActorRecognizer
from eventcoder.pipeline.cameo import cameo_entry, default_cameo, plover_context, request_code
from eventcoder.pipeline.dates import TimeExpression, find_time_expressions, resolve_event_time
from eventcoder.pipeline.eventness import EventnessModel, mention_features
from eventcoder.pipeline.fatalities import CASUALTY_TYPES, Casualties, count_casualties
from eventcoder.pipeline.lexical import (
    ACCIDENT_NOUNS,
    ADDRESSED_TYPES,
    ADDRESSEE_CCOMP,
    AFFILIATION_VERBS,
    AGENTIVE_OF_TYPES,
    ALERT_NOUNS,
    ALERT_VERBS,
    ALLEGING_ADVERBS,
    ALLEGING_VERBS,
    ALLY_PREPS,
    AMBIGUOUS_CAUSES,
    ASPECTUAL_VERBS,
    ATTACK_WORDS,
    ATTEMPT_VERBS,
    BODY_NOUNS,
    BOTH_PREPS,
    CAUSE_WORDS,
    CHARGE_NOUNS,
    CIRCUMSTANCE_PREPS,
    CLAUSE_DEPS,
    COLLECTIVE_NOUNS,
    CONDITIONAL_MARKS,
    CONFLICT_TYPES,
    COOPERATIVE_TYPES,
    DECISION_NOUNS,
    DENIAL_VERBS,
    ENACT_VERBS,
    EVENT_SUBJECT_NOUNS,
    EVENT_SUBJECT_VERBS,
    FAILURE_VERBS,
    FIRST_PERSON_SPEAKERS,
    FORCE_SECTORS,
    FORCE_TYPES,
    FUTURE_AUX,
    GAME_TYPES,
    HABITUAL_ADVERBS,
    HELP_NOUNS,
    HOST_LEMMAS,
    IMPLICATIVE_VERBS,
    INTENT_HEADS,
    LIGHT_VERBS,
    MODALS,
    MOTION_VERBS,
    NO_COMMENT_VERBS,
    NON_FACTIVE,
    NOUN_CARRIER_DEPS,
    OBJECT_CONTROL,
    OBJECT_DEPS,
    OBLIGATION_MODALS,
    OBLIGATION_RULE,
    OTHERS_ACT_PREPS,
    PARTICIPATION_VERBS,
    PARTY_CAMEO,
    PARTY_TYPES,
    PERSONAL_PRONOUNS,
    PROSPECT_NOUNS,
    READINESS_HEADS,
    REFERENCE_MARKS,
    REFERENCE_PREPS,
    REFUSABLE_LEMMAS,
    REFUSAL_AUX,
    REFUSAL_CODES,
    REPORTING,
    RESPONSE_VERBS,
    RESPONSIBILITY_VERBS,
    SELF_MOVING_TYPES,
    SPEECH_ACT_TYPES,
    SPORT_WORDS,
    STATE_ACT_LEMMAS,
    STATE_SECTORS,
    STATEMENT_TYPES,
    STOP_DEPS,
    SUBJECT_DEPS,
    TARGET_PREPS,
    TEMPORAL_PREPS,
    UNACCUSATIVE_VERBS,
    UNARY_TYPES,
    UNNAMED_ACTOR_TYPES,
    VIOLENT_TYPES,
    VOICING_VERBS,
    WARNING_VERBS,
    WEIGHING_VERBS,
    WISH_VERBS,
)
from eventcoder.pipeline.nlp import sentence_entities
from eventcoder.pipeline.places import HYPHENS, Gazetteer, PlaceContext, resolve_place
from eventcoder.pipeline.rolemodel import RoleModel, role_features
from eventcoder.pipeline.roles import resolve_actors
from eventcoder.pipeline.topic import TopicModel
from eventcoder.pipeline.triggermodel import TriggerModel, is_trigger_candidate, sentence_actor_entities, word_features
from eventcoder.pipeline.triggers import TriggerLexicon, TriggerRule, context_dependents
from eventcoder.pipeline.typemodel import NONE, TypeModel, TypeScore, sentence_features


@dataclass(slots=True)
class CodingStats:
    """Per-stage counters for the run summary: what the coder kept and dropped, and why."""

    sentences: int = 0
    triggers: int = 0
    mentions: int = 0
    dropped: dict[str, int] = field(default_factory=dict)

    def drop(self, reason: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1

    def merge(self, other: CodingStats) -> None:
        self.sentences += other.sentences
        self.triggers += other.triggers
        self.mentions += other.mentions
        for k, v in other.dropped.items():
            self.dropped[k] = self.dropped.get(k, 0) + v


#: The trace's outcome for a sentence the first pass left unparsed (prefilter.py): no word of it was weighed.
NOT_PARSED = "sentence not parsed: no trigger word or model signal"
#: The trace's and run summary's reason for an article the topic model sets aside (pipeline/topic.py).
OFF_TOPIC_ARTICLE = "off-topic article (sport, entertainment, disaster or business news)"


@dataclass(slots=True, frozen=True)
class TraceEntry:
    """One word the coder considered as an event, and what became of it: ``kept`` (a mention of
    ``event_type``) or the reason it was dropped, as the run summary counts it (``CodingStats``).
    ``start`` is the word's character offset in the article's text; a sentence the first pass did not
    parse is noted once, at its first word, with its text as ``word`` and the outcome ``NOT_PARSED``."""

    start: int
    word: str
    event_type: str | None
    outcome: str

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "word": self.word, "event_type": self.event_type, "outcome": self.outcome}


@dataclass(slots=True)
class _Candidate:
    token: Token
    rule: TriggerRule
    event_type: str
    mode: str | None
    cameo: str | None
    source: list[ActorMatch]
    target: list[ActorMatch]
    structure: str
    future: bool
    #: Actors in the trigger's phrase that the parse gave no role (for implied targets).
    nearby: list[ActorMatch] = field(default_factory=list)
    #: Actors of the trigger's complement and purpose clauses ("pledged to help Mali", "promised that
    #: Pretoria would help Mozambique"): a counterpart of last resort.
    clausal: list[ActorMatch] = field(default_factory=list)
    #: Reported only as someone's claim (see Mention.alleged).
    alleged: bool = False
    #: The role model, not the parse rules, chose its source or target.
    learned_roles: bool = False


#: ``Doc.user_data`` key of the set of start tokens of the sentences the first pass did not parse.
UNPARSED = "eventcoder_unparsed_sentences"


def mention_id(article_key: str, trigger_start: int, event_type: str) -> str:
    """Deterministic mention id: the same trigger of the same article text gives the same id."""
    raw = f"{article_key}|{trigger_start}|{event_type}"
    return "m_" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


class EventCoder:
    """Codes the events of parsed articles. Build once per process; it holds the lexicons."""

    def __init__(
        self,
        lexicon: TriggerLexicon | None = None,
        recognizer: ActorRecognizer | None = None,
        gazetteer: Gazetteer | None = None,
        model: TypeModel | None = None,
        use_model: bool = True,
        eventness: EventnessModel | None = None,
        roles: RoleModel | None = None,
        triggers: TriggerModel | None = None,
        topic: TopicModel | None = None,
    ) -> None:
        self.lexicon = lexicon or TriggerLexicon.default()
        #: The trained sentence type model, consulted where the lexicon finds nothing (None: rules only).
        self.model = model if model is not None else (TypeModel.default() if use_model else None)
        #: The trained eventness model, which keeps or drops each proposed mention and gives its
        #: calibrated confidence (None: rules only).
        self.eventness = eventness if eventness is not None else (EventnessModel.default() if use_model else None)
        #: The trained role model, which picks each event's source and target among the sentence's
        #: actors with the rules' verdict as a feature (None: rules only).
        self.roles_model = roles if roles is not None else (RoleModel.default() if use_model else None)
        #: The trained trigger model, which picks the event word of a sentence the lexicon misses (None:
        #: the type model's type on the sentence's main verb).
        self.trigger_model = triggers if triggers is not None else (TriggerModel.default() if use_model else None)
        #: The trained topic model, which sets aside articles that are surely not political news (sport,
        #: entertainment, disasters, business: pipeline/topic.py; None: every article is coded).
        self.topic_model = topic if topic is not None else (TopicModel.default() if use_model else None)
        #: When a dict, the role features of each candidate actor of each proposal are recorded in it
        #: by (article id, trigger offset): a list of (features, the actor's countries)
        #: (scripts/train_role_model.py reads them).
        self.record_roles: dict[tuple[str, int], list[tuple[list[str], list[str]]]] | None = None
        #: When a dict, each coded mention's eventness features are recorded in it by mention id
        #: (scripts/train_eventness.py reads them).
        self.record_features: dict[str, list[str]] | None = None
        #: When a dict, every word the coder considered as an event is noted in it, by article id, with
        #: what became of it (`eventcoder code --explain`, benchmarks/recall_trace.py).
        self.trace: dict[str, list[TraceEntry]] | None = None
        self._trace: list[TraceEntry] | None = None
        self.recognizer = recognizer or ActorRecognizer()
        self._gazetteer = gazetteer
        self.stats = CodingStats()
        self._article_mentions: list[Mention] = []
        self._article_actors: Counter[str] = Counter()
        self._sentence_matches: list[ActorMatch] = []
        #: The UN's seat (New York) as the gazetteer curates it, looked up once per article (``PLACE_UN_SEAT``).
        self._un_seat: Place | None = None
        #: The type model's probabilities of the sentence last asked about (``_sentence_type_probs``).
        self._probs_doc: Doc | None = None
        self._probs_start = -1
        self._probs: dict[str, float] = {}

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.default()
        return self._gazetteer

    # -- public -------------------------------------------------------------------------------
    def code_article(self, article: Article, doc: Doc) -> list[Mention]:
        """All event mentions of one article whose cleaned text was parsed into ``doc``."""
        if self.topic_model is not None and self.topic_model.off_topic(article.text):
            # Sport, entertainment, a disaster, business news: nothing in it is a political event.
            self.stats.drop(OFF_TOPIC_ARTICLE)
            if self.trace is not None:
                self.trace.setdefault(article.article_id, []).append(
                    TraceEntry(0, article.text.strip()[:80], None, OFF_TOPIC_ARTICLE))
            return []
        matches = _resolve_role_references(doc, _fold_appositions(doc, self.recognizer.recognize(doc)))
        if settings.RESOLVE_GROUP_REFERENCES:
            matches = _resolve_group_references(doc, matches)
        by_token: dict[int, ActorMatch] = {}
        for m in matches:
            for i in range(m.start, m.end):
                by_token[i] = m
        mentions: list[Mention] = []
        #: This article's mentions so far and its actors by country (the implicit-target pass reads them).
        self._article_mentions = mentions
        self._article_actors = _country_actors(matches)
        self._trace = self.trace.setdefault(article.article_id, []) if self.trace is not None else None
        # places are looked up with the article's countries, most named first (ties: first named)
        context = PlaceContext(countries=[c for c, _ in self._article_actors.most_common()],
                               dateline=_dateline(article))
        self._un_seat = self.gazetteer.curated("UN Security Council") if settings.PLACE_UN_SEAT else None
        # The first pass (prefilter.py) leaves sentences it did not parse flat and untagged; they hold
        # no trigger, so they are passed over (``doc.user_data[UNPARSED]``: their start tokens).
        unparsed = doc.user_data.get(UNPARSED, ())
        for s_index, sent in enumerate(doc.sents):
            self.stats.sentences += 1
            if sent.start in unparsed:
                if self._trace is not None and len(sent):
                    self._trace.append(TraceEntry(sent[0].idx, sent.text.strip()[:80], None, NOT_PARSED))
                continue
            self._sentence_matches = [m for m in matches if sent.start <= m.start < sent.end]
            candidates = self._sentence_candidates(sent, by_token, matches)
            if not candidates:
                continue
            sent_context = (_sentence_context(context, self._sentence_matches) if settings.PLACE_SENTENCE_COUNTRIES
                            else context)
            for cand in candidates:
                _pair_parties(cand)
                if self.roles_model is not None or self.record_roles is not None:
                    self._learned_roles(article, cand)
                mention = self._to_mention(article, sent, s_index, cand, sent_context)
                if mention is not None:
                    mentions.append(mention)
                    if self._trace is not None:
                        self._trace.append(TraceEntry(cand.token.idx, cand.token.text, mention.event_type, "kept"))
        _carry_places(mentions, self.gazetteer)
        self._probs_doc = None  # the article's parse is not kept alive
        self.stats.mentions += len(mentions)
        return mentions

    # -- triggers -----------------------------------------------------------------------------
    def may_yield(self, sent: Span) -> bool:
        """Could this parsed sentence, whose named entities are not known yet, yield a mention?

        The first pass (:mod:`.prefilter`) runs the NER only on sentences where this holds. It
        runs every check of the coding that reads no actor (the trigger lexicon, nouns not used as
        events, negation, purpose clauses, habits, references, embedding), giving the benefit of
        the doubt wherever an actor could decide (a noun an actor might own, a trigger inside a
        name); then obligations; then the trained model, read without entity labels, at
        ``MODEL_MIN_PROBABILITY - PREFILTER_MODEL_MARGIN``. A sentence it rejects yields no lexicon
        or obligation mention whatever the NER would find; for the model, whose features drop
        entity words, the margin is an estimate (benchmarks/prefilter_agreement.py measures it)."""
        if _is_question(sent):
            return False
        if self._screened_triggers(sent, None):
            return True
        if any(_is_obligation(tok) for tok in sent):
            return True
        if self.model is None:
            return False
        return self._model_type(sent, settings.PREFILTER_MODEL_MARGIN) is not None

    def _learned_roles(self, article: Article, cand: _Candidate) -> None:
        """Let the role model pick the candidate's source and target among the sentence's actors.

        The actor of a known country it finds likeliest in a role, at ``ROLE_MODEL_MIN_PROBABILITY`` or
        more, takes that side: both sides of a frame read off proximity (model frames); of a frame the
        parse rules read (``ROLE_MODEL_FILLS_ONLY``), only a target they left empty, never with the
        source's own side (its country and sector); with ``ROLE_MODEL_FILLS_ONLY`` off, wherever it
        disagrees with the rules. A side the rules resolved outside the sentence ("he", "they", a
        controller) stands. Also records the features (``record_roles``)."""
        trigger = cand.token
        actors = [m for m in _unique(self._sentence_matches) if not (m.start <= trigger.i < m.end) and m.actors
                  and not _attribution(trigger.doc[m.head]) and not _ally(trigger.doc[m.head], trigger)]
        if not actors:
            return
        rows = []
        for n, m in enumerate(actors):
            verdict = ("src" if m in cand.source else "tgt" if m in cand.target else "near" if m in cand.nearby
                       else "clause" if m in cand.clausal else "none")
            feats = role_features(trigger, trigger.doc[m.head], m.kind, m.actors[0].sector, cand.event_type,
                                  verdict, n == 0)
            rows.append((m, feats))
        if self.record_roles is not None:
            self.record_roles[(article.article_id, trigger.idx)] = [
                (feats, sorted({a.country for a in m.actors if a.country})) for m, feats in rows]
        if self.roles_model is None or not settings.ROLE_MODEL:
            return
        scored = list(zip(actors, self.roles_model.probability_rows([f for _, f in rows]), strict=True))
        floor = settings.ROLE_MODEL_MIN_PROBABILITY

        def best(role: str, among: list[tuple[ActorMatch, dict[str, float]]]) -> ActorMatch | None:
            # only an actor of a known country: a countryless one would block the implied-target pass
            sure = [(m, p) for m, p in among if p.get(role, 0.0) >= floor and any(a.country for a in m.actors)]
            return max(sure, key=lambda x: x[1][role])[0] if sure else None

        in_sentence = {id(m) for m, _ in rows}
        source = cand.source
        # A frame the parse rules read keeps its source, even an empty one (an agentless passive:
        # "were captured"), and any target they found.
        firm = settings.ROLE_MODEL_FILLS_ONLY and cand.structure == "dependency"
        if not any(id(m) not in in_sentence for m in cand.source) and not firm:
            pick = best("SRC", scored)
            if pick is not None and pick not in cand.source:
                source = [pick]
        keys = {_actor_key(m) for m in source}
        target = [m for m in cand.target if m not in source]
        if not any(id(m) not in in_sentence for m in target) and not (firm and target):
            # never the source's own side: an actor of its country and sector (the regime's rebels may
            # be), nor its own forces ("Kenya would send troops if asked": Kenya's troops are no one
            # Kenya asks)
            own = {(a.country, a.sector) for m in source for a in m.actors if a.country}
            own_countries = {c for c, _ in own}
            pick = best("TGT", [x for x in scored if x[0] not in source and _actor_key(x[0]) not in keys
                                and not any(_conjoined(trigger.doc, x[0], m) for m in source)
                                and not {(a.country, a.sector) for a in x[0].actors} <= own
                                and not all(_own_force(a, own_countries) for a in x[0].actors)])
            if pick is not None and pick not in target:
                target = [pick]
        if source is not cand.source or target != cand.target:
            cand.source, cand.target, cand.learned_roles = source, target, True

    def _sentence_type_probs(self, sent: Span) -> dict[str, float]:
        """The type model's probabilities for a sentence, computed once per sentence."""
        if self._probs_doc is not sent.doc or self._probs_start != sent.start:
            self._probs_doc, self._probs_start = sent.doc, sent.start
            self._probs = self.model.probabilities(sentence_features(sent))
        return self._probs

    def _model_type(self, sent: Span, margin: float = 0.0) -> TypeScore | None:
        """The model's event type for a sentence the lexicon missed, when it is sure enough that the
        sentence reports an event: its best type at ``MODEL_MIN_PROBABILITY`` or more, or, with
        ``MODEL_EVENT_MAX_NONE`` set, the best type of a sentence whose probability of no event is at most
        that (``margin`` loosens either, for the first pass)."""
        probs = self.model.probabilities(sentence_features(sent))
        best = max((c for c in probs if c != NONE), key=lambda c: (probs[c], c))
        max_none = settings.MODEL_EVENT_MAX_NONE
        if max_none is not None:
            sure = probs.get(NONE, 0.0) <= max_none + margin
        else:
            sure = probs[best] >= probs.get(NONE, 0.0) and probs[best] >= settings.MODEL_MIN_PROBABILITY - margin
        return TypeScore(best, probs[best]) if sure else None

    def _note(self, tok: Token, reason: str, event_type: str | None = None) -> None:
        """Count a dropped event for the run summary and, when tracing, note which word it was."""
        self.stats.drop(reason)
        if self._trace is not None:
            self._trace.append(TraceEntry(tok.idx, tok.text, event_type, reason))

    def _screened_triggers(
        self, sent: Span, by_token: dict[int, ActorMatch] | None
    ) -> list[tuple[Token, TriggerRule, str, str | None, str | None]]:
        """The sentence's triggers that pass the checks reading no actor, each with its (possibly
        recoded) type, mode and CAMEO code. With ``by_token`` None the actors are not known:
        nothing is counted, and what an actor could license is kept."""
        doc = sent.doc
        count = by_token is not None
        rules: dict[int, TriggerRule] = {}
        for tok in sent:
            if by_token is not None and tok.i in by_token and tok.pos_ == "PROPN":
                continue
            rule = self.lexicon.match(tok)
            if rule is not None:
                rules[tok.i] = rule
        # A context word that is itself a trigger ("held talks", "drills were held") is part of
        # the verb's event, not a second one; a bill's enactment is coded as what the bill does.
        consumed: set[int] = set()
        licensed: set[int] = set()
        for i, rule in rules.items():
            if rule.context:
                consumed.update(t.i for t in _context_tokens(doc[i], rule.context) if t.i in rules)
            tok = doc[i]
            if rule.event_type in ("RETREAT", "CONCEDE") and rule.pos == "VERB":
                # "lifted the curfew", "ended the siege": what is undone is no event of its own
                consumed.update(c.i for c in tok.children if c.dep_ == "dobj" and c.i in rules)
            if _is_infinitive(tok) and tok.dep_ in ("acl", "relcl") and tok.head.lemma_.lower() in DECISION_NOUNS:
                enact = tok.head.head
                if enact.lemma_.lower() in ENACT_VERBS:
                    consumed.add(enact.i)
                    licensed.add(i)
        def drop(tok: Token, rule: TriggerRule, reason: str) -> None:
            if count:
                self._note(tok, reason, rule.event_type)

        out = []
        for i in sorted(rules):
            tok, rule = doc[i], rules[i]
            if count:
                self.stats.triggers += 1
            if i in consumed:
                drop(tok, rule, "part of another trigger")
                continue
            if rule.pos == "NOUN" and not _licensed_noun(tok, by_token):
                drop(tok, rule, "event noun not used as an event")
                continue
            if settings.HYPHEN_MODIFIERS_DESCRIBE and _hyphen_modifier(tok):
                drop(tok, rule, "a description of an actor (US-backed, Saudi-led)")
                continue
            if tok.lemma_.lower() in WISH_VERBS and not _wants_someone_to(tok):
                drop(tok, rule, "a wish of one's own, not a request")  # "wants to join" (an intention, coded as such)
                continue
            event_type, mode, cameo = rule.event_type, rule.mode, rule.cameo
            polarity = _polarity(tok, rule)
            recoded = _recode_unrealised(tok, rule, polarity) if polarity is not None else None
            if polarity is not None and recoded is None:
                drop(tok, rule, polarity)
                continue
            if recoded is not None:
                event_type, mode, cameo = recoded
            embedded = _embedding_trigger(tok, self.lexicon)
            if embedded is not None and embedded.event_type in SPEECH_ACT_TYPES and not (
                    settings.CODE_ALLEGED_EVENTS and embedded.event_type == "ACCUSE"
                    and event_type in ALLEGEABLE_TYPES):
                drop(tok, rule, "embedded under another trigger")
                continue
            if (_is_infinitive(tok) and i not in licensed
                    and tok.head.lemma_.lower() not in ASPECTUAL_VERBS | IMPLICATIVE_VERBS
                    and not _is_intent(tok) and recoded is None):
                drop(tok, rule, "purpose or infinitive clause")
                continue
            if _is_habitual(tok):
                drop(tok, rule, "habitual or generic")
                continue
            if not settings.CODE_REFERENCE_EVENTS and _is_reference(tok):
                drop(tok, rule, "reference to an earlier event")
                continue
            out.append((tok, rule, event_type, mode, cameo))
        return out

    def _sentence_candidates(
        self, sent: Span, by_token: dict[int, ActorMatch], matches: list[ActorMatch]
    ) -> list[_Candidate]:
        if _is_question(sent):
            first = next((t for t in sent if self.lexicon.match(t)), None)
            if first is not None:
                self._note(first, "question")
            return []
        found: list[_Candidate] = []
        triggers = self._screened_triggers(sent, by_token)
        for tok, rule, event_type, mode, cameo in triggers:
            future = _is_future(tok) or _is_intent(tok)
            if future and (event_type not in SPEECH_ACT_TYPES or event_type in ("PROTEST", "SUPPORT")) and not (
                    _has_date_words(sent)):
                # Future conflict is a threat; a future cooperative act is a promise ("would meet the
                # mediator if …" is an offer), unless held over the other side ("will withdraw unless …").
                condition = _condition_mark(tok)
                intent = _intent_head(tok)
                if event_type in ("ASSAULT", "COERCE") and intent is not None and (
                        intent.lemma_.lower() in READINESS_HEADS):
                    event_type, mode, cameo = "MOBILIZE", None, "150"  # "prepared to resume shelling"
                elif event_type in CONFLICT_TYPES or condition == "unless":
                    event_type, mode, cameo = "THREATEN", None, "130"
                elif event_type in COOPERATIVE_TYPES:
                    event_type, mode, cameo = "AGREE", None, "030"
                elif condition:
                    event_type, mode, cameo = "THREATEN", None, "130"
                else:
                    self._note(tok, "future", event_type)
                    continue
            if event_type == "ASSAULT" and _accident(tok, sent):
                self._note(tok, "disaster, accident or disease", event_type)
                continue
            if event_type in GAME_TYPES and _sport(sent):
                self._note(tok, "sport", event_type)
                continue
            if event_type in ("REJECT", "REQUEST") and _no_comment(tok):
                self._note(tok, "declined to comment", event_type)
                continue
            source, target, structure = self._arguments(tok, sent, by_token, matches)
            if event_type == "THREATEN":
                accused = _warned_about(tok, by_token, matches, source)
                if accused:
                    # "warned that Washington was arming the militias": a charge about what another
                    # party is doing, not a threat of the speaker's own action (PLOVER ACCUSE).
                    event_type, mode, cameo, target = "ACCUSE", "disapprove", "111", accused
            if event_type == "THREATEN" and not target:
                # "threatened to stop talks if the United States goes ahead …": the one who must comply;
                # else whoever the threatened action would hit ("warned it would impose tariffs on
                # Chinese imports").
                target = [m for m in _conditional_subjects(tok, by_token, matches) if m not in source]
                if not target:
                    target = [m for c in tok.children if c.dep_ in ("ccomp", "xcomp", "acl")  # "threat to strike X"
                              for m in _verb_targets(c, by_token, skip=tok.i)[0] if m not in source]
            if not source and not target and event_type not in UNNAMED_ACTOR_TYPES:
                self._note(tok, "no actor", event_type)  # (unnamed crowds and attackers may take the event's place)
                continue
            nearby = [m for m in _actors_in_subtree(tok, by_token) if m not in source and m not in target]
            clausal = [m for m in _actors_in_clauses(tok, by_token) if m not in source and m not in target]
            found.append(_Candidate(tok, rule, event_type, mode, cameo, source, target, structure, future, nearby,
                                    alleged=_is_alleged(tok, self.lexicon), clausal=clausal))
        found += self._obligations(sent, by_token, matches)
        if settings.CODE_ALLEGED_EVENTS:
            found += self._claims(found, by_token, matches)
        if self.model is not None:
            found = self._with_model(sent, by_token, matches, found, lexicon_fired=bool(triggers))
        kept = _dedupe_candidates(found)
        if self._trace is not None and len(kept) < len(found):
            ids = {id(c) for c in kept}
            self._trace.extend(TraceEntry(c.token.idx, c.token.text, c.event_type, "one event with another word")
                               for c in found if id(c) not in ids)
        return kept

    def _claims(
        self, found: list[_Candidate], by_token: dict[int, ActorMatch], matches: list[ActorMatch]
    ) -> list[_Candidate]:
        """"X claimed/alleged that Y shelled Z": X's accusation of Y (ACCUSE, mode allege), where the
        claim verb is not itself a trigger; the shelling stays, marked alleged."""
        out: list[_Candidate] = []
        have = {c.token.i for c in found}
        for c in found:
            if not c.alleged or c.event_type not in ALLEGEABLE_TYPES or not c.source:
                continue
            verb = _alleging_verb(c.token)
            if verb is None or verb.i in have or self.lexicon.match(verb) is not None:
                continue
            claimants = [m for m in _subjects(verb, by_token, matches) if m not in c.source]
            if not claimants:
                continue
            have.add(verb.i)
            rule = TriggerRule(verb.lemma_.lower(), "VERB", "ACCUSE", "allege", "112", frozenset(), 0.8)
            out.append(_Candidate(verb, rule, "ACCUSE", "allege", "112", claimants, list(c.source), "dependency",
                                  False, []))
        return out

    def _with_model(
        self, sent: Span, by_token: dict[int, ActorMatch], matches: list[ActorMatch], found: list[_Candidate],
        lexicon_fired: bool = False,
    ) -> list[_Candidate]:
        """The trained model's say over a sentence's candidates: it codes a sentence the rules
        missed; where they fired it may drop their candidates (it is sure nothing happened) or add
        an event of another type (it is sure of one they missed). Thresholds in settings."""
        if not found:
            return self._model_candidates(sent, by_token, matches, frames=not lexicon_fired)
        if self.trigger_model is not None and settings.TRIGGER_MODEL_ADD_PROBABILITY is not None:
            taken = {c.token.i for c in found}
            for tok, score in self._model_triggers(sent, settings.TRIGGER_MODEL_ADD_PROBABILITY):
                if tok.i not in taken and score.event_type not in {c.event_type for c in found}:
                    found = found + self._model_candidates(sent, by_token, matches, score, trigger=tok)
        add, drop = settings.MODEL_ADD_MIN_PROBABILITY, settings.MODEL_NONE_DROP_PROBABILITY
        if add is None and drop is None:
            return found
        probs = self.model.probabilities(sentence_features(sent))
        if drop is not None and probs.get(NONE, 0.0) >= drop:
            for c in found:
                self._note(c.token, "model: no event in the sentence", c.event_type)
            return []
        if add is not None:
            best = max((c for c in probs if c != NONE), key=lambda c: (probs[c], c))
            if probs[best] >= add and best not in {c.event_type for c in found}:
                found = found + self._model_candidates(sent, by_token, matches, TypeScore(best, probs[best]))
        return found

    def _model_candidates(
        self, sent: Span, by_token: dict[int, ActorMatch], matches: list[ActorMatch],
        score: TypeScore | None = None, frames: bool = False, trigger: Token | None = None,
    ) -> list[_Candidate]:
        """A sentence the lexicon found nothing in (or an event of a type it missed, ``score``, at
        ``trigger``), coded by the trained models when they are sure enough: the trigger model's likeliest
        word and its type, else the type model's type on the asserted clause's verb (the reported clause
        under "said"); its actors are read off the parse as for a lexicon trigger.
        With ``frames`` (a sentence where no lexicon trigger fired, so no rule has judged it) and
        ``MODEL_FRAME_ACTORS``, a sentence without a verb or a source in the parse takes its actors in
        order."""
        if not any(sent.start <= m.start < sent.end for m in matches):
            return []
        if score is None and self.trigger_model is not None and settings.TRIGGER_MODEL_MIN_PROBABILITY is not None:
            best = self._model_triggers(sent, settings.TRIGGER_MODEL_MIN_PROBABILITY)[:1]
            if best:
                trigger, score = best[0]
            elif not settings.TRIGGER_MODEL_FALLBACK:
                return []
        if score is None:
            score = self._model_type(sent)
            if score is None:
                return []
        verb = sent.root if trigger is None else trigger
        reported = [c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
        if trigger is None and verb.lemma_.lower() in REPORTING and reported:
            verb = reported[0]
        frames = frames and settings.MODEL_FRAME_ACTORS
        if verb.pos_ not in ("VERB", "AUX") and not frames and trigger is None:
            return []
        rule = TriggerRule(verb.lemma_.lower(), verb.pos_, score.event_type, None, None, frozenset(),
                           round(score.probability, 3))
        if _polarity(verb, rule) is not None or _is_habitual(verb):
            self._note(verb, "model: not a factual event", score.event_type)
            return []
        if score.event_type == "ASSAULT" and _accident(verb, sent):
            self._note(verb, "disaster, accident or disease", score.event_type)
            return []
        if score.event_type in GAME_TYPES and _sport(sent):
            self._note(verb, "sport", score.event_type)
            return []
        self.stats.triggers += 1
        source, target, _ = self._arguments(verb, sent, by_token, matches)
        structure = "model"
        if not source and frames and not _others_act(verb, score.event_type):
            # No source in the parse: the sentence's actors in order, as the model frames them.
            in_sent = _unique(m for m in matches if sent.start <= m.start < sent.end)
            source = in_sent[:1]
            target = target or [m for m in in_sent[1:] if _actor_key(m) != _actor_key(in_sent[0])
                                 and not _conjoined(sent.doc, m, in_sent[0])][:1]
            structure = "model-proximity"
        if not source:
            return []
        nearby = [m for m in _actors_in_subtree(verb, by_token) if m not in source and m not in target]
        return [_Candidate(verb, rule, score.event_type, None, None, source, target, structure, False, nearby)]

    def _model_triggers(self, sent: Span, floor: float) -> list[tuple[Token, TypeScore]]:
        """The words of a sentence the trigger model takes for an event's trigger at ``floor`` or more,
        each with its likeliest type, surest first."""
        n_ents = sentence_actor_entities(sent)
        words = [tok for tok in sent if is_trigger_candidate(tok)]
        scores = self.trigger_model.best_classes([word_features(tok, self.lexicon, n_ents) for tok in words])
        out = [(tok, score) for tok, score in zip(words, scores, strict=True) if score.probability >= floor]
        return sorted(out, key=lambda x: (-x[1].probability, x[0].i))

    def _obligations(
        self, sent: Span, by_token: dict[int, ActorMatch], matches: list[ActorMatch]
    ) -> list[_Candidate]:
        """"Russia said Sudan must return the helicopter": a demand by the speaker of the one who
        must act (PLOVER REQUEST), though no request verb is used."""
        out = []
        for tok in sent:
            if not _is_obligation(tok):
                continue
            speaker = _subjects(tok.head, by_token, matches)
            addressee = _subjects(tok, by_token, matches)
            if speaker and addressee and not set(map(id, speaker)) & set(map(id, addressee)):
                self.stats.triggers += 1
                out.append(_Candidate(tok.head, OBLIGATION_RULE, "REQUEST", None, "100", speaker, addressee,
                                      "dependency", False))
        return out

    # -- arguments ----------------------------------------------------------------------------
    def _arguments(
        self, tok: Token, sent: Span, by_token: dict[int, ActorMatch], matches: list[ActorMatch]
    ) -> tuple[list[ActorMatch], list[ActorMatch], str]:
        """Source and target actor matches of a trigger, and which rule found them."""
        structure = "dependency"
        sources: list[ActorMatch] = []
        targets: list[ActorMatch] = []
        both: list[ActorMatch] = []
        verb = tok
        others = False  # an event noun that is someone else's act than the clause subject's
        rule = self.lexicon.match(tok)
        if tok.pos_ in ("NOUN", "PROPN"):
            agentive = rule is not None and rule.event_type in AGENTIVE_OF_TYPES
            sources, targets, both = _noun_arguments(tok, by_token, agentive_of=agentive)
            head = tok.head
            if tok.dep_ in ("dobj", "obj", "attr", "oprd", "nsubjpass", "conj") and head.pos_ in ("VERB", "AUX"):
                verb = head  # "held talks with X", "sanctions were imposed on X"
            elif (tok.dep_ == "pobj" and head.dep_ == "prep" and _ally_phrase(head)
                  and head.head.pos_ in ("VERB", "AUX")):
                # "fought Isis with US support": the support goes to the one fighting, not to Isis
                targets += [m for m in _subjects(head.head, by_token, matches) if m not in sources]
                others = True
            elif tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
                if rule is not None and _others_act(tok, rule.event_type):
                    others = True  # "responded to the attack", "met after the attack": not the subject's
                else:
                    verb = head.head  # "came for an official visit"
            elif (owner := _claimed_responsibility(tok)) is not None:
                verb = owner  # "X claimed responsibility for the attack": X's attack
            elif tok.dep_ == "nsubj" and head.lemma_.lower() in EVENT_SUBJECT_VERBS:
                t2, _ = _verb_targets(head, by_token, skip=tok.i)  # "the airstrike killed five soldiers"
                targets += t2
        if verb.i != tok.i or tok.pos_ not in ("NOUN", "PROPN"):
            passive = any(c.dep_ in ("nsubjpass", "auxpass", "agent") for c in verb.children)
            if _reduced_passive(verb, rule) and self.lexicon.match(verb.head) is None:
                # "a British soldier jailed in Turkey", "the YPG, backed by the US": the noun is the patient
                # (not an event noun: "a ceasefire signed by …", "sanctions imposed on …" name the act)
                passive = True
                targets += _actors_in(verb.head, by_token)
            if passive:
                targets += [m for c in verb.children if c.dep_ == "nsubjpass" and c.i != tok.i
                            for m in (_actors_in(c, by_token) or _pronoun_antecedent(c, by_token))]
                sources += [m for c in verb.children if c.dep_ == "agent" for m in _actors_in_prep(c, by_token)]
                if not sources:
                    sources += self._means_owner(verb, by_token)
                if not sources and targets and rule is not None and rule.event_type in ADDRESSED_TYPES \
                        and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in REPORTING:
                    # "Russia was accused of …, Britain said", "Iran was warned …, officials said": the
                    # one reporting the accusation, warning, demand or refusal made to someone made it
                    sources += _subjects(verb.head, by_token, matches)
            elif not sources:
                sources += _subjects(verb, by_token, matches)
            t2, b2 = _verb_targets(verb, by_token, skip=tok.i)
            targets += t2
            both += b2
            if not sources and both:
                sources, both = both, []  # "an agreement signed between X and Y"
            if not sources and not passive:
                sources = _controller(verb, by_token, matches)
            if not sources:
                # "a protest against Moscow filled the streets": the subject is the event itself.
                for subj in (c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.pos_ == "NOUN"):
                    if self.lexicon.match(subj) is not None:
                        s2, t2, _ = _noun_arguments(subj, by_token, agentive_of=True)
                        sources += s2
                        targets += t2
        # "talks between X and Y": both sides act when no one else does, else they are the targets.
        if sources:
            targets += both
        else:
            sources = both
        if not sources and not others and not _has_subject(verb):
            # No subject at all in the parse (fragments, mis-parses): the nearest actor before the
            # trigger in the same clause, with lower confidence. A subject that is no actor ("the
            # declaration pledges …") and a passive without agent keep an unknown source.
            shared = _coordinated_object(tok, by_token) if not targets else []
            if shared:
                targets = shared  # "killed one U.S. soldier and wounded two others": the same victims
            else:
                sources = _nearest_before(tok, sent, matches, exclude=targets)
            if sources or shared:
                structure = "proximity"
        sources = _unique(sources)
        targets = [m for m in _unique(targets) if m not in sources]
        if rule is not None and rule.event_type == "THREATEN" and sources and targets and _own_side(targets, sources):
            # "X warned that the US would respond if Assad used chemical weapons": the complement's
            # subject is the threatener's own side; the one threatened is the condition's subject.
            conditioned = _conditional_subjects(verb, by_token, matches)
            if conditioned:
                targets = [m for m in conditioned if m not in sources]
        return sources, targets, structure

    def _nested_trigger(self, cand: _Candidate) -> Callable[[Token], bool]:
        """Is a token another event's trigger (not a context word of this one)?"""
        context = {t.i for t in _context_tokens(cand.token, cand.rule.context)} if cand.rule.context else set()

        def check(tok: Token) -> bool:
            if tok.i == cand.token.i or tok.i in context:
                return False
            if tok.dep_ == "pobj" and tok.head.lower_ in TEMPORAL_PREPS:
                return False  # "signed during the visit …": the visit's date is the signing's
            return self.lexicon.match(tok) is not None

        return check

    # -- mention ------------------------------------------------------------------------------
    def _to_mention(
        self, article: Article, sent: Span, s_index: int, cand: _Candidate, context: PlaceContext
    ) -> Mention | None:
        if _prospect_comment(cand.token):
            self._note(cand.token, "comment on prospects", cand.event_type)
            return None
        if cand.token.lemma_.lower() in WEIGHING_VERBS and any(
                c.dep_ == "xcomp" and c.tag_ in ("VBG", "VB") for c in cand.token.children):
            # the type model's "is weighing sending helicopters" (not "considers the group a threat")
            self._note(cand.token, "weighing an option", cand.event_type)
            return None
        source = _actor_list(cand.source)
        target = _actor_list(cand.target)
        target = [a for a in target if (a.name, a.country) not in {(s.name, s.country) for s in source}]
        if cand.event_type in FORCE_TYPES or (cand.event_type not in VIOLENT_TYPES and source and all(
                a.sector in STATE_SECTORS for a in source)):
            # "massed 100,000 troops", "withdrew its troops": the actor's own forces are its
            # instrument, not the counterpart of the event; nor are a state's own forces whom it
            # agrees, concedes, threatens or asks ("announced American troops would leave",
            # "threatened to send his forces"). Armed and coercive acts may still hit them (a mutiny).
            own = {a.country for a in source}
            target = [a for a in target if not _own_force(a, own)]
        actorless = settings.ACTORLESS_EVENTS
        if not source and not target and cand.event_type not in UNNAMED_ACTOR_TYPES and not actorless:
            self._note(cand.token, "no actor", cand.event_type)
            return None
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cand.token.children)
        source_basis = ""
        located = bool(not source and target and settings.CONTEXT_SOURCES)
        if located:  # the place only when it may name the actor; else after the drop below, as before
            location = resolve_place(sent, context, self.gazetteer, trigger=cand.token)
            source, source_basis = self._context_source(cand, target, location, s_index)
        if not source and not passive and not (cand.event_type in UNNAMED_ACTOR_TYPES and (
                self._caused_by_event(cand.token) or (cand.event_type == "PROTEST" and _has_subject(cand.token)))) \
                and not (settings.SOURCELESS_EVENTS and target) and not actorless:
            self._note(cand.token, "no source actor", cand.event_type)  # a crowd may protest unnamed
            return None
        if not located:
            location = resolve_place(sent, context, self.gazetteer, trigger=cand.token)
        un_seat = self._un_seat
        if location is None and un_seat is not None and cand.event_type in UN_SEAT_TYPES and any(
                a.actor_id in UN_SEATED_BODIES for a in source + target):
            # "the UN security council voted for a ceasefire", "vetoed at the security council": its seat
            location = un_seat
        if cand.event_type == "CONSULT" and not target and location is not None and location.country and (
            len({a.country for a in source}) == 1 and location.country not in {a.country for a in source}
        ) and location != un_seat:  # a meeting at the UN is not a visit to the United States
            # "X paid a visit to/was in Azerbaijan": the host country is the counterpart.
            info = self.recognizer.dictionary.countries.get(location.country)
            target = [Actor(text=location.name, name=info.name if info else location.country,
                            country=location.country, sector="GOV")]
        if cand.event_type == "CONSULT" and cand.rule.lemma in HOST_LEMMAS and target:
            source, target = target, source  # PLOVER: the visitor is the source, the host the target
        if not target:
            target = self._opposed(cand.token)  # "an anti-Russian rally" is directed at Russia
        unnamed = ""
        if not source and cand.event_type in UNNAMED_ACTOR_TYPES and location is not None and location.country \
                and location.country in self.recognizer.dictionary.countries:
            # As ICEWS codes "unidentified gunmen (Iraq)": an unnamed perpetrator or crowd belongs to
            # the country where the event happens.
            sector, who = ("CVL", "protesters") if cand.event_type == "PROTEST" else ("UAF", "attackers")
            country_name = self.recognizer.dictionary.countries[location.country].name
            source = [Actor("", f"Unidentified {who} ({country_name})", location.country, sector)]
            unnamed = ";source:place"
        if not source and not target and not actorless:
            self._note(cand.token, "no actor", cand.event_type)
            return None
        implied = ""
        source, target = self._place_generic_actors(cand, source, target, location)
        if _material_support(cand, source, target):
            cand.event_type, cand.mode, cand.cameo = "AID", None, "070"
        if not target and len({(a.country, a.name) for a in source}) < 2:
            target, implied = self._implied_target(cand, source, location)
            if not target and cand.event_type not in UNARY_TYPES and settings.CLAUSE_TARGETS:
                own = {a.country for a in source}
                target = [a for a in _actor_list(cand.clausal) if a.country and a.country not in own][:2]
                implied = "clause" if target else implied
            if not target and cand.event_type not in UNARY_TYPES and settings.CONTEXT_TARGETS:
                target, implied = self._context_target(source, s_index)
            if not target and cand.event_type not in UNARY_TYPES:
                if not settings.ONE_ACTOR_EVENTS or (cand.token.pos_ == "NOUN" and not settings.ONE_ACTOR_NOUNS):
                    self._note(cand.token, "one actor for a two-party event", cand.event_type)
                    return None
                implied = "none"
        span = resolve_event_time(
            sent.text, article.published, trigger_char=cand.token.idx - sent.start_char,
            expressions=_dating_expressions(sent, cand.token, article.published, self._nested_trigger(cand)),
        )
        entry = (cand.cameo and cameo_entry(cand.cameo)) or default_cameo(cand.event_type, cand.mode)
        if entry.event_type == "REQUEST":
            # "called on X to" is an appeal (020), "demanded" a demand (100): the lexicon's rows carry the
            # right code already; this serves the codes no row chose (the type model's, the defaults)
            entry = cameo_entry(request_code(entry.code, cand.token.lemma_)) or entry
        elif cand.event_type == "REJECT" and _denies_charge(cand.token):
            entry = cameo_entry("016") or entry  # "rejected the accusations": deny responsibility
        confidence = cand.rule.weight * settings.STRUCTURE_CONFIDENCE.get(cand.structure, 0.5)
        if source_basis:
            confidence *= settings.CONTEXT_TARGET_CONFIDENCE
        if not target:
            confidence *= 0.9
        elif implied in ("previous", "focal"):
            confidence *= settings.CONTEXT_TARGET_CONFIDENCE
        elif implied:
            confidence *= settings.IMPLIED_TARGET_CONFIDENCE
        key = article.content_hash or article.article_id
        mid = mention_id(key, cand.token.idx, cand.event_type)
        background = _is_historical(span.date_end, article.published)
        if self.eventness is not None or self.record_features is not None:
            probs = (self._sentence_type_probs(sent)
                     if self.model is not None and settings.EVENTNESS_TYPE_MODEL_FEATURES else None)
            feats = mention_features(cand.token, sent, cand.event_type, cand.structure, source, target, implied,
                                     span.basis, span.precision, background, s_index, probs)
            if self.record_features is not None:
                self.record_features[mid] = feats
            if self.eventness is not None:
                confidence = self.eventness.probability(feats)
                if confidence < settings.EVENTNESS_MIN_PROBABILITY:
                    self._note(cand.token, "eventness: not a reported political act", cand.event_type)
                    return None
        harm = count_casualties(sent, cand.token) if cand.event_type in CASUALTY_TYPES else Casualties()
        day, roles = span.date or article.published, self.recognizer.roles  # offices and people as they were then
        source, target = resolve_actors(source, day, roles), resolve_actors(target, day, roles)
        return Mention(
            mention_id=mid,
            article_id=article.article_id,
            sentence=sent.text.strip(),
            char_start=sent.start_char,
            char_end=sent.end_char,
            trigger=cand.token.text,
            trigger_start=cand.token.idx,
            event_type=cand.event_type,
            mode=cand.mode,
            source=source,
            target=target,
            date=span.date,
            date_end=span.date_end,
            date_precision=span.precision,
            date_basis=span.basis,
            location=location,
            is_background=background,
            cameo_code=entry.code if entry else cand.cameo,
            goldstein=entry.goldstein if entry else None,
            quad_class=entry.quad_class if entry else None,
            confidence=round(min(1.0, confidence), 3),
            sentence_index=s_index,
            rule=_explain(cand) + (f";target:{implied}" if implied else "") + unnamed
            + (f";source:{source_basis}" if source_basis else "")
            + (";alleged" if cand.alleged else "") + (";roles:model" if cand.learned_roles else ""),
            alleged=cand.alleged,
            context=plover_context(entry.code if entry else cand.cameo, cand.mode),
            killed=harm.killed,
            injured=harm.injured,
        )

    def _opposed(self, tok: Token) -> list[Actor]:
        """Countries an event noun is said to be against: "anti-Russian rally" -> Russia."""
        if tok.pos_ not in ("NOUN", "PROPN"):
            return []
        out: list[Actor] = []
        doc = tok.doc
        for child in tok.children:
            if child.dep_ == "amod" and child.i >= 2 and doc[child.i - 1].text == "-" and \
                    doc[child.i - 2].lower_ == "anti":
                iso = self.recognizer.dictionary.country_of(child.text)
                info = self.recognizer.dictionary.countries.get(iso) if iso else None
                if info is not None:
                    out.append(Actor(child.text, info.name, iso, None))
        return out

    def _caused_by_event(self, tok: Token) -> bool:
        """Is the trigger's subject an event or a weapon, not an agent ("a roadside bombing killed
        …", "an explosion wounded …")? The perpetrator is then unknown but the event happened."""
        if tok.pos_ == "NOUN" and tok.dep_ in SUBJECT_DEPS:
            return True  # the event noun is itself the subject: "the airstrike killed five soldiers"
        verb = tok.head if tok.dep_ == "conj" and not _has_subject(tok) else tok
        for c in verb.children:
            if c.dep_ in SUBJECT_DEPS:
                return c.lemma_.lower() in EVENT_SUBJECT_NOUNS or (
                    c.pos_ == "NOUN" and self.lexicon.match(c) is not None)
        return False

    def _implied_target(
        self, cand: _Candidate, source: list[Actor], location: Place | None
    ) -> tuple[list[Actor], str]:
        """The counterpart of an event whose parse names none, and how it was found.

        Another actor inside the trigger's own phrase ("a mediation effort … between the Emirates
        and Saudi Arabia" when the parse attached it elsewhere) comes first; else, as in the
        PLOVER and ICEWS conventions for domestic events, the state where the event happens: its
        place's country ("Serbia lifted a curfew in Montenegro", "shelled positions near Rafah"),
        or for coercion, protest, concessions and refusals of political change the acting country
        itself ("police banned the rally", "declined to resign"). Other statements (rejections,
        accusations, appeals …) usually answer someone named in another sentence, so they get no
        implied counterpart.
        """
        own = {a.country for a in source}
        inside = [a for a in _actor_list(cand.nearby) if a.country and a.country not in own]
        if inside:
            return inside, "phrase"
        if (cand.structure != "dependency" or cand.rule.weight < settings.IMPLIED_TARGET_MIN_WEIGHT
                or not _is_main_clause(cand.token)):
            return [], ""
        country, how = self._counterpart_country(cand, source, location)
        info = self.recognizer.dictionary.countries.get(country) if country else None
        if info is None:
            return [], ""
        return [Actor(text="", name=info.name, country=country, sector="GOV")], how

    def _place_generic_actors(
        self, cand: _Candidate, source: list[Actor], target: list[Actor], location: Place | None
    ) -> tuple[list[Actor], list[Actor]]:
        """Generic non-state nouns whose own words name no country ("rebels", "militants", "people")
        take the country where the event happens, never a country merely mentioned nearby: "rebels
        shelled Idlib" → SYR; "police arrested dozens of people in Nairobi" → KEN. Copies are made:
        the recognised actors are shared by the sentence's other mentions."""
        here = location.country if location is not None and location.country in (
            self.recognizer.dictionary.countries) else None
        domestic, _ = self._counterpart_country(cand, source, location)

        def fill(actors: list[Actor], country: str | None) -> list[Actor]:
            if not country:
                return actors
            return [Actor(a.text, a.name, country, a.sector) if a.country is None and a.sector in UNPLACED_SECTORS
                    else a for a in actors]

        return fill(source, here), fill(target, here or domestic)

    def _means_owner(self, verb: Token, by_token: dict[int, ActorMatch]) -> list[ActorMatch]:
        """"was killed in a US drone strike", "were wounded in Russian air strikes": the one whose attack it
        was acted, when the passive verb names no agent (the attack noun's own possessor or modifier)."""
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "during", "by"):
                continue
            for noun in prep.children:
                rule = self.lexicon.match(noun) if noun.dep_ == "pobj" and noun.pos_ == "NOUN" else None
                if rule is not None and rule.event_type == "ASSAULT":
                    owners = _owners(noun, by_token)
                    if owners:
                        return owners
        return []

    def _context_source(
        self, cand: _Candidate, target: list[Actor], location: Place | None, s_index: int
    ) -> tuple[list[Actor], str]:
        """The actor of an event whose sentence names only whom it hit, from the article around it
        (lower confidence, the basis in the mention's rule):

        - ``authorities``: an arrest, a charge, a conviction or an expulsion is a state's act, so an
          unnamed one belongs to the authorities of the country where it happens ("was arrested at
          the resort of Didim" → the Turkish authorities);
        - ``previous``: the actor of the event told in the previous sentence ("Turkish jets struck
          Afrin on Sunday. Five civilians were killed."), unless that actor is on the receiving side
          here."""
        hit = {a.country for a in target if a.country}
        if (cand.rule.lemma in STATE_ACT_LEMMAS and location is not None and location.country
                and location.country in self.recognizer.dictionary.countries):
            name = self.recognizer.dictionary.countries[location.country].name
            return [Actor("", f"{name} authorities", location.country, "GOV")], "authorities"
        for prev in reversed(self._article_mentions):
            if s_index - prev.sentence_index > 1:
                break
            if prev.sentence_index == s_index:
                continue  # within a sentence the parse links acts to their actors; a second act is another's
            actors = [a for a in prev.source if a.country]
            if actors and not ({a.country for a in actors} & hit):
                return [Actor("", a.name, a.country, a.sector, a.actor_id) for a in actors[:2]], "previous"
        return [], ""

    def _context_target(self, source: list[Actor], s_index: int) -> tuple[list[Actor], str]:
        """The counterpart of a two-party event whose sentence names only its actor, from the
        article around it (lower confidence, the basis in the mention's rule):

        - ``previous``: the other party of the event told just before ("Turkey accused the YPG of
          shelling Kilis. It vowed to respond." → the YPG), when it is within two sentences;
        - ``focal``: the article's focal dyad, when the actor is one of its two most named
          countries and the other is clearly second ("… Ankara warned" in a Turkey–Syria story)."""
        own = {a.country for a in source if a.country}
        if not own:
            return [], ""
        for prev in reversed(self._article_mentions):
            if s_index - prev.sentence_index > 2:
                break
            sides = (prev.target, prev.source) if {a.country for a in prev.source} & own else (prev.source, prev.target)
            other = [a for a in sides[0] if a.country and a.country not in own]
            if other:
                return [Actor(a.text, a.name, a.country, a.sector, a.actor_id) for a in other[:2]], "previous"
        ranked = self._article_actors.most_common(3)
        if len(ranked) >= 2 and ranked[0][0] in own | {ranked[1][0]} and ranked[1][0] in own | {ranked[0][0]}:
            other_code = ranked[1][0] if ranked[0][0] in own else ranked[0][0]
            third = ranked[2][1] if len(ranked) > 2 else 0
            if other_code not in own and ranked[1][1] >= max(2, 1.5 * third):
                info = self.recognizer.dictionary.countries.get(other_code)
                name = info.name if info else other_code
                return [Actor("", name, other_code, None)], "focal"
        return [], ""

    @staticmethod
    def _counterpart_country(
        cand: _Candidate, source: list[Actor], location: Place | None
    ) -> tuple[str | None, str]:
        """The country of a domestic event's counterpart: its place's country for the place types,
        the acting country for coercion, protest, concessions and refusals of political change."""
        own = {a.country for a in source if a.country}
        if cand.event_type in settings.PLACE_TARGET_TYPES and location is not None and location.country and (
                len(location.country) == 3):
            return location.country, "place"
        if (cand.event_type in settings.DOMESTIC_TARGET_TYPES or (
                cand.event_type == "REJECT" and cand.mode == "change")) and len(own) == 1:
            # Refusing political change ("declined to resign") answers the country's own critics.
            return next(iter(own)), "domestic"
        return None, ""


#: Sectors of generic nouns ("people", "refugees", "rebels", "gunmen") that take the country of the
#: event's place (or, as a target, the acting state's in a domestic event) when their words name none.
UNPLACED_SECTORS = frozenset({"CVL", "REF", "REB", "UAF", "OPP"})


# -- helpers ----------------------------------------------------------------------------------
def _explain(cand: _Candidate) -> str:
    """Why a mention was coded: how the actors were found, the lexicon row, the context word that
    selected it, and whether the type was derived from a future or intended action."""
    if cand.structure in ("model", "model-proximity"):
        actors = "" if cand.structure == "model" else ";actors:in-order"
        return f"model:{cand.event_type} p={cand.rule.weight:.2f} ({cand.rule.lemma}){actors}"
    text = f"{cand.structure}:{cand.rule.lemma}/{cand.rule.pos}"
    if cand.rule.context:
        words = sorted({t.lemma_.lower() for t in _context_tokens(cand.token, cand.rule.context)})
        text += "+" + "|".join(words or sorted(cand.rule.context)[:3])
    if cand.event_type != cand.rule.event_type:
        text += f"->{cand.event_type}"
    return text + (":future" if cand.future else "")


def _no_comment(tok: Token) -> bool:
    """"declined to comment", "refused to be named": a refusal to speak, not a rejection of anything;
    "requested anonymity": a source's condition, not a request."""
    return any((c.dep_ == "xcomp" and c.lemma_.lower() in NO_COMMENT_VERBS)
               or (c.dep_ == "dobj" and c.lemma_.lower() == "anonymity") for c in tok.children)


def _prospect_comment(tok: Token) -> bool:
    """"expressed optimism about a deal", "voiced doubts that …": a feeling about prospects, no act."""
    return tok.lemma_.lower() in VOICING_VERBS and any(
        c.dep_ == "dobj" and c.lemma_.lower() in PROSPECT_NOUNS for c in tok.children)


def _denies_charge(tok: Token) -> bool:
    """"denied the accusations", "rejected claims that …", "denied involvement", "denied that its forces
    had …": a denial of a charge (CAMEO 016), not a rejection of a proposal."""
    if tok.lemma_.lower() not in DENIAL_VERBS:
        return False
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in CHARGE_NOUNS:
            return True
        if c.dep_ == "ccomp" and tok.lemma_.lower() == "deny":
            return True
    return False


def _carry_places(mentions: list[Mention], gazetteer: Gazetteer | None = None) -> None:
    """A follow-up sentence that names no place ("Akar praised the officers …" after "the ministers
    met in Tbilisi") happened where the event just reported did: it takes the place of the latest
    located mention a few sentences before it, when their dates overlap and neither is background."""
    last: Mention | None = None
    for m in mentions:
        if m.location is not None and m.location.precision in ("city", "admin"):
            last = m
            continue
        if (m.location is None and last is not None and not m.is_background and not last.is_background
                and m.sentence_index - last.sentence_index <= settings.PLACE_CARRY_SENTENCES
                and _overlaps(m, last) and (not settings.PLACE_CARRY_SAME_KIND or _same_kind(m, last))):
            m.location = last.location
    if settings.PLACE_VENUE:
        _venue_places(mentions)
    if settings.PLACE_ARTICLE_FALLBACK:
        _article_place(mentions)
    if settings.PLACE_COUNTRY_FALLBACK and gazetteer is not None:
        _article_country(mentions, gazetteer)


#: The UN bodies that sit at the UN headquarters in New York, and the kinds of event they hold there (their
#: statements, votes, meetings and sanctions; not aid delivered or troops sent in their name).
UN_SEATED_BODIES = frozenset({"org:UNSC", "org:UNGA"})
UN_SEAT_TYPES = STATEMENT_TYPES | {"SANCTION"}


def _same_kind(a: Mention, b: Mention) -> bool:
    """Both statements (``STATEMENT_TYPES``) or both acts."""
    return (a.event_type in STATEMENT_TYPES) == (b.event_type in STATEMENT_TYPES)


def _venue_places(mentions: list[Mention]) -> None:
    """A statement naming no place ("Putin urged Iran and Turkey to …") made on the days of a meeting its
    speaker attended, located in a city ("the summit in Sochi"), was made at that meeting: it takes the
    meeting's place, the nearest such meeting in the article first."""
    venues = [m for m in mentions if m.event_type == "CONSULT" and m.location is not None and not m.is_background
              and m.location.precision == "city"]
    if not venues:
        return
    for m in mentions:
        if m.location is not None or m.is_background or m.event_type not in STATEMENT_TYPES:
            continue
        speakers = {a.country for a in m.source if a.country}
        near = [v for v in venues if _overlaps(m, v)
                and speakers & {a.country for a in v.source + v.target if a.country}]
        if near:
            m.location = min(near, key=lambda v: abs(v.sentence_index - m.sentence_index)).location


def _article_place(mentions: list[Mention]) -> None:
    """A mention still placeless takes the place most of its article's located events share (the
    article's scene: "Idlib" in a story about the Idlib offensive), when that place's country is
    among the mention's own actors' (or it names no country) and neither is background."""
    located = [m.location for m in mentions if m.location is not None and not m.is_background
               and m.location.precision in ("city", "admin")]
    if len(located) < 2:
        return
    counts = Counter((p.name, p.country) for p in located)
    (name, country), n = counts.most_common(1)[0]
    if n * 2 < len(located):
        return
    _place_placeless(mentions, next(p for p in located if (p.name, p.country) == (name, country)))


def _place_placeless(mentions: list[Mention], place: Place) -> None:
    """Put the placeless, non-background mentions whose actors include the place's country (or name
    none) at ``place``."""
    for m in mentions:
        if m.location is not None or m.is_background:
            continue
        countries = {a.country for a in m.source + m.target if a.country}
        if not countries or place.country in countries:
            m.location = place


def _article_country(mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """A mention still placeless is placed, at country precision only, in the country where most of
    its article's located events happened (the war a story is about: "Syria"), when that country is
    among its own actors' or it names no country, and neither it nor they are background."""
    located = [m.location.country for m in mentions if m.location is not None and m.location.country
               and not m.is_background]
    if len(located) < settings.PLACE_COUNTRY_MIN_LOCATED:
        return
    country, n = Counter(located).most_common(1)[0]
    if n < settings.PLACE_COUNTRY_MIN_SHARE * len(located):
        return
    place = gazetteer.country(country)
    if place is not None:
        _place_placeless(mentions, place)


def _overlaps(a: Mention, b: Mention) -> bool:
    if not (a.date and b.date):
        return False
    return a.date <= (b.date_end or b.date) and b.date <= (a.date_end or a.date)


def _resolve_role_references(doc: Doc, matches: list[ActorMatch]) -> list[ActorMatch]:
    """'the military attache' after 'Turkey's newly appointed military attache Zakaria Yalcin':
    a bare role refers back to the last named person introduced with that role."""
    out: list[ActorMatch] = []
    lowered: dict[tuple[int, int], str] = {}  # each earlier match's words, lower-cased once

    def words(prev: ActorMatch) -> str:
        key = (prev.start, prev.end)
        if key not in lowered:
            lowered[key] = doc[prev.start : prev.end].text.lower()
        return lowered[key]

    for m in matches:
        if m.kind == "role" and len(m.actors) == 1 and not any(w[:1].isupper() for w in m.actors[0].name.split()):
            role = " ".join(t.lower_ for t in doc[m.start : m.end] if t.dep_ not in ("det", "poss", "case")
                            and t.pos_ not in ("DET", "PRON"))
            for prev in reversed(out):
                named = prev.actors[0] if len(prev.actors) == 1 else None
                if (named is not None and prev.kind in ("role", "person") and role
                        and role in words(prev)
                        and any(w[:1].isupper() for w in named.name.split())):
                    m = ActorMatch(m.start, m.end, m.head, [Actor(m.actors[0].text, named.name, named.country,
                                                                   named.sector, named.actor_id)], "person")
                    break
        out.append(m)
    return out


#: Sectors of the armed non-state groups that "the militants", "the jihadists" may refer back to.
GROUP_SECTORS = frozenset({"REB", "UAF"})
#: Determiners that make a generic noun refer back ("the militants", "these fighters").
REFERRING_DETERMINERS = frozenset({"the", "these", "those", "its", "their"})
#: How many sentences back a definite generic noun may find the group it names.
GROUP_REFERENCE_SENTENCES = 3


def _resolve_group_references(doc: Doc, matches: list[ActorMatch]) -> list[ActorMatch]:
    """'the militants', 'the jihadists', 'these fighters' after 'Islamic State …': a definite generic
    noun of an armed sector with no country of its own refers back to the last named armed group
    of the previous few sentences, and takes its name and country (coreference)."""
    out: list[ActorMatch] = []
    sent_of = {s.start: n for n, s in enumerate(doc.sents)}
    starts = sorted(sent_of)

    def sentence(i: int) -> int:
        return sent_of[starts[bisect.bisect_right(starts, i) - 1]]

    last_group: tuple[int, Actor] | None = None
    for m in matches:
        a = m.actors[0] if len(m.actors) == 1 else None
        if m.kind == "igo" and a is not None and a.sector in GROUP_SECTORS and a.country:
            last_group = (sentence(m.start), a)
        elif (m.kind == "role" and a is not None and a.sector in GROUP_SECTORS and not a.country
              and (doc[m.start].lower_ in REFERRING_DETERMINERS
                   or (m.start > 0 and doc[m.start - 1].lower_ in REFERRING_DETERMINERS))
              and last_group is not None
              and sentence(m.start) - last_group[0] <= GROUP_REFERENCE_SENTENCES):
            g = last_group[1]
            m = ActorMatch(m.start, m.end, m.head, [Actor(a.text, g.name, g.country, g.sector, g.actor_id)], "igo")
        out.append(m)
    return out


def _fold_appositions(doc: Doc, matches: list[ActorMatch]) -> list[ActorMatch]:
    """'Hulusi Akar, Turkey's defence minister, …': one actor, the person with the appositive's
    country and sector. The appositive's tokens then belong to the person's match."""
    by_head = {m.head: m for m in matches}
    out: list[ActorMatch] = []
    absorbed: set[int] = set()
    for m in matches:
        if id(m) in absorbed:
            continue
        for child in doc[m.head].children:
            other = by_head.get(child.i)
            if child.dep_ != "appos" or other is None or not other.actors or m.kind == "country":
                continue  # a name hung on a country ("the envoy for Syria, Staffan de Mistura") is a misparse
            role = other.actors[0]
            # An unknown person's country guessed from the article (no country word of their own) gives way
            # to one the appositive names ("Brigadier General Murat Ozturk, Turkey's military attache").
            named = _names_country(doc[other.start:other.end]) and not _names_country(doc[m.start:m.end])
            actors = [Actor(a.text, a.name,
                            role.country if named and a.actor_id is None and role.country
                            else a.country or role.country, a.sector or role.sector, a.actor_id)
                      for a in m.actors]
            m = ActorMatch(min(m.start, other.start), max(m.end, other.end), m.head, actors, m.kind)
            absorbed.add(id(other))
        out.append(m)
    return [m for m in out if id(m) not in absorbed]


def _others_act(tok: Token, event_type: str) -> bool:
    """Is this event noun, the object of a clause's preposition, someone else's act or a time rather than
    the clause subject's own ("responded to the attack", "met after the bombing", "angry over the strikes")?
    A meeting is the subject's own ("speaking after a meeting with May")."""
    head = tok.head
    if event_type == "CONSULT" or tok.dep_ != "pobj" or head.dep_ != "prep":
        return False
    return head.head.pos_ in ("VERB", "AUX") and (
        head.lower_ in OTHERS_ACT_PREPS or (head.head.lemma_.lower() in RESPONSE_VERBS and head.lower_ != "with"))


def _names_country(span: Span) -> bool:
    """Does the phrase name a country or nationality ("Turkey's", "Turkish")?"""
    return any(t.ent_type_ in ("GPE", "NORP") for t in span)


def _pair_parties(cand: _Candidate) -> None:
    """Several parties to a meeting, talk, agreement or cooperation and no one else: the first named is the
    source and the others its counterparts, one dyad each ("Russia and Turkey agreed …", "talks between X
    and Y were held", "Egypt and Israel signed a deal"), as ICEWS records such events and as
    eval/GUIDELINES.md §4 asks; not one side with nobody across the table. A party's own forces are no one
    across it ("agreed to cooperate on border security")."""
    if not (cand.event_type in PARTY_TYPES or cand.cameo in PARTY_CAMEO):
        return
    own = {a.country for m in cand.source for a in m.actors if a.country}
    if cand.source and any(not all(_own_force(a, own) for a in m.actors) for m in cand.target):
        return
    parties = sorted(_unique(cand.source or cand.target), key=lambda m: m.start)
    if not cand.source and not all(_between(cand.token.doc, m) for m in parties):
        return  # "talks with Turkish officials over Syria", "calls with both X and Y": someone else's
    if len(parties) == 1 and len({a.country for a in parties[0].actors}) >= 2:
        m = parties[0]  # "Russian and Turkish officials met": one phrase, two parties
        parties = [ActorMatch(m.start, m.end, m.head, [a], m.kind) for a in m.actors]
    if len({_actor_key(m) for m in parties}) >= 2:
        cand.source, cand.target = parties[:1], parties[1:]


def _between(doc: Doc, m: ActorMatch) -> bool:
    """Is the actor (or the first of its conjuncts) the object of "between/among" ("talks between X and Y")?"""
    tok = _first_conjunct(doc[m.head])
    return tok.dep_ == "pobj" and tok.head.lower_ in BOTH_PREPS


def _first_conjunct(tok: Token) -> Token:
    """The first of the coordinated words ``tok`` belongs to ("France" in "the US and France": "US")."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _conjoined(doc: Doc, a: ActorMatch, b: ActorMatch) -> bool:
    """Are two actors coordinated ("the US and France", "Russia, Iran and Turkey"): one side together,
    never each other's counterpart?"""
    return a.head != b.head and _first_conjunct(doc[a.head]).i == _first_conjunct(doc[b.head]).i


#: The dependents of an event noun that name whose act it is ("Turkey's airstrike", "Russian shelling").
OWNER_DEPS = frozenset({"poss", "amod", "compound", "nmod"})


def _owners(noun: Token, by_token: dict[int, ActorMatch]) -> list[ActorMatch]:
    """The actors an event noun's possessor and modifiers name: whose act it is."""
    return [m for c in noun.children if c.dep_ in OWNER_DEPS for m in _actors_in(c, by_token)]


def _noun_arguments(
    noun: Token, by_token: dict[int, ActorMatch], *, agentive_of: bool
) -> tuple[list[ActorMatch], list[ActorMatch], list[ActorMatch]]:
    """Actors of a nominal event: possessors and modifiers act ("Turkey's airstrike", "Russian
    shelling"), "by X" acts, "of X" acts for intransitive events ("the withdrawal of US troops")
    and undergoes for the rest ("the arrest of a consul"); other prepositions give targets."""
    sources: list[ActorMatch] = []
    targets: list[ActorMatch] = []
    both: list[ActorMatch] = []
    has_by = any(c.dep_ == "prep" and c.lower_ == "by" for c in noun.children)
    for child in noun.children:
        if child.dep_ in OWNER_DEPS:
            sources += _actors_in(child, by_token)
        elif child.dep_ == "prep":
            prep = child.lower_
            objs = _actors_in_prep(child, by_token)
            # "the bombardment of the enclave by Russian planes": the parse may hang the agent on the
            # object, and the agent acts
            agents = [m for obj in child.children if obj.dep_ == "pobj" for p in obj.children
                      if p.dep_ == "prep" and p.lower_ == "by" for m in _actors_in_prep(p, by_token)] \
                if prep == "of" else []
            if agents:
                sources += agents
                objs = [m for m in objs if m not in agents]
            if prep in BOTH_PREPS:
                both += objs
            elif prep == "by" or (prep == "of" and agentive_of and not has_by and not agents):
                sources += objs
            elif prep in TARGET_PREPS:
                targets += objs
    return sources, targets, both


def _verb_targets(
    verb: Token, by_token: dict[int, ActorMatch], *, skip: int, depth: int = 2
) -> tuple[list[ActorMatch], list[ActorMatch]]:
    """Targets of a verb (objects, recipients, "with/to/against/on X", also inside the object and
    the verb's infinitive complement: "pledged support to X", "vowed to deepen ties with X"), and
    the actors of "between/among" phrases."""
    targets: list[ActorMatch] = []
    both: list[ActorMatch] = []
    for child in verb.children:
        if child.i == skip:
            continue
        if child.dep_ in OBJECT_DEPS:
            targets += _actors_in(child, by_token) or _pronoun_antecedent(child, by_token)
            for gc in child.children:
                if gc.dep_ == "prep" and gc.lower_ in TARGET_PREPS - {"of"}:
                    targets += _actors_in_prep(gc, by_token)
                elif gc.dep_ == "prep" and gc.lower_ in BOTH_PREPS:
                    both += _actors_in_prep(gc, by_token)
        elif child.dep_ == "prep" and any(g.dep_ == "pobj" and g.lemma_.lower() == "participation"
                                          for g in child.children):
            both += _actors_in_prep(child, by_token)  # "held with the participation of X and Y"
        elif child.dep_ == "prep" and _ally_phrase(child):
            continue  # "invaded Afrin with the aid of Islamist proxies": the proxies are on its side
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
            targets += _actors_in_prep(child, by_token)
        elif child.dep_ == "prep" and child.lower_ in BOTH_PREPS:
            both += _actors_in_prep(child, by_token)
        elif child.dep_ == "ccomp" and verb.lemma_.lower() in ADDRESSEE_CCOMP:
            # "demanded that the US cancel …", "warned that Iran would …": the addressee.
            targets += [m for c in child.children if c.dep_ in ("nsubj", "nsubjpass") for m in _actors_in(c, by_token)]
        elif child.dep_ == "xcomp" and depth > 0:
            t2, b2 = _verb_targets(child, by_token, skip=skip, depth=depth - 1)
            targets += t2
            both += b2
    return targets, both


#: Modifiers that make an event noun a lasting state ("the existing cooperation").
STATE_MODIFIERS = frozenset({"existing", "longstanding", "traditional", "age-old", "decades-old"})


def _licensed_noun(tok: Token, by_token: dict[int, ActorMatch] | None) -> bool:
    """Is this event noun an event here, not just a topic ("talks were held" vs "a talk show")?
    It is when a light verb carries it, when it heads a headline, or when an actor owns it
    ("Japan's pledge", "the arrest of a consul by Russian agents"). With ``by_token`` None the
    actors are not known yet, and any owner or by/of phrase might be one. A relation described as
    lasting ("the existing cooperation", "their traditional partnership") is a state, never an event."""
    if any(t.lower_ in STATE_MODIFIERS for left in tok.lefts for t in left.subtree):
        return False
    head = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "ROOT"):  # not inside "liberated from X's occupation"
        for child in tok.children:
            if child.dep_ == "poss" and (by_token is None or _actors_in(child, by_token)):
                return True
            if child.dep_ == "prep" and child.lower_ in ("by", "of") and (
                    by_token is None or _actors_in_prep(child, by_token)):
                return True
    if tok.dep_ == "ROOT":
        return True
    if tok.dep_ in ("dobj", "obj", "nsubjpass", "attr", "oprd") and head.lemma_.lower() in LIGHT_VERBS:
        return True
    if tok.dep_ == "nsubj" and head.lemma_.lower() in EVENT_SUBJECT_VERBS:
        return True
    if tok.dep_ == "nsubjpass" and head.lemma_.lower() in {"hold", "conduct", "stage", "launch", "carry", "sign"}:
        return True
    if tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.lemma_.lower() in MOTION_VERBS:
        return True  # "came for a visit", "arrived on an official visit"
    if tok.dep_ == "pobj" and head.lower_ == "in" and _is_participation(head.head):
        return True  # "took part in a rally", "participated in the talks"
    if _claimed_responsibility(tok) is not None:
        return True  # "claimed responsibility for the bombing"
    if tok.dep_ == "pobj" and head.lower_ == "with" and head.head.lemma_.lower() in RESPONSE_VERBS:
        return True  # "responded with threats of military action", "retaliated with air strikes"
    if tok.dep_ == "pobj" and head.lower_ == "on" and tok.lemma_.lower() in ALERT_NOUNS and (
            head.head.lemma_.lower() in ALERT_VERBS):
        return True  # "troops remained on high alert", "were put on standby"
    if tok.dep_ == "conj":
        return _licensed_noun(tok.head, by_token) if tok.head.pos_ in ("NOUN", "PROPN") else False
    return settings.NOMINAL_EVENTS_WITH_ACTORS and _owned_by_actors(tok, by_token)


def _claimed_responsibility(tok: Token) -> Token | None:
    """The verb of "claimed/admitted responsibility for <tok>", whose subject did the act; else None."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "for" or prep.head.lemma_.lower() != "responsibility":
        return None
    verb = prep.head.head
    return verb if prep.head.dep_ == "dobj" and verb.lemma_.lower() in RESPONSIBILITY_VERBS else None


def _owned_by_actors(tok: Token, by_token: dict[int, ActorMatch] | None) -> bool:
    """An event noun in any position whose own phrase names an actor: a modifier or possessor that
    is a state, group or person ("Russian air strikes", "Israel's raids"; not a bare role word such
    as "military cooperation"), or an actor in a by/on/against/of … phrase ("the offensive against
    the YPG"). A noun that only modifies another is never one. With ``by_token`` None (the first
    pass, before the actors are known) any noun that could be owned counts."""
    if tok.dep_ in ("compound", "amod"):
        return False
    if by_token is None:
        return True
    if any(m.kind != "role" for m in _owners(tok, by_token)):
        return True
    return any(c.dep_ == "prep" and c.lower_ in NOMINAL_ARGUMENT_PREPS and _actors_in_prep(c, by_token)
               and not (c.lower_ == "between" and tok.lemma_.lower() in RELATION_NOUNS)
               for c in tok.children)


#: Nouns of a lasting relation: "between X and Y" names a state of affairs with them ("military
#: cooperation between Azerbaijan and Turkey emerged in 1992"), not an encounter ("clashes between").
RELATION_NOUNS = frozenset({"cooperation", "collaboration", "partnership", "alliance", "coordination", "relation",
                            "relations", "relationship", "ties", "friendship", "rivalry", "tension", "tensions"})
#: Prepositions that give a nominal event its second party ("strikes on", "a campaign against").
NOMINAL_ARGUMENT_PREPS = frozenset({"on", "against", "by", "of", "in", "into", "with", "at", "from", "to", "between"})


def _is_question(sent: Span) -> bool:
    """A question is not coded as an event ("Will Turkey attack?"): the sentence's text, trailing
    whitespace aside, ends with a question mark (read off its last tokens, not its whole text)."""
    doc = sent.doc
    for i in range(sent.end - 1, sent.start - 1, -1):
        text = doc[i].text.rstrip()
        if text:
            return text.endswith("?")
    return False


def _is_obligation(tok: Token) -> bool:
    """A reported clause under an obligation modal, not negated ("said Sudan must return …")."""
    return tok.dep_ == "ccomp" and tok.head.lemma_.lower() in REPORTING and any(
        c.dep_ == "aux" and c.lower_ in OBLIGATION_MODALS for c in tok.children
    ) and not any(c.dep_ == "neg" for c in tok.children)


def _is_participation(word: Token) -> bool:
    """Does "in X" after this word say who takes part in X ("participated in", "took part in")?"""
    lemma = word.lemma_.lower()
    if lemma in PARTICIPATION_VERBS:
        return True
    if lemma == "part":
        return word.head.lemma_.lower() == "take"
    return lemma == "take" and any(c.dep_ == "dobj" and c.lower_ == "part" for c in word.children)


def _polarity(tok: Token, rule: TriggerRule) -> str | None:
    """Why the statement is not a factual event (negated, hypothetical, conditional), or None."""
    anchors = [tok]
    if tok.pos_ in ("NOUN", "PROPN") and tok.head.i != tok.i:
        anchors.append(tok.head)
        if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            return "negated"
    for anchor in anchors:
        for child in anchor.children:
            if child.dep_ == "neg" or child.lower_ in ("never", "not", "n't"):
                return "negated"
            reported = anchor.dep_ == "ccomp" and anchor.head.lemma_.lower() in REPORTING
            if child.dep_ == "aux" and child.lower_ in MODALS and not (child.lower_ == "would" and reported) and (
                rule.event_type not in SPEECH_ACT_TYPES or child.lower_ in ("could", "might", "may", "must", "should")
            ):
                return "hypothetical"  # "must agree" is an obligation (a REQUEST of whoever says it), not an agreement
            if child.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
                g.dep_ == "det" and g.lower_ == "no" for g in child.children
            ):
                return "negated"  # "no talks were held", "no deadline had been set"
            if rule.event_type in ("THREATEN", "REQUEST") or _is_future(tok):
                continue  # "threatened to … unless …", "will withdraw … unless …": the threat itself
            if child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKS:
                return "conditional"
            if _clause_mark(child, CONDITIONAL_MARKS):
                return "conditional"  # the main clause of "if …, X would …"
    if rule.event_type not in ("THREATEN", "REQUEST") and _in_conditional_clause(tok):
        return "conditional"  # "if the United States goes ahead with the deployment"
    # "refused to meet", "failed to agree": the matrix verb carries the event, if any.
    head = tok.head if tok.pos_ not in ("NOUN", "PROPN") else tok.head.head
    if tok.dep_ in ("xcomp", "ccomp") or (tok.pos_ in ("NOUN", "PROPN") and tok.head.dep_ == "xcomp"):
        if head.lemma_.lower() in NON_FACTIVE and head.lemma_.lower() not in INTENT_HEADS:
            return "non-factive"
        if any(c.dep_ == "neg" for c in head.children):
            return "negated"
    return None


def _is_reference(tok: Token) -> bool:
    """Is the trigger only the time frame or cause of the sentence's event: "after a jet shot down
    a helicopter", "because of fighting", "following the killing of", "whom they had taken hostage
    two weeks ago"? Such earlier events are reported in their own right where they happen."""
    node = tok
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "pobj":
        prep = tok.head
        if prep.lower_ in REFERENCE_PREPS or prep.lower_ in CAUSE_WORDS or (
                prep.lower_ == "of" and prep.head.lower_ in CAUSE_WORDS):
            return True
    while node.head.i != node.i:
        if _clause_mark(node, REFERENCE_MARKS):
            return True
        if node.dep_ in ("relcl", "acl") and any(
                c.dep_ == "aux" and c.lower_ == "had" for c in node.children):
            return True  # past perfect in a relative clause: background
        if node.dep_ in ("ROOT", "ccomp") or (node.dep_ == "conj" and node.head.dep_ == "ROOT"):
            return False
        node = node.head
    return False


def _in_conditional_clause(tok: Token) -> bool:
    """Is the token inside an "if/unless/whether" clause (at any depth below the clause's verb)?"""
    node = tok
    while node.head.i != node.i:
        if _clause_mark(node, CONDITIONAL_MARKS):
            return True
        node = node.head
    return False


def _recode_unrealised(tok: Token, rule: TriggerRule, polarity: str) -> tuple[str, str | None, str] | None:
    """The event an unrealised trigger still reports, or None: "will not accept refugees" and
    "does not agree" are refusals (REJECT), "failed to reach agreement" too ("did not sign" only
    reports that nothing happened); an attempted attack
    ("tried to assassinate") is coded as the attack, as CAMEO does."""
    lemma = tok.lemma_.lower()
    if polarity == "negated" and lemma in REFUSABLE_LEMMAS and tok.pos_ in ("VERB", "AUX") and any(
        c.dep_ == "aux" and c.lower_ in REFUSAL_AUX for c in tok.children
    ):
        return "REJECT", None, REFUSAL_CODES.get(rule.event_type, "120")
    if polarity != "non-factive":
        return None
    governor = _governing_verb(tok).lemma_.lower()
    if governor in FAILURE_VERBS and rule.event_type in ("AGREE", "CONSULT", "COOPERATE"):
        return "REJECT", None, "120"
    if governor in ATTEMPT_VERBS and rule.event_type in ("ASSAULT", "COERCE"):
        return rule.event_type, rule.mode, rule.cameo or ""
    return None


def _governing_verb(tok: Token) -> Token:
    """The verb an infinitive complement (or its event noun) hangs from: "failed" in "failed to agree"."""
    return tok.head if tok.pos_ not in ("NOUN", "PROPN") else tok.head.head


#: Types of act that are alleged rather than stated when someone claims or is accused of them.
ALLEGEABLE_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "AID", "COOPERATE", "THREATEN",
                              "PROTEST", "RETREAT"})


def _accident(tok: Token, sent: Span) -> bool:
    """Are the deaths or damage of this trigger a disaster's, an accident's or a disease's ("floods
    killed 40", "an explosion at a chemical plant killed 12 workers", "the crash killed all on board")?
    The cause may be the subject, the agent of a passive ("were killed by the quake"), a phrase or
    clause of circumstance in its clause ("destroyed in a fire", "killed when an earthquake razed the
    villages"), the noun a relative clause hangs on ("the earthquake that killed 10") or, for "it",
    the subject of the sentence before ("The quake struck at dawn. It killed 612 people"); a cause
    other than the subject counts only without words of attack in the sentence."""
    verb = tok.head if tok.dep_ == "conj" and not _has_subject(tok) else tok
    causes = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if tok.pos_ == "NOUN" and tok.dep_ in SUBJECT_DEPS:
        causes.append(tok)
    causes += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    causes += [g for c in verb.subtree if c.dep_ == "prep" and c.lower_ in ("in", "during", "after")
               for g in c.children if g.dep_ == "pobj"]
    causes += [g for c in verb.subtree if c.dep_ == "advcl" for g in c.children if g.dep_ in SUBJECT_DEPS]
    if verb.dep_ == "relcl" and any(c.dep_ in SUBJECT_DEPS and c.lower_ in ("that", "which") for c in verb.children):
        causes.append(verb.head)
    if any(c.dep_ in SUBJECT_DEPS and c.lower_ == "it" for c in verb.children) and sent.start > 0:
        before = sent.doc[sent.start - 1].sent
        causes += [t for t in before if t.dep_ in SUBJECT_DEPS and t.head.dep_ == "ROOT"]
    causes += [cc for c in causes for cc in c.children if cc.dep_ == "conj"]
    lemmas = {c.lemma_.lower() for c in causes}
    if lemmas & ACCIDENT_NOUNS:
        return not ({t.lemma_.lower() for t in sent} & ATTACK_WORDS) or bool(
            {c.lemma_.lower() for c in verb.children if c.dep_ in SUBJECT_DEPS} & ACCIDENT_NOUNS)
    if lemmas & AMBIGUOUS_CAUSES:
        words = {t.lemma_.lower() for t in sent}
        return not (words & ATTACK_WORDS)
    return False


def _sport(sent: Span) -> bool:
    """Does the sentence report a game ("beat India by six wickets", "in the Asian Cup semi-final")?"""
    return SPORT_WORDS.search(sent.text.lower()) is not None


def _alleging_verb(tok: Token) -> Token | None:
    """The claim or accusation verb this trigger is the reported content of ("claimed that … shelled",
    "accused X of shelling", "blamed X for the attack"), within three steps up the parse."""
    node = tok
    for _ in range(3):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX") and node.lemma_.lower() in ALLEGING_VERBS:
            return node
        if node.pos_ in ("VERB", "AUX") and node.lemma_.lower() not in ("be", "have"):
            if node.dep_ not in ("ccomp", "pcomp", "xcomp", "advcl") and node.dep_ != "ROOT":
                return None
    return None


def _is_alleged(tok: Token, lexicon: TriggerLexicon) -> bool:
    """Is this trigger's act only claimed: under a claim/accusation verb or an embedding ACCUSE
    trigger, or hedged by "reportedly", "allegedly"?"""
    if _alleging_verb(tok) is not None:
        return True
    embedded = _embedding_trigger(tok, lexicon)
    if embedded is not None and embedded.event_type == "ACCUSE":
        return True
    verb = tok.head if tok.pos_ in ("NOUN", "PROPN") else tok
    return any(c.lower_ in ALLEGING_ADVERBS for w in (tok, verb) for c in w.children)


def _embedding_trigger(tok: Token, lexicon: TriggerLexicon) -> TriggerRule | None:
    """The trigger this one is the complement of ("agreed to cooperate" → agree)."""
    node = tok
    for _ in range(2):
        if node.dep_ not in ("xcomp", "pcomp", "dobj", "pobj", "prep") or node.head.i == node.i:
            return None
        node = node.head
        if node.dep_ == "prep":
            if node.lower_ in CIRCUMSTANCE_PREPS:
                return None  # "In a phone call with X, Y agreed …": the call frames the act, it is no content of it
            continue
        rule = lexicon.match(node)
        if rule is not None and node.lemma_.lower() in WISH_VERBS and not _wants_someone_to(node):
            return None  # "wants to join": the wish is no trigger, the joining an intention
        if rule is not None:
            return rule
    return None


def _is_future(tok: Token) -> bool:
    """Will/shall, or "would" in reported speech ("said they would boycott …")."""
    verb = tok.head if tok.pos_ in ("NOUN", "PROPN") else tok
    for c in verb.children:
        if c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX:
            return True
        if c.dep_ == "aux" and c.lower_ == "would" and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in REPORTING:
            return True
    return False


def _condition_mark(tok: Token) -> str | None:
    """The mark ("if", "unless", "whether") of a conditional clause on the trigger's verb, or None."""
    verb = tok.head if tok.pos_ in ("NOUN", "PROPN") else tok
    return next((m for c in verb.children if (m := _clause_mark(c, CONDITIONAL_MARKS))), None)


def _clause_mark(clause: Token, marks: frozenset[str]) -> str | None:
    """The subordinator of an adverbial clause ("if", "unless", "after" …) when it is one of
    ``marks``, else None."""
    if clause.dep_ != "advcl":
        return None
    return next((c.lower_ for c in clause.children if c.dep_ == "mark" and c.lower_ in marks), None)


def _has_date_words(sent: Span) -> bool:
    """Does the sentence name a calendar date ("on 5 October", "between 05-08 October 2021")?
    A scheduled event with a date is reported as such, not as a mere intention."""
    return any(e.label_ == "DATE" and _CALENDAR.search(e.text) for e in sentence_entities(sent))


_CALENDAR = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


def _is_intent(tok: Token) -> bool:
    """An infinitive under an intention ("is willing to withdraw", "plans to impose", "prepared to
    resume shelling")."""
    return _intent_head(tok) is not None


def _intent_head(tok: Token) -> Token | None:
    """The intention word an action depends on, through aspectual verbs ("prepared to resume …")."""
    node = tok
    while node.dep_ == "xcomp" and node.head.lemma_.lower() in ASPECTUAL_VERBS and node.head.i != node.i:
        node = node.head
    if not _is_infinitive(node) or node.dep_ not in ("xcomp", "ccomp", "advcl"):
        return None
    return node.head if node.head.lemma_.lower() in INTENT_HEADS else None


def _pronoun_antecedent(tok: Token, by_token: dict[int, ActorMatch]) -> list[ActorMatch]:
    """'him'/'her' (or 'he'/'she' of a passive, "he was arrested"): the latest person or role
    named before them, as subjects resolve (:func:`_subjects`)."""
    if tok.lower_ not in PERSONAL_PRONOUNS:
        return []
    # never the clause's own subject ("Turkish police arrested him" is not the police)
    own = {t.i for c in tok.head.children if c.dep_ in SUBJECT_DEPS or c.dep_ == "agent" for t in c.subtree}
    before = {id(m): m for m in by_token.values()
              if m.end <= tok.i and _one_person(m, tok.doc) and m.head not in own}
    return sorted(before.values(), key=lambda m: m.end)[-1:]


def _actors_in(token: Token, by_token: dict[int, ActorMatch]) -> list[ActorMatch]:
    """Actor matches of the phrase headed by ``token``, following coordination and apposition."""
    found: list[ActorMatch] = []
    stack = [token]
    while stack:
        tok = stack.pop()
        m = by_token.get(tok.i)
        if m is not None and m not in found:
            found.append(m)
        for child in tok.children:
            if child.dep_ in STOP_DEPS:
                continue
            if child.dep_ == "prep" and child.lower_ not in ("of", "from", "between", "and", "by"):
                continue
            stack.append(child)
    return sorted(found, key=lambda m: m.start)


def _is_main_clause(tok: Token) -> bool:
    """Is the trigger (or the verb carrying an event noun) asserted by the sentence: its root, a
    conjunct of it, or the reported clause of a reporting verb ("X said Y lifted …")? Triggers in
    conditional, purpose, relative or participial clauses are not."""
    node = tok
    if tok.pos_ in ("NOUN", "PROPN"):
        while node.dep_ in NOUN_CARRIER_DEPS and node.head.i != node.i:
            node = node.head
            if node.pos_ in ("VERB", "AUX"):
                break
    for _ in range(6):
        if node.dep_ == "ROOT":
            return True
        if node.dep_ == "conj" or (node.dep_ in ("ccomp", "parataxis") and node.head.lemma_.lower() in REPORTING):
            node = node.head
            continue
        if node.dep_ == "xcomp" and node.head.lemma_.lower() in ASPECTUAL_VERBS:
            node = node.head
            continue
        return False
    return False


def _ally_phrase(prep: Token) -> bool:
    """Is this preposition's phrase an ally of the clause's actor: "alongside X", "with the help of X",
    "with US air support"?"""
    if prep.lower_ in ALLY_PREPS:
        return True
    return prep.lower_ == "with" and any(c.dep_ == "pobj" and c.lemma_.lower() in HELP_NOUNS for c in prep.children)


def _ally(tok: Token, trigger: Token) -> bool:
    """Is this actor word in an ally phrase of the trigger ("fought alongside the YPG")?"""
    node = tok
    for _ in range(4):
        if node.head.i == node.i:
            return False
        if node.head.i == trigger.i:
            return node.dep_ == "prep" and _ally_phrase(node)
        node = node.head
    return False


def _actors_in_subtree(tok: Token, by_token: dict[int, ActorMatch]) -> list[ActorMatch]:
    """Actors below a trigger in its own clause (not in its subject, nor in other clauses; a
    participle of affiliation counts: "sanctioned firms linked to Iran")."""
    found: list[ActorMatch] = []
    stack = [c for c in tok.children if c.dep_ not in SUBJECT_DEPS and c.dep_ not in STOP_DEPS
             and not (c.dep_ == "prep" and _ally_phrase(c))]  # "fought alongside X": X is on its side
    while stack:
        node = stack.pop()
        m = by_token.get(node.i)
        if m is not None and m not in found:
            found.append(m)
        stack.extend(c for c in node.children if c.dep_ not in STOP_DEPS or (
            c.dep_ == "acl" and node.pos_ in ("NOUN", "PROPN") and c.lemma_.lower() in AFFILIATION_VERBS))
    return sorted(found, key=lambda m: m.start)


#: Clauses a trigger governs (its complements and purpose), and the attachments that are not part of one.
GOVERNED_CLAUSE_DEPS = frozenset({"xcomp", "ccomp", "advcl"})
ASIDE_DEPS = frozenset({"relcl", "acl", "parataxis", "punct", "appos", "cc", "conj"})


def _actors_in_clauses(tok: Token, by_token: dict[int, ActorMatch]) -> list[ActorMatch]:
    """Actors of the clauses a trigger governs, nested ones included ("to help Lebanon cope", "that
    Pretoria would help Mozambique", "to let ECOWAS observers monitor"), not of relative clauses or
    asides; nearest first."""
    found: list[ActorMatch] = []
    queue = [c for c in tok.children if c.dep_ in GOVERNED_CLAUSE_DEPS]
    while queue:
        node = queue.pop(0)
        m = by_token.get(node.i)
        if m is not None and m not in found:
            found.append(m)
        queue.extend(c for c in node.children if c.dep_ not in ASIDE_DEPS)
    return found


def _actors_in_prep(prep: Token, by_token: dict[int, ActorMatch]) -> list[ActorMatch]:
    """Actors of a preposition's noun object (not of a gerund clause: "for supporting X")."""
    out: list[ActorMatch] = []
    for child in prep.children:
        if child.dep_ in ("pobj", "obj"):
            out += _actors_in(child, by_token)
    return out


def _subjects(verb: Token, by_token: dict[int, ActorMatch], matches: list[ActorMatch]) -> list[ActorMatch]:
    """Actors of the verb's subjects; 'he'/'she' resolve to the latest person or role before them."""
    out: list[ActorMatch] = []
    for child in verb.children:
        if child.dep_ not in SUBJECT_DEPS:
            continue
        if child.lower_ in PERSONAL_PRONOUNS:
            before = [m for m in matches if m.end <= child.i and _one_person(m, child.doc)]
            out += before[-1:]
        elif child.lower_ == "it":  # "Syria said it is willing to …": the latest state or body
            before = [m for m in matches if m.end <= child.i and (
                m.kind in ("country", "igo", "org") or (m.kind == "role" and _is_body(m, child.doc)))]
            out += before[-1:]
        elif child.lower_ == "they":  # "Palestinian leaders said they would …": the latest actor
            before = [m for m in matches if m.end <= child.i and m.start >= child.sent.start]
            if not before and settings.THEY_ACROSS_SENTENCES:
                before = _previous_subjects(child, matches)
            out += before[-1:]
        else:
            out += _actors_in(child, by_token)
    return out


def _wants_someone_to(verb: Token) -> bool:
    """Does a wish verb ask something of another: an object with an infinitive or a clause of its own
    ("wants the Russians to ensure …", "wants the committee to meet in Damascus")?"""
    for c in verb.children:
        if c.dep_ in ("ccomp", "xcomp") and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
            return True
        if c.dep_ == "dobj" and any(g.dep_ in ("xcomp", "acl") and _is_infinitive(g) for g in c.children):
            return True
        if c.dep_ == "dobj" and any(s.dep_ == "xcomp" for s in verb.children):
            return True
    return False


def _hyphen_modifier(tok: Token) -> bool:
    """Is the trigger the second half of a hyphenated modifier ("the US-backed forces", "a Saudi-led
    coalition", "an Iranian-backed assault")? It describes who stands behind an actor or an act, as
    an epithet, not as an event the sentence reports."""
    i = tok.i
    node = tok
    while node.dep_ == "conj" and node.head.i < node.i:
        node = node.head  # "a Russian and Iranian-backed assault": the parse hangs "backed" on "Russian"
    return (i >= 2 and tok.doc[i - 1].text in HYPHENS and not tok.doc[i - 1].whitespace_
            and not tok.doc[i - 2].whitespace_ and node.dep_ in ("amod", "compound", "nmod")
            and node.head.pos_ in ("NOUN", "PROPN"))


def _attribution(tok: Token) -> bool:
    """Is this word (or a phrase it stands in) the source a sentence is attributed to ("according to
    Xinhua"), not a party to its event?"""
    for node in (tok, *list(tok.ancestors)[:3]):
        if node.dep_ == "pobj" and node.head.lower_ == "to" and node.head.head.lower_ == "according":
            return True
    return False


def _previous_subjects(pron: Token, matches: list[ActorMatch]) -> list[ActorMatch]:
    """What a sentence-initial "they" refers to: the subject actors of the sentence before (not a
    single named person), the latest last ("Kurdish leaders met the envoy. They also warned …")."""
    doc = pron.doc
    start = pron.sent.start
    if start == 0:
        return []
    prev = doc[start - 1].sent
    return [m for m in matches if prev.start <= m.start < prev.end and doc[m.head].dep_ in SUBJECT_DEPS
            and not (m.kind == "person" and len(m.actors) == 1)]


def _one_person(m: ActorMatch, doc: Doc) -> bool:
    """Can 'he'/'she'/'him'/'her' refer to this match: a person, or a role held by one person
    ("the Turkish president"), not an institution or a plural or collective noun ("the army",
    "officials")?"""
    if m.kind == "person":
        return True
    head = doc[m.head]
    return m.kind == "role" and head.tag_ in ("NN", "NNP") and not _is_body(m, doc) \
        and head.lemma_.lower() not in COLLECTIVE_NOUNS


def _is_body(m: ActorMatch, doc: Doc) -> bool:
    """Is a role match an institution ("the teachers' union", "the ministry") rather than a person
    or a plural group, so that "it" can refer to it?"""
    head = doc[m.head]
    if head.tag_ in ("NN", "NNP") and head.lemma_.lower() in BODY_NOUNS:
        return True
    # "the Kenyan teachers' union": the matched role modifies the institution's noun.
    return head.dep_ in ("poss", "compound") and head.head.lemma_.lower() in BODY_NOUNS


def _own_force(actor: Actor, own_countries: set[str | None]) -> bool:
    """Is the actor the armed forces, police or intelligence of one of these countries (an acting
    state's instrument, not its counterpart)?"""
    return actor.country in own_countries and actor.sector in FORCE_SECTORS


def _warned_about(verb: Token, by_token: dict[int, ActorMatch], matches: list[ActorMatch],
                  sources: list[ActorMatch]) -> list[ActorMatch]:
    """Whom a warning accuses: the subject of its "that" clause when that clause tells what another
    party is doing or has done ("warned that the Americans have taken dangerous steps", "warned the
    governments were trying to force refugees home"), with no modal or future (a warning of what
    will happen is a threat or a plea, nor an intention: "was ready to") and the subject neither the
    speaker, their own state or forces, nor civilians. Empty when the warning is not such a charge."""
    if verb.lemma_.lower() not in WARNING_VERBS or verb.pos_ != "VERB":
        return []
    own = {a.country for m in sources for a in m.actors if a.country}
    for clause in verb.children:
        if clause.dep_ != "ccomp" or clause.pos_ not in ("VERB", "AUX"):
            continue
        if any(c.dep_ in ("aux", "auxpass") and (c.lower_ in MODALS or c.lower_ in FUTURE_AUX)
               for c in clause.children) or _condition_mark(clause) or clause.tag_ == "VB":
            return []
        if any(c.dep_ == "acomp" and c.lemma_.lower() in INTENT_HEADS for c in clause.children):
            return []  # "warned Iran that Israel was ready to use force": an intention, so a threat
        subjects = [c for c in clause.children if c.dep_ in SUBJECT_DEPS]
        if any(c.lower_ in FIRST_PERSON_SPEAKERS for c in subjects):
            return []
        if subjects:
            found = _subjects(clause, by_token, matches)
        else:  # "warned the government had been trying …", parsed as the warning's object
            subjects = [c for c in verb.children if c.dep_ == "dobj" and c.i < clause.i]
            found = [m for c in subjects for m in _actors_in(c, by_token)]
        # the subject must itself be an actor, not an act of one ("that a Turkish operation is near")
        heads = {c.i for c in subjects} | {c.i for s in subjects for c in s.conjuncts}
        return [m for m in found
                if m.head in heads and m not in sources
                and not any(_own_force(a, own) or (a.sector == "CVL" and m.kind != "country")
                            or (m.kind == "country" and a.country in own) for a in m.actors)]
    return []


def _own_side(targets: list[ActorMatch], sources: list[ActorMatch]) -> bool:
    """Every target actor belongs to a country among the sources' (the speaker's own side)."""
    own = {a.country for m in sources for a in m.actors if a.country}
    return bool(own) and all(a.country in own for m in targets for a in m.actors)


def _conditional_subjects(verb: Token, by_token: dict[int, ActorMatch], matches: list[ActorMatch]) -> list[ActorMatch]:
    """Actors of the subject of the first "if"/"unless" clause below the verb ("warned that it would
    respond if Assad used …" → Assad; "threatened to stop talks if the United States goes ahead …")."""
    for tok in verb.subtree:
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
            found = _subjects(tok, by_token, matches)
            if found:
                return found
    return []


def _objects(verb: Token, by_token: dict[int, ActorMatch]) -> list[ActorMatch]:
    return [m for c in verb.children if c.dep_ in OBJECT_DEPS for m in _actors_in(c, by_token)]


def _reduced_passive(verb: Token, rule: TriggerRule | None) -> bool:
    """Is a verb a past participle modifying a noun as a passive ("a soldier jailed in Turkey", "a man killed
    in Raqqa"), whose noun is then the one acted on? Not for verbs whose participle is no passive
    ("fighters returned from Syria") nor for the types whose actors move themselves ("troops deployed")."""
    return (verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN", "PRON")
            and verb.lemma_.lower() not in UNACCUSATIVE_VERBS
            and not (rule is not None and rule.event_type in SELF_MOVING_TYPES)
            and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)
            # "the declaration the two leaders signed had …", parsed with two subjects: an object relative
            and not any(c.dep_ == verb.head.dep_ and c.i != verb.head.i for c in verb.head.head.children))


def _controller(verb: Token, by_token: dict[int, ActorMatch], matches: list[ActorMatch]) -> list[ActorMatch]:
    """The subject a subjectless clause inherits: conjuncts share it; complements take the
    governing verb's object ("urged Iran to …", "thanked Turkey for …") or subject ("agreed to …");
    relative and participial clauses take their noun, or the subject of the verb that noun
    depends on ("the parliament approved a bill to extend …")."""
    node = verb
    for _ in range(6):
        head = node.head
        if head.i == node.i:
            return []
        dep = node.dep_
        if dep in ("xcomp", "pcomp", "advcl", "acomp") or (dep == "pobj" and head.dep_ == "prep"):
            gov = head.head if head.dep_ == "prep" else head
            if dep in ("xcomp", "pcomp") and gov.lemma_.lower() in OBJECT_CONTROL:
                objs = _objects(gov, by_token)
                if objs:
                    return objs
            subs = _subjects(gov, by_token, matches)
            if subs:
                return subs
            if dep == "xcomp" and gov.lemma_.lower() in IMPLICATIVE_VERBS:
                # "Turkey was forced to withdraw": the one forced does it
                forced = [m for c in gov.children if c.dep_ == "nsubjpass" for m in _actors_in(c, by_token)]
                if forced:
                    return forced
            node = gov
        elif dep == "conj":
            subs = _subjects(head, by_token, matches)
            if subs:
                return subs
            node = head
        elif dep in ("relcl", "acl"):
            own = _actors_in(head, by_token)
            if own:
                return own
            node = head
        elif node.pos_ in ("NOUN", "PROPN", "PRON") and dep in ("dobj", "obj", "attr", "oprd", "nsubjpass"):
            subs = _subjects(head, by_token, matches)
            if subs:
                return subs
            node = head
        else:
            return []
    return []


def _context_tokens(token: Token, lemmas: frozenset[str], depth: int = 3) -> list[Token]:
    """Dependents of a trigger (through prepositions) whose lemma is one of ``lemmas``."""
    out = [child for child in context_dependents(token, depth) if child.lemma_.lower() in lemmas]
    if token.dep_ in ("acl", "relcl") and token.head.lemma_.lower() in lemmas:
        out.append(token.head)
    return out


def _dating_expressions(
    sent: Span, trigger: Token, published: str | None, is_nested_trigger: Callable[[Token], bool]
) -> list[TimeExpression]:
    """Time expressions of the sentence that can date this trigger: not those inside another
    clause or another event phrase below it ("thanked Turkey for its support during the 2020 war"
    is not dated 2020; "pledged support to restore territories liberated in 2020" neither)."""
    exprs = find_time_expressions(sent.text, published)
    if not exprs:
        return exprs
    anchor = trigger.head if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ != "ROOT" else trigger
    own = {trigger.i, anchor.i}
    if trigger.pos_ in ("NOUN", "PROPN"):
        # "the ceasefire signed on 10 November 2020", "the talks held in Geneva last week": the participle
        # that carries out the event noun dates it
        own |= {c.i for c in trigger.children if c.dep_ == "acl" and c.tag_ in ("VBN", "VBG")
                and c.lemma_.lower() in LIGHT_VERBS}
    keep = []
    for e in exprs:
        span = sent.doc.char_span(sent.start_char + e.char_start, sent.start_char + e.char_end,
                                  alignment_mode="expand")
        if span is None or e.is_reporting or (settings.LEADING_DATE_SCOPES_SENTENCE and _leads_sentence(sent.text, e)):
            keep.append(e)  # "Last year, …": a fronted time adverbial dates every clause of the sentence
            continue
        node, blocked = span.root, False
        while node.i not in own and node.head.i != node.i:
            opens_clause = node.pos_ in ("VERB", "AUX") and node.dep_ in CLAUSE_DEPS and not (
                settings.DATE_WHEN_CLAUSE and _simultaneous_clause(node))
            reference = node.dep_ == "prep" and node.lower_ in REFERENCE_PREPS and not span.start <= node.i < span.end
            if (opens_clause or reference or is_nested_trigger(node)) and _is_descendant(node, anchor):
                blocked = True
                break
            node = node.head
        if not blocked:
            keep.append(e)
    return keep


def _simultaneous_clause(node: Token) -> bool:
    """A "when"/"while" clause of the event's verb ("When he returned last year, he was arrested"): its
    time is the event's own."""
    return node.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") and c.lower_ in ("when", "while")
                                        for c in node.children)


def _leads_sentence(text: str, e: TimeExpression) -> bool:
    """Does the expression open the sentence, set off by a comma ("Last year, …", "In July 2016, …")?"""
    return not text[:e.char_start].strip(" \"“‘'(") and text[e.char_end:e.char_end + 1] == ","


def _is_descendant(node: Token, ancestor: Token) -> bool:
    while node.head.i != node.i:
        node = node.head
        if node.i == ancestor.i:
            return True
    return False


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in SUBJECT_DEPS or c.dep_ in ("nsubjpass", "agent", "expl") for c in verb.children)


def _is_infinitive(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children)


def _is_habitual(tok: Token) -> bool:
    verb = tok.head if tok.pos_ in ("NOUN", "PROPN") else tok
    return any(c.dep_ == "advmod" and c.lower_ in HABITUAL_ADVERBS for c in verb.children)


def _nearest_before(
    tok: Token, sent: Span, matches: list[ActorMatch], exclude: list[ActorMatch]
) -> list[ActorMatch]:
    """Fallback when the parse gives no subject: the nearest actor before the trigger in the
    same clause (no verb between them)."""
    for m in reversed(matches):
        if m.end <= tok.i and m.start >= sent.start and m not in exclude:
            between = sent.doc[m.end : tok.i]
            if any(t.pos_ == "VERB" for t in between):
                return []
            if _is_argument_of_other(sent.doc[m.head], tok):
                return []  # "killed one U.S. soldier and wounded two others": a victim, not the actor
            return [m]
    return []


def _coordinated_object(tok: Token, by_token: dict[int, ActorMatch]) -> list[ActorMatch]:
    """The actors objects of the verb a trigger is coordinated with ("killed X and wounded …")."""
    if tok.dep_ != "conj" or tok.head.pos_ not in ("VERB", "AUX"):
        return []
    return [m for c in tok.head.children if c.dep_ in OBJECT_DEPS for m in _actors_in(c, by_token)]


def _is_argument_of_other(head: Token, trigger: Token) -> bool:
    """Is an actor the object of a verb or preposition other than the trigger's own?"""
    node = head
    while node.dep_ in ("compound", "amod", "poss", "nmod", "conj", "appos") and node.head.i != node.i:
        node = node.head
    if node.dep_ in ("dobj", "obj", "dative", "attr", "nsubjpass"):
        return node.head.i != trigger.i
    if node.dep_ == "pobj":
        return node.head.head.i != trigger.i
    return False


def _unique(items: Iterable[ActorMatch]) -> list[ActorMatch]:
    out: list[ActorMatch] = []
    for m in items:
        if m not in out:
            out.append(m)
    return out


def _actor_key(m: ActorMatch) -> tuple[str, ...]:
    """Who an actor match denotes (its actors' names and countries), to tell two matches apart."""
    return tuple(sorted(f"{a.name}|{a.country}" for a in m.actors))


def _actor_list(matches: list[ActorMatch]) -> list[Actor]:
    out: list[Actor] = []
    seen: set[tuple[str, str | None]] = set()
    for m in matches:
        for a in m.actors:
            key = (a.name, a.country)
            if key not in seen:
                seen.add(key)
                out.append(a)
    return out


#: Sectors of armed actors: backing one is material support (PLOVER AID), not a statement.
ARMED_SECTORS = frozenset({"MIL", "REB", "UAF", "INS"})
#: Verbs of backing that PLOVER codes SUPPORT only when the backing is verbal.
BACKING_LEMMAS = frozenset({"back", "support"})


def _material_support(cand: _Candidate, source: list[Actor], target: list[Actor]) -> bool:
    """PLOVER's SUPPORT is verbal only; "Turkey supported anti-Assad forces", "militias supported by
    2,000 US troops", "a group backed by Saudi Arabia" in a war are material backing of an armed actor
    (AID): the one backed is armed, or troops and forces do the backing."""
    if not settings.MATERIAL_SUPPORT or cand.event_type != "SUPPORT" or cand.token.pos_ != "VERB" or (
            cand.token.lemma_.lower() not in BACKING_LEMMAS):
        return False
    passive = any(c.dep_ in ("auxpass", "agent") for c in cand.token.children)
    return any(a.sector in ARMED_SECTORS for a in target) or (
        passive and any(a.sector in ARMED_SECTORS for a in source))


def _dedupe_candidates(cands: list[_Candidate]) -> list[_Candidate]:
    """One mention per event per sentence: the same type between the same actors is kept once."""
    best: dict[tuple, _Candidate] = {}
    for c in cands:
        key = (
            c.event_type,
            tuple(sorted(a.country or a.name for m in c.source for a in m.actors)),
            tuple(sorted(a.country or a.name for m in c.target for a in m.actors)),
        )
        if key not in best or c.rule.weight > best[key].rule.weight:
            best[key] = c
    return sorted(best.values(), key=lambda c: c.token.i)


def _country_actors(matches: list[ActorMatch]) -> Counter[str]:
    """How often the article names each country through its actors (states, their officials, groups)."""
    return Counter(a.country for m in matches for a in m.actors if a.country and len(a.country) == 3)


def _sentence_context(context: PlaceContext, sentence_matches: list[ActorMatch]) -> PlaceContext:
    """The article's place context with the countries of the sentence's own actors first, in the article's
    order of salience: "the UK's envoy complained about the Salisbury attack" in a story led by the US
    and Syria is about Salisbury, England, not North Carolina."""
    own = set(_country_actors(sentence_matches))
    if not own:
        return context
    ordered = [c for c in context.countries if c in own]
    ordered += [c for c in context.countries if c not in own] + sorted(own - set(ordered))
    return dataclasses.replace(context, countries=ordered)


def _dateline(article: Article) -> str | None:
    from eventcoder.pipeline.clean import parse_dateline

    return parse_dateline(article.text)


def _is_historical(date_end: str | None, published: str | None) -> bool:
    """Background: an event that ended well before the article was published."""
    if not date_end or not published:
        return False
    try:
        return date.fromisoformat(date_end) < date.fromisoformat(published) - timedelta(
            days=settings.BACKGROUND_AGE_DAYS
        )
    except ValueError:
        return False
