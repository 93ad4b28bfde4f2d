"""Keyword retrieval with SQLite FTS5 and BM25, safe against FTS5 query syntax in user input."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

# Words too common to help BM25 rank; dropping them keeps OR-queries from matching everything.
STOPWORDS = frozenset("""
a about after all also am an and any are as at be been before being but by can could did do
does doing for from had has have how i if in into is it its me more most my no nor not of on or
our out should so some such than that the their them then there these they this those to too
very was we were what when where which while who whom why will with would you your
""".split())
COMMON_SHARE = 0.5  # terms in more than this share of passages are dropped from OR-queries
_TERM = re.compile(r"\w+(?:[-'\u2019&]\w+)*", re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(text: str) -> list[str]:
    """The terms of a query: words and hyphenated phrases, stopwords dropped (unless all are)."""
    terms = []
    for term in _TERM.findall(text.lower()):
        words = _WORD.findall(term)
        if len(words) > 1 or words[0] not in STOPWORDS:
            terms.append(" ".join(words))
    if not terms:
        terms = _WORD.findall(text.lower())
    return list(dict.fromkeys(terms))


def fts_query(text: str | list[str]) -> str:
    """An FTS5 MATCH expression: each term quoted and OR-ed, so no FTS5 operator can leak in.

    Hyphenated terms ("3-i", "co-ordination") become phrases of their parts; single words that
    are stopwords are dropped unless nothing else is left.
    """
    terms = query_terms(text) if isinstance(text, str) else text
    return " OR ".join(f'"{term}"' for term in terms)


def document_frequency(connection: sqlite3.Connection, term: str) -> int:
    """How many passages contain a term (as the index tokenises it)."""
    return connection.execute("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?",
                              (f'"{term}"',)).fetchone()[0]


def keyword_search(connection: sqlite3.Connection, query: str, k: int,
                   allowed: set[int] | None = None,
                   frequency: Callable[[str], int] | None = None,
                   passages: int = 0) -> list[tuple[int, float]]:
    """(row id, BM25 score) pairs, best first; scores are positive (higher is better).

    With `frequency` (term -> passages containing it) and the passage count, terms found in more
    than half of the passages are left out: BM25 gives them almost no weight, yet they make an
    OR-query match most rows, and FTS5 then scores every one (the cost at 100k passages).
    """
    terms = query_terms(query)
    if frequency is not None and passages and len(terms) > 1:
        rare = [term for term in terms if frequency(term) <= COMMON_SHARE * passages]
        terms = rare or terms
    expression = fts_query(terms)
    if not expression:
        return []
    # bm25() is lower-is-better; column weights favour the passage text over headings/titles.
    sql = ("SELECT rowid, -bm25(passages_fts, 1.0, 0.5, 0.3) AS score FROM passages_fts "
           "WHERE passages_fts MATCH ? ORDER BY score DESC")
    limit = k if allowed is None else None
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    results = []
    for row_id, score in connection.execute(sql, (expression,)):
        if allowed is None or row_id in allowed:
            results.append((row_id, float(score)))
            if len(results) >= k:
                break
    return results
