"""When the answer card is marked partial: its lead sentence is weak, or no passage stands out
(the first passage's fused score leads the fifth's by under `SearchConfig.standout_below`).
Fast: the mini corpus (five passages) and the hashing encoder."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.encoders.query import QueryEmbedder
from search.index.loaded import LoadedBuild
from search.searcher import STANDOUT_RANK, Filters, SearchConfig, Searcher
from tests.fakes import HashingEncoder

QUESTION = "How often does the tasking group meet?"


def searcher(instance: Path, standout_below: float) -> Searcher:
    """A searcher whose lead-sentence test never fires (partial_below -1), so that only the
    standout test can mark a card partial."""
    config = SearchConfig(no_answer_below=0.0, partial_below=-1.0, standout_below=standout_below)
    return Searcher(LoadedBuild.open_current(instance), QueryEmbedder(HashingEncoder()), config)


def lead(built_instance: Path) -> float:
    """The first passage's fused score less the fifth's, for QUESTION."""
    hits = searcher(built_instance, 0.0).search(QUESTION).hits
    assert len(hits) > STANDOUT_RANK
    return hits[0].score - hits[STANDOUT_RANK].score


def test_a_card_is_partial_when_no_passage_stands_out(built_instance: Path):
    gap = lead(built_instance)
    assert gap > 0.001
    barely = searcher(built_instance, gap + 0.001).search(QUESTION)
    assert barely.answer and barely.partial and not barely.no_good_answer
    clearly = searcher(built_instance, gap - 0.001).search(QUESTION)
    assert clearly.answer and not clearly.partial
    assert [hit.passage.id for hit in barely.hits] == [hit.passage.id for hit in clearly.hits]


def test_the_page_past_the_first_reads_the_same_flag(built_instance: Path):
    """The flag is the question's, not the page's: the lead is taken from the top of the
    ranking whatever the offset."""
    gap = lead(built_instance)
    assert searcher(built_instance, gap + 0.001).search(QUESTION, k=2, offset=2).partial
    assert not searcher(built_instance, gap - 0.001).search(QUESTION, k=2, offset=2).partial


@pytest.mark.parametrize("method", ["keyword", "dense"])
def test_only_hybrid_scores_are_read_for_a_standout(built_instance: Path, method: str):
    """BM25 and cosine scores are on other scales than the fused ones the threshold was set on."""
    result = searcher(built_instance, 10.0).search(QUESTION, method=method)
    assert result.answer and not result.partial


def test_fewer_than_five_passages_decide_nothing(built_instance: Path):
    """A filter that leaves one document leaves no fifth passage to lead."""
    narrow = Filters(documents=("tasking-guide",))
    result = searcher(built_instance, 10.0).search(QUESTION, filters=narrow)
    assert len(result.hits) <= STANDOUT_RANK
    assert result.answer and not result.partial
