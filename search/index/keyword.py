"""Keyword retrieval: FTS5's BM25, computed from posting lists read out of the FTS5 index.

SQLite FTS5 tokenises and indexes the passages (text, heading, document title). Asking FTS5
for `bm25()` over an OR-query makes it score every matching row; at 100,000 passages a question
of ordinary words matches most rows and that took over 100 ms. So when a build is written,
`write_postings` (keyword_postings.py) reads FTS5's own index once (through the `fts5vocab`
table) and stores, for every indexed term, the rows that contain it, how often in each column
and at which offsets, plus each row's length in tokens. A query then adds up BM25 contributions
term by term in NumPy with FTS5's own formula, idf and column weights, so the scores are the
ones `bm25()` gives (tested to 1e-9; they agree to about 1e-15). Terms of several tokens
("3-i", "co-ordination") are phrases, matched as FTS5 matches them (the tokens at consecutive
offsets in one column) from each token's stored positions.

Query text never reaches FTS5 as an expression: each term is quoted, so no FTS5 operator can leak
in, and the words themselves are tokenised by FTS5's tokenizer in a private in-memory table.

Russian words are indexed and queried by their Snowball stems (`indexed_text`, ingest/stems.py):
FTS5's porter tokenizer stems English only, and Russian inflects too much for exact forms to
meet ("моделью" finds "модели"). Text without Cyrillic letters is indexed exactly as before.
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np

from ingest.stems import RUSSIAN_STOPWORDS, stem_cyrillic
from search.index.keyword_postings import COLUMN_WEIGHTS, OFFSET_MASK, column_counts

# passages_fts's tokenizer (search/index/store_writer.py creates the table)
TOKENIZER = "porter unicode61 remove_diacritics 2"
K1, B = 1.2, 0.75  # FTS5's bm25() constants

# Words too common to help BM25 rank; dropping them keeps OR-queries from matching everything.
STOPWORDS = frozenset(
    """
a about after all also am an and any are as at be been before being but by can could did do
does doing for from had has have how i if in into is it its me more most my no nor not of on or
our out should so some such than that the their them then there these they this those to too
very was we were what when where which while who whom why will with would you your
""".split()
)
COMMON_SHARE = 0.5  # terms in more than this share of passages are dropped from OR-queries
_TERM = re.compile(r"\w+(?:[-'\u2019&]\w+)*", re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)


def indexed_text(text: str) -> str:
    """A text as the FTS5 table holds it: Russian words replaced by their stems."""
    return stem_cyrillic(text)


def query_terms(text: str) -> list[str]:
    """The terms of a query: words and hyphenated phrases, stopwords dropped (unless all are),
    Russian words stemmed as the index holds them."""
    terms = []
    for term in _TERM.findall(text.lower()):
        words = _WORD.findall(term)
        if len(words) > 1 or (words[0] not in STOPWORDS and words[0] not in RUSSIAN_STOPWORDS):
            terms.append(" ".join(words))
    if not terms:
        terms = _WORD.findall(text.lower())
    return list(dict.fromkeys(stem_cyrillic(term) for term in terms))


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression: each term quoted and OR-ed, so no FTS5 operator can leak in.

    Hyphenated terms ("3-i", "co-ordination") become phrases of their parts; single words that
    are stopwords are dropped unless nothing else is left.
    """
    return " OR ".join(f'"{term}"' for term in query_terms(text))


