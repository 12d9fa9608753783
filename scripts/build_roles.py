"""Build ``src/eventcoder/data/roles.tsv``: dated roles and who held which office when.

Run by developers when the reference data changes, never at run time (``build_dictionaries.py``
runs it too)::

    python scripts/build_roles.py --shared ../shared/dictionaries

The Phoenix actor dictionaries (OEDA, MIT) give people dated codes, ``[USAGOV 130201-170120]``:
a country, a sector and a span, but not the office. The office is read from what the files say
around the codes, most trusted first:

1. a comment on the code's line (``[USAGOV 920823-930119] # Secretary of State``);
2. a section heading the entry stands under (``# Prime Ministers``, ``# U.S. Secretaries of
   State``), for the entries that follow it until the next heading or country;
3. a title in one of the entry's aliases (``+PRIME_MINISTER_DAVID_CAMERON_``, ``+SECRETARY_OF_
   STATE_JOHN_KERRY_``).

Titles become offices through ``eventcoder.pipeline.roles.title_office``. An office has one holder
at a time, so a span from (2) or (3) that overlaps another holder's accepted span by more than
OVERLAP_DAYS is not taken (a deputy listed under the secretaries, a chief of staff's earlier post),
and a section ends at the first entry none of whose spans fits. Spans the source leaves open
(``>130201``) end at the last date the dictionary records for that country (what it vouches for)
or when the next holder of the office starts. The hand-kept ``scripts/data/office_holders.tsv``
adds the holders since (facts); its rows win where the two disagree. Only facts (names, codes,
dates) are carried over.

Rows: one per dated role of every person who held an office or changed country or sector (for the
others the actor dictionary's single country and sector already hold at every date).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from build_dictionaries import (  # noqa: E402 - next to this script
    CODE_RE,
    PHOENIX_TO_ISO,
    SECTORS,
    SOURCES_NOTE,
    _phoenix_name,
    _smart_title,
)

from eventcoder.pipeline.roles import (  # noqa: E402
    COUNTRY_TITLES,
    NOT_THE_OFFICE,
    OFFICE_TITLES,
    ROLE_COLUMNS,
    normalize_title,
    person_id,
    title_office,
)

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "eventcoder" / "data"
HOLDERS = Path(__file__).resolve().parent / "data" / "office_holders.tsv"
#: Days two holders' spans of one office may overlap (sources round dates to a month).
OVERLAP_DAYS = 31
#: The role part of a code (after the country) an office's holder has, the preferred first: a
#: defence minister's span is the military one (``USAGOVMIL``) when the entry has one, else a
#: plain government span; an organisation's officer has the organisation's code; every other
#: office is plain government.
OFFICE_CODES: dict[str, tuple[frozenset[str], ...]] = {
    "DEFENCE_MINISTER": (frozenset({"GOVMIL", "MIL"}), frozenset({"GOV"})),
    "SECRETARY_GENERAL": (frozenset({"IGO"}),),
}
PLAIN_GOV = (frozenset({"GOV"}),)
#: A section's list of holders ends after this many entries in a row that hold none of its spans.
SECTION_MISSES = 2
#: Words of a code comment that names some other post ("National security advisor", "Amb. to UN").
POST_WORDS = frozenset({
    "secretary", "sec", "minister", "min", "advisor", "adviser", "amb", "ambassador", "chief", "president",
    "governor", "dep", "deputy", "senator", "pm", "cmdr", "director", "dci", "council", "leader", "speaker",
    "chairman", "head", "commander", "envoy", "mayor", "judge", "justice", "attorney",
})
#: Roles that ended before this are left out (as people.tsv: build_dictionaries.PEOPLE_SINCE).
SINCE = "1945-01-01"


@dataclass
class Code:
    """One bracketed code of an entry, its dates and the comment on its line."""

    code: str
    dates: str
    comment: str


@dataclass
class Entry:
    """One dictionary entry: headword, aliases, codes, and the line it starts on."""

    head: str
    aliases: list[str] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    line: int = 0


@dataclass
class Span:
    """One dated role of a person while the offices are being found."""

    actor_id: str
    country: str
    sector: str
    start: str
    end: str  # "" open
    office: str | None = None
    how: str = ""
    #: The code after its country ("GOV", "GOVMIL"; "IGO" for an organisation's code).
    role: str = ""
    #: A comment names another post for this span: no office is read from headings or aliases.
    other_post: bool = False


def candidates(spans: list[Span], office: str) -> list[Span]:
    """The spans of one person that may be ``office``, of the most preferred kind of code present."""
    for roles in OFFICE_CODES.get(office, PLAIN_GOV):
        found = [sp for sp in spans if sp.role in roles and not sp.other_post
                 and sp.office in (None, office)]
        if found:
            return [sp for sp in found if not sp.office]
    return []


def _iso_date(text: str) -> str | None:
    """PETRARCH YYMMDD (pivot 1930) or YYYYMMDD -> ISO; a nine-digit typo keeps its first eight."""
    text = text.strip()
    if len(text) == 9 and text.isdigit():
        text = text[:8]
    if len(text) == 6 and text.isdigit():
        yy = int(text[:2])
        text = f"{2000 + yy if yy <= 30 else 1900 + yy}{text[2:]}"
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return None


def _span(dates: str) -> tuple[str, str] | None:
    """``030101-040930`` / ``>030314`` / ``<911018`` -> (start, end) ISO ("" open); undated -> None."""
    dates = dates.strip()
    if not dates:
        return None
    if dates.startswith(">"):
        start = _iso_date(dates[1:])
        return (start, "") if start else None
    if dates.startswith("<"):
        end = _iso_date(dates[1:])
        return ("", end) if end else None
    if "-" not in dates:
        return None
    a, b = dates.split("-", 1)
    start, end = _iso_date(a), _iso_date(b)
    return (start, end) if start and end and start <= end else None




def _commented_entry(text: str) -> bool:
    """``# ROBERTO_GONZALEZ_  # CountryInfo.txt``, ``#+CANTON_``: an entry taken out, not a note or heading."""
    head = text.split("#", 1)[0].strip()
    return head.startswith("+") or "[" in head or ("_" in head and not any(c.islower() for c in head))


