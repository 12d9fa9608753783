"""The first pass: which sentences it sends to the parser, and that offsets stay those of the text."""

from __future__ import annotations

from eventcoder.coder import EventCoder
from eventcoder.engine import LocalEngine
from eventcoder.models import Article
from eventcoder.prefilter import CandidateScanner, parse_candidates

TEXT = (
    "The weather was mild and the markets were quiet.\n"
    "Turkey's defence minister Hulusi Akar met Azerbaijani President Ilham Aliyev in Baku on Monday.\n"
    "the rain fell all day long.\n"
    "Akar later signed a military cooperation agreement with Aliyev."
)


def test_candidates_skip_sentences_without_trigger_actor_or_name(nlp) -> None:
    coder = EventCoder()
    scanner = CandidateScanner(nlp, coder.lexicon, coder.recognizer.dictionary)
    doc = nlp.make_doc(TEXT)
    runs = scanner.candidates(doc)
    parsed = " ".join(doc[s:e].text for s, e in runs)
    assert "Hulusi Akar met" in parsed and "signed" in parsed
    assert "weather" not in parsed and "rain fell" not in parsed
    assert scanner.stats.candidate_sentences == 2 and scanner.stats.sentences == 4, scanner.stats


def test_trigger_forms_follow_the_lemmatizer(nlp) -> None:
    coder = EventCoder()
    scanner = CandidateScanner(nlp, coder.lexicon, coder.recognizer.dictionary)
    assert scanner.is_trigger_form("met") and scanner.is_trigger_form("signed")
    assert not scanner.is_trigger_form("weather")


def test_prefiltered_mentions_keep_article_offsets(nlp) -> None:
    article = Article(article_id="a", title=None, author=[], published="2021-06-15", published_basis="input",
                      source=None, url=None, text=TEXT)
    coder = EventCoder()
    scanner = CandidateScanner(nlp, coder.lexicon, coder.recognizer.dictionary)
    doc = parse_candidates(nlp, scanner, [TEXT])[0]
    prefiltered = coder.code_article(article, doc)
    full = LocalEngine(coder=coder, nlp=nlp, prefilter=None).code_articles([article])
    assert prefiltered and [m.to_dict() for m in prefiltered] == [m.to_dict() for m in full]
    for m in prefiltered:
        assert TEXT[m.char_start : m.char_end].strip() == m.sentence
        assert TEXT[m.trigger_start :].startswith(m.trigger)


def test_article_without_candidates_codes_nothing(nlp) -> None:
    article = Article(article_id="b", text="The weather was mild and the markets were quiet.")
    engine = LocalEngine(nlp=nlp, prefilter="triggers")
    assert engine.code_articles([article]) == []
