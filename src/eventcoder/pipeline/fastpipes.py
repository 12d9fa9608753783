"""Exact, faster stand-ins for spaCy's ``attribute_ruler`` and rule ``lemmatizer``.

Both original components are table lookups paid for per token in Python: the ruler builds a ``Span``
and walks an attribute dict for every match (three or four matches per token in the English model),
and the lemmatizer sets ``token.lemma_`` one token at a time and, on a cache miss, scans word lists
of up to 57k entries. The replacements keep spaCy's own decisions and only memoise and vectorise them:

* ``FastAttributeRuler`` splits every token spec of every ruler pattern into its per-attribute tests
  (a Matcher token spec is a conjunction of independent tests, one per key). Each distinct attribute
  value (for the English model: LOWER, TAG, DEP and IS_SPACE values) is tested once, by spaCy's own
  ``Matcher`` over a probe token carrying that value, and the answers are cached as boolean rows. A
  document is read with ``Doc.to_array``; its token-spec matches are the AND of the cached rows;
  multi-token patterns are checked on neighbouring tokens with numpy; the results are written back
  with ``Doc.from_array``. As in ``AttributeRuler``, every pattern is matched against the input
  annotation first, then, attribute by attribute, the value of the last-added matching pattern wins.
* ``FastLemmatizer`` keeps a dict keyed on everything ``Lemmatizer.rule_lemmatize`` reads (ORTH, POS,
  MORPH; ORTH alone in lookup mode), filled by spaCy's own ``rule_lemmatize`` once per unseen key, and
  leaves preset lemmas alone unless the original was configured with ``overwrite``. The function runs
  on a twin of the original whose ``lemma_index`` lists are frozensets (same answers, no list scans).

Anything the compiler cannot reproduce exactly (quantifiers, extension attributes, sentence starts,
entity or other unsupported attributes, callbacks, lexical output attributes, custom lemmatizer
classes) makes ``install_fast_pipes`` return False and leave the pipeline as it was. The components
are a snapshot of the originals' patterns and tables at install time, and assume lexeme attributes
(LOWER, IS_* flags) are not changed afterwards. They are not serialised by ``nlp.to_disk``: call
``install_fast_pipes`` again after loading the original pipeline.
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from spacy.attrs import DEP, IDS, LEMMA, LENGTH, LOWER, MORPH, NORM, ORTH, POS, PREFIX, SHAPE, SUFFIX, TAG
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.lookups import Lookups, Table
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["FastAttributeRuler", "FastLemmatizer", "install_fast_pipes"]

FAST_RULER_FACTORY = "eventcoder_fast_attribute_ruler"
FAST_LEMMATIZER_FACTORY = "eventcoder_fast_lemmatizer"

#: Token-level attributes a pattern may test: copied onto the probe token with ``Doc.from_array``.
_TOKEN_INPUTS = frozenset({TAG, POS, DEP, LEMMA, MORPH, NORM})
#: Lexeme attributes a pattern may test (the lexical flags IS_*/LIKE_* are the ids below 64): the probe
#: token is built from the same text, so it shares the lexeme.
_LEXEME_INPUTS = frozenset({ORTH, LOWER, SHAPE, PREFIX, SUFFIX, LENGTH} | set(range(1, 64)))
#: Attributes a pattern may set: ``set_token_attrs`` only writes these to the token (never the lexeme).
_OUTPUTS = frozenset({TAG, POS, MORPH, LEMMA, DEP, NORM})
#: Distinct keys kept before a cache is emptied and refilled (bounds memory in long-running workers).
_MAX_CACHE = 1_000_000


class UnsupportedPattern(ValueError):
    """A ruler pattern or lemmatizer set-up that the fast components cannot reproduce exactly."""


def _spec_attr(key: Any, spec: dict) -> int:
    """The attribute id a Matcher token spec key tests; raise UnsupportedPattern for anything else."""
    if isinstance(key, int) and not isinstance(key, bool):
        attr = key
    elif isinstance(key, str):
        name = key.upper()
        if name in ("OP", "_"):
            raise UnsupportedPattern(f"token spec uses {key!r}: {spec!r}")
        attr = IDS.get("ORTH" if name == "TEXT" else name, -1)
    else:
        raise UnsupportedPattern(f"token spec key {key!r}: {spec!r}")
    if attr not in _TOKEN_INPUTS and attr not in _LEXEME_INPUTS:
        raise UnsupportedPattern(f"token spec attribute {key!r} is not supported: {spec!r}")
    return attr


class _RulerTables:
    """The attribute ruler's patterns compiled into per-attribute lookup tables (filled lazily).

    A Matcher token spec is a conjunction of independent tests, one per attribute key. Each spec is
    split into its per-attribute parts; for every attribute a private Matcher holds that attribute's
    parts, and for every distinct value seen it is run once over a probe token carrying the value. The
    answers are kept as one boolean row per value (``ok[a][row, spec]``: the spec does not test ``a``
    or its test passes), so a document's spec matches are the AND of a few row gathers.
    """

    def __init__(self, ruler: AttributeRuler) -> None:
        """Compile ``ruler``; raise UnsupportedPattern if it cannot be reproduced exactly."""
        self.vocab: Vocab = ruler.vocab
        n_rules = len(ruler.attrs)
        if len(ruler.indices) != n_rules or len(ruler.matcher) != n_rules:
            raise UnsupportedPattern("ruler's matcher, attrs and indices disagree")
        specs: list[dict] = []
        spec_rule: list[int] = []  # spec -> rule id for one-token alternatives, else -1
        multi: list[tuple[int, list[int], int]] = []  # (rule id, spec per position, target offset)
        outputs: set[int] = set()
        for rule in range(n_rules):
            entry = ruler.matcher.get(str(rule))
            if entry is None:
                raise UnsupportedPattern(f"ruler rule {rule} has no matcher entry")
            on_match, alternatives = entry
            if on_match is not None:
                raise UnsupportedPattern(f"ruler rule {rule} has an on_match callback")
            for attr in ruler.attrs[rule]:
                if attr not in _OUTPUTS:
                    raise UnsupportedPattern(f"ruler rule {rule} sets unsupported attribute {attr!r}")
                outputs.add(attr)
            index = ruler.indices[rule]
            for alternative in alternatives:
                length = len(alternative)
                if length == 0 or not -length <= index < length:
                    raise UnsupportedPattern(f"ruler rule {rule}: index {index} outside its pattern")
                first = len(specs)
                for spec in alternative:
                    specs.append(copy.deepcopy(spec))
                    spec_rule.append(rule if length == 1 else -1)
                if length > 1:
                    multi.append((rule, list(range(first, first + length)), index % length))
        n_specs = len(specs)
        # split every spec into its per-attribute tests
        parts: dict[int, dict[str, tuple[dict, list[int]]]] = {}  # attr -> canonical test -> (test, specs)
        for s, spec in enumerate(specs):
            by_attr: dict[int, dict] = {}
            for key, value in spec.items():
                by_attr.setdefault(_spec_attr(key, spec), {})[key] = value
            for attr, test in by_attr.items():
                canonical = repr(sorted(test.items(), key=lambda item: repr(item[0])))
                parts.setdefault(attr, {}).setdefault(canonical, (test, []))[1].append(s)
        self.in_attrs: list[int] = sorted(parts)
        self.matchers: list[Matcher] = []
        self.test_specs: list[dict[int, np.ndarray]] = []  # per attr: match id -> specs whose test passed
        self.untested: list[np.ndarray] = []  # per attr: bool[spec], True where the spec does not test it
        for attr in self.in_attrs:
            matcher = Matcher(self.vocab, validate=False)
            by_match: dict[int, np.ndarray] = {}
            untested = np.ones(n_specs, dtype=bool)
            for t, (test, users) in enumerate(parts[attr].values()):
                key = f"eventcoder_fast_ruler_{attr}_{t}"
                matcher.add(key, [[test]])
                by_match[self.vocab.strings[key]] = np.asarray(users, dtype=np.intp)
                untested[users] = False
            self.matchers.append(matcher)
            self.test_specs.append(by_match)
            self.untested.append(untested)
        # one-token alternatives per output attribute, in rule order (the last matching one wins)
        self.out_attrs: list[int] = sorted(outputs)
        self.rule_outputs: list[list[tuple[int, int]]] = [
            [(self.out_attrs.index(attr), int(value)) for attr, value in ruler.attrs[rule].items()]
            for rule in range(n_rules)
        ]
        self.columns: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for c in range(len(self.out_attrs)):
            alts = [
                (s, spec_rule[s], value)
                for s in range(n_specs)
                if spec_rule[s] >= 0
                for col, value in self.rule_outputs[spec_rule[s]]
                if col == c
            ]
            self.columns.append(
                (
                    np.asarray([s for s, _, _ in alts], dtype=np.intp),
                    np.asarray([r for _, r, _ in alts], dtype=np.int64),
                    np.asarray([v for _, _, v in alts], dtype=np.uint64),
                )
            )
        self.multi = multi
        self.n_specs = n_specs
        self._lock, self._pid = threading.Lock(), os.getpid()
        self.clear()

    def __getstate__(self) -> dict[str, Any]:
        """Pickle without the lock."""
        return {key: value for key, value in self.__dict__.items() if key != "_lock"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickle with a fresh lock."""
        self.__dict__.update(state)
        self._lock, self._pid = threading.Lock(), os.getpid()

    def clear(self) -> None:
        """Forget every cached attribute value."""
        self.rows: list[dict[int, int]] = [{} for _ in self.in_attrs]
        self.ok: list[np.ndarray] = [np.zeros((0, self.n_specs), dtype=bool) for _ in self.in_attrs]

    def _forget(self, a: int) -> None:
        """Forget attribute ``a``'s cached values."""
        self.rows[a] = {}
        self.ok[a] = np.zeros((0, self.n_specs), dtype=bool)

    def _probe(self, a: int, doc: Doc, values: list[int], positions: list[int]) -> None:
        """Test attribute ``a``'s unseen ``values`` (first seen at ``positions`` in ``doc``)."""
        attr = self.in_attrs[a]
        rows = self.rows[a]
        # the probe shares the tokens' lexemes (same texts) and carries their token-level values
        words = [doc[i].text for i in positions]
        probe = Doc(self.vocab, words=words, spaces=[False] * len(words))
        if attr in _TOKEN_INPUTS:
            probe.from_array([attr], np.asarray(values, dtype=np.uint64))
        ok = np.tile(self.untested[a], (len(values), 1))
        test_specs = self.test_specs[a]
        for match_id, start, _end in self.matchers[a](probe, allow_missing=True):
            ok[start, test_specs[match_id]] = True
        first = len(rows)
        table = self.ok[a]
        if first + len(values) > len(table):
            grown = np.zeros((max(2 * len(table), first + len(values), 256), self.n_specs), dtype=bool)
            grown[:first] = table[:first]
            self.ok[a] = table = grown
        table[first : first + len(values)] = ok
        for offset, value in enumerate(values):
            rows[value] = first + offset

    def _spec_matches(self, doc: Doc) -> np.ndarray:
        """bool[token, spec]: which token specs each token of ``doc`` satisfies."""
        n = len(doc)
        matches = np.ones((n, self.n_specs), dtype=bool)
        if not self.in_attrs:
            return matches
        table = doc.to_array(self.in_attrs).reshape(n, len(self.in_attrs))
        for a in range(len(self.in_attrs)):
            values, first, inverse = np.unique(table[:, a], return_index=True, return_inverse=True)
            if len(self.rows[a]) > _MAX_CACHE:
                self._forget(a)
            rows = self.rows[a]
            value_list = values.tolist()
            found = [rows.get(v, -1) for v in value_list]
            if -1 in found:
                unseen = [j for j, row in enumerate(found) if row == -1]
                self._probe(a, doc, [value_list[j] for j in unseen], first[unseen].tolist())
                rows = self.rows[a]
                found = [rows[v] for v in value_list]
            matches &= self.ok[a][np.asarray(found, dtype=np.intp)[inverse.reshape(-1)]]
        return matches

    def apply(self, doc: Doc) -> Doc:
        """Set the ruler's attributes on ``doc`` in place."""
        n = len(doc)
        if n == 0 or not self.out_attrs:
            return doc
        if self._pid != os.getpid():  # forked: the copied lock may be held by a thread not here
            self._lock, self._pid = threading.Lock(), os.getpid()
        with self._lock:  # the caches grow while a document is read
            matches = self._spec_matches(doc)
        n_out = len(self.out_attrs)
        rule = np.full((n, n_out), -1, dtype=np.int64)
        value = np.zeros((n, n_out), dtype=np.uint64)
        for c, (alt_specs, alt_rules, alt_values) in enumerate(self.columns):
            if len(alt_specs) == 0:
                continue
            hit = matches[:, alt_specs]
            last = len(alt_specs) - 1 - np.argmax(hit[:, ::-1], axis=1)
            has = hit.any(axis=1)
            rule[has, c] = alt_rules[last[has]]
            value[has, c] = alt_values[last[has]]
        for rule_id, positions, offset in self.multi:
            length = len(positions)
            if n < length:
                continue
            ok = matches[: n - length + 1, positions[0]].copy()
            for k in range(1, length):
                ok &= matches[k : n - length + 1 + k, positions[k]]
            for start in np.flatnonzero(ok).tolist():
                target = start + offset
                for c, val in self.rule_outputs[rule_id]:
                    if rule_id > rule[target, c]:
                        rule[target, c] = rule_id
                        value[target, c] = val
        current = doc.to_array(self.out_attrs).reshape(n, n_out)
        new = np.where(rule >= 0, value, current)
        changed = [
            c for c in range(n_out) if self.out_attrs[c] != NORM and not np.array_equal(new[:, c], current[:, c])
        ]
        if changed:
            doc.from_array([self.out_attrs[c] for c in changed], np.ascontiguousarray(new[:, changed]))
        if NORM in self.out_attrs:
            # to_array reads an unset token norm as the lexeme's, so write only the matched tokens
            c = self.out_attrs.index(NORM)
            strings = self.vocab.strings
            for i in np.flatnonzero(rule[:, c] >= 0).tolist():
                doc[i].norm_ = strings[int(value[i, c])]
        return doc