def read_entries(path: Path) -> Iterator[tuple[str, object]]:
    """The file in order: ("heading", text) for a comment line between entries (a section heading or
    a note: either ends the section before), ("break", "") for a banner line, ("entry", Entry).

    Consecutive headwords without codes name the person of the codes that follow (PETRARCH lists
    ``BORIS_YELTSIN_``, ``PRESIDENT_BORIS_YELTSIN`` ... then the codes): they become one entry."""
    entry: Entry | None = None
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            text = line.strip().lstrip("#").strip()
            if line.startswith("###"):
                yield "break", ""
            elif text and not _commented_entry(text) and not line[0].isspace():
                if entry is not None:
                    yield "entry", entry
                    entry = None
                yield "heading", text
            continue
        body, _, comment = line.partition("#")
        codes = [Code(c, d, comment.strip()) for c, d in CODE_RE.findall(body)]
        if line.startswith("+"):
            if entry is not None:
                entry.aliases.append(_phoenix_name(body))
                entry.codes += codes
            continue
        if line[0] in " \t":
            if entry is not None:
                entry.codes += codes
            continue
        if entry is not None and not entry.codes:
            entry.aliases.append(_phoenix_name(body))  # another name of the same codes
            entry.codes += codes
            continue
        if entry is not None:
            yield "entry", entry
        entry = Entry(_phoenix_name(body), [], codes, n)
    if entry is not None:
        yield "entry", entry


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("ə", "a"))
    text = text.encode("ascii", "ignore").decode("ascii").lower().replace("-", " ")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


def title_of(words: list[str], country: str, place_names: dict[str, set[str]] | None = None) -> str | None:
    """The office a run of title words names in ``country`` ("ISRAELI PRIME MINISTER" -> PRIME_MINISTER):
    its longest ending that is a title, unless a word before it makes it another post ("DEPUTY
    SECRETARY OF STATE"); "President of Germany" counts only for Germany (``place_names``: ISO-3 ->
    folded names of the country), never "Prime Minister of Lower Saxony"."""
    norm = normalize_title(" ".join(words)).replace(".", " ").split()
    norm = [w for w in norm if w not in ("acting", "brief", "interim")]
    while norm and re.fullmatch(r"pt|\d+", norm[-1]):  # "PM pt. 2"
        norm.pop()
    variants = [norm]
    if "of" in norm[1:]:
        cut = norm.index("of", 1)
        tail = " ".join(w for w in norm[cut + 1:] if w != "the")
        if tail in (place_names or {}).get(country, set()):
            variants.append(norm[:cut])
    for variant in variants:
        for i in range(len(variant)):
            office = title_office(" ".join(variant[i:]), country)
            if office:
                return None if i > 0 and variant[i - 1] in NOT_THE_OFFICE else office
    return None


