"""In-process query latency: keyword, dense and hybrid search with answer sentences."""

from __future__ import annotations

from bench.stats import latencies_ms, summarise

METHODS = ("keyword", "dense", "hybrid")


def method_latencies(searcher, questions: list[str]) -> dict:
    """p50/p95 of full searches (retrieval, answer sentences, facets) for each method."""
    return {
        method: summarise(
            latencies_ms(lambda q, m=method: searcher.search(q, k=10, method=m), questions)
        )
        for method in METHODS
    }


def build_latencies(build, encoder, questions: list[str]) -> dict:
    """Latencies without the query-embedding cache (every query embedded) and with it (warm)."""
    from search.encoders.query import QueryEmbedder
    from search.searcher import Searcher

    uncached = Searcher(build, QueryEmbedder(encoder, cache_size=0))
    # One untimed pass over every question first: otherwise the first method timed pays alone
    # for cold SQLite pages and the per-build caches (query tokens, concept counts).
    for question in questions:
        uncached.search(question, k=10)
    cached_embedder = QueryEmbedder(encoder, cache_size=4096)
    for question in questions:
        cached_embedder(" ".join(question.split()))  # the searcher embeds the cleaned query
    cached = Searcher(build, cached_embedder)
    return {
        "no_query_cache": method_latencies(uncached, questions),
        "query_cache_warm": method_latencies(cached, questions),
    }
