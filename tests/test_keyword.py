"""Keyword search from FTS5's posting lists gives exactly FTS5's bm25() scores and ranking."""

from __future__ import annotations

import random
import sqlite3
import threading
import tomllib
from pathlib import Path

import pytest

from search.index.keyword import (
    TOKENIZER,
    Fts5Tokenizer,
    KeywordIndex,
    fts5_search,
    fts_query,
    query_terms,
)
from search.index.keyword_postings import write_postings
from search.index.loaded import LoadedBuild

REPO = Path(__file__).resolve().parents[1]
WORDS = (
    "police intelligence analysis analyst tasking co-ordination ILP crime threat "
    "assessment community Ratcliffe's model 3-i decision-makers strategic operational "
    "Србија полиция naïve café intelligence-led led data"
).split()


def fts_store(rows: list[tuple[str, str, str]]) -> sqlite3.Connection:
    """An in-memory FTS5 table like a build's, with its postings written."""
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE passages_fts USING fts5(text, heading, title, "
        f"tokenize = '{TOKENIZER}')"
    )
    connection.executemany(
        "INSERT INTO passages_fts(rowid, text, heading, title) VALUES (?,?,?,?)",
        [(row, *fields) for row, fields in enumerate(rows)],
    )
    write_postings(connection)
    return connection


def random_rows(seed: int, count: int) -> list[tuple[str, str, str]]:
    """Passages of random words: repeated terms, phrases, several columns, some empty fields."""
    chooser = random.Random(seed)

    def field(most: int) -> str:
        return " ".join(chooser.choice(WORDS) for _ in range(chooser.randint(0, most)))

    return [(field(40), field(6), field(4)) for _ in range(count)]


def assert_same_ranking(ours: list[tuple[int, float]], theirs: list[tuple[int, float]]) -> None:
    """Same scores to 1e-9, and the same rows in the same order apart from exact ties."""
    assert len(ours) == len(theirs)
    for (row, score), (other_row, other_score) in zip(ours, theirs, strict=True):
        assert score == pytest.approx(other_score, rel=1e-9, abs=1e-12)
        if row != other_row:  # only a tie may swap rows
            assert dict(ours).get(other_row) == pytest.approx(other_score, rel=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_scores_equal_fts5_bm25_on_random_passages(seed: int):
    connection = fts_store(random_rows(seed, 120))
    index = KeywordIndex(connection)
    chooser = random.Random(1000 + seed)
    queries = [" ".join(chooser.sample(WORDS, chooser.randint(1, 6))) for _ in range(40)]
    for query in queries + ["intelligence-led policing", "Ratcliffe's 3-i model", "naive cafe"]:
        ours = index.search(query, 1000, prune_common=False)
        theirs = fts5_search(connection, query, 1000)
        assert_same_ranking(ours, theirs)


def test_phrases_match_consecutive_tokens_in_one_column_only():
    connection = fts_store(
        [
            ("intelligence led policing", "", ""),  # the phrase, in the text
            ("led by intelligence", "", ""),  # both words, wrong order
            ("intelligence", "led", ""),  # split across two columns
            ("intelligence-led, intelligence led", "intelligence led", ""),  # three instances
        ]
    )
    index = KeywordIndex(connection)
    rows, counts = index.phrase_postings(("intellig", "led"))
    assert rows.tolist() == [0, 3]
    assert counts.tolist() == [[1, 0, 0], [2, 1, 0]]
    assert_same_ranking(
        index.search("intelligence-led", 10, prune_common=False),
        fts5_search(connection, "intelligence-led", 10),
    )


def test_the_library_search_equals_fts5_on_every_gold_question(built_instance: Path):
    build = LoadedBuild.open_current(built_instance)
    gold = tomllib.loads((REPO / "corpus" / "eval" / "questions.toml").read_text("utf-8"))
    try:
        for question in gold["question"]:
            ours = build.keyword.search(question["question"], 50, prune_common=False)
            assert_same_ranking(ours, fts5_search(build.store.connection, question["question"], 50))
    finally:
        build.close()


def test_common_terms_are_pruned_from_queries_of_several_terms():
    rows = [("police report", "", "")] * 8 + [("police tasking", "", ""), ("tasking group", "", "")]
    index = KeywordIndex(fts_store(rows))
    # "police" is in 9 of 10 rows: it is left out, so only the rows with "tasking" match.
    assert sorted(row for row, _ in index.search("police tasking", 10)) == [8, 9]
    assert len(index.search("police tasking", 10, prune_common=False)) == 10
    assert len(index.search("police", 10)) == 9  # a lone common term is kept


def test_filters_limits_and_ties():
    index = KeywordIndex(fts_store([("tasking", "", "")] * 6))
    assert [row for row, _ in index.search("tasking", 3)] == [0, 1, 2]  # ties by row id
    assert [row for row, _ in index.search("tasking", 10, allowed={4, 1, 99})] == [1, 4]
    assert index.search("tasking", 10, allowed=set()) == []
    assert index.search("absent", 10) == []
    assert index.search("?!", 10) == []


def test_one_scoring_gives_the_top_k_and_any_row_s_score():
    rows = random_rows(7, 60)
    index = KeywordIndex(fts_store(rows))
    query = "intelligence tasking Ratcliffe's"
    everything = index.search(query, len(rows))
    scores = index.score(query)
    assert scores.top(5) == everything[:5] and scores.top(0) == []
    unmatched = next(row for row in range(len(rows)) if row not in dict(everything))
    low = [row for row, _ in everything[-3:]]
    assert scores.of([*low, unmatched, 999, -1]) == dict(everything[-3:])
    allowed = {everything[1][0], unmatched}
    assert index.score(query, allowed).of(dict(everything)) == dict([everything[1]])


def test_an_empty_table_answers_nothing():
    index = KeywordIndex(fts_store([]))
    assert index.search("police", 10) == []


def test_tokenizer_gives_fts5_tokens_and_is_thread_safe():
    tokenizer = Fts5Tokenizer()
    expected = {
        "adopts": ("adopt",),
        "co ordination": ("co", "ordin"),
        "naïve": ("naiv",),
        "_": (),
        "ratcliffe s": ("ratcliff", "s"),
    }
    assert tokenizer.tokens(expected) == expected
    words = [f"word{number}s" for number in range(200)]
    results: list[dict] = []

    def work() -> None:
        results.append(tokenizer.tokens(words))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == {word: (word[:-1],) for word in words} for result in results)


def test_query_terms_and_fts_expression():
    assert query_terms('What is the "3-i" model?') == ["3 i", "model"]
    assert fts_query('What is the "3-i" model?') == '"3 i" OR "model"'
    assert fts_query("T&CG co-ordination") == '"t cg" OR "co ordination"'
    assert fts_query("the") == '"the"'  # a query of stopwords still searches
    assert fts_query("?!") == ""
