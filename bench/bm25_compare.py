"""BM25 engines on the same queries: FTS5's bm25() in SQL, the library's keyword search (the
same scores from FTS5's posting lists, search/index/keyword.py), rank-bm25 and bm25s.

All index the passage text with its heading and document title. rank-bm25 and bm25s get the
same simple tokenizer (lower-cased words without stopwords); FTS5 and the library use the
build's own (porter, unicode61). Ratios are other / FTS5 bm25(): above 1 means slower. The
library prunes terms found in over half of the passages (as the searcher does); FTS5 bm25() here
scores every term.
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
    from search.index.keyword import STOPWORDS

    return [word for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


def indexed_fields(store) -> list[tuple[str, str, str]]:
    """(text, heading, title) of every passage, in row order, as the FTS5 table holds them."""
    rows = store.connection.execute("SELECT text, heading, title FROM passages_fts ORDER BY rowid")
    return [tuple(row) for row in rows]


def fts5_build_seconds(fields: list[tuple[str, str, str]]) -> tuple[float, float]:
    """Seconds to build an FTS5 table like the build's in a fresh file, then its postings."""
    from search.index.keyword import TOKENIZER
    from search.index.keyword_postings import write_postings

    with tempfile.TemporaryDirectory(prefix="ilp-fts-") as folder:
        connection = sqlite3.connect(Path(folder) / "fts.sqlite")
        try:

            def build() -> None:
                connection.execute(
                    "CREATE VIRTUAL TABLE passages_fts USING fts5(text, heading, title, "
                    f"tokenize = '{TOKENIZER}')"
                )
                connection.executemany(
                    "INSERT INTO passages_fts(rowid, text, heading, title) VALUES (?,?,?,?)",
                    [(row, *values) for row, values in enumerate(fields)],
                )
                connection.commit()

            def postings() -> None:
                write_postings(connection)
                connection.commit()

            return timed(build)[1], timed(postings)[1]
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


def compare(build, questions: list[str], python_questions: list[str]) -> dict:
    """Build times and query latencies of the engines for a `LoadedBuild`; rank-bm25 answers a
    subset."""
    from search.index.keyword import fts5_search

    store = build.store
    fields = indexed_fields(store)
    fts_build, postings_build = fts5_build_seconds(fields)
    tokenized, tokenize_seconds = timed(lambda: [tokens(" ".join(f)) for f in fields])
    rank_query, rank_build = timed(lambda: rank_bm25_engine(tokenized))
    bm25s_query, bm25s_build = timed(lambda: bm25s_engine(tokenized))
    fts = summarise(latencies_ms(lambda q: fts5_search(store.connection, q, DEPTH), questions))
    library = summarise(latencies_ms(lambda q: build.keyword.search(q, DEPTH), questions))
    rank = summarise(latencies_ms(rank_query, python_questions))
    fast = summarise(latencies_ms(bm25s_query, questions))
    fts_on_subset = summarise(
        latencies_ms(lambda q: fts5_search(store.connection, q, DEPTH), python_questions)
    )
    del rank_query, bm25s_query
    return {
        "passages": len(fields),
        "build_seconds": {
            "fts5": round(fts_build, 2),
            "library_postings_after_fts5": round(postings_build, 2),
            "rank_bm25": round(tokenize_seconds + rank_build, 2),
            "bm25s": round(tokenize_seconds + bm25s_build, 2),
            "python_tokenizing_included": round(tokenize_seconds, 2),
        },
        "query": {
            "fts5": fts,
            "library": library,
            "rank_bm25": rank,
            "bm25s": fast,
            "fts5_on_rank_bm25_subset": fts_on_subset,
        },
        "ratios_to_fts5": {
            "library_query_p50": round(library["p50_ms"] / fts["p50_ms"], 2),
            "rank_bm25_build": round((tokenize_seconds + rank_build) / fts_build, 2),
            "bm25s_build": round((tokenize_seconds + bm25s_build) / fts_build, 2),
            "rank_bm25_query_p50": round(rank["p50_ms"] / fts_on_subset["p50_ms"], 2),
            "bm25s_query_p50": round(fast["p50_ms"] / fts["p50_ms"], 2),
        },
    }
