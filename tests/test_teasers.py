"""Teasers: short sentences that share with the question only words many of the candidate
sentences have ("analysis" for a question on analysis) are teasers, and no extract grows into one;
a short sentence stating a figure, or a list item, is not one (search/answers/candidates.py)."""

from __future__ import annotations

from pathlib import Path

from search.answers.candidates import _distinctive, _teaser
from search.answers.roles import content_terms, sentence_terms
from tests.card_fixture import compose_over

QUESTION = "How do analysts grade a source in analysis?"


def test_a_word_most_candidates_share_does_not_single_out_what_is_asked():
    query = content_terms(QUESTION)
    sentences = [
        "Analysis shapes nearly everything here.",
        "Analysts grade each source before any analysis starts.",
        "Analysis units began in 1993.",
        "Commanders meet weekly.",
    ]
    distinctive = _distinctive(query, [sentence_terms(text) for text in sentences])
    assert "analysi" in query and "analysi" not in distinctive  # in 3 of 4 sentences
    assert {"analyst", "grade", "sourc"} <= distinctive
    # A word no candidate has singles out nothing; every word common: all count, as before.
    assert "train" not in _distinctive(query | {"train"}, [sentence_terms(t) for t in sentences])
    assert _distinctive(query, [sentence_terms(sentences[1])] * 4) == query


def test_a_short_sentence_sharing_only_a_common_word_is_a_teaser():
    query = content_terms(QUESTION)
    distinctive = query - {"analysi"}

    def teaser(text: str) -> bool:
        return _teaser(text, sentence_terms(text), query, distinctive)

    assert teaser("Analysis shapes nearly everything here.")
    assert teaser("Commanders meet weekly.")  # no word of the question at all, as before
    assert not teaser("Analysis units began in 1993.")  # a figure says something
    assert not teaser("• analysis hubs in every region;")  # an item of its list
    assert not teaser("Analysts grade sources.")


def test_no_extract_grows_into_such_a_teaser(tmp_path: Path):
    quoted = compose_over(
        tmp_path,
        [
            "Analysis shapes nearly everything here. Analysts grade each source before any "
            "analysis starts. Analysis units began in 1993.",
            "Analysis matters to commanders too.",
        ],
        {"Analysts": 0.9},
        QUESTION,
    )
    texts = [text for _, text in quoted]
    assert texts[:2] == [
        "Analysts grade each source before any analysis starts.",
        "Analysis units began in 1993.",
    ]
    assert "Analysis shapes nearly everything here." not in texts