def _overlap(a: tuple[str, str], b: tuple[str, str]) -> int:
    start = max(a[0] or "0001-01-01", b[0] or "0001-01-01")
    end = min(a[1] or "9999-12-31", b[1] or "9999-12-31")
    if start >= end:
        return 0
    return (date.fromisoformat(end) - date.fromisoformat(start)).days


@dataclass
class Person:
    actor_id: str
    name: str
    entry: Entry
    spans: list[Span] = field(default_factory=list)


class RoleBuilder:
    """Reads the dictionaries' people and spans, then finds their offices (see the module docstring)."""

    def __init__(self, countries: dict[str, set[str]], igo_codes: set[str], people: dict[str, str]) -> None:
        #: ISO-3 -> folded names of the country; IGO codes; folded name or alias -> canonical name.
        self.countries, self.igo_codes, self.people = countries, igo_codes, people
        self.persons: dict[str, Person] = {}
        self.order: list[tuple[Person, tuple[str, int] | None]] = []  # (person, (heading, section no))
        self.latest: dict[str, str] = {}  # country -> last date its entries record
        self.accepted: dict[tuple[str, str], list[Span]] = defaultdict(list)

    def place(self, code: str) -> tuple[str, str, str] | None:
        """(country or IGO code, sector, role part of the code) of a PETRARCH code."""
        if code.startswith(("IGO", "NGO")):
            for i in range(len(code) - 3, 2, -3):
                if code[i : i + 3] in self.igo_codes:
                    return code[i : i + 3], "IGO", "IGO"
            return None
        iso = PHOENIX_TO_ISO.get(code[:3], code[:3])
        if iso not in self.countries or code[3:6] not in SECTORS:
            return None
        return iso, code[3:6], code[3:]

    def read(self, path: Path, section_base: int) -> int:
        """Read one dictionary file; returns the number of its last section heading."""
        heading: tuple[str, int] | None = None
        section_no = section_base
        for kind, item in read_entries(path):
            if kind == "heading":
                section_no += 1
                heading = (str(item), section_no)
                continue
            if kind == "break":
                heading = None
                continue
            entry: Entry = item  # type: ignore[assignment]
            if entry.codes and all(len(c.code) == 3 and not c.dates.strip() for c in entry.codes):
                heading = None  # a country's own entry: the sections of the one before are over
                continue
            dated = []
            for c in entry.codes:
                s, p = _span(c.dates), self.place(c.code)
                if s and p:
                    self.latest[p[0]] = max(self.latest.get(p[0], ""), *(d for d in s if d))
                    if not s[1] or s[1] >= SINCE:
                        dated.append((c, s, p))
            name = _person_name(entry) if dated else None
            if name is None:
                continue
            canonical = self.people.get(_fold(name), name)
            aid = person_id(canonical)
            person = self.persons.get(aid)
            if person is None:
                person = self.persons[aid] = Person(aid, canonical, entry)
            elif not ({sp.country for sp in person.spans} & {p[0] for _, _, p in dated}
                      or any(p[2] == "IGO" for _, _, p in dated)):
                continue  # the same name in another country: another person; the first entry counts
            for c, s, p in dated:
                sp = Span(aid, p[0], p[1], s[0], s[1], role=p[2])
                office = title_of(c.comment.split(), p[0], self.countries) if c.comment else None
                if office:
                    sp.office, sp.how = office, "comment"
                    self.accepted[(sp.country, office)].append(sp)
                elif set(re.findall(r"[a-z]+", c.comment.lower())) & POST_WORDS:
                    sp.other_post = True
                person.spans.append(sp)
            self.order.append((person, heading))
        return section_no

    def _end(self, sp: Span) -> str:
        return sp.end or self.latest.get(sp.country, sp.start)

    def _take(self, sp: Span, office: str, how: str) -> bool:
        """Give ``sp`` the office unless it overlaps another holder's accepted span."""
        for o in self.accepted[(sp.country, office)]:
            if o.actor_id != sp.actor_id and _overlap(
                    (sp.start, self._end(sp)), (o.start, self._end(o))) > OVERLAP_DAYS:
                return False
        sp.office, sp.how = office, how
        self.accepted[(sp.country, office)].append(sp)
        return True

    def sections(self) -> None:
        """Offices from section headings: the entries under one, in order, until the list is over."""
        misses: dict[int, int] = {}
        country_of: dict[int, str] = {}  # a section lists one country's (or organisation's) holders
        closed: set[int] = set()
        for person, sec in self.order:
            if sec is None or sec[1] in closed:
                continue
            heading, no = sec
            held = False
            tried = False
            offices = {sp.country: title_of(heading.split(), sp.country, self.countries) for sp in person.spans}
            for country, office in offices.items():
                if office is None or (no in country_of and country_of[no] != country):
                    continue
                mine = [sp for sp in person.spans if sp.country == country]
                held |= any(sp.office == office for sp in mine)  # a comment already says so
                for sp in candidates(mine, office):
                    tried = True
                    if self._take(sp, office, "section"):
                        held = True
                        country_of.setdefault(no, country)
            if not (held or tried):
                continue  # no span that could hold the office (an elite, a party): passes
            misses[no] = 0 if held else misses.get(no, 0) + 1
            if misses[no] >= SECTION_MISSES:
                closed.add(no)

    def aliases(self) -> None:
        """Offices from titles in aliases ("PRIME_MINISTER_DAVID_CAMERON_")."""
        for person, _ in self.order:
            name_words = set(person.entry.head.upper().split())
            for alias in person.entry.aliases:
                words = alias.upper().split()
                k = len(words)
                while k > 0 and words[k - 1] in name_words:
                    k -= 1
                if not 0 < k < len(words):
                    continue
                for country in sorted({sp.country for sp in person.spans}):
                    office = title_of(words[:k], country, self.countries)
                    if office is None:
                        continue
                    # an alias does not say when: only a person with one span that can be the office
                    mine = candidates([sp for sp in person.spans if sp.country == country], office)
                    if len(mine) == 1:
                        self._take(mine[0], office, "alias")

    def close_open_spans(self) -> None:
        """A span the source leaves open ends at the last date it records for the country."""
        for person in self.persons.values():
            kept = []
            for sp in person.spans:
                if not sp.end:
                    sp.end = self.latest.get(sp.country, "")
                if sp.end > sp.start:
                    kept.append(sp)
            person.spans = kept

    def add_holders(self, path: Path) -> None:
        """The hand-kept holders (scripts/data/office_holders.tsv)."""
        offices = set(OFFICE_TITLES.values()) | {o for o in COUNTRY_TITLES.values() if o}
        for row in _read_holders(path):
            canonical = self.people.get(_fold(row["name"]))
            if canonical is None:
                raise SystemExit(f"{path}: {row['name']!r} is in neither people.tsv nor people_extra.tsv")
            office, country = row["office"], row["country"]
            if office not in offices:
                raise SystemExit(f"{path}: unknown office {office!r} for {row['name']}")
            if country not in self.countries and country not in self.igo_codes:
                raise SystemExit(f"{path}: unknown country {country!r} for {row['name']}")
            aid = person_id(canonical)
            person = self.persons.get(aid)
            if person is None:
                person = self.persons[aid] = Person(aid, canonical, Entry(canonical))
            sector = row.get("sector") or ("IGO" if country in self.igo_codes else "GOV")
            person.spans.append(Span(aid, country, sector, row["start"], row.get("end") or "", office, "extra"))

    def rows(self) -> list[tuple[Span, str]]:
        """(span, display name) of every person who held an office or changed country or sector; an
        office holder whose end is still open leaves office when the next holder starts."""
        by_office: dict[tuple[str, str], list[Span]] = defaultdict(list)
        for person in self.persons.values():
            for sp in person.spans:
                if sp.office:
                    by_office[(sp.country, sp.office)].append(sp)
        for holders in by_office.values():
            holders.sort(key=lambda s: s.start)
            for i, sp in enumerate(holders):
                nxt = [o.start for o in holders[i + 1:] if o.actor_id != sp.actor_id and o.start > sp.start]
                if not sp.end and nxt:
                    sp.end = min(nxt)
        out: dict[tuple, tuple[Span, str]] = {}
        for person in self.persons.values():
            if any(sp.office for sp in person.spans) or len({(sp.country, sp.sector) for sp in person.spans}) > 1:
                for sp in person.spans:
                    key = (sp.actor_id, sp.country, sp.sector, sp.office, sp.start, sp.end, sp.how == "extra")
                    out.setdefault(key, (sp, person.name))
        return sorted(out.values(), key=lambda r: (r[0].actor_id, r[0].start, r[0].end, r[0].country))


