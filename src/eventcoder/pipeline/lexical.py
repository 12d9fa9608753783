"""The word classes the event coder reads clauses with: dependency labels, verbs of reporting,
intention, control and hosting, modal and conditional markers, and the PLOVER type groups the
coder's rules switch on. Kept apart from :mod:`eventcoder.pipeline.coder` so the rules stay readable and the
vocabulary can be reviewed in one place.
"""

from __future__ import annotations

import re

from eventcoder.pipeline.triggers import TriggerRule

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "obj", "dative", "iobj", "oprd"})
#: Prepositions whose object is the target of the event ("met with X", "fired at X").
TARGET_PREPS = frozenset({
    "with", "to", "against", "on", "upon", "toward", "towards", "at", "into", "from", "for", "over", "of",
})
#: Prepositions whose object is *both* sides of a symmetric event ("talks between X and Y").
BOTH_PREPS = frozenset({"between", "among", "amongst"})
#: Verbs that turn an event noun into an event ("held talks", "carried out an airstrike").
LIGHT_VERBS = frozenset({
    "hold", "conduct", "stage", "launch", "carry", "have", "begin", "start", "continue", "resume",
    "impose", "sign", "make", "give", "issue", "deliver", "send", "announce", "organise", "organize",
    "host", "pay", "provide", "offer", "extend", "take", "mount", "order", "lodge", "file", "level",
    "express", "voice", "reach", "conclude", "finalise", "finalize", "ink", "seal", "complete",
    "perform", "undertake", "step", "intensify", "escalate", "declare", "call", "introduce",
    "slap", "approve", "adopt", "receive", "get", "win", "secure", "kill", "hit", "wound", "injure",
    "target", "destroy", "damage", "leave", "reiterate", "repeat", "renew", "restate", "reaffirm",
    "join", "attend",
})
#: Verbs of taking part whose "in" object is the event ("participated in the talks").
PARTICIPATION_VERBS = frozenset({"participate", "engage", "join"})
#: Intransitive verbs with an event noun as subject ("talks took place", "the strike killed five").
EVENT_SUBJECT_VERBS = frozenset({
    "take", "begin", "start", "end", "continue", "occur", "happen", "kill", "hit", "wound", "injure",
    "target", "destroy", "damage", "leave", "resume", "conclude", "focus", "last", "follow", "cover",
})
#: Verbs of arrival under which an event noun is the purpose of the trip ("came for a visit",
#: "converged for a rally").
MOTION_VERBS = frozenset({
    "come", "arrive", "travel", "go", "fly", "head", "embark", "be", "leave", "return", "converge", "gather",
    "assemble", "march", "flock", "pour", "turn",
})
#: Types whose object is often the actor's own forces, and the sectors of such forces.
FORCE_TYPES = frozenset({"MOBILIZE", "RETREAT", "COOPERATE", "AID"})
FORCE_SECTORS = frozenset({"MIL", "COP", "SPY"})
#: Types whose actor may go unnamed while the event is still coded ("a bombing killed …", "a
#: protest against Moscow filled the streets").
UNNAMED_ACTOR_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST"})
#: Subjects that are the means of violence, not its agent ("an explosion killed …").
EVENT_SUBJECT_NOUNS = frozenset({
    "explosion", "blast", "bomb", "bombing", "mine", "landmine", "shell", "rocket", "missile", "device",
    "grenade", "fire", "gunfire", "shelling", "attack", "airstrike", "strike", "raid", "ambush", "clash",
})
#: Subjects of "killed/injured/destroyed" that make the deaths a disaster, accident or disease, not
#: a political act (ICEWS and ACLED code none of them).
ACCIDENT_NOUNS = frozenset({
    "earthquake", "quake", "aftershock", "flood", "flooding", "storm", "cyclone", "hurricane", "typhoon",
    "tornado", "landslide", "mudslide", "avalanche", "blaze", "wildfire", "heatwave", "drought", "disease",
    "cholera", "outbreak", "epidemic", "pandemic", "virus", "crash", "collision", "accident", "derailment",
    "collapse", "stampede", "rain", "rainfall", "snowstorm", "lightning", "tsunami", "eruption", "famine",
    "malnutrition", "cold", "heat", "illness", "infection", "measles", "ebola", "covid", "coronavirus",
})
#: Words of sport: a sentence with one reports a game, not a fight ("Pakistan beat India by six wickets",
#: "Iraq crushed Qatar in the Asian Cup semi-final"). Only words with no political sense (not "league",
#: "goals", "defender", "striker", "penalties"); a regular expression over the lower-cased sentence.
SPORT_WORDS = re.compile(
    r"\b(?:wickets?|innings|batsm[ae]n|bowlers?|semi-?finals?|quarter-?finals?|tournaments?|championships?"
    r"|olympics?|goalkeepers?|midfielders?|footballers?|cricketers?|rugby|cricket|football|soccer|tennis"
    r"|basketball|hockey|world cup|asian cup|african cup|nations cup|test match|half-time)\b"
)
#: Subjects that are an attack only when the sentence says so ("an explosion at a chemical plant" is
#: an accident; "an explosion claimed by Isis" is not).
AMBIGUOUS_CAUSES = frozenset({"explosion", "blast", "fire"})
#: Words that make an ambiguous cause an attack.
ATTACK_WORDS = frozenset({
    "bomb", "bomber", "bombing", "suicide", "attack", "attacker", "militant", "insurgent", "ied", "rocket",
    "missile", "mortar", "shell", "shelling", "grenade", "gunman", "terrorist", "claim", "explosive",
    "sniper", "airstrike", "drone", "jihadist", "rebel", "gunfire", "artillery", "strike", "landmine", "mine",
})
#: Participles that tie a noun to an actor ("firms linked to Iran", "militias backed by Russia").
AFFILIATION_VERBS = frozenset({
    "link", "tie", "connect", "belong", "own", "back", "base", "affiliate", "associate", "control", "run",
    "sponsor", "fund", "support", "arm",
})
#: Role nouns naming institutions, which "it" can refer back to.
BODY_NOUNS = frozenset({
    "union", "party", "government", "ministry", "parliament", "council", "court", "army", "movement", "front",
    "group", "organization", "organisation", "agency", "commission", "committee", "assembly", "cabinet",
    "administration", "federation", "alliance", "coalition", "militia", "company", "bank", "embassy", "office",
    "junta", "regime", "legislature", "senate", "congress", "navy", "police", "association",
})
MODALS = frozenset({"could", "might", "may", "would", "should", "must", "can"})
FUTURE_AUX = frozenset({"will", "shall", "'ll"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
#: Verbs of weighing an option ("is weighing sending helicopters"): no commitment (CAMEO's 014, which PLOVER
#: does not code), whether the act is embedded under them or the type model proposes them.
WEIGHING_VERBS = frozenset({"consider", "weigh", "mull", "contemplate", "ponder", "explore"})
#: A trigger embedded under these verbs did not happen ("refused to meet", "failed to agree").
NON_FACTIVE = frozenset({
    "refuse", "fail", "decline", "deny", "avoid", "cancel", "postpone", "threaten", "want", "hope",
    "seek", "try", "attempt", "propose", "plan", "intend", "prepare", "aim", "wish",
    "urge", "call", "ask", "demand", "agree", "pledge", "promise", "vow", "offer", "decide", "expect",
    "reject", "warn", "appeal", "request", "invite", "push", "press",
}) | WEIGHING_VERBS
#: Verbs whose negation is a refusal ("will not accept", "did not agree"): PLOVER REJECT.
REFUSABLE_LEMMAS = frozenset({
    "accept", "agree", "allow", "permit", "recognize", "recognise", "comply", "cooperate", "approve",
    "endorse", "ratify", "admit", "back", "support", "sign", "yield", "concede", "negotiate", "implement",
    "fund", "hand", "extradite", "release", "attend", "join", "abide", "honour", "honor",
    # yielding, easing and giving: "will not lift its blockade until …", "will not withdraw", "will not
    # provide reconstruction money" are stated refusals (CAMEO 12x: decline to yield, reject aid)
    "lift", "ease", "remove", "withdraw", "free", "end", "halt", "stop", "return", "provide", "give",
    "meet", "open",
})
#: The CAMEO refusal code of a refused act by the act's own type (others: 120, reject).
REFUSAL_CODES = {"RETREAT": "124", "CONCEDE": "124", "AID": "122", "CONSULT": "125"}
#: Auxiliaries that make a negated verb a refusal ("will not", "won't", "cannot", "does not").
REFUSAL_AUX = frozenset({"will", "would", "wo", "'ll", "shall", "can", "ca", "does", "do"})
#: Verbs under which an agreement that did not come about is a failure to agree ("failed to reach a deal").
FAILURE_VERBS = frozenset({"fail"})
#: Verbs under which an attack counts although it may not have succeeded ("tried to assassinate").
ATTEMPT_VERBS = frozenset({"attempt", "try"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her"})
#: Heads under which an infinitive is an intention: coded as AGREE (cooperative) or THREATEN.
INTENT_HEADS = frozenset({
    "willing", "ready", "prepared", "committed", "determined", "eager", "plan", "intend", "decide", "prepare",
    "aim", "expect", "want", "seek", "wish", "propose", "set", "poised", "due",
})
#: Intention words that describe readiness for force: preparing an attack is a show of force (MOBILIZE).
READINESS_HEADS = frozenset({"prepare", "prepared", "poised", "ready", "gear"})
#: Verbs whose infinitive complement is the event itself ("began to withdraw").
ASPECTUAL_VERBS = frozenset({"begin", "start", "continue", "resume", "proceed", "manage", "go", "move"})
#: Verbs whose infinitive complement happened ("was forced to withdraw", "compelled them to leave").
IMPLICATIVE_VERBS = frozenset({"force", "compel", "oblige", "obligate"})
#: "a bill to extend …" approved/passed: the bill's content is the event.
DECISION_NOUNS = frozenset({"bill", "law", "decree", "resolution", "motion", "decision", "order", "measure", "act"})
ENACT_VERBS = frozenset({"approve", "pass", "adopt", "sign", "ratify", "endorse", "enact", "issue", "back"})
HABITUAL_ADVERBS = frozenset({
    "periodically", "regularly", "routinely", "usually", "often", "frequently", "traditionally", "annually",
    "occasionally", "sometimes", "typically", "generally", "customarily",
})
#: Verbs whose object is the subject of their complement ("urged Iran to…", "thanked Turkey for…").
OBJECT_CONTROL = frozenset({
    "urge", "ask", "call", "force", "order", "invite", "allow", "authorize", "authorise", "help", "encourage",
    "persuade", "thank", "praise", "accuse", "blame", "condemn", "criticize", "criticise", "press", "push",
    "warn", "tell", "request", "permit", "compel", "commend", "congratulate", "hail",
})
#: Speech-act types whose future or modal form is itself the event.
SPEECH_ACT_TYPES = frozenset({"AGREE", "REQUEST", "THREATEN", "REJECT", "ACCUSE", "SUPPORT", "PROTEST"})
#: Types of what is said or done at a meeting table (a statement takes the place of the meeting its speaker attends).
STATEMENT_TYPES = frozenset({"AGREE", "REQUEST", "THREATEN", "REJECT", "ACCUSE", "SUPPORT", "CONSULT", "CONCEDE"})
#: Dependencies that open a clause of their own below a trigger.
CLAUSE_DEPS = frozenset({"pcomp", "acl", "relcl", "advcl", "xcomp", "ccomp", "conj"})
#: Prepositions whose object is a reference point, not the event's time ("the worst fighting since 2020").
REFERENCE_PREPS = frozenset({"since", "after", "before", "until", "till", "following", "prior"})
#: Subordinators of clauses that give the time frame or cause of the main event ("after X attacked").
REFERENCE_MARKS = frozenset({"after", "before", "since", "because", "until", "till", "once", "when"})
#: Words that make a noun phrase the cause of the main event ("because of fighting", "due to").
CAUSE_WORDS = frozenset({"because", "due", "owing"})
#: Prepositions that make an event noun the time frame of another event.
TEMPORAL_PREPS = frozenset({"during", "at", "amid", "throughout", "on", "in"})
#: Prepositions of a circumstance (when, where, in what setting), not of an act's content: a trigger
#: behind one is not embedded in the act it frames ("In a phone call with X, Y agreed …"). Not "on",
#: which also gives an act its content ("agreed on a ceasefire").
CIRCUMSTANCE_PREPS = frozenset({"in", "during", "amid", "throughout", "at", "after", "before", "following", "since"})
#: Event types whose noun takes its actor with "of" ("the withdrawal of US troops").
AGENTIVE_OF_TYPES = frozenset({"RETREAT", "PROTEST", "MOBILIZE", "CONSULT", "COOPERATE", "AGREE", "SUPPORT"})
#: Verbs whose clausal complement's subject is the one addressed ("demanded that X …").
ADDRESSEE_CCOMP = frozenset({
    "demand", "urge", "insist", "request", "ask", "call", "warn", "threaten", "accuse", "allege", "charge",
    "claim", "press", "appeal", "recommend", "propose", "suggest", "order", "want", "wish",
})
#: Hosting verbs: their object is the visitor, who is the event's source.
HOST_LEMMAS = frozenset({"host", "receive", "welcome", "entertain"})
#: Reporting verbs: "X said Y would …" is Y's stated intention; "X said Y must …" X's demand.
REPORTING = frozenset({
    "say", "announce", "state", "declare", "tell", "add", "conclude", "insist", "stress", "warn", "report",
    "confirm", "claim", "note", "write", "tweet",
})
#: Verbs that report an act as someone's claim, not as fact: "X claimed that Y shelled Z" is X's
#: accusation of Y, and the shelling is only alleged.
ALLEGING_VERBS = frozenset({"claim", "allege", "accuse", "charge", "blame", "suspect", "assert"})
#: Adverbs that make a reported act an allegation ("reportedly killed", "allegedly tortured").
ALLEGING_ADVERBS = frozenset({"reportedly", "allegedly", "purportedly", "supposedly", "apparently"})
OBLIGATION_MODALS = frozenset({"must", "should"})
OBLIGATION_RULE = TriggerRule("must", "VERB", "REQUEST", None, "100", frozenset(), 0.6)
#: Verbs whose past participle after a noun is no passive ("fighters returned from Syria" returned;
#: "a British man killed in Raqqa" was killed): the noun acts.
UNACCUSATIVE_VERBS = frozenset({"return", "arrive", "flee", "escape", "go", "come", "die", "fall", "remain", "rise",
                                "defect", "gather", "assemble", "emerge", "retreat", "stay", "live"})
#: Types whose actors a noun of a reduced passive ("troops deployed to the border", "forces withdrawn")
#: remain the source of: the ones who move, rally or pull back.
SELF_MOVING_TYPES = frozenset({"RETREAT", "MOBILIZE", "PROTEST"})
#: Two-party events (a meeting, talk, call, agreement or cooperation; and signing an agreement, CAMEO 057,
#: PLOVER SUPPORT): parties named together are each other's counterparts ("X and Y met").
PARTY_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
PARTY_CAMEO = frozenset({"057"})
#: Types that need only one party ("protesters rallied", "troops were deployed").
UNARY_TYPES = frozenset({"PROTEST", "MOBILIZE", "ASSAULT", "COERCE", "RETREAT"})
COOPERATIVE_TYPES = frozenset({"CONSULT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "SUPPORT"})
CONFLICT_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"})
#: Types whose target may be the acting state's own forces (a mutiny crushed, officers arrested).
VIOLENT_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION"})
#: Sectors of a state actor (None: the country itself).
STATE_SECTORS = frozenset({None, "GOV", "MIL", "COP", "SPY", "LEG", "JUD"})
#: Dependencies by which an event noun hangs from the verb that carries it ("held talks with …").
NOUN_CARRIER_DEPS = frozenset({"dobj", "obj", "pobj", "prep", "attr", "nsubjpass", "conj", "compound"})
#: Subtree walks stop at these: they introduce other clauses or circumstances, not the actor.
STOP_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "punct", "parataxis", "mark", "cc"})
#: Verbs of warning: a threat when the speaker's own action follows, a charge ("warned that X was
#: arming the militias") when another party's conduct does.
WARNING_VERBS = frozenset({"warn", "caution"})
#: Subjects of a warning's clause that are the speaker ("warned that we/it have the power to …").
FIRST_PERSON_SPEAKERS = frozenset({"i", "we", "it"})
#: Acts only a state's authorities perform: when the sentence names no one doing them, the
#: authorities of the country where they happen did ("was arrested at Manchester airport").
STATE_ACT_LEMMAS = frozenset({"arrest", "detain", "charge", "convict", "sentence", "jail", "imprison", "deport",
                              "extradite", "prosecute", "indict", "expel", "try"})
#: Verbs of wishing: a request only when they ask something of another ("wants Russia to ensure …"),
#: not when the subject wishes to act itself ("wants to join", an intention).
WISH_VERBS = frozenset({"want", "wish"})
#: Singular role nouns that name a group, never one person ("the military", "the opposition"), besides
#: BODY_NOUNS: 'he' and 'him' do not refer to them.
COLLECTIVE_NOUNS = frozenset({
    "military", "opposition", "force", "leadership", "public", "community", "family", "unit", "crowd",
})
#: Refusals to speak ("declined to comment", "refused to confirm", "refused to be named"): CAMEO's 011,
#: which PLOVER does not code; no refusal of anything between the parties. Nor is a source's request
#: for anonymity a request.
NO_COMMENT_VERBS = frozenset({"comment", "confirm", "elaborate", "speculate", "name", "identify"})
#: Denials of a charge: "rejected the accusations", "denied involvement", "denied that its forces …"
#: are CAMEO's 016 (deny responsibility), not a rejection of a proposal (12x).
DENIAL_VERBS = frozenset({"deny", "reject", "dismiss", "refute", "rebut"})
CHARGE_NOUNS = frozenset({
    "accusation", "allegation", "charge", "claim", "suggestion", "involvement", "responsibility", "wrongdoing",
    "report", "blame",
})
#: What a speaker feels about prospects ("expressed optimism about a deal", "voiced hope that …"): CAMEO's
#: optimistic and pessimistic comments (012, 013), which PLOVER does not code.
PROSPECT_NOUNS = frozenset({
    "optimism", "pessimism", "hope", "hopes", "skepticism", "scepticism", "doubt", "doubts",
})
#: Verbs that voice such a feeling.
VOICING_VERBS = frozenset({"express", "voice", "sound", "register"})
#: States of readiness a force is put or kept in ("remained on alert", "were put on standby"): MOBILIZE.
ALERT_NOUNS = frozenset({"alert", "standby"})
ALERT_VERBS = frozenset({"be", "remain", "stay", "put", "place", "keep", "go", "move"})
#: Verbs of owning up to an act: "X claimed responsibility for the attack" is X's attack.
RESPONSIBILITY_VERBS = frozenset({"claim", "accept", "admit", "acknowledge", "assume", "take"})
#: Prepositions and verbs after which an event noun is someone else's act or a time, not the subject's own
#: ("met after the attack", "angry over the strikes", "responded to the bombing", "retaliated for the raid");
#: what a response verb does "with" is the subject's own ("responded with threats").
OTHERS_ACT_PREPS = frozenset({"after", "since", "despite", "following", "before", "amid", "over", "about"})
RESPONSE_VERBS = frozenset({"respond", "react", "reply", "retaliate", "object", "refer", "point", "condemn",
                            "blame", "mourn", "apologise", "apologize", "investigate", "witness", "survive"})
#: Speech acts whose passive subject is the one addressed ("was accused", "was urged", "was warned", "was
#: turned down"), not the one acting ("was committed to", "was backed by").
ADDRESSED_TYPES = frozenset({"ACCUSE", "REQUEST", "THREATEN", "REJECT"})
#: The types a game's wording takes ("beat", "crushed", "knocked out", "held"): a sentence of sport
#: drops them; a protest, boycott or sanction over a game is still political.
GAME_TYPES = frozenset({"ASSAULT", "COERCE"})
#: Prepositions whose object is on the actor's side, never its counterpart ("fought alongside Assad's forces").
ALLY_PREPS = frozenset({"alongside", "beside"})
#: Nouns of help after "with" that make their owner an ally ("with the backing of Russian forces", "with US
#: support").
HELP_NOUNS = frozenset({"help", "support", "backing", "aid", "assistance", "cover", "blessing"})
