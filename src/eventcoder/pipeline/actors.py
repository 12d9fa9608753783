"""Recognise political actors (countries, organisations, office holders, people) in a parsed article.

The event coder needs, for each sentence, the spans that can fill the subject and object of an event
and what they stand for: an ISO-3 country (or IGO code) and a sector. This module finds them once per
article, on the whole spaCy ``Doc``, so that people and the article's home country can be resolved
across sentences ("Zakir Hasanov" ... "Hasanov" ... "the two countries").

Dictionaries are the package data files built by ``scripts/build_dictionaries.py``; matchers are built
once per process and vocabulary.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy
from rapidfuzz import fuzz
from spacy.attrs import ENT_TYPE, IS_TITLE, LOWER, POS
from spacy.matcher import Matcher
from spacy.parts_of_speech import PROPN
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from eventcoder import settings
from eventcoder.models import Actor
from eventcoder.pipeline.places import ARABIC_ARTICLES, HYPHENS, Gazetteer
from eventcoder.pipeline.roles import (
    NOT_THE_HOLDER,
    Role,
    RoleBook,
    country_id,
    end_exclusive,
    office_id,
    org_id,
    person_id,
    title_office,
    user_id,
)
from eventcoder.util.diskcache import cached

#: Similarity (rapidfuzz ratio, 0-100) for a capitalised token to count as a misspelling of the
#: surname of a person already seen in the document ("Hasaov" for "Hasanov").
SURNAME_FUZZ_MIN = 85
#: Shortest surname that may be matched fuzzily (short names give false hits).
SURNAME_FUZZ_MIN_LEN = 5
#: How many tokens left of a role word may hold the country that modifies it.
LEFT_WINDOW = 7
#: Longest personal name (tokens) attached to a role phrase.
MAX_NAME_TOKENS = 4
#: Military and civil ranks/honorifics between a role and a name ("attache Maj-Gen Zakaria Yalcin").
RANKS = frozenset({
    "maj", "maj.", "gen", "gen.", "general", "col", "col.", "colonel", "lt", "lt.", "lieutenant", "brig",
    "brig.", "brigadier", "adm", "adm.", "admiral", "capt", "capt.", "captain", "major", "sgt", "sgt.",
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "-", "–", "sheikh", "marshal", "rear", "vice",
})
#: Sectors whose unmodified role nouns take the article's home country ("the government", "the
#: army"). Other nouns ("militants", "fighters", "families", "jihadists") get a country only from
#: their own modifiers or a person seen before: an unknown country is better than a wrong one.
HOME_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
#: Role nouns whose country and sector come from context ("his Turkish counterpart").
COUNTERPART_WORDS = frozenset({"counterpart", "counterparts"})
#: Nouns that make "the two X" a group: value = (what the group is made of, sector or None).
GROUP_NOUNS: dict[str, tuple[str, str | None]] = {
    "countries": ("country", None), "nations": ("country", None), "states": ("country", None),
    "sides": ("either", None), "parties": ("either", None), "governments": ("country", "GOV"),
    "armies": ("country", "MIL"), "militaries": ("country", "MIL"), "republics": ("country", None),
    "ministers": ("person", None), "leaders": ("person", None), "presidents": ("person", None),
    "heads": ("person", None), "officials": ("person", None), "counterparts": ("person", None),
    "neighbours": ("country", None), "neighbors": ("country", None),
}
#: Dependencies that make a capital city the speaker/agent rather than a place ("Ankara said").
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "agent"})
#: Sector of a capital city used as an actor ("Washington said") and of a plural demonym used
#: as a noun ("Libyans protested").
CAPITAL_SECTOR = "GOV"
PEOPLE_SECTOR = "CVL"
#: Weights of country mentions when choosing the article's home country (see _home_country).
HOME_WEIGHTS = {"cname": 1.0, "capital": 1.0, "demonym": 0.5, "role_demonym": 0.0}
#: Second halves of a hyphenated modifier that make its country the patron of an actor, not the
#: actor's own ("US-backed Kurdish fighters", "Iranian-backed militias", "Turkish-trained rebels").
#: "-led" is not among them: a "US-led coalition" is led by US forces.
PATRON_PARTICIPLES = frozenset({
    "backed", "sponsored", "funded", "financed", "supported", "armed", "trained", "equipped", "allied",
    "aligned", "affiliated", "installed", "protected",
})
#: Prefixes that make a country's name or demonym a stance ("anti-Russian", "pro-Western").
STANCE_PREFIXES = frozenset({"anti", "pro"})
#: Nouns that end the name of an organisation the dictionaries may not know, and its sector.
ORG_HEAD_SECTORS = {
    "party": "PTY", "union": "LAB", "front": "OPP", "movement": "OPP", "forum": "NGO", "committee": "NGO",
    "association": "NGO", "organization": "NGO", "organisation": "NGO", "federation": "NGO", "league": "NGO",
    "coalition": "OPP", "congress": "PTY", "commission": "GOV", "council": "NGO", "alliance": "PTY",
}
#: Words that make an unknown organisation international (country slot NGO) rather than national.
INTERNATIONAL_WORDS = frozenset({
    "international", "world", "global", "african", "asian", "european", "arab", "islamic", "third",
    "regional", "pan", "inter", "transnational", "americas",
})
#: Non-state armed groups (country or IMG, sector) built from the Phoenix MNSA dictionary.
ARMED_GROUPS_FILE = "armed_groups.json"
#: Hand-kept armed groups of current conflict news (win over the generated file).
CURATED_GROUPS_FILE = "armed_groups_curated.json"
#: Curated state institutions named by building or short name ("the Kremlin", "the Pentagon", "MI6").
INSTITUTIONS_FILE = "state_institutions.json"
#: Hand-maintained office holders (2015-2025) loaded over people.tsv, winning on shared names/aliases.
PEOPLE_EXTRA_FILE = "people_extra.tsv"
#: A group phrase ("the two countries", "both sides") holds one of these words.
GROUP_KEY_WORDS = frozenset({"two", "both", "sides", "parties", "neighbours", "neighbors"})
_GROUP_KEY_IDS = numpy.array(sorted(hash_string(w) for w in GROUP_KEY_WORDS), dtype="uint64")
#: Capitalised words never taken as a person's surname.
NOT_NAMES = frozenset({
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "The", "This", "That", "Meanwhile", "However", "President", "Minister", "Moreover", "Following",
})


@dataclass(slots=True)
class ActorMatch:
    """One actor mention: token span in the Doc, its syntactic head, and the actor(s) it denotes."""

    start: int
    end: int
    head: int
    actors: list[Actor]
    kind: str  # "country" | "igo" | "role" | "person" | "group" | "org"


@dataclass(slots=True)
class CountryInfo:
    """A country's names as the dictionaries give them."""

    iso: str
    name: str
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)


@dataclass(slots=True)
class IgoInfo:
    """An international organisation (or big NGO): code as the PETRARCH dictionaries use it."""

    key: str
    code: str
    name: str
    aliases: list[str] = field(default_factory=list)
    sector: str = "IGO"
    #: Countries a non-state group is based in, most usual first (the article's most mentioned wins).
    homes: tuple[str, ...] = ()


@dataclass(slots=True)
class PersonInfo:
    """A known office holder: canonical name, ISO-3 country and sector of the latest role, and the
    stable actor id (``person:`` and the name's slug unless given)."""

    name: str
    country: str | None
    sector: str | None
    aliases: list[str] = field(default_factory=list)
    actor_id: str = ""

    def __post_init__(self) -> None:
        self.actor_id = self.actor_id or person_id(self.name)


#: Prepositions after which a capital is a government, not a place ("talks with Moscow").
CAPITAL_ACTOR_PREPS = frozenset({"with", "by", "against", "on", "between", "toward", "towards", "for"})
#: Nouns of acts and positions whose possessor, when a capital, is its government ("Ankara's demand").
CAPITAL_POSS_NOUNS = frozenset({
    "demand", "offer", "proposal", "plan", "decision", "request", "call", "position", "response", "reply",
    "refusal", "rejection", "support", "policy", "move", "accusation", "claim", "statement", "warning",
    "threat", "ultimatum", "invitation", "appeal", "protest", "condemnation", "criticism", "approval",
    "recognition", "withdrawal", "deployment", "sanctions", "sanction", "stance", "initiative", "pledge",
    "promise", "commitment", "aid", "assistance", "attack", "strike", "airstrike", "invasion", "troops",
    "forces", "army", "military", "government", "envoy", "ambassador", "delegation", "embassy",
})


