"""Site boilerplate found across a corpus and dropped from article bodies.

``clean.py`` strips the boilerplate it knows by pattern ("Follow us on Twitter", subscription
pitches). This stage finds the rest by recurrence: a paragraph is *site boilerplate* when

1. near-identical copies of it (MinHash LSH over word 3-grams, ``BOILERPLATE_SIMILARITY``; exact
   word sequence for short paragraphs) occur in at least ``BOILERPLATE_MIN_ARTICLES`` distinct
   articles of **one outlet** (source compared case-insensitively; articles of unknown outlet form
   one group), and
2. it is not news: the outlet describing itself ("Azernews is …"), or an undated paragraph that
   addresses the reader (you, subscribe, newsletter, ©) or holds no event trigger word at all, and
   it is at most ``BOILERPLATE_MAX_WORDS`` long.

Recycled *news* background (the 1992 agreement, the memorandum of June 15 repeated story after
story) has a trigger or a date and is kept; the merge stage marks its mentions ``is_background``.
A trigger-free paragraph yields no mention, so dropping it can never lose an event. Position in the
article is not used: background paragraphs sit at the ends of stories as often as footers do.

Pure functions over lists of :class:`Article`, so any engine can run them: one corpus-level pass
(:func:`find_boilerplate`) and a per-article step (:func:`drop_boilerplate`). The article keeps the
``content_hash`` of its text before the drop, so re-runs still recognise it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from eventcoder import settings
from eventcoder.models import Article
from eventcoder.pipeline.merge import minhash

if TYPE_CHECKING:
    from datasketch import MinHash

_WORD = re.compile(r"[a-z0-9]+")
_SHINGLE = 3
_NUM_PERM = 64
#: Paragraph separator of cleaned article text (see ``clean.clean_article``).
PARAGRAPH_SEP = "\n\n"

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_DATED = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS})\b|(?:19|20)\d\d\b|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|"
    r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|(?:last|next|this|past)\s+(?:week|month|year)|ago)\b",
    re.IGNORECASE,
)
_READER = re.compile(
    r"\b(?:you|your|subscrib\w*|subscription|newsletter|sign\s+up|log\s+in|click|tap here|download our|"
    r"follow us|like us|share this|read more|advertis\w*|sponsored|all rights reserved|copyright)\b|©",
    re.IGNORECASE,
)
#: Irregular verb forms of common trigger lemmas; regular inflections are undone by suffix rules.
_IRREGULAR = {
    "met": "meet", "held": "hold", "sought": "seek", "fought": "fight", "struck": "strike",
    "stricken": "strike", "gave": "give", "given": "give", "took": "take", "taken": "take", "sent": "send",
    "made": "make", "led": "lead", "won": "win", "left": "leave", "brought": "bring", "threw": "throw",
    "thrown": "throw", "shot": "shoot", "spoke": "speak", "spoken": "speak", "told": "tell", "said": "say",
    "beaten": "beat", "broke": "break", "broken": "break", "withdrew": "withdraw", "withdrawn": "withdraw",
    "forbade": "forbid", "forbidden": "forbid", "sold": "sell", "bought": "buy", "kept": "keep", "drove": "drive",
    "driven": "drive", "overthrew": "overthrow", "overthrown": "overthrow", "froze": "freeze",
    "frozen": "freeze", "undertook": "undertake", "swore": "swear", "sworn": "swear", "hung": "hang",
    "fled": "flee", "seized": "seize", "bore": "bear", "rose": "rise", "went": "go", "came": "come",
    "began": "begin", "begun": "begin", "wrote": "write", "written": "write", "stood": "stand",
}


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def fingerprint(paragraph: str) -> str:
    """Identity of a paragraph up to case, punctuation and spacing."""
    return hashlib.sha1(" ".join(_words(paragraph)).encode("utf-8")).hexdigest()[:16]


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split(PARAGRAPH_SEP) if p.strip()]


@lru_cache(maxsize=1)
def _trigger_lemmas() -> frozenset[str]:
    from eventcoder.pipeline.triggers import TriggerLexicon

    return TriggerLexicon.default().lemmas


def _lemma_candidates(word: str) -> set[str]:
    out = {word, _IRREGULAR.get(word, word)}
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("d", ""),
                         ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            stem = word[: len(word) - len(suffix)] + repl
            out.add(stem)
            if len(stem) >= 3 and stem[-1] == stem[-2] and repl == "":
                out.add(stem[:-1])  # "stopped" -> "stop"
    return out


@lru_cache(maxsize=100_000)
def _is_trigger_word(word: str) -> bool:
    return bool(_lemma_candidates(word) & _trigger_lemmas())


def has_trigger(text: str) -> bool:
    """Whether any word of the text could be an event trigger of the lexicon (lemmas approximated)."""
    return any(_is_trigger_word(w) for w in _words(text))


def is_dated(text: str) -> bool:
    """Whether the text carries a date expression (a day, a month and day, a year, a relative date)."""
    return bool(_DATED.search(text))


def _about_outlet(text: str, outlet: str) -> bool:
    return bool(outlet) and bool(re.match(rf"\s*{re.escape(outlet)}\s*(?:is|was|has been|,)\s", text, re.IGNORECASE))


def not_news(text: str, outlet: str = "") -> bool:
    """The content half of the rule: a paragraph that could be boilerplate, never news."""
    if len(_words(text)) > settings.BOILERPLATE_MAX_WORDS:
        return False
    if _about_outlet(text, outlet):
        return True
    return not is_dated(text) and (bool(_READER.search(text)) or not has_trigger(text))


def _outlet(article: Article) -> str:
    return (article.source or "").strip().casefold()


def find_boilerplate(articles: Iterable[Article]) -> set[str]:
    """Fingerprints of the paragraphs that are site boilerplate in this corpus (rule in the module
    docstring). Deterministic: the result depends only on the articles' texts and outlets."""
    # Candidates first (the cheap content rule), so LSH only ever sees a few paragraphs per article.
    groups: dict[str, dict[str, tuple[str, set[str]]]] = defaultdict(dict)  # outlet → fp → (text, articles)
    for a in articles:
        outlet = _outlet(a)
        for p in paragraphs(a.text):
            if not_news(p, outlet):
                fp = fingerprint(p)
                groups[outlet].setdefault(fp, (p, set()))[1].add(a.article_id)
    found: set[str] = set()
    for outlet in sorted(groups):
        found |= _recurring(groups[outlet])
    return found


