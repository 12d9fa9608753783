"""Actors over time: dated roles, offices and who held them, and stable actor ids.

An office holder's country and sector depend on when: John Kerry was a US senator until February
2013 and Secretary of State after it, and "the British Prime Minister" was David Cameron in 2014
and Theresa May in 2018. The actor stage (:mod:`.actors`) recognises people and office phrases
without knowing the date; once the coder has dated a mention (:mod:`.dates`), :func:`resolve_actors`
turns

* an office phrase whose country the text names ("the US Secretary of State", "Turkey's defence
  minister", "the president of France") into whoever held that office on that day, and
* a known person into the country and sector of the role they held on that day,

from :class:`RoleBook`, the dated roles in ``data/roles.tsv`` (built by ``scripts/build_roles.py``
from the Phoenix dictionaries and the hand-kept ``scripts/data/office_holders.tsv``) plus the roles
of a user's ``--actors`` file. Where the data gives no holder for the day, or two holders it
cannot choose between, the office stays generic: an unknown holder is better than a wrong one.

Every actor carries an ``actor_id`` that is the same in every run: a code derived from its
dictionary entry, never a row number (see :func:`person_id` and the docs' dictionaries page).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from eventcoder.models import Actor

#: The shipped dated roles (generated; see the module docstring).
ROLES_FILE = "roles.tsv"
#: Columns of ROLES_FILE.
ROLE_COLUMNS = ("actor_id", "name", "country", "sector", "office", "start", "end", "source")
#: Which source wins when two holders of one office overlap (higher wins; equal: no holder).
SOURCE_PRIORITY = {"phoenix": 0, "extra": 1, "user": 2}

#: Offices and the titles news uses for them, in any country (lower case, hyphens as spaces).
OFFICE_TITLES: dict[str, str] = {
    "president": "PRESIDENT",
    "vice president": "VICE_PRESIDENT",
    "prime minister": "PRIME_MINISTER", "premier": "PRIME_MINISTER", "pm": "PRIME_MINISTER",
    "foreign minister": "FOREIGN_MINISTER", "minister of foreign affairs": "FOREIGN_MINISTER",
    "foreign affairs minister": "FOREIGN_MINISTER", "minister for foreign affairs": "FOREIGN_MINISTER",
    "foreign secretary": "FOREIGN_MINISTER", "external affairs minister": "FOREIGN_MINISTER",
    "minister of external affairs": "FOREIGN_MINISTER",
    "defence minister": "DEFENCE_MINISTER", "defense minister": "DEFENCE_MINISTER",
    "minister of defence": "DEFENCE_MINISTER", "minister of defense": "DEFENCE_MINISTER",
    "minister for defence": "DEFENCE_MINISTER", "minister for defense": "DEFENCE_MINISTER",
    "minister of national defence": "DEFENCE_MINISTER", "minister of national defense": "DEFENCE_MINISTER",
    "national defence minister": "DEFENCE_MINISTER", "national defense minister": "DEFENCE_MINISTER",
    "defence secretary": "DEFENCE_MINISTER", "defense secretary": "DEFENCE_MINISTER",
    "secretary of defence": "DEFENCE_MINISTER", "secretary of defense": "DEFENCE_MINISTER",
    "sec def": "DEFENCE_MINISTER", "armed forces minister": "DEFENCE_MINISTER",
    "minister of the armed forces": "DEFENCE_MINISTER",
    "interior minister": "INTERIOR_MINISTER", "minister of interior": "INTERIOR_MINISTER",
    "minister of the interior": "INTERIOR_MINISTER", "home minister": "INTERIOR_MINISTER",
    "home secretary": "INTERIOR_MINISTER", "minister of home affairs": "INTERIOR_MINISTER",
    "king": "MONARCH", "queen": "MONARCH", "monarch": "MONARCH", "emir": "MONARCH", "sultan": "MONARCH",
    "supreme leader": "SUPREME_LEADER",
    "secretary general": "SECRETARY_GENERAL",
}
#: Titles that name an office in one country only ("the Secretary of State" is the US foreign
#: minister; a British one is any cabinet member; the German chancellor heads the government,
#: the British one the Treasury).
COUNTRY_TITLES: dict[tuple[str, str], str] = {
    ("USA", "secretary of state"): "FOREIGN_MINISTER", ("USA", "sec state"): "FOREIGN_MINISTER",
    ("USA", "secretary"): "",  # a bare "Secretary" is no office
    ("DEU", "chancellor"): "CHANCELLOR", ("DEU", "kanzler"): "CHANCELLOR",
    ("DEU", "bundeskanzler"): "CHANCELLOR", ("AUT", "chancellor"): "CHANCELLOR",
}
#: Words in an office phrase that make it someone other than the holder of the day ("the former
#: British prime minister", "Turkey's deputy foreign minister", "the incoming US president").
NOT_THE_HOLDER = frozenset({
    "former", "ex", "late", "deputy", "vice", "assistant", "under", "shadow", "acting", "interim", "incoming",
    "future", "next", "previous", "prospective", "designate", "elect",
})
#: Words before a title that make it another office ("deputy prime minister", "under secretary of state").
NOT_THE_OFFICE = frozenset({
    "deputy", "dep", "dep.", "under", "undersecretary", "assistant", "vice", "shadow", "junior", "first",
    "former", "ex", "late", "state",
})


def slug(text: str) -> str:
    """``"Zakir Həsənov"`` -> ``"ZAKIR_HASANOV"``: ASCII letters and digits in upper case, joined by ``_``."""
    folded = unicodedata.normalize("NFKD", text.replace("ə", "a").replace("Ə", "A").replace("ı", "i"))
    folded = folded.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Z0-9]+", "_", folded.upper()).strip("_")


def person_id(name: str) -> str:
    """A known person's id: ``person:`` and the slug of the canonical name (``person:JOHN_KERRY``)."""
    return f"person:{slug(name)}"