class FastAttributeRuler:
    """Drop-in for spaCy's AttributeRuler with identical output; see the module docstring."""

    def __init__(self, vocab: Vocab, name: str = "attribute_ruler") -> None:
        """An empty component; ``use`` gives it a compiled ruler (``install_fast_pipes`` does that)."""
        self.vocab = vocab
        self.name = name
        self.original: AttributeRuler | None = None
        self._tables: _RulerTables | None = None

    @staticmethod
    def compile(ruler: AttributeRuler) -> _RulerTables:
        """Compile ``ruler``'s patterns; raises UnsupportedPattern if they cannot be reproduced exactly."""
        return _RulerTables(ruler)

    def use(self, ruler: AttributeRuler, tables: _RulerTables | None = None) -> None:
        """Take over ``ruler``'s patterns (compiled now unless ``tables`` is given)."""
        self._tables = tables if tables is not None else _RulerTables(ruler)
        self.original = ruler

    @property
    def patterns(self) -> list[dict]:
        """The original ruler's patterns (the ones compiled in)."""
        return self.original.patterns if self.original is not None else []

    def __call__(self, doc: Doc) -> Doc:
        """Apply the compiled patterns to one document."""
        if self._tables is None:
            raise ValueError(f"{self.name}: no ruler compiled in; use eventcoder.pipeline.fastpipes.install_fast_pipes")
        return self._tables.apply(doc)

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Apply the compiled patterns to a stream of documents."""
        for doc in stream:
            yield self(doc)


class FastLemmatizer:
    """Drop-in for spaCy's rule (or lookup) Lemmatizer with identical output; see the module docstring."""

    def __init__(self, vocab: Vocab, name: str = "lemmatizer") -> None:
        """An empty component; ``use`` gives it the lemmatizer to memoise (``install_fast_pipes`` does that)."""
        self.vocab = vocab
        self.name = name
        self.original: Lemmatizer | None = None
        self.overwrite = False
        self._key_attrs: list[int] = []
        self.cache: dict[tuple[int, ...], int] = {}
        self._shadow: Lemmatizer | None = None

    @staticmethod
    def check(lemmatizer: Lemmatizer) -> list[int]:
        """The attributes ``lemmatizer``'s function reads; raises UnsupportedPattern for unknown set-ups."""
        cls = type(lemmatizer)
        if cls not in (Lemmatizer, EnglishLemmatizer):
            raise UnsupportedPattern(f"lemmatizer class {cls.__name__} is not supported")
        patched = {"lemmatize", "rule_lemmatize", "lookup_lemmatize", "is_base_form"} & set(vars(lemmatizer))
        if patched - {"lemmatize"}:
            raise UnsupportedPattern(f"lemmatizer methods replaced on the instance: {sorted(patched)}")
        func = getattr(lemmatizer.lemmatize, "__func__", None)
        if lemmatizer.mode == "rule" and func is Lemmatizer.rule_lemmatize:
            return [ORTH, POS, MORPH]  # rule_lemmatize and both is_base_form read text, pos, morph only
        if lemmatizer.mode == "lookup" and func is Lemmatizer.lookup_lemmatize:
            return [ORTH]
        raise UnsupportedPattern(f"lemmatizer mode {lemmatizer.mode!r} is not supported")

    def use(self, lemmatizer: Lemmatizer) -> None:
        """Memoise ``lemmatizer`` (its tables are validated now, as its first call would)."""
        key_attrs = self.check(lemmatizer)
        if not lemmatizer._validated:
            lemmatizer._validate_tables(Errors.E1004)
        self._shadow = _set_indexed_copy(lemmatizer)
        self._key_attrs = key_attrs
        self.original = lemmatizer
        self.overwrite = bool(lemmatizer.overwrite)
        self.cache = {}

    def adopt(self, other: FastLemmatizer) -> None:
        """Take over the lemmatizer another FastLemmatizer memoises (and its cache)."""
        self._key_attrs, self._shadow, self.cache = other._key_attrs, other._shadow, other.cache
        self.original, self.overwrite = other.original, other.overwrite

    @property
    def mode(self) -> str:
        """The original lemmatizer's mode ("rule" or "lookup")."""
        return self.original.mode if self.original is not None else ""

    @property
    def lookups(self) -> Lookups:
        """The original lemmatizer's tables (read by eventcoder.pipeline.prefilter)."""
        return self.original.lookups if self.original is not None else Lookups()

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemma of every token that has none (of every token with ``overwrite``)."""
        shadow = self._shadow
        if shadow is None:
            raise ValueError(f"{self.name}: no lemmatizer set; use eventcoder.pipeline.fastpipes.install_fast_pipes")
        n = len(doc)
        if n == 0:
            return doc
        n_keys = len(self._key_attrs)
        table = doc.to_array([*self._key_attrs, LEMMA]).reshape(n, n_keys + 1)
        lemmas = table[:, n_keys].copy()
        todo = np.arange(n) if self.overwrite else np.flatnonzero(lemmas == 0)
        if len(todo) == 0:
            return doc
        if len(self.cache) > _MAX_CACHE:
            self.cache = {}
            shadow.cache.clear()
        cache = self.cache
        strings = self.vocab.strings
        pos_col = self._key_attrs.index(POS) if POS in self._key_attrs else -1
        keys = list(zip(*table[todo, :n_keys].T.tolist(), strict=True))
        for i, key in zip(todo.tolist(), keys, strict=True):
            lemma = cache.get(key)
            if lemma is None:
                # spaCy's own function; the string is kept out of any memory zone's transient store
                # because the cache outlives the zone
                lemma = strings.add(shadow.lemmatize(doc[i])[0], allow_transient=False)
                if pos_col < 0 or key[pos_col] != 0:  # no POS: the original warns on every call
                    cache[key] = lemma
            lemmas[i] = lemma
        doc.from_array([LEMMA], lemmas)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Lemmatise a stream of documents."""
        for doc in stream:
            yield self(doc)