def _is_acronym(text: str) -> bool:
    bare = text.replace(".", "")
    return bare.isupper() and 2 <= len(bare) <= 5


def _norm(text: str) -> str:
    text = " ".join(text.replace("’", "'").split()).lower()
    for prefix in ("the ", "his ", "her ", "its ", "their "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    if text.endswith("'s"):
        text = text[:-2]
    return text.strip()


def _plural(phrase: str) -> str:
    if phrase.endswith("man"):
        return phrase[:-3] + "men"
    if phrase.endswith("y") and len(phrase) > 2 and phrase[-2] not in "aeiou":
        return phrase[:-1] + "ies"
    if phrase.endswith(("s", "x", "ch", "sh")):
        return phrase + "es"
    return phrase + "s"


class ActorDictionary:
    """Countries, organisations, role words and known people, loaded once from the data files."""

    def __init__(
        self,
        countries: dict[str, CountryInfo],
        igos: dict[str, IgoInfo],
        agents: dict[str, str],
        people: dict[str, PersonInfo],
        user_people: dict[str, PersonInfo] | None = None,
    ) -> None:
        self.countries = countries
        self.igos = igos
        self.agents = agents
        #: The shipped people (the phrase index and its disk cache are built from these only).
        self.shipped_people = people
        #: A user's actors (``--actors``): matched before the shipped people, never cached.
        self.user_people = user_people or {}
        #: Everyone, a user's entry winning over a shipped one of the same name.
        self.people = {**people, **self.user_people} if self.user_people else people
        self._country_lower: dict[str, str] = {}
        self._country_exact: dict[str, str] = {}
        self._capital_lower: dict[str, str] = {}
        for iso, c in countries.items():
            for text in [c.name, *c.aliases, *c.demonyms]:
                if _is_acronym(text):
                    self._country_exact.setdefault(text, iso)
                else:
                    self._country_lower.setdefault(_norm(text), iso)
            for cap in c.capitals:
                self._capital_lower.setdefault(_norm(cap), iso)
        self._matchers: dict[int, _Matchers] = {}

    # ------------------------------------------------------------ loading

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> ActorDictionary:
        """The dictionary shipped with the package (cached: one load per process)."""
        root = resources.files("eventcoder").joinpath("data")
        return cls._from_texts(
            root.joinpath("countries.json").read_text(encoding="utf-8"),
            root.joinpath("igos.json").read_text(encoding="utf-8"),
            root.joinpath("agents.json").read_text(encoding="utf-8"),
            root.joinpath("people.tsv").read_text(encoding="utf-8"),
            _read_optional(root.joinpath(PEOPLE_EXTRA_FILE)),
            _read_optional(root.joinpath(ARMED_GROUPS_FILE)),
            _read_optional(root.joinpath(CURATED_GROUPS_FILE)),
            _read_optional(root.joinpath(INSTITUTIONS_FILE)),
        )

    @classmethod
    def from_files(cls, data_dir: Path, extra: Path | None = None) -> ActorDictionary:
        """Load the five-file layout from ``data_dir``; ``extra`` entries are merged over it.

        ``extra`` may be a directory with any of ``countries.json``, ``igos.json``, ``agents.json``,
        ``people.tsv``; a ``.tsv`` file in the people.tsv shape; or a JSON file with optional
        ``countries``, ``igos``, ``agents`` and ``people`` (list of objects) sections.
        """
        data_dir = Path(data_dir)
        d = cls._from_texts(
            (data_dir / "countries.json").read_text(encoding="utf-8"),
            (data_dir / "igos.json").read_text(encoding="utf-8"),
            (data_dir / "agents.json").read_text(encoding="utf-8"),
            (data_dir / "people.tsv").read_text(encoding="utf-8"),
            _read_optional(data_dir / PEOPLE_EXTRA_FILE),
            _read_optional(data_dir / ARMED_GROUPS_FILE),
            _read_optional(data_dir / CURATED_GROUPS_FILE),
            _read_optional(data_dir / INSTITUTIONS_FILE),
        )
        if extra is None:
            return d
        extra = Path(extra)
        countries, igos, agents, people = d.countries, d.igos, d.agents, d.people
        if extra.is_dir():
            if (extra / "countries.json").exists():
                countries.update(_parse_countries(json.loads((extra / "countries.json").read_text("utf-8"))))
            if (extra / "igos.json").exists():
                igos.update(_parse_igos(json.loads((extra / "igos.json").read_text("utf-8"))))
            if (extra / "agents.json").exists():
                agents.update(_parse_agents(json.loads((extra / "agents.json").read_text("utf-8"))))
            if (extra / "people.tsv").exists():
                people.update(_parse_people((extra / "people.tsv").read_text("utf-8")))
        elif extra.suffix.lower() == ".tsv":
            people.update(_parse_people(extra.read_text("utf-8")))
        else:
            blob = json.loads(extra.read_text("utf-8"))
            countries.update(_parse_countries(blob.get("countries", {})))
            igos.update(_parse_igos(blob.get("igos", {})))
            agents.update(_parse_agents(blob.get("agents", {})))
            for p in blob.get("people", []):
                info = PersonInfo(p["name"], p.get("country"), p.get("sector"), list(p.get("aliases", [])))
                people[info.name] = info
        return cls(countries, igos, agents, people)

    @classmethod
    def _from_texts(cls, countries: str, igos: str, agents: str, people: str,
                    people_extra: str = "", armed_groups: str = "", curated_groups: str = "",
                    institutions: str = "") -> ActorDictionary:
        organisations = _parse_igos(json.loads(armed_groups)) if armed_groups.strip() else {}
        if curated_groups.strip():
            curated = _parse_igos(json.loads(curated_groups))
            for g in curated.values():  # a curated name replaces the generated entry that holds it
                for k in [k for k, old in organisations.items() if old.name == g.name or g.name in old.aliases]:
                    del organisations[k]
            organisations.update(curated)
        if institutions.strip():
            organisations.update(_parse_igos(json.loads(institutions)))
        organisations.update(_parse_igos(json.loads(igos)))  # curated IGO entries win on shared keys
        return cls(
            _parse_countries(json.loads(countries)),
            organisations,
            _parse_agents(json.loads(agents)),
            _merge_people(_parse_people(people), _parse_people(people_extra)),
        )

    def with_user_actors(self, rows: Sequence[Any]) -> tuple[ActorDictionary, list[Role]]:
        """This dictionary with a user's actors (``userdicts.UserActor`` rows) over it, and their
        dated roles. Rows of one name are one actor; its country and sector outside every dated row
        are those of the row that starts last."""
        by_name: dict[str, list[Any]] = {}
        for r in rows:
            by_name.setdefault(r.name, []).append(r)
        user: dict[str, PersonInfo] = {}
        roles: list[Role] = []
        for name, rs in by_name.items():
            latest = max(rs, key=lambda r: r.start or "")
            aliases = list(dict.fromkeys(a for r in rs for a in r.aliases if a != name))
            info = PersonInfo(name, latest.country, latest.sector, aliases, user_id(name))
            user[name] = info
            roles += [Role(info.actor_id, name, r.country, r.sector, None, r.start, end_exclusive(r.end), "user")
                      for r in rs if r.start or r.end]
        return ActorDictionary(self.countries, self.igos, self.agents, self.shipped_people,
                               {**self.user_people, **user}), roles

    # ------------------------------------------------------------ lookups

    def country_of(self, text: str) -> str | None:
        """ISO-3 code for a country name, demonym, acronym or capital ("Ankara" -> "TUR")."""
        raw = " ".join(text.replace("’", "'").split())
        if raw.startswith(("the ", "The ")):
            raw = raw[4:]
        if raw.endswith("'s"):
            raw = raw[:-2]
        if raw in self._country_exact:
            return self._country_exact[raw]
        key = _norm(raw)
        return self._country_lower.get(key) or self._capital_lower.get(key)

    def sector_of(self, text: str) -> str | None:
        """Sector code for a role phrase ("parliament" -> "LEG"); the longest known ending wins, so
        "Turkish defence minister" is read as "defence minister"."""
        words = _norm(text).split()
        for i in range(len(words)):
            phrase = " ".join(words[i:])
            if phrase in self.agents:
                return self.agents[phrase]
            single = _singular(phrase)
            if single in self.agents:
                return self.agents[single]
        return None

    def igo(self, key: str) -> IgoInfo | None:
        return self.igos.get(key)

    def matchers(self, vocab: Vocab) -> _Matchers:
        """Phrase and token matchers for this dictionary over ``vocab`` (built once per vocab)."""
        m = self._matchers.get(id(vocab))
        if m is None:
            m = _Matchers.build(self, vocab)
            self._matchers[id(vocab)] = m
        return m


def _singular(phrase: str) -> str:
    if phrase.endswith("men"):
        return phrase[:-3] + "man"
    if phrase.endswith("ies"):
        return phrase[:-3] + "y"
    if phrase.endswith(("ses", "xes", "ches", "shes")):
        return phrase[:-2]
    if phrase.endswith("s") and not phrase.endswith("ss"):
        return phrase[:-1]
    return phrase


#: An Arabic article joined by a hyphen to a name's last word ("al-Nahhas", "el-Sayed", "ash-Shara"):
#: the articles places.py reads before place names, and "ul"; the hyphens, and the en dash.
_ARTICLES = "|".join(sorted(ARABIC_ARTICLES | {"ul"}))
_JOINERS = "".join(re.escape(c) for c in sorted(HYPHENS | {"–"}))
_PARTICLE = re.compile(rf"^(?:{_ARTICLES})[{_JOINERS}](?=\w)", re.IGNORECASE)


def _surname(name: str) -> str:
    """The word a later reference uses for a person: the last word of the name without a joined
    Arabic article ("Labib al-Nahhas" → "Nahhas", "Bashar al-Assad" → "Assad")."""
    words = name.split()
    return _PARTICLE.sub("", words[-1]) if words else ""


def _parse_countries(blob: dict[str, Any]) -> dict[str, CountryInfo]:
    return {
        iso: CountryInfo(iso, v.get("name", iso), list(v.get("aliases", [])), list(v.get("demonyms", [])),
                         list(v.get("capitals", [])))
        for iso, v in blob.items() if not iso.startswith("_")
    }


def _parse_igos(blob: dict[str, Any]) -> dict[str, IgoInfo]:
    return {
        key: IgoInfo(key, v.get("code", key), v.get("name", key), list(v.get("aliases", [])),
                     v.get("sector", "IGO"), tuple(v.get("homes", ())))
        for key, v in blob.items() if not key.startswith("_")
    }


def _parse_agents(blob: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in blob.items() if not k.startswith("_") and isinstance(v, str)}


def _read_optional(path: Any) -> str:
    """Text of an optional data file (a Path or importlib Traversable); empty when it is absent."""
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _merge_people(older: dict[str, PersonInfo], newer: dict[str, PersonInfo]) -> dict[str, PersonInfo]:
    """``older`` updated with ``newer``. A name or alias that ``newer`` claims is taken away from the
    older entries (which are dropped if it was their name), so "Erdogan" or "Lukashenko" points to the
    current record only instead of to two people the matcher cannot choose between."""
    if not newer:
        return older
    claimed = {_alias_key(t) for p in newer.values() for t in (p.name, *p.aliases)}
    out: dict[str, PersonInfo] = {}
    for name, p in older.items():
        if name in newer or _alias_key(name) in claimed:
            continue
        p.aliases = [a for a in p.aliases if _alias_key(a) not in claimed]
        out[name] = p
    out.update(newer)
    return out


def _alias_key(text: str) -> str:
    return " ".join(text.split()).lower()


def _parse_people(text: str) -> dict[str, PersonInfo]:
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    out: dict[str, PersonInfo] = {}
    for row in csv.reader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE):
        if not row or row[0] == "name":
            continue
        row = (row + ["", "", "", ""])[:4]
        name, country, sector, aliases = row
        out[name] = PersonInfo(name, country or None, sector or None, [a for a in aliases.split("|") if a])
    return out


