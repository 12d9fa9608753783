"""Which language an article is written in, cheaply enough to ask of every article at ingest.

eventcoder codes English only; an article in another language would pass through every stage and
yield nothing, so ingest rejects it with ``language xx not supported`` instead (ISO 639-1 code).

Two steps over the first ``SAMPLE_CHARS`` characters:

1. **Script.** When most letters belong to one non-Latin script, the script names the language
   (Cyrillic → ru, or uk when Ukrainian letters occur; Arabic script → ar, fa or ur by their own
   letters; Han → zh, kana → ja, Hangul → ko, Greek → el, Hebrew → he, Devanagari → hi, Thai → th).
2. **Function words.** Latin-script text is scored by how many of its words are frequent function
   words of each language (our own short lists of articles, prepositions, pronouns and auxiliaries,
   without words that are also common in English). Another language wins only with at least
   ``MIN_FOREIGN_HITS`` hits and clearly more than English (``FOREIGN_MARGIN``).

Whatever is too short or too mixed to tell is taken as English, so a headline or a one-line English
text is never rejected; ``detect_language`` returns ``"en"`` for it.
"""

from __future__ import annotations

import re
from collections import Counter

#: How much of an article is looked at (the opening is enough and keeps this cheap).
SAMPLE_CHARS = 2000
#: A non-Latin script must hold at least this share of the letters, and this many letters.
SCRIPT_SHARE = 0.5
MIN_SCRIPT_LETTERS = 12
#: Another Latin-script language needs this many function-word hits ...
MIN_FOREIGN_HITS = 3
#: ... and this many times English's hits (plus one), to be taken over English.
FOREIGN_MARGIN = 2.0

_SCRIPTS: dict[str, re.Pattern[str]] = {
    "cyrillic": re.compile(r"[\u0400-\u04FF]"),
    "arabic": re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]"),
    "han": re.compile(r"[\u4E00-\u9FFF\u3400-\u4DBF]"),
    "kana": re.compile(r"[\u3040-\u30FF]"),
    "hangul": re.compile(r"[\uAC00-\uD7AF\u1100-\u11FF]"),
    "greek": re.compile(r"[\u0370-\u03FF]"),
    "hebrew": re.compile(r"[\u0590-\u05FF]"),
    "devanagari": re.compile(r"[\u0900-\u097F]"),
    "thai": re.compile(r"[\u0E00-\u0E7F]"),
}
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_UKRAINIAN = re.compile(r"[ієїґІЄЇҐ]")
_PERSIAN = re.compile(r"[پچژگ]")
_URDU = re.compile(r"[ٹڈڑںے]")
_WORD = re.compile(r"[a-zà-öø-ÿœ']+")

#: Frequent function words per language (written for this module; none is also a frequent English
#: word, except in the English list itself).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in is was for that with on as by at from his her has have were are said which "
        "this an not but will would had after their its they who been more than also or about into over "
        "when she we there it be".split()),
    "fr": frozenset(
        "le la les de des du une et est dans pour qui que sur au aux par avec ce cette il elle sont ont été "
        "pas mais ou leur leurs nous vous selon lors après contre entre où aussi à être sa ses".split()),
    "es": frozenset(
        "el la los las de del y en que por con para una es su sus lo como más pero fue han ha este esta "
        "entre sobre según tras también donde desde hasta muy".split()),
    "de": frozenset(
        "der die das und ist nicht mit von den dem des ein eine einer sich auf für im zu auch wurde "
        "werden nach bei aus wie dass sind hat sie ihre nur noch über gegen zwischen oder aber".split()),
    "it": frozenset(
        "il lo gli della delle degli dei e che di con una sono nel nella alla anche ma più "
        "è ha hanno stato dal dalla questo questa tra fra secondo".split()),
    "pt": frozenset(
        "o os de da das dos e que em para com uma um é não por mais na como mas foi são ao à "
        "também pelo pela entre sobre segundo".split()),
    "nl": frozenset(
        "de het een en van niet met op voor zijn dat die deze ook aan bij naar werd wordt hij zij "
        "er tussen tegen volgens maar nog".split()),
    "tr": frozenset(
        "ve bir bu için ile da de olarak daha çok ama gibi olan sonra kadar değil ise şu tarafından "
        "ancak göre".split()),
    "id": frozenset(
        "dan yang di dengan untuk dari ini itu tidak dalam akan pada ke juga oleh adalah telah sudah "
        "mereka karena bahwa".split()),
    "pl": frozenset(
        "w na z że się nie jest jak po przez dla od oraz jego ich które który która także "
        "przeciwko między".split()),
    "sw": frozenset(
        "na wa ya kwa za katika ni la kwamba hii huo hilo lakini pia wake wao".split()),
}


#: Any letter of the scripts above (one pass decides whether counting them is needed at all).
_NON_LATIN = re.compile("|".join(rx.pattern for rx in _SCRIPTS.values()))
#: Function word → the languages it belongs to (one lookup a word).
_WORD_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _words in FUNCTION_WORDS.items():
    for _w in _words:
        _WORD_LANGS[_w] = (*_WORD_LANGS.get(_w, ()), _lang)


def _script_language(sample: str) -> str | None:
    """The language a dominant non-Latin script names, or None for Latin or mixed text."""
    if sample.isascii() or len(_NON_LATIN.findall(sample)) < MIN_SCRIPT_LETTERS:
        return None
    counts = {name: len(rx.findall(sample)) for name, rx in _SCRIPTS.items()}
    latin = len(_LATIN.findall(sample))
    total = latin + sum(counts.values())
    name, n = max(counts.items(), key=lambda kv: kv[1])
    if n < MIN_SCRIPT_LETTERS or n < SCRIPT_SHARE * total:
        if counts["kana"] >= MIN_SCRIPT_LETTERS and counts["kana"] + counts["han"] >= SCRIPT_SHARE * total:
            return "ja"
        return None
    if name == "cyrillic":
        return "uk" if len(_UKRAINIAN.findall(sample)) >= max(2, n // 100) else "ru"
    if name == "arabic":
        if len(_URDU.findall(sample)) >= max(2, n // 100):
            return "ur"
        return "fa" if len(_PERSIAN.findall(sample)) >= max(2, n // 100) else "ar"
    if name == "han":
        return "ja" if counts["kana"] >= max(2, n // 20) else "zh"
    return {"kana": "ja", "hangul": "ko", "greek": "el", "hebrew": "he", "devanagari": "hi", "thai": "th"}[name]


def language_scores(text: str) -> Counter[str]:
    """How many words of ``text`` (its opening) are function words of each Latin-script language."""
    scores: Counter[str] = Counter()
    for word in _WORD.findall(text[:SAMPLE_CHARS].lower()):
        langs = _WORD_LANGS.get(word)
        if langs:
            scores.update(langs)
    return scores


def detect_language(text: str) -> str:
    """ISO 639-1 code of the language of ``text``; ``"en"`` when it is English or too short to tell."""
    sample = text[:SAMPLE_CHARS]
    by_script = _script_language(sample)
    if by_script is not None:
        return by_script
    scores = language_scores(sample)
    english = scores.pop("en", 0)
    if not scores:
        return "en"
    lang, hits = max(scores.items(), key=lambda kv: (kv[1], kv[0] == "fr"))
    if hits >= MIN_FOREIGN_HITS and hits >= FOREIGN_MARGIN * english + 1:
        return lang
    return "en"
