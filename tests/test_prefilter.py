"""The first pass: which sentences it sends to the parser, and that offsets stay those of the text."""

from __future__ import annotations

from eventcoder.engines.local import LocalEngine
from eventcoder.models import Article
from eventcoder.pipeline.coder import EventCoder
from eventcoder.pipeline.prefilter import CandidateScanner, parse_candidates

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
    assert full and all(m.coder_version and m.coded_at for m in full)
    for m in full:  # the engine stamps which coder made a mention and when; the coder alone does not
        m.coder_version, m.coded_at = None, None
    assert prefiltered and [m.to_dict() for m in prefiltered] == [m.to_dict() for m in full]
    for m in prefiltered:
        assert TEXT[m.char_start : m.char_end].strip() == m.sentence
        assert TEXT[m.trigger_start :].startswith(m.trigger)


def test_article_without_candidates_codes_nothing(nlp) -> None:
    article = Article(article_id="b", text="The weather was mild and the markets were quiet.")
    engine = LocalEngine(nlp=nlp, prefilter="triggers")
    assert engine.code_articles([article]) == []


INTRO = ("Rovshan Talibov, a former general of Azerbaijan, spent the afternoon in the old town.\n"
         "The weather was mild and the markets were quiet.\n"
         "The attack dog barked at the gate.\n"
         "Talibov accused Armenia of shelling villages near Tartar on Monday.")


def _coded(mentions) -> list[tuple]:
    return [(m.mention_id, m.event_type, [(a.name, a.country) for a in m.source],
             [(a.name, a.country) for a in m.target]) for m in mentions]


def test_fast_mode_parses_name_introductions_and_runs_the_ner_only_where_needed(nlp) -> None:
    article = Article(article_id="t", text=INTRO, published="2020-10-05", published_basis="input")
    coder = EventCoder()
    full = LocalEngine(coder=coder, nlp=nlp, prefilter=None).code_articles([article])
    fast_engine = LocalEngine(coder=coder, nlp=nlp, prefilter="fast")
    fast = fast_engine.code_articles([article])
    assert _coded(fast) == _coded(full)
    # the accusation, and what it alleges (never coded as a plain fact)
    assert [(m.event_type, m.source[0].name, m.alleged) for m in fast] == [
        ("ACCUSE", "Rovshan Talibov", False), ("ASSAULT", "Armenia", True)]
    st = fast_engine._scanner.stats
    # the weather is never parsed; "the attack dog" is parsed (a trigger form), and its names are looked up
    # only if the type model, read without entities, may code it (the shipped model's call: P(no event)
    # within MODEL_EVENT_MAX_NONE + PREFILTER_MODEL_MARGIN); it names no actor, so it yields nothing
    dog = list(nlp("The attack dog barked at the gate.").sents)[0]
    assert (st.sentences, st.candidate_sentences) == (4, 3), st
    assert st.entity_sentences == 2 + coder.may_yield(dog), st
    # without the introduction the surname alone names nobody the coder knows
    triggers = LocalEngine(coder=coder, nlp=nlp, prefilter="triggers").code_articles([article])
    assert not any(a.name == "Rovshan Talibov" for m in triggers for a in m.source)


def test_fast_mode_agrees_with_a_full_parse_on_the_bundled_sample(nlp) -> None:
    from eventcoder.engines.local import sample_corpus_path
    from eventcoder.pipeline.ingest import read_inputs

    articles = [r for r in read_inputs([sample_corpus_path()]) if isinstance(r, Article)]
    coder = EventCoder()
    full = {m[0]: m for m in _coded(LocalEngine(coder=coder, nlp=nlp, prefilter=None).code_articles(articles))}
    engine = LocalEngine(coder=coder, nlp=nlp, prefilter="fast")
    fast = {m[0]: m for m in _coded(engine.code_articles(articles))}
    assert len(full) > 100 and set(fast) == set(full)
    same = sum(fast[k] == full[k] for k in full)
    assert same >= 0.97 * len(full), (same, len(full))
    st = engine._scanner.stats
    assert st.entity_tokens < st.parsed_tokens < st.tokens


def test_name_windows_cover_the_words_that_may_be_names(nlp) -> None:
    from eventcoder.pipeline.prefilter import name_windows

    doc = nlp("the convoy moved slowly along the old road for hours until Turkish troops stopped it near the "
              "village and the drivers waited while officials talked about what to do next with them")
    run = doc[:]
    windows = name_windows(run, 3)
    turkish = next(t.i for t in doc if t.text == "Turkish")
    hours = next(t.i for t in doc if t.text == "hours")
    # one merged window from three tokens before "hours" to three after "Turkish"; the rest is left out
    assert windows == [(hours - 3, turkish + 4)]
    assert name_windows(run, None) == [(0, len(doc))]
    assert name_windows(nlp("nothing here is a name at all")[:], 5) == []


def test_the_ner_on_name_windows_codes_what_it_codes_on_whole_sentences(nlp, monkeypatch) -> None:
    """The NER reads only the windows around possible names (``NER_WINDOW``): fewer tokens, same mentions."""
    from eventcoder import settings

    text = (INTRO + "\nThe talks went on late into the evening while the delegations argued over every word of "
            "the text and nobody in the room was willing to give ground on the question of the border.\n"
            "Azerbaijan later accused Armenian forces of firing mortars at its positions near the town.")
    article = Article(article_id="w", text=text, published="2020-10-05", published_basis="input")
    coded, tokens = {}, {}
    shipped = settings.NER_WINDOW
    assert shipped is not None
    for width in (None, shipped):
        monkeypatch.setattr(settings, "NER_WINDOW", width)
        engine = LocalEngine(coder=EventCoder(), nlp=nlp, prefilter="fast")
        coded[width] = _coded(engine.code_articles([article]))
        tokens[width] = engine._scanner.stats.entity_tokens
    assert coded[shipped] == coded[None] and coded[shipped]
    assert tokens[shipped] < tokens[None]