def build_roles(shared: Path, countries: dict[str, set[str]], igo_codes: set[str], people: dict[str, str],
                holders: Path = HOLDERS) -> list[tuple[Span, str]]:
    """Every dated role of people who held an office or changed country/sector (see module docstring)."""
    b = RoleBuilder(countries, igo_codes, people)
    n = b.read(shared / "Phoenix.Countries.actors.txt", 0)
    b.read(shared / "Phoenix.International.actors.txt", n)
    b.sections()
    b.aliases()
    b.close_open_spans()
    b.add_holders(holders)
    return b.rows()


def _person_name(entry: Entry) -> str | None:
    """The person an entry names, without titles: its headword, or for entries whose headword holds
    a title ("SECRETARY-GENERAL_BAN_KI-MOON") the shortest alias that is a plain name."""
    plain = [c for c in [entry.head, *entry.aliases]
             if c and not any(w.upper().strip(".,") in TITLE_WORDS for w in c.replace("-", " ").split())]
    pick = entry.head if entry.head in plain else (min(plain, key=len) if plain else None)
    if pick is None or not re.fullmatch(r"[A-Za-z .'\-]+", pick) or len(pick.split()) < 2:
        return None
    return _smart_title(pick)


#: Words that make a headword a title phrase, not a name.
TITLE_WORDS = frozenset({
    "PRESIDENT", "MINISTER", "PRIME", "SECRETARY", "GENERAL", "CHANCELLOR", "KING", "QUEEN", "SENATOR",
    "AMBASSADOR", "GOVERNOR", "DEPUTY", "FORMER", "LEADER", "CHAIRMAN", "SPEAKER", "UN", "U.N", "UNITED",
    "NATIONS", "US", "U.S", "AMERICAN", "DIRECTOR", "SECRETARY-GENERAL",
})


