"""Russian: stems, sentences, labels in inflected forms, a Russian document ingested and found
by an inflected word, and the build's second (multilingual) index verified by its manifest."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.concepts import load_scheme
from graph.linking.labels import LabelLinker
from graph.linking.model import LinkSettings
from ilp_pipeline.run import run_build
from ingest.catalog import load_catalog
from ingest.country_mentions import country_word
from ingest.stems import russian_stem, stem_cyrillic
from ingest.text import sentence_spans
from search.answers.question import CONCEPT, question_shape
from search.cross_language import CrossLanguageConfig
from search.encoders.query import QueryEmbedder
from search.index.build_folders import BuildError, resolve_current, verify_build
from search.index.keyword import query_terms
from search.index.loaded import LoadedBuild
from search.index.multilingual import MultilingualIndex
from search.searcher import Filters, SearchConfig, Searcher
from search.translation import WordTranslator
from tests.conftest import hashing_app
from tests.fakes import HashingEncoder, MultilingualHashingEncoder

REPO = Path(__file__).resolve().parents[1]
RUSSIAN_NOTE = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Заметки о совещаниях</title></head>
<body><h1>Заметки о совещаниях</h1>
<h2>1. Еженедельная работа</h2>
<p>Еженедельные совещания группы по постановке задач и координации распределяют ресурсы по
приоритетам. Руководители обсуждают угрозы, т. е. то, что выявил анализ, и ставят задачи
подразделениям (см. с. 55). Аналитик А. С. Петров готовит обзор обстановки к каждому
совещанию и отвечает на вопросы участников. Решения записываются, исполнители назначаются, а
через неделю группа проверяет, что сделано и что изменилось в криминальной обстановке.
Такой порядок помогает направить силы туда, где угроза выше всего, и объяснить это решение
руководству и обществу. Так работают полиции Сербии, Черногории и других стран региона.</p>
</body></html>
"""
RUSSIAN_ENTRY = """
[[document]]
id = "meeting-notes-ru"
title = "Заметки о совещаниях"
kind = "training"
authors = ["Test Atlas team"]
publisher = "Test Atlas"
licence = "CC BY 4.0"
role = "original"
year = 2020
countries = ["RS"]
language = "ru"
file = "meeting-notes-ru.html"
"""


def test_russian_words_are_stemmed_and_yo_is_read_as_ye():
    assert russian_stem("модели") == russian_stem("моделью") == russian_stem("модель")
    assert russian_stem("отчётов") == russian_stem("отчетов")
    assert stem_cyrillic("What is the 3-i model?") == "What is the 3-i model?"  # untouched
    assert stem_cyrillic("модели 3-i и NIM") == "модел 3-i и NIM"


def test_a_country_is_translated_by_name_in_any_case():
    """The word-by-word translation renders a country from the table of countries, whatever
    its case or whether it is the adjective; other words still go to their nearest English
    word, and a word with none close enough is left out (search/translation.py)."""
    encoder = MultilingualHashingEncoder()
    english = ["courses", "moldova", "tajikistan", "sweden", "budget"]
    index = MultilingualIndex(None, np.zeros((0, 64)), tuple(english), encoder.encode(english))
    translator = WordTranslator(encoder, index)
    # "budget" is its own nearest word; "курсы" has none close under the hashing encoder.
    assert translator.translate("budget и курсы в Таджикистане и Молдове") == [
        "budget",
        "tajikistan",
        "moldova",
    ]
    assert translator.translate("шведской полиции и Швеции") == ["sweden"]
    # The name the table gives first, of several words too (the card's one-word key is "uk").
    assert translator.translate("в Великобритании") == ["united kingdom"]
    # A country is read from the start of the word, not its stem: "данных" stems as "Дания"
    # does and "грузовик" starts as "Грузия" does, and neither is a country.
    assert country_word("Грузии") == "georgia" and country_word("датской") == "denmark"
    assert country_word("данных") is None and country_word("грузовик") is None
    assert country_word("грузить") is None and country_word("Россией") == "russia"


