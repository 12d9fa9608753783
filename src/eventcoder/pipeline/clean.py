"""Cleaning of raw article text: header lines, site boilerplate, paragraphs, publication date.

News text arrives with bylines, date lines, subscription pitches and social-media footers around
the story. Every later stage (sentences, actors, dates) is confused by them, so they are removed
here once, and the metadata they carry (author, outlet, date, title) is kept. Only the edges of a
story are stripped: a paragraph in the middle is never dropped, however much it looks like noise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from eventcoder.models import PublishedBasis

# --------------------------------------------------------------------------------------------
# Lexicons and thresholds
# --------------------------------------------------------------------------------------------

#: Outlets that appear in bylines; a byline naming one of these gives the source, not an author.
KNOWN_OUTLETS: frozenset[str] = frozenset({
    "reuters", "associated press", "ap", "afp", "agence france-presse", "agence france presse",
    "bloomberg", "bbc", "bbc news", "cnn", "al jazeera", "xinhua", "tass", "interfax", "ria novosti",
    "anadolu", "anadolu agency", "azertag", "apa", "trend", "report.az", "news.az", "azernews",
    "daily sabah", "hurriyet daily news", "trt world", "efe", "dpa", "ansa", "kyodo", "yonhap", "upi",
    "the guardian", "guardian", "the new york times", "the washington post", "financial times",
    "the economist", "euronews", "rferl", "radio free europe", "voa", "voice of america", "sputnik",
    "pti", "ians", "aa", "bernama", "kyodo news", "nhk", "dw", "deutsche welle", "france 24",
})

#: Byline words that are neither a person nor an outlet.
ANONYMOUS_BYLINES: frozenset[str] = frozenset({
    "staff", "staff writer", "staff reporter", "our correspondent", "news desk", "editorial board",
    "editor", "editors", "admin", "web desk", "online desk", "correspondent",
})

#: A single capitalised token ending like this is an outlet name ("Azernews", "DailyPost").
OUTLET_SUFFIX_RE = re.compile(
    r"(?i)(news|press|times|post|wire|agency|tv|today|daily|herald|gazette|journal|tribune|online|"
    r"media|radio|observer|chronicle|express|telegraph|report|monitor|insider)$"
)
#: Words that make a multi-word byline an outlet ("Reuters News Agency", "Daily Sabah").
OUTLET_WORDS: frozenset[str] = frozenset({
    "news", "agency", "press", "times", "wire", "tv", "today", "daily", "herald", "gazette", "journal",
    "tribune", "media", "radio", "newspaper", "magazine", "service", "network", "television",
})
#: The same suffixes inside a social-media handle, for "@AzerNewsAz" -> "AzerNews".
_HANDLE_SUFFIX_RE = re.compile(
    r"(?i)(news|press|times|post|wire|agency|tv|today|daily|herald|gazette|journal|tribune|media)"
)
#: At most this many characters may follow the outlet suffix inside a handle ("Az" in AzerNewsAz).
HANDLE_TAIL_MAX = 3

#: Header lines are looked for among this many non-blank lines at the top of a text.
MAX_HEADER_LINES = 8
#: A title line is at most this long (characters / words).
MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 30
#: A byline (after "By") is at most this long.
MAX_BYLINE_CHARS = 120
#: A line that does not end a sentence and is at least this long is taken as hard-wrapped text
#: and joined with the next line; a shorter one (a heading, a separator) stays on its own.
WRAP_MIN_CHARS = 40
#: Characters that end a paragraph line.
PARAGRAPH_END = tuple('.!?…"”’»:')
#: Footer lines are looked for among this many last non-blank lines.
FOOTER_LINES = 15
#: Plausible years for a publication date found in the text.
MIN_YEAR = 1950

#: Site boilerplate, matched against a whole stripped line or paragraph at the edges of a story:
#: (pattern, longest text it may match). Generic keyword patterns only match short lines.
BOILERPLATE_PATTERNS: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(p, re.IGNORECASE), n)
    for p, n in (
        (r"^(?:you can )?(?:also )?follow (?:us|[\w.@-]+(?: [\w.@-]+)?) (?:on|at|via)\b", 300),
        (r"^here we are to serve you\b", 400),
        (r"^(?:you can )?(?:also )?follow us\b.*@\w+", 120),
        (r"\b(?:independent|trusted|quality|award-winning) (?:reporting|journalism|news)\b", 120),
        (r"^(?:please )?(?:choose to )?support (?:open|independent|quality|our)\b", 400),
        (r"^(?:please )?(?:subscribe|by subscribing|to subscribe|subscription)\b", 400),
        (r"\bsubscri(?:be|bing)\b.*\b(?:monthly|newsletter|full (?:digital )?access|our (?:online|news))", 300),
        (r"^thank you(?: for (?:reading|your support))?[.!]*$", 40),
        (r"^[\W_]{1,20}$", 20),
        (r"^(?:read|see) (?:more|also)\b", 300),
        (r"^(?:related(?: articles?| stories| news)?|more on this(?: story)?|recommended)\s*[:|-]", 300),
        (r"^related(?: articles?| stories| news)?$", 30),
        (r"^(?:©|\(c\)|copyright\b)", 300),
        (r"\ball rights reserved\b", 300),
        (r"^share(?: this(?: article| story)?)?(?: on| via)?\b(?:[\s\w,|]*)$", 80),
        (r"\bcookies?\b", 250),
        (r"\bnewsletter\b", 250),
        (r"^sign up\b", 200),
        (r"\bcontributed (?:to )?(?:this|the) (?:report|story|article)\.?$", 200),
        (r"^(?:advertisement|advert|sponsored(?: content)?)$", 30),
        (r"^(?:click|tap) here\b", 200),
        (r"^https?://\S+$", 1000),
        (r"^(?:download|get) (?:our|the) app\b", 200),
        (r"^(?:skip to (?:main )?content|listen to this article|print this (?:article|page))$", 60),
        (r"^(?:tags?|topics?|keywords)\s*:", 300),
        (r"^(?:photo|image|picture|video)(?: credits?)?\s*:", 200),
        (r"^(?:email|e-mail|print|tweet|whatsapp|facebook|twitter|telegram|linkedin)(?:\s*[|/]\s*\w+)*$", 80),
    )
)

#: Lines that open a site footer: from the last of these (among the last FOOTER_CUT_LINES short
#: lines of a story) to the end, everything is footer, even lines no pattern above knows.
FOOTER_START_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(?:you can )?(?:also )?follow (?:us|[\w.@-]+(?: [\w.@-]+)?) on (?:twitter|x|facebook|telegram|instagram)\b",
        r"^(?:©|\(c\)|copyright\b)",
        r"^here we are to serve you\b",
        r"^(?:you can )?(?:also )?follow us\b.*@\w+",
    )
)
FOOTER_CUT_LINES = 8
FOOTER_LINE_MAX_CHARS = 300

_MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
#: "October 5", "Oct. 5th, 2021"
_MD = rf"(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y1>\d{{4}}))?"
#: "5 October", "5th of October 2021"
_DM = rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})(?:,?\s+(?P<y2>\d{{4}}))?"
_DATE_EXPR = rf"(?:(?:{_WEEKDAY}),?\s+)?(?:{_MD}|{_DM})(?![\w-])"

#: Verbs that report a statement or a news item: their date is a plausible publication date.
_REPORT_VERBS = (
    r"report(?:s|ed)?|sa(?:id|ys)|announc(?:ed|es)|told|stat(?:ed|es)|not(?:ed|es)|declar(?:ed|es)|"
    r"tweet(?:ed|s)|wrote|writes|inform(?:ed|s)|confirm(?:ed|s)|claim(?:ed|s)|add(?:ed|s)|"
    r"stress(?:ed|es)|emphasi[sz](?:ed|es)|publish(?:ed|es)|quot(?:ed|es)|disclos(?:ed|es)|"
    r"revealed|warned|urged|asserted|indicated|underlined|explained|posted"
)
#: "<verb> ... on <date>" within one clause.
_VERB_THEN_DATE_RE = re.compile(
    rf"\b(?:{_REPORT_VERBS})\b[^.;!?\"“”\n]{{0,50}}?\b(?:on|this|last)\s+{_DATE_EXPR}", re.IGNORECASE
)
#: "On <date>, <subject> <verb>" at the start of a sentence.
_DATE_THEN_VERB_RE = re.compile(
    rf"\b(?-i:On)\s+{_DATE_EXPR},?\s+[^.;!?\"“”\n]{{0,80}}?\b(?:{_REPORT_VERBS})\b",
    re.IGNORECASE,
)
#: Explicit full dates anywhere, for the year of the story.
_FULL_DATE_RE = re.compile(
    rf"\b(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})\b|"
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?\s+(?:of\s+)?(?:{_MONTH})\s+(?P<y2>\d{{4}})\b|"
    r"\b(?P<y3>\d{4})-\d{2}-\d{2}\b|"
    rf"\b(?:{_MONTH})\s+(?P<y4>\d{{4}})\b",
    re.IGNORECASE,
)
#: Year tokens that name the story's time: "Brotherhood-2021", "in 2021", "this year (2021)".
_YEAR_TOKEN_RE = re.compile(r"(?:[A-Za-z]-|\b(?:[Ii]n|[Oo]f|[Dd]uring|[Ss]ince)\s+)(?P<y>\d{4})\b")
#: A year token after one of these words (within the clause) is history, not the story's time.
_HISTORY_CUE_RE = re.compile(
    r"\b(?:first|founded|established|since|back|history|historical|historic|as early as|dating|ago|"
    r"century|born|anniversary)\b[^.;!?]{0,60}$",
    re.IGNORECASE,
)
#: Years after these words are targets, not the story's time ("by 2030").
_FUTURE_YEAR_RE = re.compile(r"\b(?:by|until|till|through|before|to|for|in the year)\s+(\d{4})\b", re.I)

#: A dateline at the start of a body: "BAKU, Oct 5 (Reuters) -", "ANKARA (AP) —", "Baku, 5 October -".
_DATELINE_RE = re.compile(
    rf"^(?P<place>[A-Z][A-Za-z.'’ -]{{1,40}}?(?:,\s*[A-Z][A-Za-z.'’ -]{{1,30}}?)?)"
    rf"(?:,?\s+(?P<date>{_MD}|{_DM}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&-]{0,30})\))?"
    r"\s*(?:[-–—]{1,2}|:)\s+(?=\S)"
)

# Header line shapes.
_DATE_HEADER_RE = re.compile(
    r"^(?P<key>published|posted|updated|last updated|date|dated|first published)(?:\s+on)?\s*[:\-–|]?\s*"
    r"(?P<date>.+?)(?:\s*[|,]?\s+by\s+(?P<by>.+))?$",
    re.IGNORECASE,
)
_BY_RE = re.compile(r"^by\s*[:\-]?\s+(?P<by>.+)$", re.IGNORECASE)
_KEYED_RE = re.compile(
    r"^(?P<key>source|url|link|title|headline|author|authors|byline|written by|agency)\s*:\s*(?P<val>.+)$",
    re.IGNORECASE,
)
_URL_LINE_RE = re.compile(r"^(?:url:\s*)?(https?://\S+)$", re.IGNORECASE)
_HANDLE_RE = re.compile(r"\bfollow\b[^@\n]{0,40}\bon (?:twitter|x)\s*@(?P<h>\w{2,30})", re.IGNORECASE)
_NAME_PARTICLES = frozenset({
    "de", "da", "del", "della", "di", "van", "von", "der", "den", "la", "le", "du", "bin", "ibn",
    "al", "el", "y", "dos", "das", "ter", "zu",
})
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\band\b|\|| / )\s*", re.IGNORECASE)
_BYLINE_PLACE_RE = re.compile(r"\s+(?:in|from|reporting from|at)\s+[A-Z][\w .,'-]*$")
_TRANSLATE = {
    **{c: None for c in range(32) if c not in (9, 10)},
    9: " ", 0x7F: None,
    **{c: None for c in range(0x80, 0xA0)},
    0xA0: " ", 0x2007: " ", 0x2009: " ", 0x200A: " ", 0x202F: " ", 0x3000: " ",
    0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None, 0x00AD: None,
    0x2028: "\n", 0x2029: "\n", 0x0B: "\n", 0x0C: "\n", 0x85: "\n",
}


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Byline:
    """People and outlet named by one byline ("By JANE DOE, Reuters")."""

    authors: list[str] = field(default_factory=list)
    source: str | None = None


@dataclass(slots=True)
class CleanedText:
    """A cleaned body plus the metadata its header, footer and dateline gave."""

    text: str
    title: str | None = None
    author: list[str] = field(default_factory=list)
    published: str | None = None
    published_basis: PublishedBasis = "unknown"
    source: str | None = None
    url: str | None = None
    dateline: str | None = None


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as cp1252 ("Azerbaijanâ€™s"), which scraped corpora often hold."""
    if "â€" not in text and not re.search("Ã[\u0080-\u00bf]", text):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def normalise(raw: str) -> str:
    """NFC, one newline style, no control or zero-width characters, no trailing spaces.

    Lines keep their breaks (paragraph structure is decided later); runs of blank lines become one.
    """
    text = unicodedata.normalize("NFC", fix_mojibake(raw))
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    lines = [re.sub(r" {2,}", " ", ln).strip() for ln in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def fold_whitespace(text: str) -> str:
    """NFC with every whitespace run made one space: the form hashed for duplicate detection."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def _month_num(token: str) -> int:
    t = token.lower().rstrip(".")
    return _MONTHS.get(t[:4] if t.startswith("sept") else t[:3], 0)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _dateparser():  # type: ignore[no-untyped-def]
    import dateparser  # slow import: only when a date needs it

    return dateparser


_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_FULL_MD_RE = re.compile(rf"^(?:{_WEEKDAY},?\s+)?{_MD}$", re.IGNORECASE)
_FULL_DM_RE = re.compile(rf"^(?:{_WEEKDAY},?\s+)?{_DM}$", re.IGNORECASE)


def parse_date(value: str) -> str | None:
    """ISO day (YYYY-MM-DD) of a date string with day, month and year, else None.

    Common shapes are parsed here without dateparser (fast and deterministic); others go to
    dateparser, which must find all three parts, so "Posted 2 hours ago" gives None.
    """
    s = value.strip().strip(",.|").strip()
    s = re.sub(r"\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,5}|\s*[+-]\d{2}:?\d{2})?$",
               "", s)
    if not s or len(s) > 80 or not re.search(r"\d", s):
        return None
    if m := _ISO_RE.match(s):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return d.isoformat() if d else None
    for rx, mk, dk, yk in ((_FULL_MD_RE, "m1", "d1", "y1"), (_FULL_DM_RE, "m2", "d2", "y2")):
        if (m := rx.match(s)) and m[yk]:
            d = _safe_date(int(m[yk]), _month_num(m[mk]), int(m[dk]))
            return d.isoformat() if d else None
    try:
        parsed = _dateparser().parse(
            s, languages=["en"],
            settings={"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False},
        )
    except (ValueError, TypeError, OverflowError):
        return None
    if parsed is None or not MIN_YEAR <= parsed.year <= date.today().year + 1:
        return None
    return parsed.date().isoformat()


def _story_year(text: str) -> int | None:
    """The latest plausible year the story itself names (full dates first, then year tokens)."""
    this_year = date.today().year
    future = {int(m[1]) for m in _FUTURE_YEAR_RE.finditer(text)}
    full = [int(m["y1"] or m["y2"] or m["y3"] or m["y4"]) for m in _FULL_DATE_RE.finditer(text)]
    tokens = [
        int(m["y"]) for m in _YEAR_TOKEN_RE.finditer(text)
        if not _HISTORY_CUE_RE.search(text, max(0, m.start() - 80), m.start("y"))
    ]
    ok = [y for y in full + tokens if MIN_YEAR <= y <= this_year and (y not in future or y in full)]
    return max(ok) if ok else None


def _date_from_match(m: re.Match[str], year: int | None) -> date | None:
    g = m.groupdict()  # a match of _MD alone has no m2 group, of _DM alone no m1 group
    if g.get("m1"):
        mon, day, y = _month_num(g["m1"]), int(g["d1"]), g["y1"]
    else:
        mon, day, y = _month_num(g["m2"]), int(g["d2"]), g["y2"]
    yy = int(y) if y else year
    if yy is None or not MIN_YEAR <= yy <= date.today().year:
        return None
    return _safe_date(yy, mon, day)


def infer_published(text: str) -> tuple[str | None, PublishedBasis]:
    """Publication date inferred from the body, for texts that give none: (ISO day, "text") or (None, "unknown").

    Candidates are reporting dates: a dateline date, "<verb> ... on October 5" and "On October 5,
    X said". A candidate without a year takes the latest plausible year the story names (a full
    date, "Brotherhood-2021", "in 2021"). The latest candidate wins: a story is published on or
    after the last statement it reports. A bare weekday ("said on Tuesday") cannot be placed
    without a known date and is ignored.
    """
    year = _story_year(text)
    found: list[date] = []
    rx_md = re.compile(_MD, re.IGNORECASE)
    rx_dm = re.compile(_DM, re.IGNORECASE)
    dl = _DATELINE_RE.match(text)
    if dl and dl["date"]:
        dm = rx_md.fullmatch(dl["date"]) or rx_dm.fullmatch(dl["date"])
        if dm and (d := _date_from_match(dm, year)):
            found.append(d)
    for rx in (_VERB_THEN_DATE_RE, _DATE_THEN_VERB_RE):
        for m in rx.finditer(text):
            if d := _date_from_match(m, year):
                found.append(d)
    if not found:
        return None, "unknown"
    return max(found).isoformat(), "text"


# --------------------------------------------------------------------------------------------
# Bylines, outlets, datelines
# --------------------------------------------------------------------------------------------


def handle_to_name(handle: str) -> str:
    """Outlet name from a social-media handle: "@AzerNewsAz" -> "AzerNews", "@Reuters" -> "Reuters"."""
    h = handle.lstrip("@")
    matches = list(_HANDLE_SUFFIX_RE.finditer(h))
    last = matches[-1] if matches else None
    if last and 0 < len(h) - last.end() <= HANDLE_TAIL_MAX:
        return h[: last.end()]
    return h


def footer_outlets(text: str) -> list[str]:
    """Outlet names from "Follow us on Twitter @X" lines near the end of a text."""
    tail = "\n".join([ln for ln in text.split("\n") if ln.strip()][-FOOTER_LINES:])
    return [handle_to_name(m["h"]) for m in _HANDLE_RE.finditer(tail)]


def is_outlet(name: str, footer_names: tuple[str, ...] | list[str] = ()) -> bool:
    """Whether a byline name is an outlet rather than a person."""
    n = name.strip().casefold()
    if n in KNOWN_OUTLETS or any(n == f.casefold() for f in footer_names):
        return True
    words = n.split()
    if len(words) > 1:
        # "Reuters News Agency", "Associated Press", "Daily Sabah": a known outlet inside, or an
        # outlet word at either end; person names practically never end in "Press" or "Agency".
        return (any(" ".join(words[i:j]) in KNOWN_OUTLETS for i in range(len(words))
                    for j in range(i + 1, len(words) + 1))
                or words[-1] in OUTLET_WORDS or words[0] in OUTLET_WORDS)
    return bool(re.match(r"[A-Z]", name.strip())) and bool(OUTLET_SUFFIX_RE.search(n))


def _tidy_name(name: str) -> str:
    name = name.strip(" .,;:-–—")
    if name.isupper() and len(name) > 3:  # "JANE DOE" -> "Jane Doe"; keep acronyms like "AFP"
        name = " ".join(w.capitalize() if len(w) > 1 else w for w in name.split())
    return name


def _looks_like_name(part: str) -> bool:
    words = part.split()
    if not 1 <= len(words) <= 5:
        return False
    for w in words:
        core = w.strip(".'’()")
        if not core:
            return False
        if core.lower() in _NAME_PARTICLES:
            continue
        if not core[0].isupper() or not re.fullmatch(r"[^\W\d_][\w.'’-]*", core):
            return False
    return True


def split_names(value: str) -> list[str]:
    """Names from an author string: "Jane Doe and John Roe" -> ["Jane Doe", "John Roe"]."""
    parts = [_tidy_name(p) for p in _NAME_SPLIT_RE.split(value)]
    return [p for p in parts if p]


def parse_byline(value: str, footer_names: tuple[str, ...] | list[str] = ()) -> Byline | None:
    """Authors and outlet of a byline (text after "By"), or None when it is not a list of names.

    "By the end of the year" is prose, not a byline: every part must look like a name.
    """
    s = value.strip()
    if not s or len(s) > MAX_BYLINE_CHARS or s.endswith((".", "!", "?")) and not re.search(r"\b[A-Z]\.$", s):
        return None
    s = _BYLINE_PLACE_RE.sub("", s)
    parts = [p for p in _NAME_SPLIT_RE.split(s) if p.strip()]
    if not parts:
        return None
    out = Byline()
    for raw in parts:
        name = _tidy_name(raw)
        if not name or not _looks_like_name(name):
            return None
        if is_outlet(name, footer_names):
            out.source = out.source or name
        elif name.casefold() not in ANONYMOUS_BYLINES:
            out.authors.append(name)
    return out


def parse_dateline(body: str) -> str | None:
    """Place of a wire dateline at the start of a body ("BAKU, Oct 5 (Reuters) -" -> "Baku"), else None.

    The body keeps its dateline; this only reports the place, which geocoding can use as a default.
    """
    m = _DATELINE_RE.match(body.lstrip())
    if not m:
        return None
    place = m["place"].strip(" ,")
    first = place.split(",")[0].strip()
    # A real dateline is set in capitals or comes with a date or an agency; "Officials said -" is not.
    if not (first.isupper() or m["date"] or m["agency"]):
        return None
    if len(place.split()) > 5:
        return None
    return ", ".join(_tidy_name(p.strip()) if p.strip().isupper() else p.strip() for p in place.split(","))


def _dateline_agency(body: str) -> str | None:
    m = _DATELINE_RE.match(body.lstrip())
    if m and m["agency"] and parse_dateline(body):
        return m["agency"].strip()
    return None


# --------------------------------------------------------------------------------------------
# Header, boilerplate, paragraphs
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Header:
    title: str | None = None
    author: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    source: str | None = None
    url: str | None = None


def _apply_byline(h: _Header, by: Byline) -> None:
    for a in by.authors:
        if a not in h.author:
            h.author.append(a)
    if by.source and not h.source:
        h.source = by.source


def _header_line(line: str, h: _Header, footer: list[str]) -> bool:
    """Consume one header line into ``h``; False when the line is not a header line."""
    if m := _DATE_HEADER_RE.match(line):
        iso = parse_date(m["date"])
        by = parse_byline(m["by"], footer) if m["by"] else None
        if iso and (by is not None or not m["by"]):
            if m["key"].lower() in ("updated", "last updated"):
                h.updated = h.updated or iso
            else:
                h.published = h.published or iso
            if by:
                _apply_byline(h, by)
            return True
    if m := _BY_RE.match(line):
        by = parse_byline(m["by"], footer)
        if by is not None:
            _apply_byline(h, by)
            return True
        return False
    if m := _URL_LINE_RE.match(line):
        h.url = h.url or m[1]
        return True
    if m := _KEYED_RE.match(line):
        key, val = m["key"].lower(), m["val"].strip()
        if key in ("source", "agency"):
            h.source = h.source or val
        elif key in ("url", "link"):
            h.url = h.url or val
        elif key in ("title", "headline"):
            h.title = h.title or val
        else:
            by = parse_byline(val, footer)
            _apply_byline(h, by if by is not None else Byline(split_names(val)))
        return True
    if len(line) <= 40 and (iso := parse_date(line)):
        h.published = h.published or iso
        return True
    return False


def _is_title_candidate(line: str) -> bool:
    return (
        len(line) <= MAX_TITLE_CHARS
        and 2 <= len(line.split()) <= MAX_TITLE_WORDS
        and (line[0].isalnum() or line[0] in "\"“‘'")
        and not line.endswith((".", ",", ";", ":"))
        and not _BOILERPLATE_MATCH(line)
    )


def _parse_header(lines: list[str], footer: list[str]) -> tuple[_Header, int]:
    """Header metadata and the index of the first body line."""
    h = _Header()
    i, seen = 0, 0
    while i < len(lines) and seen < MAX_HEADER_LINES:
        line = lines[i]
        if not line:
            i += 1
            continue
        seen += 1
        if _header_line(line, h, footer):
            i += 1
            continue
        # A title: a short line without a final period, directly followed by a header line.
        nxt = next((j for j in range(i + 1, len(lines)) if lines[j]), None)
        if h.title is None and nxt is not None and _is_title_candidate(line):
            probe = _Header()
            if _header_line(lines[nxt], probe, footer) and (probe.author or probe.published or probe.source):
                h.title = line
                i += 1
                continue
        break
    return h, i


def _BOILERPLATE_MATCH(text: str) -> bool:  # noqa: N802 - reads as a constant predicate
    return any(len(text) <= n and rx.search(text) for rx, n in BOILERPLATE_PATTERNS)


def is_boilerplate(text: str) -> bool:
    """Whether a line or paragraph is site boilerplate (sharing, subscribing, footers, separators)."""
    return _BOILERPLATE_MATCH(text.strip())


def _strip_edges(items: list[str]) -> list[str]:
    """Drop blank and boilerplate items from both ends; the middle is never touched."""
    start, end = 0, len(items)
    while start < end and (not items[start] or is_boilerplate(items[start])):
        start += 1
    while end > start and (not items[end - 1] or is_boilerplate(items[end - 1])):
        end -= 1
    return items[start:end]


def _cut_footer(lines: list[str]) -> list[str]:
    """Cut a footer block that opens with a footer-start line ("Follow us on Twitter @X") near the end."""
    idx = [i for i, ln in enumerate(lines) if ln]
    window = []
    for i in reversed(idx):
        if len(window) >= FOOTER_CUT_LINES or len(lines[i]) > FOOTER_LINE_MAX_CHARS:
            break
        window.append(i)
    starts = [i for i in window if any(rx.search(lines[i]) for rx in FOOTER_START_PATTERNS)]
    return lines[: min(starts)] if starts else lines


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs from lines: blank lines separate; a line that ends a sentence ends a paragraph;
    a long line that does not is hard-wrapped text and joins the next one."""
    paras: list[str] = []
    cur: list[str] = []
    for ln in lines:
        if not ln:
            if cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        if cur:
            prev = cur[-1]
            joins = (not prev.endswith(PARAGRAPH_END)
                     and (len(prev) >= WRAP_MIN_CHARS or ln[0].islower())
                     and not re.match(r"[-*•▪]\s|\d+[.)]\s", ln))
            if not joins:
                paras.append(" ".join(cur))
                cur = []
        cur.append(ln)
    if cur:
        paras.append(" ".join(cur))
    return paras


def clean_article(raw: str) -> CleanedText:
    """Clean one raw article: normalise, read and drop header lines, strip edge boilerplate,
    rebuild paragraphs (separated by one blank line). The date found here is a header date only;
    the caller decides whether to fall back to :func:`infer_published`."""
    text = normalise(raw)
    footer = footer_outlets(text)
    lines = text.split("\n")
    lines = _strip_edges(lines)  # leading boilerplate may sit above the header
    header, start = _parse_header(lines, footer)
    body_lines = _strip_edges(_cut_footer(_strip_edges(lines[start:])))
    paras = _strip_edges(_paragraphs(body_lines))
    body = "\n\n".join(paras)
    published = header.published or header.updated
    source = header.source or _dateline_agency(body) or (footer[0] if footer else None)
    return CleanedText(
        text=body,
        title=header.title,
        author=header.author,
        published=published,
        published_basis="header" if published else "unknown",
        source=source,
        url=header.url,
        dateline=parse_dateline(body),
    )
