"""The fast attribute ruler and lemmatizer annotate exactly as spaCy's own components do."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable
from pathlib import Path

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, LOWER, MORPH, NORM, ORTH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

from eventcoder.errors import ModelNotAvailable
from eventcoder.pipeline.fastpipes import FastAttributeRuler, FastLemmatizer, install_fast_pipes
from eventcoder.pipeline.nlp import build_nlp

GUARDIAN = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "guardian_sdf_sample.jsonl"
ARRAY_ATTRS = [ORTH, LOWER, NORM, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]

SENTENCES = [
    "Russian forces shelled the eastern city of Kharkiv on Tuesday, killing at least 12 civilians.",
    '"We will not negotiate with terrorists," the prime minister told reporters in London.',
    "The U.S. State Department said it won't comment on the talks, but officials can't rule out sanctions.",
    "PROTESTERS CLASH WITH POLICE IN CAIRO AS ELECTION NEARS",
    "Iran's foreign minister, Javad Zarif, met his Iraqi counterpart in Baghdad on 3 March 2019.",
    "The $2.5bn deal – signed in Riyadh – covers 1,200 armoured vehicles and 40 F-16 jets.",
    "Ain't nobody gonna stop us, y'all; we gotta keep going, let's go!",
    "C'mon, they're doin' nothin' wrong, said the ol' man, and I'd agree with 'em.",
    "There is no evidence that the attack was planned, and there are few witnesses.",
    "She'll have been told by then; he'd already left, hadn't he?",
    "The UN Security Council voted 13-0, with China and Russia abstaining.",
    "Mr. Smith, a well-known anti-war campaigner, was arrested at 10.30am.",
    "“It’s a catastrophe,” said Dr Ahmed — whose hospital was hit twice.",
    "Kenya's president\nUhuru Kenyatta\n\nNairobi, Monday",
    "Troops were being deployed to the border; tanks had been moved overnight.",
    "Does anyone know whether the ceasefire holds? Nobody does.",
    "I myself saw them; you yourselves must decide, and it is itself a warning.",
    "Gets worse: the rebels got the weapons they wanted, which is something nobody expected.",
    "The children’s hospital, the women's shelter and the workers' union were all damaged.",
    "Once the vote is counted, the results will be announced, unless there's a recount.",
    "NATO's secretary-general warned that Moscow could escalate if talks collapse.",
    "E-mail: press@example.org  |  Tel: +44 20 7946 0000   (24 hours)",
    "Isis fighters, among them 2,000 foreigners, have been held in Syria since 2017.",
    "“Don’t shoot!” they shouted; but the soldiers didn’t listen.",
    "Better late than never: the best-laid plans often fail, and worse, they fail quietly.",
    "He is said to have had talks with the Taliban in Doha, Qatar, last week.",
    "BREAKING: Explosion reported near Kabul airport; casualties feared.",
    "The ministry's spokesman declined to say how many had died – perhaps dozens, perhaps more.",
    "Its 3rd battalion, the 82nd Airborne's finest, left at 0600 hrs on Sept. 11.",
    "They’re saying it’s over, but I’m not so sure: we’ve heard that before.",
    "Gonna be a long night\t— tabs, double  spaces and a trailing newline\n",
]


def _load() -> Language:
    """A fresh copy of the pipeline eventcoder.pipeline.nlp.load_nlp builds (that one is cached and shared),
    without the fast components."""
    try:
        return build_nlp(fast=False)
    except ModelNotAvailable:
        pytest.skip("no spaCy English model installed")


@pytest.fixture(scope="module")
def pipelines() -> tuple[Language, Language]:
    """The original pipeline and a second copy with the fast components installed."""
    original, fast = _load(), _load()
    assert install_fast_pipes(fast)
    return original, fast


def _rows(doc: Doc) -> list[tuple]:
    """Every annotation the tests compare, token by token."""
    return [
        (t.i, t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc
    ]


def _assert_identical(expected: Iterable[Doc], actual: Iterable[Doc]) -> int:
    """Assert the two document streams carry the same annotation; return the number of tokens."""
    n_tokens = 0
    for want, got in zip(expected, actual, strict=True):
        assert _rows(got) == _rows(want)
        # the hashes are the same across vocabularies, so the raw arrays must match too
        assert got.to_array(ARRAY_ATTRS).tolist() == want.to_array(ARRAY_ATTRS).tolist()
        n_tokens += len(want)
    return n_tokens


def test_install_keeps_names_and_order(pipelines: tuple[Language, Language]) -> None:
    original, fast = pipelines
    assert fast.pipe_names == original.pipe_names
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(fast.get_pipe("lemmatizer"), FastLemmatizer)
    assert isinstance(fast.get_pipe("attribute_ruler").original, AttributeRuler)
    assert install_fast_pipes(fast)  # already fast: nothing to do
    assert fast.pipe_names == original.pipe_names


def test_varied_sentences_identical(pipelines: tuple[Language, Language]) -> None:
    original, fast = pipelines
    expected = list(original.pipe(SENTENCES, batch_size=7))
    actual = list(fast.pipe(SENTENCES, batch_size=7))
    assert _assert_identical(expected, actual) > 400
    # single-document calls and the rarer multi-token rules (gonna, gotta, let's, ain't, y'all, there is)
    _assert_identical([original(text) for text in SENTENCES[6:9]], [fast(text) for text in SENTENCES[6:9]])
    lemmas = {t.lower_: t.lemma_ for t in fast(SENTENCES[6])}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to" and lemmas["ai"] == "be"


def _rerun_from_ruler(nlp: Language, docs: Iterable[Doc]) -> list[Doc]:
    """Run the components from the attribute ruler on again, over fully processed docs, via ``pipe``."""
    docs = list(docs)
    start = nlp.pipe_names.index("attribute_ruler")
    for _name, proc in nlp.pipeline[start:]:
        docs = list(proc.pipe(docs))
    return docs


def test_already_processed_docs_identical(pipelines: tuple[Language, Language]) -> None:
    original, fast = pipelines
    expected = _rerun_from_ruler(original, original.pipe(SENTENCES))
    actual = _rerun_from_ruler(fast, fast.pipe(SENTENCES))
    _assert_identical(expected, actual)


def _ruler_pipeline(patterns: list[dict]) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(patterns)
    return nlp


def _tagged(nlp: Language, words: list[str], tags: list[str], deps: list[str]) -> Doc:
    heads = [0] * len(words)
    return Doc(nlp.vocab, words=words, tags=tags, deps=deps, heads=heads)


def test_rule_order_overlaps_and_predicates_match_spacy() -> None:
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
        {"patterns": [[{"LOWER": "a"}, {"LOWER": "a"}]], "attrs": {"LEMMA": "pair", "POS": "DET"}, "index": -1},
        {"patterns": [[{"LOWER": {"REGEX": "^b+$"}, "TAG": {"IN": ["NN", "VB"]}}]], "attrs": {"LEMMA": "bee"}},
        {"patterns": [[{"TAG": "NN"}, {}, {"IS_PUNCT": True}]], "attrs": {"TAG": "XX", "POS": "X"}, "index": 1},
        {"patterns": [[{"DEP": {"NOT_IN": ["nsubj", ""]}, "LENGTH": {">=": 2}}]], "attrs": {"MORPH": "Foo=Bar"}},
        {"patterns": [[{"TEXT": "A"}], [{"ORTH": "bb"}]], "attrs": {"POS": "PROPN", "NORM": "x"}},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"DEP": "dep", "TAG": "_SP", "POS": "SPACE"}},
    ]
    words = ["a", "a", "a", "bb", ",", "A", "bbb", "  ", "dog", "x", "."]
    tags = ["DT", "DT", "NN", "NN", ",", "NN", "VB", "_SP", "NN", "NN", "."]
    deps = ["det", "nsubj", "dobj", "", "punct", "nsubj", "ROOT", "", "conj", "dep", "punct"]
    original, fast = _ruler_pipeline(patterns), _ruler_pipeline(patterns)
    assert install_fast_pipes(fast)
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributeRuler)
    for _ in range(2):  # a second pass runs on the cached answers
        want = original.get_pipe("attribute_ruler")(_tagged(original, words, tags, deps))
        got = fast.get_pipe("attribute_ruler")(_tagged(fast, words, tags, deps))
        attrs = [TAG, POS, MORPH, LEMMA, DEP, NORM]
        assert got.to_array(attrs).tolist() == want.to_array(attrs).tolist()
        assert [t.lemma_ for t in got] == [t.lemma_ for t in want]
    assert [t.lemma_ for t in got][:4] == ["", "pair", "pair", "bee"]
    # tokens no rule gave a norm still follow their lexeme's norm, as with spaCy's ruler
    for nlp in (original, fast):
        nlp.vocab["dog"].norm_ = "hound"
    assert [t.norm_ for t in got] == [t.norm_ for t in want]
    assert got[8].norm_ == "hound"


def test_disabled_component_stays_disabled() -> None:
    nlp = _ruler_pipeline([{"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}}])
    nlp.disable_pipe("attribute_ruler")
    assert install_fast_pipes(nlp)
    assert nlp.disabled == ["attribute_ruler"]
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)


def test_lemmatizer_without_tables_is_left_alone() -> None:
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    assert install_fast_pipes(nlp) is False
    assert nlp.get_pipe("lemmatizer") is lemmatizer


@pytest.mark.parametrize(
    "pattern",
    [
        {"patterns": [[{"LOWER": "a", "OP": "+"}]], "attrs": {"POS": "DET"}},
        {"patterns": [[{"_": {"flag": True}}]], "attrs": {"POS": "DET"}},
        {"patterns": [[{"IS_SENT_START": True}]], "attrs": {"POS": "DET"}},
        {"patterns": [[{"ENT_TYPE": "GPE"}]], "attrs": {"POS": "PROPN"}},
        {"patterns": [[{"LOWER": "a"}]], "attrs": {"LOWER": "b"}},
        {"patterns": [[{"LOWER": "a"}]], "attrs": {"POS": "DET"}, "index": 3},
    ],
)
def test_unsupported_patterns_leave_pipeline_untouched(pattern: dict) -> None:
    nlp = _ruler_pipeline([{"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}}, pattern])
    ruler = nlp.get_pipe("attribute_ruler")
    assert install_fast_pipes(nlp) is False
    assert nlp.get_pipe("attribute_ruler") is ruler
    assert nlp.pipe_names == ["attribute_ruler"]


@pytest.mark.parametrize("overwrite", [False, True])
def test_lemmatizer_respects_preset_lemmas_and_overwrite(pipelines: tuple[Language, Language], overwrite: bool) -> None:
    lookups = pipelines[0].get_pipe("lemmatizer").lookups

    def build() -> Language:
        nlp = spacy.blank("en")
        lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "rule", "overwrite": overwrite})
        assert isinstance(lemmatizer, Lemmatizer)
        lemmatizer.initialize(lookups=lookups)
        return nlp

    words = ["Geese", "were", "flying", "better", "The", "bigger", "ran", "ran", "CIA", "  ", "oddly"]
    pos = ["NOUN", "AUX", "VERB", "ADJ", "DET", "ADJ", "VERB", "VERB", "PROPN", "SPACE", ""]
    morphs = ["Number=Plur", "", "VerbForm=Ger", "Degree=Cmp", "", "Degree=Pos", "", "", "", "", ""]
    preset = ["", "be", "", "", "", "", "RUN", "", "", "", ""]
    original, fast = build(), build()
    assert install_fast_pipes(fast)
    assert isinstance(fast.get_pipe("lemmatizer"), FastLemmatizer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the token without POS makes spaCy warn (W108)
        for _ in range(2):
            docs = []
            for nlp in (original, fast):
                doc = Doc(nlp.vocab, words=words, pos=pos, morphs=morphs, lemmas=preset)
                docs.append(nlp.get_pipe("lemmatizer")(doc))
            assert [t.lemma_ for t in docs[1]] == [t.lemma_ for t in docs[0]]
    assert docs[1][6].lemma_ == ("run" if overwrite else "RUN")


def test_guardian_articles_identical(pipelines: tuple[Language, Language]) -> None:
    if not GUARDIAN.exists():
        pytest.skip(f"needs the team's Guardian sample at {GUARDIAN} (not shipped with the package)")
    with GUARDIAN.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()][:12]
    original, fast = pipelines
    n_tokens = _assert_identical(original.pipe(texts, batch_size=16), fast.pipe(texts, batch_size=16))
    assert n_tokens > 10_000
