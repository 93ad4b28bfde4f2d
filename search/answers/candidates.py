"""Candidate answer sentences: every sentence of the top passages, scored for the query.

A sentence's score is its cosine to the query, plus BM25 of the query's content words over the
candidate sentences (normalised to the best one), minus a little for each rank its passage is
below the first, and penalties for teasers (short, none of the query's distinctive words:
`COMMON_SHARE`) and, less, for longer sentences that share none of the query's content words;
a sentence of the kind the question's wording expects (a reason for "why", a date for "when":
answer_type.py) gains a little. Why a sentence can never be an answer (a caption, a footnote,
a sentence of a figure passage...) is recorded, not hidden: the composer still needs the
sentences around it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from ingest.models import TEXT
from ingest.sentences import Sentence
from search.answers.answer_type import states_expected
from search.answers.roles import (
    content_terms,
    is_list_item,
    is_teaser,
    never_an_answer,
    sentence_terms,
)
from search.answers.similarity import SentenceSimilarity
from search.index.store import PassageStore, StoredPassage

TERM_WEIGHT = 0.3  # BM25 of the query's words, normalised to the best candidate
RANK_PENALTY = 0.03  # per rank of the passage below the first
TEASER_PENALTY = 0.15  # short and none of the query's words: "Grading is not an end in itself."
# A word of the query that more than this share of the candidate sentences have does not single
# out what it asks ("analysis" in a question on analysis, "course" in one on courses): a short
# sentence sharing only such words with it is a teaser too ("Analysis is where information
# acquires meaning.", "Later courses show that shift."). Measured: no gold card gained or lost
# a fact, 10 of 238 lost such an opener (or took a better sentence in its place), a fresh
# question gained its facts; the same from 0.15 to 0.4 (README, "Answer cards").
COMMON_SHARE = 0.25
# None of the query's content words, at any length. Weak evidence: a Russian question's words
# reach an English sentence only through its word-by-word rendering. (0.1 before: English and
# Guidebook cards the same at 0.05, Russian 0.709 -> 0.727, over the English corpus 0.684 -> 0.737.)
OFF_POINT_PENALTY = 0.05
# A sentence in the question's language, when the top passages are in more than one language:
# a Russian reader is answered in Russian where the sources allow.
LANGUAGE_BONUS = 0.1
# A sentence of the kind the question expects (answer_type.py). Measured on the four gold sets:
# "Why do commanders and staff resist these reforms ...?" is answered by the reasons (English
# cards 0.798 -> 0.808); one Russian "when" card is shorter, no other card changed; 0.2 the same.
ANSWER_TYPE_BONUS = 0.1


@dataclass(frozen=True)
class Candidate:
    """A sentence of a top passage, placed in its passage and scored for the query."""

    sentence: Sentence
    index: int  # its position among its passage's sentences (for the reader's anchor)
    rank: int  # its passage's rank in the results (0 = first)
    cosine: float
    score: float
    excluded: str | None  # why it can never be an answer, if so
    teaser: bool = False  # short and none of the query's distinctive words (`_teaser`)
    own_language: bool = False  # in the question's language, among others: LANGUAGE_BONUS added


def score_candidates(
    query: str,
    similarity: SentenceSimilarity,
    rows: list[int],
    store: PassageStore,
    language: str | None = None,
    expects: str | None = None,
) -> list[Candidate]:
    """Every sentence of the passages `rows` (best first), scored for the query; `language` is
    the question's, preferred where the passages are in several (see `LANGUAGE_BONUS`), and
    `expects` the kind of statement its wording asks for (see `ANSWER_TYPE_BONUS`)."""
    sentences = store.sentences(rows)
    if not sentences:
        return []
    passages = store.passages(rows)
    # A passage of captions and figure text (a PDF's "Figure 2.1 ... Source: ..." and the
    # words of its diagram) is searchable and citable, but none of its sentences is an answer.
    figures = {row for row, stored in passages.items() if stored.passage.kind != TEXT}
    own_language = _rows_in_language(passages, language)
    cosines = similarity.cosines(sentences)
    query_terms = content_terms(query)
    terms_of = [sentence_terms(s.text) for s in sentences]
    overlap = _bm25(terms_of, query_terms)
    best_overlap = max(overlap) or 1.0
    distinctive = _distinctive(query_terms, terms_of)
    rank_of = {row: rank for rank, row in enumerate(rows)}
    position: Counter[int] = Counter()
    candidates = []
    for sentence, cosine, terms, own_terms in zip(
        sentences, cosines, overlap, terms_of, strict=True
    ):
        rank = rank_of[sentence.row_id]
        score = float(cosine) + TERM_WEIGHT * terms / best_overlap - RANK_PENALTY * rank
        teaser = bool(query_terms) and _teaser(sentence.text, own_terms, query_terms, distinctive)
        if teaser:
            score -= TEASER_PENALTY
        elif query_terms and not own_terms & query_terms:
            score -= OFF_POINT_PENALTY
        if states_expected(expects, sentence.text):
            score += ANSWER_TYPE_BONUS
        preferred = sentence.row_id in own_language
        if preferred:
            score += LANGUAGE_BONUS
        candidates.append(
            Candidate(
                sentence,
                position[sentence.row_id],
                rank,
                float(cosine),
                score,
                "figure" if sentence.row_id in figures else never_an_answer(sentence.text),
                teaser,
                preferred,
            )
        )
        position[sentence.row_id] += 1
    return candidates


def _distinctive(query_terms: frozenset[str], terms_of: list[frozenset[str]]) -> frozenset[str]:
    """The query's words that some but at most `COMMON_SHARE` of the candidate sentences have
    (all of them when none is: a word no candidate has singles out nothing)."""
    having = Counter(term for terms in terms_of for term in terms & query_terms)
    limit = COMMON_SHARE * len(terms_of)
    return frozenset(term for term, count in having.items() if count <= limit) or query_terms


def _teaser(
    text: str, own_terms: frozenset[str], query_terms: frozenset[str], distinctive: frozenset[str]
) -> bool:
    """Short and generic (roles.is_teaser), judged by the query's `distinctive` words; but a
    short sentence that shares a word with the query and states a figure ("The EU formally
    endorsed ILP in 2005.") or is a list item ("• develops annual regional plans;") says
    something of its own."""
    if not is_teaser(text, distinctive):
        return False
    shares = bool(own_terms & query_terms)
    return not (shares and (any(char.isdigit() for char in text) or is_list_item(text)))


def _rows_in_language(passages: dict[int, StoredPassage], language: str | None) -> set[int]:
    """The passages in `language`, when some others are not (else none: sources all in one
    language are answered from as they are)."""
    if language is None:
        return set()
    own = {row for row, stored in passages.items() if stored.document.language == language}
    return own if len(own) < len(passages) else set()


def _bm25(documents: list[frozenset[str]], query: frozenset[str], k1: float = 1.2) -> list[float]:
    """BM25 of the query terms over sentences (as sets of terms: each counted once)."""
    if not query:
        return [0.0] * len(documents)
    frequency = Counter(term for terms in documents for term in terms & query)
    total = len(documents)
    mean_length = sum(len(terms) for terms in documents) / max(1, total)
    scores = []
    for terms in documents:
        norm = k1 * (0.25 + 0.75 * len(terms) / max(1.0, mean_length))
        scores.append(
            sum(
                math.log(1 + (total - frequency[term] + 0.5) / (frequency[term] + 0.5))
                * (k1 + 1)
                / (1 + norm)
                for term in terms & query
            )
        )
    return scores
