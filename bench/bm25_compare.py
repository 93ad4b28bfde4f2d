"""FTS5 BM25 (the library's keyword search) against rank-bm25 and bm25s on the same queries.

All three index the passage text with its heading and document title. rank-bm25 and bm25s get
the same simple tokenizer (lower-cased words without stopwords); FTS5 uses the build's own
(porter, unicode61). Ratios are other / FTS5: above 1 means slower than FTS5.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
from pathlib import Path

import numpy as np

from bench.stats import latencies_ms, summarise, timed

DEPTH = 50  # candidates per query, as the searcher asks of each retriever
_WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased words without stopwords (the keyword module's list)."""
    from search.keyword import STOPWORDS

    return [word for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


def indexed_fields(store) -> list[tuple[str, str, str]]:
    """(text, heading, title) of every passage, in row order, as the FTS5 table holds them."""
    rows = store.connection.execute(
        "SELECT text, heading, title FROM passages_fts ORDER BY rowid")
    return [tuple(row) for row in rows]


def fts5_build_seconds(fields: list[tuple[str, str, str]]) -> float:
    """Seconds to build an FTS5 table like the build's (same tokenizer) in a fresh file."""
    with tempfile.TemporaryDirectory(prefix="ilp-fts-") as folder:
        connection = sqlite3.connect(Path(folder) / "fts.sqlite")
        try:
            def build() -> None:
                connection.execute(
                    "CREATE VIRTUAL TABLE passages_fts USING fts5(text, heading, title, "
                    "tokenize = 'porter unicode61 remove_diacritics 2')")
                connection.executemany(
                    "INSERT INTO passages_fts(rowid, text, heading, title) VALUES (?,?,?,?)",
                    [(row, *values) for row, values in enumerate(fields)])
                connection.commit()

            return timed(build)[1]
        finally:
            connection.close()


def rank_bm25_engine(documents: list[list[str]]):
    """A rank-bm25 BM25Okapi index and its top-k query function."""
    from rank_bm25 import BM25Okapi

    index = BM25Okapi(documents)

    def query(text: str) -> np.ndarray:
        scores = index.get_scores(tokens(text))
        top = np.argpartition(-scores, DEPTH)[:DEPTH]
        return top[np.argsort(-scores[top])]

    return query


def bm25s_engine(documents: list[list[str]]):
    """A bm25s index and its top-k query function."""
    import bm25s

    index = bm25s.BM25()
    index.index(documents, show_progress=False)

    def query(text: str):
        return index.retrieve([tokens(text) or ["_"]], k=DEPTH, show_progress=False)

    return query


def compare(store, questions: list[str], python_questions: list[str]) -> dict:
    """Build times and query latencies of the three engines; rank-bm25 answers a subset."""
    from search.keyword import keyword_search

    fields = indexed_fields(store)
    fts_build = fts5_build_seconds(fields)
    tokenized, tokenize_seconds = timed(lambda: [tokens(" ".join(f)) for f in fields])
    rank_query, rank_build = timed(lambda: rank_bm25_engine(tokenized))
    bm25s_query, bm25s_build = timed(lambda: bm25s_engine(tokenized))
    fts = summarise(latencies_ms(lambda q: keyword_search(store.connection, q, DEPTH), questions))
    rank = summarise(latencies_ms(rank_query, python_questions))
    fast = summarise(latencies_ms(bm25s_query, questions))
    fts_on_subset = summarise(latencies_ms(
        lambda q: keyword_search(store.connection, q, DEPTH), python_questions))
    del rank_query, bm25s_query
    return {
        "passages": len(fields),
        "build_seconds": {"fts5": round(fts_build, 2),
                          "rank_bm25": round(tokenize_seconds + rank_build, 2),
                          "bm25s": round(tokenize_seconds + bm25s_build, 2),
                          "python_tokenizing_included": round(tokenize_seconds, 2)},
        "query": {"fts5": fts, "rank_bm25": rank, "bm25s": fast,
                  "fts5_on_rank_bm25_subset": fts_on_subset},
        "ratios_to_fts5": {
            "rank_bm25_build": round((tokenize_seconds + rank_build) / fts_build, 2),
            "bm25s_build": round((tokenize_seconds + bm25s_build) / fts_build, 2),
            "rank_bm25_query_p50": round(rank["p50_ms"] / fts_on_subset["p50_ms"], 2),
            "bm25s_query_p50": round(fast["p50_ms"] / fts["p50_ms"], 2),
        },
    }
