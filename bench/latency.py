"""In-process query latency: keyword, dense and hybrid search with answer sentences."""

from __future__ import annotations

from bench.stats import latencies_ms, summarise

METHODS = ("keyword", "dense", "hybrid")


def method_latencies(searcher, questions: list[str], fresh_words: bool = False) -> dict:
    """p50/p95 of full searches (retrieval, answer sentences, facets) for each method; with
    `fresh_words`, the word vectors of the cross-language route are forgotten before each."""
    from search.translation import clear_word_cache

    report = {}
    for method in METHODS:
        if fresh_words:
            clear_word_cache()
        report[method] = summarise(
            latencies_ms(lambda q, m=method: searcher.search(q, k=10, method=m), questions)
        )
    return report


def build_latencies(build, encoder, questions: list[str], multilingual=None) -> dict:
    """Latencies without the query-embedding cache (every query embedded) and with it (warm).

    With a `multilingual` encoder, questions not in English take the cross-language route
    (the Russian gold questions are measured so)."""
    from search.encoders.query import QueryEmbedder
    from search.searcher import Searcher

    def searcher(embedder: QueryEmbedder, cache_size: int) -> Searcher:
        other = QueryEmbedder(multilingual, cache_size) if multilingual else None
        return Searcher(build, embedder, embed_multilingual=other)

    uncached = searcher(QueryEmbedder(encoder, cache_size=0), 0)
    # One untimed pass over every question first: otherwise the first method timed pays alone
    # for cold SQLite pages and the per-build caches (query tokens, concept counts).
    for question in questions:
        uncached.search(question, k=10)
    cached_embedder = QueryEmbedder(encoder, cache_size=4096)
    for question in questions:
        cached_embedder(" ".join(question.split()))  # the searcher embeds the cleaned query
    cached = searcher(cached_embedder, 4096)
    if multilingual is not None:  # warm the multilingual query cache too
        for question in questions:
            cached.search(question, k=10)
    return {
        "no_query_cache": method_latencies(uncached, questions, fresh_words=True),
        "query_cache_warm": method_latencies(cached, questions),
    }