def office_id(country: str, office: str) -> str:
    """An office nobody is known to hold that day: ``office:USA:FOREIGN_MINISTER``."""
    return f"office:{country}:{office}"


def country_id(iso: str) -> str:
    """A state (any sector): ``country:TUR``."""
    return f"country:{iso}"


def org_id(key: str) -> str:
    """An organisation of the dictionaries (IGO, NGO, armed group): ``org:NAT``, ``org:ISLAMIC_STATE``."""
    return f"org:{slug(key)}"


def user_id(name: str) -> str:
    """An actor of a user's ``--actors`` file: ``user:`` and the slug of its name."""
    return f"user:{slug(name)}"


def normalize_title(text: str) -> str:
    """Lower case, hyphens as spaces, no leading article, singular: "Secretaries-General" -> "secretary general"."""
    words = text.lower().replace("’", "'").replace("-", " ").replace("_", " ").split()
    while words and words[0] in ("the", "a", "an", "his", "her", "its", "their"):
        words = words[1:]
    return " ".join(_singular(w) for w in words)


def _singular(word: str) -> str:
    if word in ("ministers", "presidents", "chancellors", "premiers", "kings", "queens", "monarchs", "emirs",
                "sultans", "leaders", "generals", "pms"):
        return word[:-1]
    if word in ("secretaries", "secretarys"):
        return "secretary"
    if word.endswith("[s]"):
        return word[:-3]
    return word


def title_office(title: str, country: str | None = None) -> str | None:
    """The office a title names in ``country`` ("secretary of state", "USA" -> "FOREIGN_MINISTER"),
    or None when it names none we track."""
    key = normalize_title(title)
    if country is not None and (country, key) in COUNTRY_TITLES:
        return COUNTRY_TITLES[(country, key)] or None
    return OFFICE_TITLES.get(key)


@dataclass(frozen=True, slots=True)
class Role:
    """One dated role: who (id and name), for which country (or IGO code) and sector, in which office
    if the data names one, from ``start`` (ISO date, inclusive) until ``end`` (exclusive); an empty
    date is open."""

    actor_id: str
    name: str
    country: str | None
    sector: str | None
    office: str | None = None
    start: str = ""
    end: str = ""
    source: str = "phoenix"

    def covers(self, day: str) -> bool:
        return (not self.start or self.start <= day) and (not self.end or day < self.end)