# ---------------------------------------------------------------- matchers


class PhraseIndex:
    """The dictionary's phrases as token sequences, matched over one token attribute of a Doc.

    What spaCy's ``PhraseMatcher`` does for our use (every occurrence of every phrase, overlapping
    ones included), without building a Doc and vocabulary entries per phrase: with some 30,000
    names and aliases, building the PhraseMatcher took ~3 s in every worker process. Phrases are
    stored as tuples of string hashes (spaCy's own ``hash_string``, so a Doc's ``LOWER``/``ORTH``
    array is compared as it is); matches are ``(match_id, start, end)``, sorted by start, then end,
    then the order the labels were added.
    """

    def __init__(self, attr: str) -> None:
        if attr not in ("LOWER", "ORTH"):
            raise ValueError(f"PhraseIndex matches LOWER or ORTH, not {attr}")
        self.attr = attr
        self._ids: dict[tuple[int, ...], list[int]] = {}
        #: First token's hash -> the lengths of the phrases starting with it (longest first).
        self._lengths: dict[int, tuple[int, ...]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def state(self) -> tuple[dict[tuple[int, ...], list[int]], dict[int, tuple[int, ...]]]:
        """The index's contents, as :meth:`load_state` takes them (plain containers, for a cache)."""
        return self._ids, self._lengths

    def load_state(self, state: tuple[dict[tuple[int, ...], list[int]], dict[int, tuple[int, ...]]]) -> None:
        """Replace the contents with those of :meth:`state`."""
        ids, lengths = state
        if not isinstance(ids, dict) or not isinstance(lengths, dict):
            raise ValueError("not a PhraseIndex state")
        self._ids, self._lengths = ids, lengths

    def add(self, match_id: int, phrases: Iterable[Sequence[str]]) -> None:
        """Add phrases (each a sequence of token texts, as the tokenizer splits them) under ``match_id``."""
        lower = self.attr == "LOWER"
        for words in phrases:
            if not words:
                continue
            key = tuple(hash_string(w.lower() if lower else w) for w in words)
            ids = self._ids.setdefault(key, [])
            if match_id not in ids:
                ids.append(match_id)
            lengths = self._lengths.get(key[0], ())
            if len(key) not in lengths:
                self._lengths[key[0]] = tuple(sorted((*lengths, len(key)), reverse=True))

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Every ``(match_id, start, end)`` of a phrase in ``doc``."""
        if len(doc) == 0:
            return []
        keys = doc.to_array(self.attr).tolist()
        n = len(keys)
        out: list[tuple[int, int, int]] = []
        lengths_of, ids_of = self._lengths.get, self._ids.get
        for i, k in enumerate(keys):
            lengths = lengths_of(k)
            if lengths is None:
                continue
            for length in reversed(lengths):
                if i + length > n:
                    break
                ids = ids_of(tuple(keys[i : i + length]))
                if ids:
                    out.extend((mid, i, i + length) for mid in ids)
        return out


class PhraseTokenizer:
    """Splits dictionary phrases into tokens as the spaCy tokenizer does, cheaply.

    Most phrases ("Zakir Hasanov", "Foreign Minister") are single-spaced runs of letters, which the
    tokenizer splits at the spaces unless a word is one of its special cases ("Cannot"); those take
    the fast path. Others (hyphens, dots, apostrophes, digits) go through the tokenizer itself.
    ``tests/test_actors.py`` checks both paths agree with the tokenizer on every dictionary phrase.
    """

    def __init__(self, vocab: Vocab) -> None:
        from spacy.lang.en import English

        self._tokenizer = English(vocab=vocab).tokenizer
        self._special = frozenset(self._tokenizer.rules or ())

    def is_simple(self, text: str) -> bool:
        """Whether the phrase's tokens are its space-separated words."""
        words = text.split(" ")
        return all(w.isalpha() and w not in self._special for w in words)

    def __call__(self, texts: list[str]) -> list[list[str]]:
        out: list[list[str] | None] = [text.split(" ") if self.is_simple(text) else None for text in texts]
        hard = [i for i, words in enumerate(out) if words is None]
        for i, doc in zip(hard, self._tokenizer.pipe([texts[i] for i in hard]), strict=True):
            out[i] = [t.text for t in doc]
        return out  # type: ignore[return-value]


@dataclass(slots=True)
class _Matchers:
    """Matchers built from one dictionary for one vocabulary."""

    lower: PhraseIndex   # case-insensitive names, demonyms, IGO names, role phrases, people
    exact: PhraseIndex   # acronyms ("US", "UN", "EU") matched case-sensitively
    groups: Matcher      # "the two countries", "both sides"
    labels: dict[int, tuple[str, str]]  # match_id -> (kind, key)

    @classmethod
    def build(cls, d: ActorDictionary, vocab: Vocab) -> _Matchers:
        lower = PhraseIndex("LOWER")
        exact = PhraseIndex("ORTH")
        labels: dict[int, tuple[str, str]] = {}
        buckets: dict[tuple[str, str, bool], list[str]] = {}

        def add(kind: str, key: str, text: str) -> None:
            text = text.strip()
            if not text:
                return
            buckets.setdefault((kind, key, _is_acronym(text)), []).append(text)

        for iso, c in d.countries.items():
            for t in [c.name, *c.aliases]:
                add("cname", iso, t)
            for t in c.demonyms:
                add("demonym", iso, t)
            for t in c.capitals:
                add("capital", iso, t)
        for key, g in d.igos.items():
            for t in [g.name, *g.aliases]:
                add("igo", key, t)
        for phrase, sector in d.agents.items():
            add("role", sector, phrase)
            plural = _plural(phrase)
            if not phrase.endswith("s") and " of " not in phrase and plural not in d.agents:
                add("role", sector, plural)
        for word in sorted(COUNTERPART_WORDS):  # a set: sorted, so the cache key is stable
            add("role", "*", word)
        for name, p in d.shipped_people.items():
            for t in [name, *p.aliases]:
                add("person", name, t)

        match_ids = [vocab.strings.add(f"{kind}|{key}") for kind, key, _ in buckets]
        for match_id, (kind, key, _) in zip(match_ids, buckets, strict=True):
            labels[match_id] = (kind, key)

        def index() -> tuple[Any, Any]:
            """Both indexes' contents; splitting ~30,000 phrases as the tokenizer does and hashing
            them takes ~0.6 s, which every worker process would pay, so it is cached on disk."""
            texts = [t for group in buckets.values() for t in group]
            flat, i = PhraseTokenizer(vocab)(texts), 0
            for match_id, ((_, _, acro), group) in zip(match_ids, buckets.items(), strict=True):
                (exact if acro else lower).add(match_id, flat[i : i + len(group)])
                i += len(group)
            return lower.state(), exact.state()

        import spacy

        key = "\x1d".join(f"{k}|{v}|{a:d}\x1e" + "\x1e".join(group) for (k, v, a), group in buckets.items())
        lower_state, exact_state = cached("phrase-index-v1", f"{spacy.__version__}\x1d{key}".encode(
            "utf-8", "surrogatepass"), index, valid=lambda v: isinstance(v, tuple) and len(v) == 2)
        lower.load_state(lower_state)
        exact.load_state(exact_state)
        if d.user_people:  # a user's actors go over the cached index, never into its cache
            user: dict[tuple[str, str, bool], list[str]] = {}
            for name, p in d.user_people.items():
                for t in dict.fromkeys(t.strip() for t in [name, *p.aliases] if t.strip()):
                    user.setdefault(("person", name, _is_acronym(t)), []).append(t)
            texts = [t for group in user.values() for t in group]
            flat, i = PhraseTokenizer(vocab)(texts), 0
            for (kind, key, acro), group in user.items():
                match_id = vocab.strings.add(f"{kind}|{key}")
                labels[match_id] = (kind, key)
                (exact if acro else lower).add(match_id, flat[i : i + len(group)])
                i += len(group)

        groups = Matcher(vocab)
        groups.add("GROUP", [
            [{"LOWER": {"IN": ["the", "both", "these", "those"]}, "OP": "?"},
             {"LOWER": {"IN": ["two", "both"]}}, {"POS": "ADJ", "OP": "*"},
             {"LOWER": {"IN": list(GROUP_NOUNS)}}],
            [{"LOWER": {"IN": ["the", "both"]}}, {"LOWER": {"IN": ["sides", "parties", "neighbours", "neighbors"]}}],
        ])
        return cls(lower, exact, groups, labels)


# ---------------------------------------------------------------- recogniser


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    kind: str   # cname | demonym | capital | igo | role | person
    key: str


@dataclass(slots=True)
class _RoleLayout:
    cand: _Cand
    start: int
    end: int
    mods: list[_Cand]
    person: PersonInfo | None
    name_text: str
    #: A known person the role belongs to ("Assad's forces", "the Assad regime"): its country.
    owner: PersonInfo | None = None


@dataclass(slots=True)
class _Seen:
    """A person already mentioned in the document."""

    name: str
    surname: str
    country: str | None
    sector: str | None
    count: int = 1
    first: int = 0
    actor_id: str | None = None


class ActorRecognizer:
    """Finds actor mentions in a parsed article (see the module docstring)."""

    def __init__(self, dictionary: ActorDictionary | None = None, *, roles: RoleBook | None = None) -> None:
        self.dictionary = dictionary or ActorDictionary.default()
        #: Dated roles: the coder resolves offices and people against them once a mention is dated.
        self.roles = roles if roles is not None else RoleBook.default()

    def recognize(self, doc: Doc) -> list[ActorMatch]:
        """All actor mentions of one article, non-overlapping and sorted by position."""
        return _DocPass(self.dictionary, doc).run()


#: Lower-case particles inside a person's name ("Staffan de Mistura", "Ursula von der Leyen").
NAME_PARTICLES = frozenset({"de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "la", "le",
                            "bin", "ibn", "bint", "al", "el", "abu"})
#: Prepositions by which a person's description names whom they serve ("adviser to", "head of
#: counter-terrorism at MI6", "researcher for Human Rights Watch", "commander with the SDF").
AFFILIATION_PREPS = frozenset({"of", "to", "at", "for", "with", "in"})
#: Entity labels the small model sometimes gives a person's name ("De Mistura" as an organisation,
#: "Begum" as a place); such a name is a person only when the article has already named that person.
MISLABELLED_PERSON_LABELS = frozenset({"ORG", "GPE", "NORP"})


class _DocPass:
    """The state of recognising one document: candidates, people seen, country salience."""

    def __init__(self, d: ActorDictionary, doc: Doc) -> None:
        self.d = d
        self.doc = doc
        self.m = d.matchers(doc.vocab)
        #: Entity labels a name the NER may have missed can carry (none, ORG, PERSON), as hashes.
        self._name_labels = numpy.array([0, doc.vocab.strings["ORG"], doc.vocab.strings["PERSON"]], dtype="uint64")
        self.seen: dict[str, _Seen] = {}
        self.country_counts: Counter[str] = Counter()
        self.country_first: dict[str, int] = {}
        #: How often each country is named in the whole article (chooses a group's home).
        self.article_countries: Counter[str] = Counter()
        self.last_role_sector: str | None = None
        self.out: list[ActorMatch] = []
        self._nationality_at: dict[int, str] = {}

    # ------------------------------------------------------------ candidates

    def _candidates(self) -> list[_Cand]:
        doc = self.doc
        raw: list[_Cand] = []
        doubtful: list[_Cand] = []  # one-word names the tagger did not call proper nouns
        for matcher in (self.m.lower, self.m.exact):
            for match_id, start, end in matcher(doc):
                kind, key = self.m.labels[match_id]
                first, last = doc[start], doc[end - 1]
                if kind == "role":
                    if last.pos_ not in ("NOUN", "PROPN"):
                        continue
                elif not first.text[:1].isupper() and not (
                        kind == "igo" and doc[start:end].text in self.d.igos[key].aliases):
                    # a name needs its capital ("the army of god" in running text is no group's name),
                    # unless the organisation lists that lower-case spelling ("the state department")
                    continue
                if kind == "person" and end - start == 1 and first.pos_ != "PROPN":
                    doubtful.append(_Cand(start, end, kind, key))
                    continue
                if kind in ("cname", "demonym") and start >= 2 and doc[start - 1].text in ("-", "‐") \
                        and doc[start - 2].lower_ in STANCE_PREFIXES:
                    continue  # "an anti-Russian rally", "pro-Western parties": a stance, not a nationality
                if kind in ("cname", "capital") and end - start == 1 and first.ent_type_ == "PERSON" \
                        and (first.ent_iob_ == "I" or (start + 1 < len(doc) and doc[start + 1].ent_iob_ == "I")):
                    continue  # part of a longer personal name ("Jordan Peterson")
                raw.append(_Cand(start, end, kind, key))
        # "Trump held talks …": a sentence's first word is often tagged a common noun; the name stands
        # when the article names the same person elsewhere as a proper noun
        named = {c.key for c in raw if c.kind == "person"}
        raw += [c for c in doubtful if c.key in named and doc[c.start].is_sent_start and doc[c.start].is_title]
        prio = {"igo": 0, "person": 1, "cname": 2, "demonym": 2, "capital": 3, "role": 4}
        user = self.d.user_people
        # a user's actor wins over any shipped entry of the same words
        raw.sort(key=lambda c: (-(c.end - c.start), -1 if c.kind == "person" and c.key in user else prio[c.kind],
                                c.start))
        taken = [False] * len(doc)
        kept: list[_Cand] = []
        for c in raw:
            if any(taken[c.start:c.end]):
                continue
            for i in range(c.start, c.end):
                taken[i] = True
            kept.append(c)
        kept.sort(key=lambda c: c.start)
        return self._merge_named_bodies(kept)

    def _merge_named_bodies(self, cands: list[_Cand]) -> list[_Cand]:
        """A role word inside a named organisation ("Caucasus Islamic Army") stands for the whole
        name: one role candidate spanning the ORG entity, with the sector of its last role word."""
        doc = self.doc
        for ent in doc.ents:
            if ent.label_ != "ORG":
                continue
            inner = [c for c in cands if ent.start <= c.start and c.end <= ent.end]
            roles = [c for c in inner if c.kind == "role"]
            if not roles or any(c.kind in ("igo", "person") for c in inner):
                continue
            start = max([ent.start] + [c.end for c in inner if c.kind != "role"])
            while start < ent.end and (doc[start].pos_ == "DET" or doc[start].is_punct):
                start += 1
            if start >= roles[0].start and len(roles) == 1:
                continue
            merged = _Cand(min(start, roles[0].start), ent.end, "role", roles[-1].key)
            cands = [c for c in cands if c not in roles] + [merged]
        cands.sort(key=lambda c: c.start)
        return cands

    # ------------------------------------------------------------ main pass

    def run(self) -> list[ActorMatch]:
        doc = self.doc
        cands = self._candidates()
        by_start = {c.start: c for c in cands}
        used = [False] * len(doc)
        groups = sorted(self._group_spans(), key=lambda se: (se[0], -(se[1] - se[0])))
        group_at: dict[int, int] = {}
        for s, e in groups:
            if s not in group_at and not any(group_at.get(k, -1) > s for k in range(max(0, s - 6), s)):
                group_at[s] = e

        # Lay out role phrases first: they absorb the countries and names around them.
        role_spans: dict[int, _RoleLayout] = {}
        for c in cands:
            if c.kind != "role" or used[c.start]:
                continue
            lay = self._role_layout(c, cands, by_start, used)
            role_spans[lay.start] = lay
        home = self._home_country(cands, {x.start for lay in role_spans.values() for x in lay.mods})
        #: Token → country of the nationality word or country name there (a new person's descriptors).
        self._nationality_at = {i: c.key for c in cands if c.kind in ("demonym", "cname")
                                for i in range(c.start, c.end)}
        self.article_countries = Counter(c.key for c in cands if c.kind in ("cname", "demonym", "capital"))
        ents_at = {e.start: e for e in doc.ents}
        # Only these positions can start an actor; every other token is passed over.
        pos, title, ent = doc.to_array([POS, IS_TITLE, ENT_TYPE]).T if len(doc) else ((), (), ())
        names = numpy.flatnonzero((pos == PROPN) & (title == 1) & numpy.isin(ent, self._name_labels)).tolist()
        starts = sorted({*role_spans, *group_at, *by_start, *ents_at, *names})

        i = 0
        for at in starts:
            if at < i:
                continue
            i = at
            if i in role_spans:
                m = self._role(role_spans[i], home)
                self._note(m)
                self.out.append(m)
                i = m.end
                continue
            if used[i]:
                i += 1
                continue
            if i in group_at:
                m = self._group(i, group_at[i])
                if m is not None:
                    self.out.append(m)
                    for k in range(m.start, m.end):
                        used[k] = True
                    i = m.end
                    continue
            c = by_start.get(i)
            if c is not None and c.kind != "role":
                m = self._simple(c, cands)
                if m is not None:
                    self._note(m)
                    self.out.append(m)
                    for k in range(m.start, m.end):
                        used[k] = True
                    i = m.end
                    continue
            tok = doc[i]
            if tok.ent_type_ == "ORG" and tok.ent_iob_ == "B":
                m = self._ner_org(ents_at[i], cands, used, home)
                if m is not None:
                    self._note(m)
                    self.out.append(m)
                    i = m.end
                    continue
            if tok.ent_iob_ == "B" and tok.ent_type_ in MISLABELLED_PERSON_LABELS:
                m = self._person_entity(ents_at[i], used, tagged_person=False)
                if m is not None:
                    self.out.append(m)
                    i = m.end
                    continue
            if tok.ent_type_ == "PERSON" and tok.ent_iob_ == "B":
                m = self._person_entity(ents_at[i], used, tagged_person=True)
                if m is not None:
                    self.out.append(m)
                    i = m.end
                    continue
            elif (tok.pos_ == "PROPN" and tok.is_title and tok.text not in NOT_NAMES
                  and tok.ent_type_ in ("", "ORG", "PERSON")):
                m = self._fuzzy_person(i)
                if m is not None:
                    self.out.append(m)
                    used[i] = True
            i += 1
        self.out.sort(key=lambda m: m.start)
        self._appositive_affiliations()
        self._backfill_people()
        return self.out

    def _appositive_affiliations(self) -> None:
        """A person no dictionary knows, described by an apposition naming whom they serve: "Ali
        Akbar Velayati, a senior adviser to Iran's supreme leader," (IRN, GOV); "Richard Barrett,
        the former head of counter-terrorism at MI6," (GBR, SPY). The first actor the description's
        prepositions reach gives the country and sector, here and in later references."""
        by_token = {i: m for m in self.out for i in range(m.start, m.end)}
        for m in self.out:
            if m.kind != "person" or len(m.actors) != 1 or m.actors[0].country:
                continue
            for child in self.doc[m.head].children:
                if child.dep_ != "appos" or child.pos_ != "NOUN" or child.i in by_token:
                    continue
                found = self._affiliation(child, by_token)
                if found is not None:
                    a = m.actors[0]
                    a.country, a.sector = found.country, a.sector or found.sector
                    seen = self.seen.get(a.name)
                    if seen is not None:
                        seen.country, seen.sector = seen.country or a.country, seen.sector or a.sector
                    break

    @staticmethod
    def _affiliation(noun: Token, by_token: dict[int, ActorMatch]) -> Actor | None:
        """The actor a description noun's "of/to/at/for/with" chain names first (two steps deep)."""
        frontier = [noun]
        for _ in range(2):
            nxt = []
            for tok in frontier:
                for prep in tok.children:
                    if prep.dep_ != "prep" or prep.lower_ not in AFFILIATION_PREPS:
                        continue
                    for obj in prep.children:
                        if obj.dep_ != "pobj":
                            continue
                        hit = next((by_token[t.i] for t in obj.subtree if t.i in by_token), None)
                        if hit is not None and len(hit.actors) == 1 and hit.actors[0].country:
                            return hit.actors[0]
                        nxt.append(obj)
            frontier = nxt
        return None

    def _backfill_people(self) -> None:
        """A person whose nationality the article gives only after first naming them ("…, Robinson,
        a Briton from Accrington, …" later on): every mention of them takes it."""
        for m in self.out:
            if m.kind != "person":
                continue
            for a in m.actors:
                seen = self.seen.get(a.name)
                if a.country is None and seen is not None and seen.country:
                    a.country, a.sector = seen.country, a.sector or seen.sector

    def _person_nationality(self, span: Span) -> str | None:
        """The country a new person's own descriptors give: a nationality word or country name in an
        apposition or modifier of the name ("Dean Evans, a British volunteer", "the Turkish journalist
        Ali Kaya", "Ali Kaya, from Turkey"), never one merely near it in the sentence; None otherwise."""
        if not settings.PERSON_NATIONALITY:
            return None
        root = span.root
        inside = range(span.start, span.end)
        descriptors: list[Token] = []
        for c in root.children:
            if c.i in inside:
                continue
            if c.dep_ in ("appos", "amod", "compound", "nmod") or (c.dep_ == "prep" and c.lower_ == "from"):
                descriptors += _descriptor_words(c)
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in ("be", "become"):
            # "Lock became the third Briton to die", "Kaya is a Turkish citizen"
            descriptors += [t for c in root.head.children if c.dep_ == "attr" for t in _descriptor_words(c)]
        if root.dep_ in ("appos", "compound") and root.head.i not in inside:
            head = root.head  # "the British fighter, Joe Robinson", "Briton Joe Robinson"
            descriptors.append(head)
            descriptors += [t for c in head.children if c.dep_ in ("amod", "compound", "nmod") and c.i not in inside
                            for t in _descriptor_words(c)]
        for t in descriptors:
            if t.i in self._nationality_at:
                return self._nationality_at[t.i]
            if t.lower_ in PERSON_DEMONYMS:
                return PERSON_DEMONYMS[t.lower_]
        for t in descriptors:  # "from Chichester": the home town's country, the article's countries first
            if t.dep_ == "pobj" and t.head.lower_ == "from" and t.pos_ == "PROPN":
                name = " ".join(w.text for w in self.doc[t.left_edge.i:t.i + 1] if w.pos_ == "PROPN")
                context = [c for c, _ in self.article_countries.most_common(4)]
                place = Gazetteer.default().lookup(name, context)
                if place is not None and place.country:
                    return place.country
        return None

    def _group_spans(self) -> list[tuple[int, int]]:
        """Group phrases ("the two countries", "both sides"), matched sentence by sentence and only
        in sentences holding one of the phrases' key words (the token Matcher is slow on a whole
        article)."""
        doc, out = self.doc, []
        keyed = numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), _GROUP_KEY_IDS)).tolist() if len(doc) else []
        for sent in doc.sents:
            k = bisect.bisect_left(keyed, sent.start)
            if k == len(keyed) or keyed[k] >= sent.end:  # no key word in the sentence
                continue
            out += [(sent.start + s, sent.start + e) for _, s, e in self.m.groups(sent)]
        return out

    def _home_country(self, cands: list[_Cand], role_mods: set[int]) -> str | None:
        """The country the article is written from: the most mentioned one, where a name or capital
        counts fully, a free demonym half, and a demonym labelling an office holder ("his Turkish
        counterpart") not at all - outlets label foreign officials, not their own. Ties -> earliest."""
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for c in cands:
            if c.kind in ("cname", "demonym", "capital"):
                w = HOME_WEIGHTS[c.kind] if c.start not in role_mods else HOME_WEIGHTS["role_demonym"]
                if c.kind != "demonym":
                    w = HOME_WEIGHTS[c.kind]
                counts[c.key] += w
                first.setdefault(c.key, c.start)
        if not counts:
            return None
        return min(counts, key=lambda iso: (-counts[iso], first[iso]))

    def _group_home(self, g: IgoInfo) -> str:
        """A group's code; for a group based in several countries, the one the article mentions most."""
        if not g.homes:
            return g.code
        counts = self.article_countries
        return max(g.homes, key=lambda c: (counts.get(c, 0), -g.homes.index(c)))

    def _note(self, m: ActorMatch) -> None:
        """Update country salience (countries mentioned so far) after a match."""
        for a in m.actors:
            if a.country and a.country in self.d.countries:
                self.country_counts[a.country] += 1
                self.country_first.setdefault(a.country, m.start)

    # ------------------------------------------------------------ builders

    def _country_actor(self, c: _Cand, text: str, sector: str | None = None) -> Actor:
        if c.kind == "igo":
            g = self.d.igos[c.key]
            return Actor(text, g.name, self._group_home(g), sector or g.sector, org_id(c.key))
        return Actor(text, self.d.countries[c.key].name, c.key, sector, country_id(c.key))

    def _simple(self, c: _Cand, cands: list[_Cand]) -> ActorMatch | None:
        doc = self.doc
        span = doc[c.start:c.end]
        if c.kind == "igo":
            return ActorMatch(c.start, c.end, span.root.i, [self._country_actor(c, span.text)], "igo")
        if c.kind == "person":
            p = self.d.people[c.key]
            seen = self.seen.get(p.name)
            country = seen.country if seen and seen.country else p.country
            sector = seen.sector if seen and seen.sector else p.sector
            self._remember(p.name, country, sector, c.start, p.actor_id)
            return ActorMatch(c.start, c.end, span.root.i, [Actor(span.text, p.name, country, sector, p.actor_id)],
                              "person")
        if c.kind == "capital" and not self._is_subject(span):
            return None
        # Hyphenated compounds of countries: "Azerbaijani-Turkish", "Turkish-Russian".
        parts = [c]
        end = c.end
        nxt = {x.start: x for x in cands}
        while end + 1 < len(doc) and doc[end].text in ("-", "–", "/"):
            other = nxt.get(end + 1)
            if other is None or other.kind not in ("cname", "demonym"):
                break
            parts.append(other)
            end = other.end
        sector = None
        if c.kind == "capital":
            sector = CAPITAL_SECTOR  # "Ankara said": the capital speaks for the government
        elif len(parts) == 1 and c.kind == "demonym" and doc[c.end - 1].text.endswith("s") \
                and doc[c.end - 1].dep_ not in ("amod", "compound"):
            sector = PEOPLE_SECTOR  # "Azerbaijanis", "Libyans": the people of the country
        actors = [self._country_actor(p, doc[p.start:p.end].text, sector) for p in parts]
        whole = doc[c.start:end]
        return ActorMatch(c.start, end, whole.root.i, actors, "country")

    @staticmethod
    def _is_subject(span: Span) -> bool:
        """A capital names its government when it acts or is acted on ("Ankara said", "accused
        Washington of", "talks with Moscow", "criticism by Beijing"), not when it is a place
        ("in Baku", "Baku's seafront")."""
        root = span.root
        if root.dep_ == "conj":
            root = root.head
        if root.dep_ in SUBJECT_DEPS or root.dep_ in ("dobj", "dative", "agent"):
            return True
        if root.dep_ == "poss" and root.head.lemma_.lower() in CAPITAL_POSS_NOUNS:
            return True  # "Ankara's demand", "Moscow's offer of a truce"
        return root.dep_ == "pobj" and root.head.lower_ in CAPITAL_ACTOR_PREPS

    def _role_layout(self, c: _Cand, cands: list[_Cand], by_start: dict[int, _Cand],
                     used: list[bool]) -> _RoleLayout:
        """Where a role phrase starts and ends: country modifiers on the left, a name on the right."""
        doc = self.doc
        sent = doc[c.start].sent
        j = c.end
        while j < sent.end and j - c.end < 4:
            rank = by_start.get(j)
            if rank is not None and rank.kind == "role" and doc[rank.start:rank.end].text.lower() in RANKS:
                j = rank.end  # a rank the agent files also list ("Col.", "General")
            elif doc[j].lower_ in RANKS:
                j += 1
            else:
                break
        name_start = j
        person: PersonInfo | None = None
        pc = by_start.get(j)
        if pc is not None and pc.kind == "person":
            person = self.d.people[pc.key]
            j = pc.end
        else:
            while (j < sent.end and j - name_start < MAX_NAME_TOKENS and doc[j].pos_ == "PROPN"
                   and (doc[j].text[:1].isupper() or (j > name_start and doc[j].lower_ in NAME_PARTICLES
                                                      and doc[j].ent_iob_ == "I"))
                   and by_start.get(j) is None and doc[j].text not in NOT_NAMES):
                j += 1
            while j > name_start and doc[j - 1].lower_ in NAME_PARTICLES:
                j -= 1  # "Staffan de" of a cut-off name: the particle belongs to what follows
            names = doc[name_start:j]
            if len(names) and not (any(t.ent_type_ == "PERSON" for t in names) or len(names) >= 2):
                j = name_start
        end = c.end if j == name_start else j  # no name: do not swallow a dangling rank
        name_text = doc[name_start:end].text if end > c.end else ""
        # Left: walk back over the noun phrase's modifiers, collecting countries/organisations.
        cand_end = {x.end: x for x in cands if x.kind in ("cname", "demonym", "capital", "igo")}
        mods: list[_Cand] = []
        k = c.start
        while k > sent.start and c.start - k < LEFT_WINDOW:
            x = cand_end.get(k)
            if x is not None and not used[x.start]:
                mods.insert(0, x)
                k = x.start
                continue
            t = doc[k - 1]
            if t.dep_ == "case" or t.text in ("-", "–") or t.pos_ in ("ADJ", "ADV", "NUM") or (
                    t.pos_ == "VERB" and t.dep_ == "amod") or (
                    t.pos_ in ("PROPN", "NOUN") and t.dep_ == "compound" and t.text[:1].isupper()):
                k -= 1
                continue
            if t.lower_ in ("and", ",", "&") and mods and k - 1 in cand_end:
                k -= 1
                continue
            break
        # "US-backed Kurdish fighters", "Russian-backed forces": the country names the patron, not the
        # role's nationality (the words stay in the phrase; the role gets its country elsewhere).
        patrons = [x for x in mods if x.end + 1 < sent.end and doc[x.end].text in ("-", "–")
                   and doc[x.end + 1].lower_ in PATRON_PARTICIPLES]
        left = min([x.start for x in mods] + [c.start])
        mods = [x for x in mods if x not in patrons]
        # "Foreign Minister Ana Duarte of Peru": a country after "of" belongs to the role.
        if not mods and end + 1 < sent.end and doc[end].lower_ == "of":
            x = by_start.get(end + 1)
            if x is not None and x.kind in ("cname", "igo") and not used[x.start]:
                mods = [x]
                end = x.end
        start = min(mods[0].start, left) if mods else left
        owner = None
        if not mods and c.key != "*":
            # "Assad's forces", "the Assad regime": a known person owning the role gives its country
            k = start - 1 if start - 1 >= sent.start and doc[start - 1].dep_ == "case" else start
            x = next((p for p in cands if p.kind == "person" and p.end == k and not used[p.start]), None)
            if x is not None and (doc[x.end - 1].dep_ in ("poss", "compound") or k != start):
                owner, start = self.d.people[x.key], x.start
        for k in range(start, end):
            used[k] = True
        return _RoleLayout(c, start, end, mods, person, name_text, owner)

    def _role(self, lay: _RoleLayout, home: str | None) -> ActorMatch:
        """Resolve a laid-out role phrase to actors, in document order (uses what was seen so far)."""
        doc = self.doc
        c, start, end, mods, person = lay.cand, lay.start, lay.end, lay.mods, lay.person
        is_counterpart = c.key == "*"
        sector = (self.last_role_sector or "GOV") if is_counterpart else c.key
        full_name = person.name if person else lay.name_text
        seen = self._lookup_seen(full_name) if full_name else None
        if mods:
            actors = [self._country_actor(x, doc[x.start:x.end].text,
                                          sector if x.kind != "igo" else (c.key if c.key != "*" else None))
                      for x in mods]
        else:
            country = None
            if person and person.country:
                country = person.country
            elif seen and seen.country:
                country = seen.country
            elif lay.owner is not None and lay.owner.country:
                country = lay.owner.country
            elif not is_counterpart and sector in HOME_SECTORS:
                country = home
            actors = [Actor("", "", country, sector, country_id(country) if country in self.d.countries else None)]
        text = doc[start:end].text
        readable = full_name or _readable(doc[start:c.end])
        role_text = doc[c.start:c.end].text
        # "the former British prime minister", "Turkey's deputy foreign minister": not the holder of the day
        before = doc[max(doc[start].sent.start, start - 2):c.end]
        holder_words = {t.lower_.strip("-") for t in before} & NOT_THE_HOLDER
        for a, x in zip(actors, mods or [None] * len(actors), strict=True):
            a.text = text
            if len(actors) > 1 and not full_name and x is not None:
                a.name = f"{doc[x.start:x.end].text} {role_text}"
            else:
                a.name = readable
            if full_name:
                a.actor_id = person.actor_id if person else (seen.actor_id if seen else None)
            elif x is not None and not is_counterpart and a.country and not holder_words:
                # "the US Secretary of State", "Turkey's defence minister": an office of a named
                # country, resolved to its holder once the mention is dated (roles.resolve_actors)
                office = title_office(role_text, a.country)
                if office:
                    a.actor_id = office_id(a.country, office)
        if full_name and len(actors) == 1:
            self._remember(full_name, actors[0].country, actors[0].sector, start, actors[0].actor_id)
        if not is_counterpart:
            self.last_role_sector = c.key
        return ActorMatch(start, end, doc[start:end].root.i, actors, "role")

    def _remember(self, name: str, country: str | None, sector: str | None, pos: int,
                  actor_id: str | None = None) -> None:
        s = self.seen.get(name)
        if s is None:
            self.seen[name] = _Seen(name, _surname(name), country, sector, 1, pos, actor_id)
        else:
            s.count += 1
            s.country = s.country or country
            s.sector = s.sector or sector
            s.actor_id = s.actor_id or actor_id

    def _lookup_seen(self, text: str) -> _Seen | None:
        if text in self.seen:
            return self.seen[text]
        last = _surname(text)
        for s in self.seen.values():
            if s.surname == last and len(last) > 2:
                return s
        return None

    def _ner_org(self, ent: Span, cands: list[_Cand], used: list[bool], home: str | None) -> ActorMatch | None:
        """A named organisation no dictionary knows ("the Homeland Union", "the Third World Water
        Forum"): an actor when the name ends in an organisation noun, with the country named inside
        it, NGO for international bodies, or the article's home country; sector by that noun."""
        start, end = ent.start, ent.end
        doc = self.doc
        while start < end and (doc[start].pos_ == "DET" or doc[start].is_punct):
            start += 1
        heads = [t for t in doc[start:end] if t.lemma_.lower() in ORG_HEAD_SECTORS]
        if start >= end or not heads or any(used[start:end]) or not doc[start].text[:1].isupper():
            return None
        within = [c for c in cands if start <= c.start < end]
        if any(c.kind in ("igo", "person", "cname", "capital") for c in within):
            return None  # a known organisation, person or country in the name: the dictionaries decide
        sector = ORG_HEAD_SECTORS[heads[0].lemma_.lower()]
        inside = [c for c in within if c.kind == "demonym"]
        words = {t.lower_ for t in doc[start:end]}
        if inside:
            country = inside[0].key
        elif words & INTERNATIONAL_WORDS:
            country, sector = "NGO", "NGO"
        else:
            country = home
        span = doc[start:end]
        for k in range(start, end):
            used[k] = True
        return ActorMatch(start, end, span.root.i, [Actor(span.text, span.text, country, sector)], "org")

    def _ner_person(self, start: int, end: int, used: list[bool], *, known_only: bool = False) -> ActorMatch | None:
        """A person the NER found; with ``known_only``, a name the NER labelled otherwise (an
        organisation, a place) that is a person this article has already named ("De Mistura" after
        "Staffan de Mistura"), else nothing."""
        doc = self.doc
        while start < end and doc[start].pos_ == "DET":
            start += 1
        while start < end and doc[start].lower_ in RANKS:
            start += 1
        lead_country = None  # "Briton Joe Robinson": the NER took the nationality into the name
        if settings.PERSON_NATIONALITY and end - start > 2 and doc[start].lower_ in PERSON_DEMONYMS:
            lead_country = PERSON_DEMONYMS[doc[start].lower_]
            start += 1
        while end > start and (doc[end - 1].is_space or doc[end - 1].text in ("’s", "'s")):
            end -= 1
        if any(not (t.is_alpha or t.text in ("-", ".") or t.text.rstrip(".").isalpha()) for t in doc[start:end]):
            return None
        if start >= end or any(used[start:end]):
            return None
        span = doc[start:end]
        text = span.text
        seen = self._lookup_seen(text) or (self._fuzzy_seen(text) if len(span) == 1 and not known_only else None)
        if seen is not None:
            seen.count += 1
            actor = Actor(span.text, seen.name, seen.country, seen.sector, seen.actor_id)
        elif known_only:
            return None
        else:
            if len(span) < 2:
                return None  # a lone unknown capitalised word is not enough for a new person
            country = lead_country or self._person_nationality(span)
            self._remember(span.text, country, None, start)
            actor = Actor(span.text, span.text, country, None)
        for k in range(span.start, span.end):
            used[k] = True
        return ActorMatch(span.start, span.end, span.root.i, [actor], "person")

    def _person_entity(self, ent: Span, used: list[bool], *, tagged_person: bool) -> ActorMatch | None:
        """The person an entity names: a PERSON entity, or one the small model labelled otherwise that
        names a role's holder or a person the article already named; beside a role, it takes the role."""
        role = self._role_of_holder(ent)
        m = self._ner_person(ent.start, ent.end, used, known_only=not tagged_person and role is None)
        if m is not None and role is not None:
            self._take_role(m, role)
        return m

    def _role_of_holder(self, ent: Span) -> ActorMatch | None:
        """The role phrase whose holder this entity (labelled an organisation or place) names: a
        multi-word proper name in apposition to it ("the UN special envoy for Syria, Staffan de
        Mistura, …")."""
        if len(ent) < 2 or any(t.pos_ != "PROPN" for t in ent) or ent.root.dep_ != "appos":
            return None
        head = ent.root.head
        while head.dep_ in ("pobj", "prep") and head.head.i < head.i:
            head = head.head  # the parse may hang the name on the role's "for Syria"
        return next((m for m in self.out if m.kind == "role" and m.start <= head.i < m.end
                     and len(m.actors) == 1), None)

    def _take_role(self, m: ActorMatch, role: ActorMatch) -> None:
        """A person named beside their role takes its country and sector, here and in later
        references ("De Mistura" after "the UN special envoy, Staffan de Mistura")."""
        r = role.actors[0]
        for a in m.actors:  # the role, not a country named near it ("envoy for Syria"), says whose
            a.country, a.sector = r.country or a.country, r.sector or a.sector
            seen = self.seen.get(a.name)
            if seen is not None:
                seen.country, seen.sector = a.country, a.sector

    def _fuzzy_seen(self, word: str) -> _Seen | None:
        if len(word) < SURNAME_FUZZ_MIN_LEN:
            return None
        best, score = None, 0.0
        for s in self.seen.values():
            if len(s.surname) < SURNAME_FUZZ_MIN_LEN:
                continue
            r = fuzz.ratio(word, s.surname)
            if r > score:
                best, score = s, r
        return best if score >= SURNAME_FUZZ_MIN else None

    def _fuzzy_person(self, i: int) -> ActorMatch | None:
        tok = self.doc[i]
        if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "poss", "conj", "appos", "ROOT"):
            return None
        seen = self._lookup_seen(tok.text) or self._fuzzy_seen(tok.text)
        if seen is None:
            return None
        seen.count += 1
        return ActorMatch(i, i + 1, i, [Actor(tok.text, seen.name, seen.country, seen.sector, seen.actor_id)],
                          "person")

    def _group(self, start: int, end: int) -> ActorMatch | None:
        doc = self.doc
        noun = doc[end - 1].lower_
        what, sector = GROUP_NOUNS.get(noun, ("either", None))
        span = doc[start:end]
        if doc[start].lower_ in ("the", "these", "those") and end - start > 1:
            start += 1
        text = doc[start:end].text
        recent = self._recent_people(start)
        speaker = self._speaker_of(span)
        if speaker and len([s for s in recent if s.name not in speaker]) >= 2:
            recent = [s for s in recent if s.name not in speaker]  # "Michel said the two leaders …"
        if what == "person" or (what == "either" and len(recent) >= 2):
            people = recent if len(recent) >= 2 else self._salient_people()
            # in the order they were named, so that a two-party event's first-named party is its source
            chosen = people[:2][::-1] if people is recent else people[:2]
            actors = [Actor(text, s.name, s.country, s.sector, s.actor_id) for s in chosen]
        else:
            actors = []
        if not actors:
            ranked = sorted(self.country_counts, key=lambda iso: (-self.country_counts[iso],
                                                                   self.country_first[iso]))
            actors = [Actor(text, self.d.countries[iso].name, iso, sector, country_id(iso)) for iso in ranked[:2]]
        if not actors:
            return None
        return ActorMatch(start, end, span.root.i, actors, "group")

    def _speaker_of(self, span: Span) -> set[str]:
        """Names of the actors who report the clause a group noun stands in ("Michel said the two
        leaders had agreed"): they are not among the group."""
        node = span.root
        while node.dep_ not in ("ccomp", "ROOT") and node.head.i != node.i:
            node = node.head
        if node.dep_ != "ccomp":
            return set()
        subjects = [c for c in node.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        return {a.name for m in self.out for a in m.actors for subj in subjects if m.start <= subj.i < m.end}

    def _salient_people(self) -> list[_Seen]:
        return sorted(self.seen.values(), key=lambda s: (-s.count, s.first))

    def _recent_people(self, pos: int) -> list[_Seen]:
        """Distinct people mentioned in the last three sentences, most recent first."""
        sents = list(self.doc.sents)
        idx = next(k for k, s in enumerate(sents) if s.start <= pos < s.end)
        lo = sents[max(0, idx - 3)].start
        out: list[_Seen] = []
        for m in reversed(self.out):
            if not (lo <= m.start < pos) or m.kind not in ("role", "person"):
                continue
            for a in m.actors:
                s = self.seen.get(a.name)
                if s is not None and s not in out:
                    out.append(s)
        return out


#: Nouns for a person of a nationality that the country dictionaries do not list as demonyms.
PERSON_DEMONYMS: dict[str, str] = {
    "briton": "GBR", "britons": "GBR", "brit": "GBR", "scot": "GBR", "welshman": "GBR", "englishman": "GBR",
    "englishwoman": "GBR", "scotswoman": "GBR", "scotsman": "GBR", "frenchman": "FRA", "frenchwoman": "FRA",
    "dutchman": "NLD", "irishman": "IRL", "irishwoman": "IRL", "turk": "TUR", "dane": "DNK", "swede": "SWE",
    "finn": "FIN", "pole": "POL", "spaniard": "ESP", "swiss": "CHE", "american": "USA",
}
#: Dependencies that leave a descriptor: a clause or a preposition tells something else about the person.
_DESCRIPTOR_STOPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "punct", "prep"})


def _descriptor_words(tok: Token) -> list[Token]:
    """``tok`` and the words under it that still describe the same person ("a former British soldier
    from Turkey"): no relative or other clause, and of the prepositions only "from"."""
    out = [tok]
    for c in tok.children:
        if c.dep_ not in _DESCRIPTOR_STOPS:
            out += _descriptor_words(c)
        elif c.dep_ == "prep" and c.lower_ == "from":
            out += [c, *[t for g in c.children if g.dep_ == "pobj" for t in _descriptor_words(g)]]
    return out


def _readable(span: Span) -> str:
    """A role phrase without leading determiners/possessive pronouns: "the Turkish parliament" ->
    "Turkish parliament"."""
    toks = list(span)
    while toks and (toks[0].pos_ == "DET" or toks[0].tag_ == "PRP$"):
        toks = toks[1:]
    if not toks:
        return span.text
    return span.doc[toks[0].i: toks[-1].i + 1].text
