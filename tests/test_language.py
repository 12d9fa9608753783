"""Language detection at ingest: another language is a reject with its ISO 639-1 code, English
(however short) is never rejected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventcoder.models import Article, Reject
from eventcoder.pipeline.ingest import read_inputs
from eventcoder.pipeline.language import detect_language

#: Short news sentences written for these tests.
FOREIGN = {
    "fr": "Le ministre de la Défense a rencontré son homologue turc à Bakou pour discuter de la coopération.",
    "es": "El presidente se reunió con los líderes de la oposición en Caracas para hablar sobre las elecciones.",
    "de": "Der Außenminister hat sich am Montag mit seinem Amtskollegen in Berlin getroffen, um über die Lage "
          "zu sprechen.",
    "ar": "التقى وزير الخارجية بنظيره التركي في أنقرة لبحث التعاون بين البلدين.",
    "ru": "Министр обороны встретился со своим турецким коллегой в Баку, чтобы обсудить сотрудничество.",
    "uk": "Міністр оборони України зустрівся зі своїм колегою в Києві, щоб обговорити співпрацю.",
    "fa": "وزیر امور خارجه ایران با همتای ترک خود در تهران دیدار و گفتگو کرد.",
    "zh": "外交部长周一在北京会见了土耳其外长，双方讨论了两国合作。",
    "it": "Il ministro degli Esteri ha incontrato il suo omologo turco a Roma per discutere della cooperazione.",
    "pt": "O ministro da Defesa reuniu-se com o seu homólogo em Lisboa para discutir a cooperação militar.",
}
ENGLISH = [
    "A car bomb killed 12 soldiers in Kabul on Monday.",
    "Erdogan, Aliyev meet in Shusha",  # a headline: too short to tell, taken as English
    "Protests in Caracas",
    "Luis de la Fuente y Juan del Campo attended the talks in Madrid with the minister.",
    "President Abdel Fattah el-Sisi met Bashar al-Assad in Cairo, the state news agency said.",
    "Turkish Defence Minister Hulusi Akar said on Tuesday that the drills near Baku would continue.",
    "",
]


@pytest.mark.parametrize("lang", sorted(FOREIGN))
def test_a_sentence_in_another_language_is_named(lang: str) -> None:
    assert detect_language(FOREIGN[lang]) == lang


@pytest.mark.parametrize("text", ENGLISH)
def test_english_and_too_short_to_tell_is_english(text: str) -> None:
    assert detect_language(text) == "en"


def test_a_non_english_record_is_a_reject_with_its_language(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    records = [{"id": "fr1", "text": FOREIGN["fr"]}, {"id": "en1", "text": ENGLISH[0]},
               {"id": "ru1", "text": FOREIGN["ru"]}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    (tmp_path / "note.txt").write_text(FOREIGN["de"], encoding="utf-8")
    out = list(read_inputs([tmp_path]))
    articles = [r for r in out if isinstance(r, Article)]
    rejects = sorted((r.record or r.path.rsplit("/", 1)[-1], r.reason) for r in out if isinstance(r, Reject))
    assert [(a.article_id, a.language) for a in articles] == [("en1", "en")]
    assert rejects == [("line 1", "language fr not supported"), ("line 3", "language ru not supported"),
                       ("note.txt", "language de not supported")]


def test_the_english_corpus_is_not_rejected() -> None:
    from eventcoder.engines.local import sample_corpus_path

    out = list(read_inputs([sample_corpus_path()]))
    assert out and not [r.reason for r in out if isinstance(r, Reject) and r.reason.startswith("language")]
