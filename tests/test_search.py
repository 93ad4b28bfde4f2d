"""Retrieval components: FTS5 keyword search, FAISS dense search, fusion, embedding cache."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from ilp_pipeline.embedding_cache import EmbeddingCache, embed_cached
from search.encoders.query import QueryEmbedder
from search.fusion import reciprocal_rank_fusion
from search.index.dense import DenseIndex, IndexFileError
from search.index.loaded import LoadedBuild
from search.searcher import Filters, QueryError, Searcher
from tests.fakes import HashingEncoder


@pytest.fixture()
def searcher(built_instance: Path) -> Searcher:
    return Searcher(LoadedBuild.open_current(built_instance), QueryEmbedder(HashingEncoder()))


@pytest.mark.parametrize(
    "query",
    [
        'what is "ILP',
        "ILP AND NOT OR",
        "NEAR(a b)",
        "title: tasking",
        "co-ordination*",
        "^start",
        "a + b - c",
        "()",
        '""',
        "T&CG?",
        "' OR 1=1 --",
    ],
)
def test_keyword_queries_never_error_on_fts5_syntax(searcher: Searcher, query: str):
    results = searcher.build.keyword.search(query, 5)
    assert isinstance(results, list)
    assert all(score > 0 for _, score in results)


def test_keyword_search_ranks_matching_passage_first(searcher: Searcher):
    rows = searcher.build.keyword.search("control strategy operational", 3)
    top = searcher.build.store.passages([rows[0][0]])[rows[0][0]]
    assert "control strategy" in top.passage.text


def test_dense_index_search_filter_save_and_load(tmp_path: Path):
    vectors = np.eye(4, dtype=np.float32)
    index = DenseIndex.build(vectors, np.array([10, 11, 12, 13]))
    assert index.search(vectors[2], 1) == [(12, pytest.approx(1.0))]
    assert {row for row, _ in index.search(vectors[2], 5, allowed={10, 11})} == {10, 11}
    assert index.search(vectors[2], 3, allowed=set()) == []
    index.save(tmp_path / "index.faiss")
    assert len(DenseIndex.load(tmp_path / "index.faiss")) == 4
    (tmp_path / "damaged.faiss").write_bytes((tmp_path / "index.faiss").read_bytes()[:40])
    with pytest.raises(IndexFileError):
        DenseIndex.load(tmp_path / "damaged.faiss")


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1, 4]])
    assert [item for item, _ in fused][:2] == [1, 3]
    assert {item for item, _ in fused} == {1, 2, 3, 4}


def test_embedding_cache_embeds_each_text_once(tmp_path: Path):
    encoder = HashingEncoder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    first, computed = embed_cached(encoder, ["alpha beta", "gamma"], cache)
    assert computed == 2
    second, computed = embed_cached(encoder, ["gamma", "alpha beta", "delta"], cache)
    assert computed == 1 and encoder.texts_encoded == 3
    np.testing.assert_allclose(second[1], first[0])


def test_search_result_shape_and_kind_filter(searcher: Searcher):
    result = searcher.search("tasking meetings decide resources", k=3)
    payload = result.to_dict()
    assert set(payload) >= {"query", "answer", "hits", "facets"}
    hit = payload["hits"][0]
    assert set(hit) >= {
        "passage_id",
        "text",
        "score",
        "document",
        "heading_path",
        "page",
        "concepts",
    }
    assert set(hit["document"]) == {"id", "title", "kind", "year"}
    assert hit["document"]["id"] == "tasking-guide"
    assert {
        "id": "tasking-and-co-ordination-group",
        "label": "Tasking and co-ordination group",
    } in hit["concepts"]
    assert payload["answer"] and set(payload["answer"][0]) >= {"text", "passage_id", "citation"}
    filtered = searcher.search("tasking meetings", k=5, filters=Filters(kinds=("good-practice",)))
    assert {h.document.kind for h in filtered.hits} == {"good-practice"}


@pytest.mark.parametrize("method", ["keyword", "dense", "hybrid"])
def test_each_method_finds_the_3i_passage(searcher: Searcher, method: str):
    result = searcher.search("Ratcliffe 3-i model interpret influence impact", k=2, method=method)
    assert result.hits[0].document.id == "models-study"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query": "  "}, "empty"),
        ({"query": "x" * 1001}, "longer than"),
        ({"query": "ilp", "k": 0}, "between 1"),
        ({"query": "ilp", "k": 101}, "between 1"),
        ({"query": "ilp", "filters": Filters(kinds=("novel",))}, "Unknown kind"),
        ({"query": "ilp", "method": "magic"}, "Unknown method"),
    ],
)
def test_bad_requests_raise_query_error(searcher: Searcher, kwargs: dict, message: str):
    with pytest.raises(QueryError, match=message):
        searcher.search(**kwargs)


def test_store_is_read_only(searcher: Searcher):
    with pytest.raises(sqlite3.OperationalError):
        searcher.build.store.connection.execute("DELETE FROM passages")


def test_dense_cosines_match_search_scores():
    vectors = np.eye(4, dtype=np.float32)
    for ids in (np.arange(4), np.array([10, 11, 12, 13])):
        index = DenseIndex.build(vectors, ids)
        query = np.array([0.6, 0.8, 0, 0], dtype=np.float32)
        by_search = dict(index.search(query, 4))
        assert index.cosines(query, [int(ids[1]), int(ids[0])]) == pytest.approx(
            [by_search[int(ids[1])], by_search[int(ids[0])]]
        )


def test_language_filter_and_facet(mini_corpus: Path, tmp_path: Path):
    """A Serbian-language source can be kept or left out, and the facet counts languages."""
    from graph.linking.model import LinkSettings
    from ilp_pipeline.run import run_build
    from ingest.catalog import load_catalog
    from search.searcher import Filters

    catalog = mini_corpus / "catalog.toml"
    text = catalog.read_text()
    start = text.index('id = "field-notes"')
    catalog.write_text(text[:start] + text[start:].replace('language = "en"', 'language = "sr"', 1))
    instance = tmp_path / "instance"
    run_build(
        load_catalog(catalog),
        mini_corpus / "concepts.ttl",
        instance,
        HashingEncoder(),
        link_settings=LinkSettings.label_only(),
    )
    searcher = Searcher(LoadedBuild.open_current(instance), QueryEmbedder(HashingEncoder()))
    everything = searcher.search("analysts and tasking", k=20)
    assert set(everything.facets["language"]) == {"en", "sr"}
    serbian = searcher.search("analysts and tasking", k=20, filters=Filters(languages=("SR",)))
    assert serbian.hits and {hit.document.id for hit in serbian.hits} == {"field-notes"}
    english = searcher.search("analysts and tasking", k=20, filters=Filters(languages=("en",)))
    assert english.hits and "field-notes" not in {hit.document.id for hit in english.hits}


def test_recall_counts_relevant_passages_and_hit_counts_questions():
    from search.evaluation import hit_at, recall_at

    ranked = ["a", "b", "c", "d", "e", "f"]
    # Two relevant passages, one in the top five: half of them recalled, but the reader
    # already meets an answer on the first screen.
    assert recall_at(ranked, {"c", "f"}, 5) == 0.5
    assert hit_at(ranked, {"c", "f"}, 5) == 1.0
    assert hit_at(ranked, {"f"}, 5) == 0.0
    assert recall_at(ranked, set(), 5) == 0.0


def test_the_document_prior_puts_the_passage_of_the_work_about_the_question_first(
    mini_corpus: Path, tmp_path: Path
):
    """Two passages with the same words, in a work about tasking meetings and in one whose
    title and summary are about what a police service gains: the question about gains ranks
    the second first (search/index/document_vectors.py); without the prior, the tie goes to the
    first row."""
    from graph.linking.model import LinkSettings
    from ilp_pipeline.run import run_build
    from ingest.models import DocumentMeta
    from search.searcher import SearchConfig

    text = "Structures for tasking help managers decide.\n"
    metas = []
    for name, title, summary in (
        ("meetings", "Tasking meetings", "How the weekly meetings run."),
        ("advantages", "The advantages of ILP", "What a police service can gain from ILP."),
    ):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        metas.append(
            DocumentMeta(id=name, title=title, kind="research", path=path, summary=summary)
        )
    instance = tmp_path / "instance"
    run_build(
        metas,
        mini_corpus / "concepts.ttl",
        instance,
        HashingEncoder(),
        link_settings=LinkSettings.label_only(),
    )
    build = LoadedBuild.open_current(instance)
    assert build.document_vectors.ids == ("meetings", "advantages")
    assert build.document_vectors.passage_documents.tolist() == [0, 1]
    question = "What can a police service gain?"
    with_prior = Searcher(build, QueryEmbedder(HashingEncoder())).search(question)
    assert [hit.document.id for hit in with_prior.hits] == ["advantages", "meetings"]
    without = Searcher(build, QueryEmbedder(HashingEncoder()), SearchConfig(document_prior=0.0))
    assert [hit.document.id for hit in without.search(question).hits] == ["meetings", "advantages"]


def test_a_question_naming_a_country_favours_the_documents_listing_it(
    mini_corpus: Path, tmp_path: Path
):
    """The same sentence in a report on Montenegro and in one on Serbia: a question about
    Serbia, in English or (through the cross-language route) in Russian, ranks the Serbian
    report first (`SearchConfig.country_bonus`); without the bonus the tie goes to the first
    row."""
    from graph.linking.model import LinkSettings
    from ilp_pipeline.run import run_build
    from ingest.models import DocumentMeta
    from search.searcher import SearchConfig
    from tests.fakes import MultilingualHashingEncoder

    metas = []
    for name, country in (("montenegro", "ME"), ("serbia", "RS")):
        path = tmp_path / f"{name}.txt"
        path.write_text("Serbia and Montenegro built national intelligence models.\n")
        metas.append(
            DocumentMeta(
                id=name, title="National report", kind="good-practice", path=path,
                countries=(country,),
            )
        )  # fmt: skip
    instance = tmp_path / "instance"
    run_build(
        metas, mini_corpus / "concepts.ttl", instance, HashingEncoder(),
        link_settings=LinkSettings.label_only(), multilingual=MultilingualHashingEncoder(),
    )  # fmt: skip
    build = LoadedBuild.open_current(instance)

    def ranked(question: str, bonus: float) -> tuple[str, list[str]]:
        searcher = Searcher(
            build,
            QueryEmbedder(HashingEncoder()),
            SearchConfig(country_bonus=bonus),
            QueryEmbedder(MultilingualHashingEncoder()),
        )
        result = searcher.search(question)
        return result.language, [hit.document.id for hit in result.hits]

    english, russian = "How did Serbia build its model?", "Как строила модель сербская полиция?"
    assert ranked(english, 0.1) == ("en", ["serbia", "montenegro"])
    assert ranked(russian, 0.1) == ("ru", ["serbia", "montenegro"])
    assert ranked(english, 0.0) == ("en", ["montenegro", "serbia"])
    assert ranked(russian, 0.0) == ("ru", ["montenegro", "serbia"])


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("How did Serbia introduce ILP?", {"RS"}),
        ("what did sweden's police change in 2015", {"SE"}),  # any case, a possessive
        ("Опыт Сербии и черногорской полиции", {"RS", "ME"}),  # Russian name and adjective
        ("Tell us about the 3-i model", set()),
        ("How did police in Atlanta, Georgia use it?", set()),  # the US state
    ],
)
def test_countries_in_question(question: str, codes: set[str]):
    from ingest.country_mentions import countries_in_question

    assert countries_in_question(question) == codes