def _set_indexed_copy(lemmatizer: Lemmatizer) -> Lemmatizer:
    """A twin of ``lemmatizer`` whose ``lemma_index`` word lists are frozensets.

    ``rule_lemmatize`` only tests ``form in index`` and the truth of ``index``, which a frozenset
    answers exactly as the list does, but in constant instead of linear time (the English noun list
    has 57k words, which made a cache miss cost ~0.1 ms). Lookup mode, and tables of any other shape,
    use the original component itself.
    """
    if lemmatizer.mode != "rule" or "lemma_index" not in lemmatizer.lookups:
        return lemmatizer
    index = lemmatizer.lookups.get_table("lemma_index")
    fast_index = Table(name=index.name)
    for key, words in index.items():
        if not isinstance(words, list | tuple) or not all(isinstance(word, str) for word in words):
            return lemmatizer
        fast_index[key] = frozenset(words)
    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = fast_index if name == "lemma_index" else lemmatizer.lookups.get_table(name)
        lookups.set_table(name, table)
    twin = type(lemmatizer)(
        lemmatizer.vocab, lemmatizer.model, lemmatizer.name, mode="rule", overwrite=lemmatizer.overwrite
    )
    twin.lookups = lookups
    twin._validate_tables()
    return twin


@Language.factory(FAST_RULER_FACTORY)
def make_fast_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    """spaCy factory for an empty FastAttributeRuler (filled by ``install_fast_pipes``)."""
    return FastAttributeRuler(nlp.vocab, name)