def test_keyword_query_terms_stem_russian_and_drop_its_stopwords():
    assert query_terms("Что такое модели 3-i?") == ["модел", "3 i"]
    assert query_terms("What is the 3-i model?") == ["3 i", "model"]  # English as before


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Это т. е. пример. Второе предложение.", 2),
        ("Подробнее см. с. 45 в Руководстве. Далее идет текст.", 2),
        ("Модель описал А. С. Петров. Он аналитик.", 2),
        ("Собирают данные, сведения и т. д. Затем их анализируют.", 2),
        ("Почему это важно? Потому что ресурсы ограничены! Так и есть.", 3),
        ("Как писал Рэтклифф (Ratcliffe 2008, p. 248), анализ важен. Это так.", 2),
    ],
)
def test_russian_sentence_splitting(text: str, sentences: int):
    assert len(sentence_spans(text)) == sentences


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("Что такое модель 3-i?", "3-i-model"),
        ("Расскажите о модели 3-i", "3-i-model"),
        ("роль стратегического анализа", "strategic-analysis"),
        ("Как работает стратегия контроля?", "control-strategy"),
        ("Зачем нужны оперативные данные?", "intelligence"),  # not also "данные" (Data)
        ("подготовки отчётов и распространения", "reporting-and-dissemination"),
        ("пдоди в Сербии", "intelligence-led-policing"),
        ("Что такое системы оценки 5x5x5?", "5x5x5-evaluation-system"),
    ],
)
def test_inflected_russian_labels_are_recognised(query: str, concept: str):
    linker = LabelLinker(load_scheme(REPO / "corpus" / "concepts.ttl"))
    assert [found.id for found, _ in linker.concepts_in(query)] == [concept]


@pytest.mark.parametrize(
    ("query", "mention"),
    [
        ("Что означает оценка 5x5x5?", "оценка 5x5x5"),
        ("Что такое система оценки 3x5x2?", "система оценки 3x5x2"),
        ("Что такое 5x5x5?", "5x5x5"),
    ],
)
def test_a_russian_label_around_an_english_one_is_the_mention(query: str, mention: str):
    """The Russian label holds the English one ("3x5x2"): the longer mention is the one kept,
    so the question reads as asking what the concept is, and gets its definition."""
    linker = LabelLinker(load_scheme(REPO / "corpus" / "concepts.ttl"))
    assert [words for _, words in linker.concepts_in(query)] == [mention]
    named = [(found.id, words) for found, words in linker.concepts_in(query)]
    assert question_shape(query, named).kind == CONCEPT


@pytest.fixture()
def russian_build(mini_corpus: Path, tmp_path: Path) -> Path:
    """The mini corpus plus one Russian document, built with both indexes."""
    (mini_corpus / "meeting-notes-ru.html").write_text(RUSSIAN_NOTE, encoding="utf-8")
    catalog = mini_corpus / "catalog.toml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + RUSSIAN_ENTRY, encoding="utf-8")
    instance = tmp_path / "instance"
    report = run_build(
        load_catalog(catalog),
        mini_corpus / "concepts.ttl",
        instance,
        HashingEncoder(),
        link_settings=LinkSettings.label_only(),
        multilingual=MultilingualHashingEncoder(),
    )
    assert report.failures == []
    return instance


def searcher_over(instance: Path) -> Searcher:
    cross = CrossLanguageConfig(no_answer_below=0.0, partial_below=0.0)
    return Searcher(
        LoadedBuild.open_current(instance),
        QueryEmbedder(HashingEncoder()),
        SearchConfig(no_answer_below=0.0, cross_language=cross),
        QueryEmbedder(MultilingualHashingEncoder()),
    )


@pytest.mark.parametrize("method", ["keyword", "hybrid"])
def test_a_russian_document_is_found_by_an_inflected_word(russian_build: Path, method: str):
    searcher = searcher_over(russian_build)
    # The document says "совещания", "совещанию", "приоритетам"; the query other forms.
    result = searcher.search("совещаниями по приоритету", method=method)
    assert result.language == "ru"
    assert result.hits[0].document.id == "meeting-notes-ru"
    assert result.answer and result.answer_languages == ("ru",)
    assert not result.sources_in_other_language


def test_the_russian_document_is_in_the_language_facet_and_filter(russian_build: Path):
    searcher = searcher_over(russian_build)
    result = searcher.search("группы по постановке задач", method="keyword")
    assert result.facets["language"]["ru"] == 1
    filtered = searcher.search("совещание", filters=Filters(languages=("en",)))
    assert all(hit.document.language == "en" for hit in filtered.hits)


