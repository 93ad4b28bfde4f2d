"""The answer card: what a sentence is, what a question asks, how the card is composed and cited,
and how `ilp eval --answers` judges it. Fast: a small fixture corpus and the hashing encoder."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.linking.model import LinkSettings
from ilp_pipeline.run import run_build
from ingest.catalog import load_catalog
from ingest.models import Document, DocumentMeta, Paragraph, Passage
from ingest.sentences import split_sentences
from ingest.splitter import split_passages
from search.answers.question import CONCEPT, EXTRACT, LIST, question_shape
from search.answers.roles import (
    content_terms,
    never_an_answer,
)
from search.encoders.query import QueryEmbedder
from search.index.loaded import LoadedBuild
from search.index.store import PassageStore
from search.index.store_writer import write_store
from search.searcher import SearchConfig, Searcher
from tests.conftest import DATA, hashing_app
from tests.fakes import HashingEncoder

ANSWERS = DATA / "answers"


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    instance = tmp_path_factory.mktemp("answers")
    run_build(
        load_catalog(ANSWERS / "catalog.toml"),
        ANSWERS / "concepts.ttl",
        instance,
        HashingEncoder(),
        link_settings=LinkSettings.label_only(),
    )
    # The hashing encoder's cosines are lower than a real model's: no "no good answer" cut-off.
    return Searcher(
        LoadedBuild.open_current(instance),
        QueryEmbedder(HashingEncoder()),
        SearchConfig(no_answer_below=0.0),
    )


# --- what a sentence is -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Figure 2.1 From data to intelligence Source: Ratcliffe (2016: 72).", "caption"),
        ("Table 3: Grades of source reliability.", "caption"),
        ("Рисунок 4. Цикл разведки.", "caption"),
        ("4 See sub-chapter 8.3 on ILP and community policing.", "footnote"),
        ("Source: NCIS (2000: 9).", "reference"),
        ("Источник: Руководство ОБСЕ (2017), с. 35.", "reference"),
        ("See also the EU policy cycle for details.", "reference"),
        (
            "S20: J.H. Ratcliffe, Intelligence-led policing, Trends & Issues No. 248, 2003.",
            "reference",
        ),
        ("Available at https://example.org/report.pdf for download.", "reference"),
        ("• S38a: HMRC, внутреннее руководство MLR3C14000, приложение 3.", "reference"),
        ("The six steps are described in detail in Chapter 6.", "pointer"),
        ("This point is explained further in the next chapter.", "pointer"),
        ("(A description of the six steps is given in Chapter 6.)", "pointer"),
        ("The six steps are described in detail (see Chapter 6).", "pointer"),
        ("Подробнее этапы цикла описаны в главе 6.", "pointer"),
        ("- Ratcliffe, J. H. Intelligence-Led Policing. Routledge, 2016.", "reference"),
        ("Written for ILP Atlas in its own words. CC BY 4.0.", "licence"),
        ("All rights reserved by the publisher of this handbook.", "licence"),
        ("Implementing intelligence-led policing in practice", "heading"),
        ("3. Implementing intelligence-led policing", "fragment"),  # a short numbered line
        ("Tasking and co-ordination meetings", "heading"),
        ("the tail of a sentence that was split.", "fragment"),
        ("Priorities Priorities", "fragment"),
        ("Cf. Ratcliffe (2016) on the 4-i model and its limits.", "reference"),
        ("См. рис. 3 и таблицу 2 в приложении к докладу.", "reference"),
        ("Петров, А. С. Разведывательная деятельность полиции. Москва, 2015.", "reference"),
    ],
)
def test_sentences_that_are_never_answers(text: str, reason: str):
    assert never_an_answer(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "The NIM defines four intelligence products.",
        "• trained analysts with good software;",
        "Before a service adopts ILP, three things must be in place:",
        "Полиция Сербии применяет ИЛП с 2016 года.",
        "а) сбор информации из открытых источников;",
        # A sentence that uses the word "licence" is not a licence notice.
        "TNTD trained 40 analysts in Tirana, with licences for i2 Analyst's Notebook.",
        # A sentence that starts with "Sources" is an answer; a source line takes a colon.
        "Sources are graded 1, reliable; 2, untested; or 3, not reliable.",
        "Источники бывают официальными и неофициальными.",
        # A sentence that names a chapter and also states something is an answer.
        "As set out in Chapter 5, the data protection rules require that personal data be "
        "accurate, relevant, limited to the purpose and deleted once that purpose is served.",
        # A pointer in brackets is an aside to a statement.
        "• Tasking meetings should be held regularly at every level (see sub-chapter 7.5).",
    ],
)
def test_sentences_that_can_be_answers(text: str):
    assert never_an_answer(text) is None


def test_word_overlap_compares_stems_in_english_and_russian():
    # "collecting" meets "collect" and "products" meets "product"; Russian forms meet too.
    assert content_terms("Does ILP mean collecting more data?") & content_terms(
        "A well-run system should collect less, but more relevant, information."
    ) == {"collect"}
    assert content_terms("intelligence products") == content_terms("intelligence product")
    assert content_terms("моделью") == content_terms("модели")
    assert "ilp" not in content_terms("What is ILP?")  # the field's own name carries nothing


# --- what a question asks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("What is the triad model?", CONCEPT),
        ("Define the triad model", CONCEPT),
        ("triad model?", CONCEPT),
        ("Что такое модель триады?", CONCEPT),
        ("What is the triad model system?", CONCEPT),  # the kind of thing it is frames it too
        ("Что означает схема «модель триады»?", CONCEPT),
        ("Определение схемы «модель триады»", CONCEPT),  # inflected
        ("What are the four intelligence products?", LIST),
        ("Which steps does the intelligence cycle have?", LIST),
        ("What are the principles of data protection?", LIST),
        ("Из каких этапов состоит разведывательный цикл?", LIST),  # "этапы", inflected
        ("Which product is best for a commander?", EXTRACT),  # English nouns: plural only
        ("How did the triad model change tasking in Kent?", EXTRACT),
        ("Does ILP replace response policing?", EXTRACT),
    ],
)
def test_question_shapes(query: str, kind: str):
    named = [("triad-model", m) for m in ("triad model", "модель триады") if m in query.lower()]
    shape = question_shape(query, named)
    assert shape.kind == kind
    assert (shape.concept_id == "triad-model") == (kind == CONCEPT)


def test_a_list_question_remembers_how_many_items_it_asks_for():
    assert question_shape("What are the four intelligence products?", []).count == 4


# --- composing the card -------------------------------------------------------------------------


def test_a_concept_question_opens_with_the_definition(searcher: Searcher):
    answer = searcher.search("What is the triad model?").answer
    assert answer[0].kind == "definition"
    assert answer[0].text.startswith("A three-step loop")
    assert answer[0].citation == "ILP Atlas concept scheme, triad model (source S99)"
    assert answer[0].passage_id is None and answer[0].concept_id == "triad-model"
    assert "triad model" in answer[1].text.lower() and answer[1].passage_id


def test_a_concept_question_keeps_its_definition_when_no_passage_is_close(searcher: Searcher):
    """E.g. a question in another language: the scheme still says what the concept is."""
    strict = Searcher(searcher.build, searcher.embed_query, SearchConfig(no_answer_below=0.99))
    concept = strict.search("What is the triad model?")
    assert [a.kind for a in concept.answer] == ["definition"]
    assert concept.partial and not concept.no_good_answer
    other = strict.search("How often does the loop repeat?")
    assert other.answer == [] and other.no_good_answer


def test_a_list_question_brings_the_items_the_sentence_announces(searcher: Searcher):
    answer = searcher.search("What are the four intelligence products?").answer
    texts = [a.text for a in answer]
    assert texts[0] == "The guide defines four intelligence products."
    assert texts[1:5] == [
        "The strategic picture looks a year ahead.",
        "The tactical picture covers the next two weeks.",
        "The target file describes one offender.",
        "The problem file maps one hotspot.",
    ]
    assert not any("Licensed" in text for text in texts)


def test_a_lead_in_brings_its_bullet_items(searcher: Searcher):
    answer = searcher.search("What must be in place before a service adopts the approach?").answer
    assert answer[0].text.endswith("must be in place:")
    assert [a.kind for a in answer[1:4]] == ["item", "item", "item"]
    assert answer[3].text == "• a legal basis for handling personal data."
    assert not any(a.text.startswith("4 See") for a in answer)


def test_an_extract_takes_the_sentence_a_pronoun_leans_on(searcher: Searcher):
    answer = searcher.search("How often does the loop repeat?").answer
    texts = [a.text for a in answer]
    assert "This loop repeats every month." in texts
    position = texts.index("This loop repeats every month.")
    assert position > 0 and texts[position - 1].startswith("Analysts interpret")


def test_captions_footnotes_and_licences_are_never_in_a_card(searcher: Searcher):
    for query in (
        "From records to the triad model",
        "community policing trust chapter 8",
        "licensed CC BY test organisation",
        "What is the triad model?",
    ):
        for sentence in searcher.search(query).answer:
            assert sentence.kind == "definition" or never_an_answer(sentence.text) is None, query


def test_each_answer_sentence_links_to_its_anchor_in_the_reader(searcher: Searcher, tmp_path):

    instance = searcher.build.path.parent.parent
    app = hashing_app(instance)
    client = app.test_client()
    payload = client.get("/api/search", query_string={"q": "four intelligence products"}).json
    first = payload["answer"][0]
    assert first["anchor"].startswith(first["passage_id"] + "-s")
    reader = client.get(f"/documents/{first['document_id']}").get_data(as_text=True)
    assert f'id="{first["anchor"]}"' in reader
    page = client.get("/search", query_string={"q": "four intelligence products"})
    assert f"#{first['anchor']}" in page.get_data(as_text=True)


# --- each sentence cites its own printed page ---------------------------------------------------


def _two_page_passage() -> Passage:
    meta = DocumentMeta(id="doc", title="Doc", kind="research", path=DATA / "none")
    paragraphs = [
        Paragraph("The first paragraph is printed on page eleven of the book.", ("1. A",), "11"),
        Paragraph("The second paragraph starts on page twelve of the book.", ("1. A",), "12"),
    ]
    (passage,) = split_passages(Document.from_paragraphs(meta, paragraphs))
    return passage


def test_a_passage_records_where_its_printed_page_changes():
    passage = _two_page_passage()
    second = passage.text.index("The second")
    assert passage.page == "11" and passage.page_breaks == ((second, "12"),)
    assert passage.page_at(0) == "11" and passage.page_at(second + 5) == "12"


def test_page_breaks_survive_the_store(tmp_path: Path):
    passage = _two_page_passage()
    meta = DocumentMeta(id="doc", title="Doc", kind="research", path=DATA / "none")
    write_store(tmp_path / "p.sqlite", [meta], [passage], split_sentences([passage]), [], {})
    store = PassageStore(tmp_path / "p.sqlite")
    try:
        stored = store.passages([0])[0].passage
        sentences = store.sentences([0])
    finally:
        store.close()
    assert stored.page_breaks == passage.page_breaks
    assert [stored.page_at(s.char_start) for s in sentences] == ["11", "12"]


def test_a_figure_passage_is_kept_and_cited_but_never_answers(tmp_path: Path):
    """Captions and diagram text (a PDF's figure blocks) are stored as a passage of kind
    "figure": the store keeps the kind, and none of its sentences is an answer candidate."""
    import dataclasses

    import numpy as np

    from ingest.models import FIGURE
    from search.answers.candidates import score_candidates
    from search.answers.similarity import SentenceSimilarity

    meta = DocumentMeta(id="doc", title="Doc", kind="research", path=DATA / "none")
    body = dataclasses.replace(_two_page_passage(), id="doc-body")
    figure = Passage(
        "doc-figure", "doc", ("1. A",), "12", 0, 60,
        "Figure 2.1 From data to intelligence. Source: Ratcliffe (2016: 72).", kind=FIGURE,
    )  # fmt: skip
    passages = [body, figure]
    sentences = split_sentences(passages)
    write_store(tmp_path / "p.sqlite", [meta], passages, sentences, [], {})
    encoder = HashingEncoder()
    vectors = np.asarray(encoder.encode([s.text for s in sentences]), dtype=np.float32)
    query = "From data to intelligence"
    store = PassageStore(tmp_path / "p.sqlite")
    try:
        assert store.passages([1])[1].passage.kind == FIGURE
        similarity = SentenceSimilarity.single(encoder.encode([query])[0], vectors)
        candidates = score_candidates(query, similarity, [1, 0], store)
    finally:
        store.close()
    reasons = {c.sentence.text: c.excluded for c in candidates}
    assert reasons["Figure 2.1 From data to intelligence."] == "figure"
    assert all(reason is None for text, reason in reasons.items() if "page" in text)