@Language.factory(FAST_LEMMATIZER_FACTORY)
def make_fast_lemmatizer(nlp: Language, name: str) -> FastLemmatizer:
    """spaCy factory for an empty FastLemmatizer (filled by ``install_fast_pipes``)."""
    return FastLemmatizer(nlp.vocab, name)


def install_fast_pipes(nlp: Language) -> bool:
    """Replace ``attribute_ruler`` and ``lemmatizer`` in ``nlp`` by their fast, exact equivalents.

    The components keep their names and positions; the originals stay reachable as ``.original``.
    Returns True when every such component present is (now or already) fast. Returns False and leaves
    the pipeline untouched when there is neither, or when one of them cannot be reproduced exactly.
    """
    names = nlp.component_names
    ruler_name = "attribute_ruler" if "attribute_ruler" in names else None
    lemma_name = "lemmatizer" if "lemmatizer" in names else None
    if ruler_name is None and lemma_name is None:
        return False
    ruler = nlp.get_pipe(ruler_name) if ruler_name else None
    lemmatizer = nlp.get_pipe(lemma_name) if lemma_name else None
    # everything is compiled and checked before the pipeline is touched
    tables: _RulerTables | None = None
    prepared: FastLemmatizer | None = None
    try:
        if isinstance(ruler, AttributeRuler):
            tables = FastAttributeRuler.compile(ruler)
        elif ruler is not None and not isinstance(ruler, FastAttributeRuler):
            return False
        if isinstance(lemmatizer, Lemmatizer):
            prepared = FastLemmatizer(nlp.vocab, "lemmatizer")
            prepared.use(lemmatizer)
        elif lemmatizer is not None and not isinstance(lemmatizer, FastLemmatizer):
            return False
    except (UnsupportedPattern, ValueError):  # ValueError: the lemmatizer's tables are missing
        return False
    disabled = set(nlp.disabled)
    if tables is not None and isinstance(ruler, AttributeRuler):
        nlp.replace_pipe("attribute_ruler", FAST_RULER_FACTORY).use(ruler, tables)
    if prepared is not None:
        nlp.replace_pipe("lemmatizer", FAST_LEMMATIZER_FACTORY).adopt(prepared)
    for name in disabled & {"attribute_ruler", "lemmatizer"}:
        if name not in nlp.disabled:
            nlp.disable_pipe(name)
    return True