def _recurring(paras: dict[str, tuple[str, set[str]]]) -> set[str]:
    """Fingerprints whose paragraph, with its near-duplicates, spans enough distinct articles."""
    need = settings.BOILERPLATE_MIN_ARTICLES
    from datasketch import MinHashLSH  # imported here: it loads scipy (see merge.py)

    lsh = MinHashLSH(threshold=settings.BOILERPLATE_SIMILARITY, num_perm=_NUM_PERM)
    hashes: dict[str, MinHash] = {}
    for fp in sorted(paras):
        words = _words(paras[fp][0])
        if len(words) < _SHINGLE + 3:
            continue  # short: exact matches only
        mh = minhash((" ".join(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)), _NUM_PERM)
        lsh.insert(fp, mh)
        hashes[fp] = mh
    out: set[str] = set()
    for fp in paras:
        near = lsh.query(hashes[fp]) if fp in hashes else [fp]
        seen: set[str] = set()
        for other in near:
            seen |= paras[other][1]
        if len(seen) >= need:
            out.add(fp)
    return out


def drop_boilerplate(article: Article, boilerplate: set[str]) -> tuple[Article, int]:
    """The article without its boilerplate paragraphs, and how many were dropped. ``content_hash``
    stays that of the text before the drop (the identity re-runs compare)."""
    if not boilerplate:
        return article, 0
    paras = article.text.split(PARAGRAPH_SEP)
    kept = [p for p in paras if not (p.strip() and fingerprint(p) in boilerplate)]
    if len(kept) == len(paras):
        return article, 0
    text = PARAGRAPH_SEP.join(kept)
    return dataclasses.replace(article, text=text), len(paras) - len(kept)


def drop_corpus_boilerplate(articles: Sequence[Article]) -> tuple[list[Article], int]:
    """Both steps over one corpus: the articles with boilerplate dropped, and the paragraph count."""
    found = find_boilerplate(articles)
    out: list[Article] = []
    dropped = 0
    for a in articles:
        b, n = drop_boilerplate(a, found)
        out.append(b)
        dropped += n
    return out, dropped