def test_a_russian_question_answered_from_english_sources_says_so(russian_build: Path):
    searcher = searcher_over(russian_build)
    result = searcher.search("Что делает группа T&CG?", filters=Filters(languages=("en",)))
    assert result.language == "ru"
    assert result.answer and set(result.answer_languages) == {"en"}
    assert result.sources_in_other_language
    assert result.to_dict()["answer_languages"] == ["en"]


def test_a_russian_concept_question_gets_the_definition_under_its_russian_label(
    russian_build: Path,
):
    result = searcher_over(russian_build).search(
        "Что такое группа по постановке задач и координации?"
    )
    assert [cid for cid, _ in result.concepts] == ["tasking-and-co-ordination-group"]
    definition = result.answer[0]
    assert definition.kind == "definition"
    assert definition.text.startswith(
        "Группа по постановке задач и координации (Tasking and co-ordination group): "
    )


def test_both_indexes_are_recorded_and_verified_by_the_manifest(russian_build: Path):
    build = resolve_current(russian_build)
    manifest = verify_build(build)
    assert manifest["multilingual"]["name"] == MultilingualHashingEncoder.name
    for name in ("passages.faiss", "multilingual.faiss", "multilingual-sentences.npy"):
        assert manifest["files"][name]["bytes"] == (build / name).stat().st_size
    loaded = LoadedBuild(build)
    assert loaded.multilingual is not None
    assert len(loaded.multilingual.dense) == len(loaded.dense) == manifest["counts"]["passages"]
    assert loaded.multilingual.words  # the English vocabulary a question is rendered into
    with (build / "multilingual.faiss").open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(BuildError, match="multilingual.faiss does not match the manifest"):
        verify_build(build)


def test_a_missing_multilingual_file_is_refused(russian_build: Path):
    build = resolve_current(russian_build)
    (build / "multilingual-words.npz").unlink()
    with pytest.raises(BuildError, match="multilingual-words.npz is missing"):
        LoadedBuild(build)


def test_a_build_without_the_multilingual_index_searches_every_query_as_english(
    built_instance: Path,
):
    build = LoadedBuild.open_current(built_instance)
    assert build.manifest["multilingual"] is None and build.multilingual is None
    searcher = Searcher(
        build, QueryEmbedder(HashingEncoder()), embed_multilingual=QueryEmbedder(HashingEncoder())
    )
    assert searcher.cross_language is None
    assert searcher.search("Что такое группа по постановке задач?").hits


def test_eval_finds_the_russian_questions_beside_the_english_ones():
    from search.evaluation import facts_for, language_sets

    eval_folder = REPO / "corpus" / "eval"
    assert language_sets(eval_folder / "questions.toml") == {
        "ru": eval_folder / "questions-ru.toml"
    }
    assert facts_for(eval_folder / "answer-facts.toml", "ru").is_file()


def russian_site(instance: Path, partial_below: float):
    """A test client of the site over `instance`, with both hashing encoders, no "no good
    answer" cut-off, and cards marked partial under `partial_below` (scaled for Russian)."""
    cross = CrossLanguageConfig(no_answer_below=0.0, partial_below=partial_below)
    config = SearchConfig(no_answer_below=0.0, partial_below=partial_below, cross_language=cross)
    return hashing_app(
        instance, MULTILINGUAL_ENCODER=MultilingualHashingEncoder(), SEARCH_CONFIG=config
    ).test_client()


def test_the_partial_note_is_in_russian_too_for_a_russian_question(russian_build: Path):
    client = russian_site(russian_build, partial_below=10.0)  # every card partial
    russian = client.get("/search", query_string={"q": "Что делает группа T&CG?"})
    text = russian.get_data(as_text=True)
    assert '<span lang="ru">Ответ может быть' in text and "The evidence is partial" in text
    english = client.get("/search", query_string={"q": "What does the T&CG do?"})
    text = english.get_data(as_text=True)
    assert "The evidence is partial" in text and "Ответ может быть" not in text


def test_the_search_page_says_when_the_sources_are_in_english(russian_build: Path):
    client = russian_site(russian_build, partial_below=0.0)
    page = client.get("/search", query_string={"q": "Что делает группа T&CG?", "language": "en"})
    assert "Найденные источники на английском языке." in page.get_data(as_text=True)
    assert "The sources found are in English." in page.get_data(as_text=True)
    api = client.get("/api/search", query_string={"q": "Что делает группа T&CG?"}).get_json()
    assert api["language"] == "ru"
