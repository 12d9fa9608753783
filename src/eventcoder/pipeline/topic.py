"""Topic: is an article political news at all, or sport, entertainment, a disaster or business news?

The coder's rules and models were written and trained on political news, where "beat", "fired",
"attacks", "killed" and "rescue teams were sent" are usually political acts; in a match report, a
film review, an earthquake story or a software advisory they are not, and every event coded there is a
false alarm. This stage reads an article's words as a bag (no parse needed) and gives the probability
that it is not political news. The model is a logistic regression trained by
``scripts/train_topic_model.py`` (seeded, CPU, seconds) on our annotated political articles
(``eval/news``), the NGEC synthetic political stories (MIT) and our own sentences against the
off-topic documents of ECB+'s train split (CC BY 3.0; :func:`eventcoder.datasets.ecbplus_off_topic`),
and shipped as ``data/topic_model.json`` (weights only).

The coder codes nothing in an article the model is at least ``settings.TOPIC_OTHER_MIN_PROBABILITY``
sure is not political news and that has at least ``settings.TOPIC_MIN_WORDS`` words (a sentence alone
says too little about its article); the run summary counts it as "off-topic article". A decision for
the whole article, made only where the model is sure, so that political news never loses an event.
"""

from __future__ import annotations

import re
from functools import lru_cache

from eventcoder import settings
from eventcoder.pipeline.typemodel import TypeModel
from eventcoder.util.packaged import load_packaged

MODEL_FILE = "topic_model.json"
POLITICAL, OTHER = "POLITICAL", "OTHER"
_WORD = re.compile(r"[a-z]+")
#: Words too common to say anything about a topic.
_STOP = frozenset("""
the and for that with was were are has have had been from this they their there which would will said
but not its his her she him who what when where also than then more into about after over could one two
our your you all any can may out our per via off new very just most such some only other
""".split())


def topic_features(text: str) -> list[str]:
    """The model's features of a text: the distinct words of three letters or more, lower-cased,
    common function words left out (deterministic, order-free)."""
    return sorted({f"w:{w}" for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _STOP})


def word_count(text: str) -> int:
    return len(_WORD.findall(text.lower()))


class TopicModel:
    """Binary logistic regression over :func:`topic_features`, stored in the type model's format
    (classes ``POLITICAL`` and ``OTHER``)."""

    def __init__(self, model: TypeModel) -> None:
        if OTHER not in model.classes:
            raise ValueError(f"a topic model needs the class {OTHER}")
        self.model = model

    @classmethod
    def from_file(cls, path) -> TopicModel:  # noqa: ANN001 - a str or Path, as TypeModel.from_file
        """Read a model written by ``scripts/train_topic_model.py``."""
        return cls(TypeModel.from_file(path))

    @classmethod
    def default(cls) -> TopicModel | None:
        """The model shipped with the package, or None when the package carries none."""
        return _default_model()

    def other_probability(self, text: str) -> float:
        """The probability that the text is not political news."""
        return self.model.probabilities(topic_features(text))[OTHER]

    def off_topic(self, text: str) -> bool:
        """Is the article surely not political news (see the module's doc)?"""
        threshold = settings.TOPIC_OTHER_MIN_PROBABILITY
        if threshold is None or word_count(text) < settings.TOPIC_MIN_WORDS:
            return False
        return self.other_probability(text) >= threshold


@lru_cache(maxsize=1)
def _default_model() -> TopicModel | None:
    return load_packaged(MODEL_FILE, TopicModel.from_file)