def _read_holders(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def known_people(data: Path) -> dict[str, str]:
    """Folded name or alias -> canonical name, from people.tsv then people_extra.tsv (which wins)."""
    out: dict[str, str] = {}
    for fname in ("people.tsv", "people_extra.tsv"):
        path = data / fname
        if not path.exists():
            path = OUT / fname  # the hand-kept people_extra.tsv when building into another directory
        if not path.exists():
            continue
        rows: list[list[str]] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and not line.startswith("name\t"):
                rows.append(line.split("\t"))
        for row in rows:
            out[_fold(row[0])] = row[0]
        for row in rows:
            for alias in (row[3].split("|") if len(row) > 3 else []):
                if alias and len(alias.split()) > 1:
                    out.setdefault(_fold(alias), row[0])
    return out


def write_roles(rows: list[tuple[Span, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f"# {SOURCES_NOTE} Office holders since the dictionaries' last dates: "
                 "scripts/data/office_holders.tsv (facts).\n")
        fh.write("# Dated roles of people who held an office or changed country or sector; start inclusive, "
                 "end exclusive (YYYY-MM-DD, empty: open). Built by scripts/build_roles.py.\n")
        fh.write("\t".join(ROLE_COLUMNS) + "\n")
        for s, name in rows:
            source = "extra" if s.how == "extra" else "phoenix"
            fh.write("\t".join([s.actor_id, name, s.country, s.sector, s.office or "", s.start, s.end, source]) + "\n")


def country_names(countries: dict) -> dict[str, set[str]]:
    """ISO-3 -> folded names, aliases and demonyms (countries.json)."""
    return {iso: {_fold(n) for n in [c["name"], *c["aliases"], *c["demonyms"]]}
            for iso, c in countries.items() if not iso.startswith("_")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "dictionaries")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    countries = country_names(json.loads((args.out / "countries.json").read_text(encoding="utf-8")))
    igos = json.loads((args.out / "igos.json").read_text(encoding="utf-8"))
    igo_codes = {v["code"] for k, v in igos.items() if not k.startswith("_")}
    rows = build_roles(args.shared, countries, igo_codes, known_people(args.out))
    write_roles(rows, args.out / "roles.tsv")
    offices = {(s.country, s.office) for s, _ in rows if s.office}
    print(f"roles {len(rows)} of {len({s.actor_id for s, _ in rows})} people, {len(offices)} offices "
          f"-> {args.out / 'roles.tsv'}")


if __name__ == "__main__":
    main()
