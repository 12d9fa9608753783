"""CI gate on news that reports no political event: ECB+'s sport, entertainment and disaster topics of
its dev split (never trained on; ../shared/datasets/ecbplus, CC BY 3.0). Every event coded there is a
false alarm; the ceilings are the figures measured when the topic model (pipeline/topic.py) first set
such articles aside (docs/accuracy.md), with a little room."""

from __future__ import annotations

from conftest import require_shared
from eventcoder.datasets import OFF_TOPIC_GENRES, ecbplus_genre, load_ecbplus, score_ecbplus
from eventcoder.engines.local import LocalEngine

#: Share of the dev split's off-topic sentences, and documents, with a coded event (lower is better).
CEILINGS = {"off_topic_sentences_with_event_dev": 0.115, "off_topic_documents_with_event_dev": 0.56}


def test_off_topic_news_is_rarely_coded() -> None:
    records = [r for r in load_ecbplus(require_shared("datasets", "ecbplus", "ecbplus_train_dev.jsonl"))
               if r["split"] == "dev" and ecbplus_genre(r) in OFF_TOPIC_GENRES]
    figures = score_ecbplus(records, LocalEngine()).figures
    above = {k: (figures[k], ceiling) for k, ceiling in CEILINGS.items() if figures[k] > ceiling + 1e-9}
    assert not above, f"off-topic false alarms above their ceilings (measured, ceiling): {above}"