class Fts5Tokenizer:
    """Turns a query term into FTS5's tokens (porter stems etc.) with the index's tokenizer.

    Uses a private in-memory FTS5 table, so the result is whatever FTS5 itself would index.
    Thread-safe; results are cached.
    """

    def __init__(self, tokenizer: str = TOKENIZER) -> None:
        self._connection = sqlite3.connect(":memory:", check_same_thread=False)
        self._connection.executescript(
            f"CREATE VIRTUAL TABLE probe USING fts5(x, tokenize = '{tokenizer}');"
            "CREATE VIRTUAL TABLE probe_tokens USING fts5vocab(probe, instance);"
        )
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[str, ...]] = {}

    def tokens(self, terms: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Each term's tokens, in order."""
        terms = list(dict.fromkeys(terms))
        missing = [term for term in terms if term not in self._cache]
        if missing:
            with self._lock:
                connection = self._connection
                connection.executemany(
                    "INSERT INTO probe(rowid, x) VALUES (?, ?)", enumerate(missing, start=1)
                )
                found: dict[int, list[tuple[int, str]]] = {}
                for doc, offset, token in connection.execute(
                    "SELECT doc, offset, term FROM probe_tokens"
                ):
                    found.setdefault(doc, []).append((offset, token))
                connection.execute("DELETE FROM probe")
                for number, term in enumerate(missing, start=1):
                    self._cache[term] = tuple(token for _, token in sorted(found.get(number, [])))
        return {term: self._cache[term] for term in terms}


class KeywordIndex:
    """BM25 over a build's FTS5 table, equal to FTS5's `bm25()` with `COLUMN_WEIGHTS`."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        fts_table: str = "passages_fts",
        tokenizer: Fts5Tokenizer | None = None,
    ) -> None:
        self.connection = connection
        self.tokenizer = tokenizer or Fts5Tokenizer()
        pairs = np.array(
            connection.execute("SELECT row_id, tokens FROM keyword_lengths").fetchall(),
            dtype=np.int64,
        ).reshape(-1, 2)
        self.lengths = np.zeros(int(pairs[:, 0].max(initial=-1)) + 1, dtype=np.float64)
        self.lengths[pairs[:, 0]] = pairs[:, 1]
        self.rows = connection.execute(f"SELECT count(*) FROM {fts_table}").fetchone()[0]
        self.average_length = float(self.lengths.sum()) / self.rows if self.rows else 0.0
        # BM25's length normalisation per row, as FTS5 computes it.
        relative = self.lengths / self.average_length if self.average_length else self.lengths
        self._norm = K1 * (1 - B + B * relative)

    def _entry(self, token: str, columns: str) -> tuple | None:
        """The given columns of one token's keyword_postings row (None for an absent token)."""
        return self.connection.execute(
            f"SELECT {columns} FROM keyword_postings WHERE term = ?", (token,)
        ).fetchone()

    def postings(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """(row ids, per-column counts) of the rows that contain one index token."""
        found = self._entry(token, "row_ids, column_counts") or (b"", b"")
        return (
            np.frombuffer(found[0], dtype=np.int32),
            np.frombuffer(found[1], dtype=np.uint16).reshape(-1, len(COLUMN_WEIGHTS)),
        )

    def frequency(self, token: str) -> int:
        """How many rows contain one index token (without reading its posting list)."""
        found = self._entry(token, "rows")
        return found[0] if found else 0

    def positions(self, token: str) -> np.ndarray:
        """Every instance of one index token, as sorted codes (see `OFFSET_BITS`)."""
        found = self._entry(token, "positions") or (b"",)
        return np.frombuffer(found[0], dtype=np.int64)

    def search(
        self, query: str, k: int, allowed: AbstractSet[int] | None = None, prune_common: bool = True
    ) -> list[tuple[int, float]]:
        """(row id, BM25 score) pairs, best first (ties by row id); scores are positive."""
        return self.score(query, allowed, prune_common).top(k)

    def score(
        self, query: str, allowed: AbstractSet[int] | None = None, prune_common: bool = True
    ) -> KeywordScores:
        """The BM25 score of every row that matches `query` (and is `allowed`).

        With `prune_common`, terms found in more than half of the passages are left out of a
        query of several terms: BM25 gives them almost no weight (FTS5 floors their idf), yet
        they make an OR-query match most rows.
        """
        scores = np.zeros(len(self.lengths), dtype=np.float64)
        matched = np.zeros(len(self.lengths), dtype=bool)
        terms = query_terms(query)
        if not terms or not self.rows:
            return KeywordScores(scores, matched)
        tokens = self.tokenizer.tokens(terms)
        terms = [term for term in terms if tokens[term]]
        phrases = {
            term: self.phrase_postings(tokens[term]) for term in terms if len(tokens[term]) > 1
        }
        if prune_common and len(terms) > 1:  # frequencies first: common lists are never read
            common = COMMON_SHARE * self.rows
            rare = [
                term
                for term in terms
                if (len(phrases[term][0]) if term in phrases else self.frequency(tokens[term][0]))
                <= common
            ]
            terms = rare or terms
        found = [
            phrases[term] if term in phrases else self.postings(tokens[term][0]) for term in terms
        ]
        for rows, counts in found:
            scores[rows] += self._scores(rows, counts)
            matched[rows] = True
        if allowed is not None:
            keep = np.zeros(len(self.lengths), dtype=bool)
            keep[[row for row in allowed if 0 <= row < len(keep)]] = True
            matched &= keep
        return KeywordScores(scores, matched)

    def phrase_postings(self, tokens: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """(row ids, per-column counts) of a phrase: its tokens at consecutive offsets.

        Starts from the token with the fewest instances and looks each other token up at its
        offset from there, so the cost follows the rarest token.
        """
        positions = [self.positions(token) for token in tokens]
        anchor = min(range(len(tokens)), key=lambda i: len(positions[i]))
        anchored = positions[anchor]
        starts = anchored[(anchored & OFFSET_MASK) >= anchor] - anchor  # the phrase's first token
        for shift, following in enumerate(positions):
            if shift == anchor or not len(starts):
                continue
            place = np.searchsorted(following, starts + shift)
            found = place < len(following)
            found[found] = following[place[found]] == starts[found] + shift
            starts = starts[found]
        return column_counts(starts)

    def _scores(self, rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """A term's BM25 contribution to each of the rows containing it: FTS5's formula."""
        hits = len(rows)
        idf = math.log((self.rows - hits + 0.5) / (hits + 0.5))
        idf = idf if idf > 0.0 else 1e-6  # FTS5's floor for terms in over half of the rows
        frequency = counts @ np.asarray(COLUMN_WEIGHTS)
        return idf * (frequency * (K1 + 1.0)) / (frequency + self._norm[rows])


@dataclass(frozen=True)
class KeywordScores:
    """One query's BM25 scores: `scores[row]` counts only where `matched[row]`."""

    scores: np.ndarray
    matched: np.ndarray

    def top(self, k: int) -> list[tuple[int, float]]:
        """The `k` best matching rows with their scores, best first (ties by row id)."""
        return _top(np.flatnonzero(self.matched), self.scores, k) if k > 0 else []

    def of(self, rows: Iterable[int]) -> dict[int, float]:
        """The scores of those of `rows` that match."""
        return {
            row: float(self.scores[row])
            for row in rows
            if 0 <= row < len(self.matched) and self.matched[row]
        }


def _top(candidates: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The `k` best candidates by score, ties broken by row id."""
    if len(candidates) > k:  # keep everything tied with the k-th best, then sort only those
        kth = np.partition(scores[candidates], len(candidates) - k)[len(candidates) - k]
        candidates = candidates[scores[candidates] >= kth]
    order = np.lexsort((candidates, -scores[candidates]))[:k]
    return [(int(candidates[i]), float(scores[candidates[i]])) for i in order]


def fts5_search(
    connection: sqlite3.Connection, query: str, k: int, fts_table: str = "passages_fts"
) -> list[tuple[int, float]]:
    """The same ranking asked of FTS5 directly (`bm25()` over an OR-query), without pruning.

    The reference `KeywordIndex` is tested against, and the bench's FTS5 baseline.
    """
    expression = fts_query(query)
    if not expression:
        return []
    weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
    sql = (
        f"SELECT rowid, -bm25({fts_table}, {weights}) AS score FROM {fts_table} "
        f"WHERE {fts_table} MATCH ? ORDER BY score DESC, rowid LIMIT {int(k)}"
    )
    return [(row, float(score)) for row, score in connection.execute(sql, (expression,))]