class RoleBook:
    """Dated roles by actor and by office; answers who held an office and what a person was, on a day."""

    def __init__(self, roles: Iterable[Role] = ()) -> None:
        self.by_actor: dict[str, list[Role]] = {}
        self.by_office: dict[tuple[str, str], list[Role]] = {}
        for r in roles:
            self._add(r)

    def _add(self, r: Role) -> None:
        self.by_actor.setdefault(r.actor_id, []).append(r)
        if r.office and r.country:
            self.by_office.setdefault((r.country, r.office), []).append(r)

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_actor.values())

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> RoleBook:
        """The shipped roles (cached: one load per process)."""
        path = resources.files("eventcoder").joinpath("data").joinpath(ROLES_FILE)
        return cls.from_text(path.read_text(encoding="utf-8") if path.is_file() else "")

    @classmethod
    def from_text(cls, text: str) -> RoleBook:
        """Parse ROLES_FILE's tab-separated layout (``#`` lines are comments)."""
        roles = []
        for line in text.splitlines():
            if not line or line.startswith(("#", "actor_id\t")):
                continue
            aid, name, country, sector, office, start, end, source = (line.split("\t") + [""] * 8)[:8]
            roles.append(Role(aid, name, country or None, sector or None, office or None, start, end,
                              source or "phoenix"))
        return cls(roles)

    def with_roles(self, roles: Sequence[Role]) -> RoleBook:
        """A new book holding this one's roles and ``roles`` (a user's, which win over shipped ones)."""
        book = RoleBook()
        for k, v in self.by_actor.items():
            book.by_actor[k] = list(v)
        for k, v in self.by_office.items():
            book.by_office[k] = list(v)
        for r in roles:
            book._add(r)
        return book

    def offices(self) -> set[tuple[str, str]]:
        """Every (country, office) the book knows a holder of."""
        return set(self.by_office)

    def holder(self, country: str, office: str, day: str) -> Role | None:
        """The role of whoever held ``office`` in ``country`` on ``day`` (ISO date); None when the data
        names nobody, or two people from equally trusted sources."""
        found = [r for r in self.by_office.get((country, office), ()) if r.covers(day)]
        if not found:
            return None
        best = max(SOURCE_PRIORITY.get(r.source, 0) for r in found)
        top = [r for r in found if SOURCE_PRIORITY.get(r.source, 0) == best]
        if len({r.actor_id for r in top}) > 1:
            return None
        return top[0]

    def role_at(self, actor_id: str, day: str) -> Role | None:
        """The role ``actor_id`` held on ``day``: one in an office first, then the most trusted source,
        then the shortest (the most specific) span; None when no dated role covers the day."""
        found = [r for r in self.by_actor.get(actor_id, ()) if r.covers(day)]
        if not found:
            return None
        return max(found, key=lambda r: (r.office is not None, SOURCE_PRIORITY.get(r.source, 0), -_span_days(r)))


def end_exclusive(end: str) -> str:
    """An inclusive last day (a user's ``end``) as the exclusive end of a Role ("" stays open)."""
    return (date.fromisoformat(end) + timedelta(days=1)).isoformat() if end else ""


def _span_days(r: Role) -> int:
    start = date.fromisoformat(r.start) if r.start else date.min
    end = date.fromisoformat(r.end) if r.end else date.max
    return (end - start).days


def resolve_actors(actors: Sequence[Actor], day: str | None, book: RoleBook) -> list[Actor]:
    """``actors`` as they were on ``day``: an office phrase becomes its holder (name, id, country,
    sector of the role), a known person takes the country and sector of the role held then. Actors
    are copied, never changed in place (one match may serve several mentions with other dates)."""
    if not day or not actors:
        return list(actors)
    out: list[Actor] = []
    for a in actors:
        aid = a.actor_id or ""
        if aid.startswith("office:"):
            _, country, office = aid.split(":", 2)
            r = book.holder(country, office, day)
            if r is not None:
                a = replace(a, name=r.name, actor_id=r.actor_id, country=r.country or a.country,
                            sector=r.sector or a.sector)
        elif aid.startswith(("person:", "user:")):
            r = book.role_at(aid, day)
            if r is not None and (r.country != a.country or r.sector != a.sector):
                a = replace(a, country=r.country or a.country, sector=r.sector or a.sector)
        if not any(b.actor_id and b.actor_id == a.actor_id and b.name == a.name for b in out):
            out.append(a)
    return out
