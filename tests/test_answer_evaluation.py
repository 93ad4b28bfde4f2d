"""`ilp eval --answers`: judging a card against its facts; and how the search page groups a
card's sentences."""

from __future__ import annotations

from search.answers.evaluation import (
    AnswerFacts,
    AskedQuestion,
    evaluate_answers,
    load_answer_facts,
    normalise,
)
from search.results import SearchResult
from tests.conftest import REPO


def test_facts_match_whatever_the_case_hyphens_and_spacing():
    facts = AnswerFacts("q", 2, (("co-ordination group", "T&CG"), ("every two weeks",)))
    assert facts.held_by("The Co ordination\n group meets EVERY two-weeks.")
    assert not facts.held_by("The co-ordination group meets monthly.")
    assert normalise("Tasking\u2013and\u2014co-ordination") == "tasking and co ordination"


def test_the_answer_evaluation_counts_cards_per_group():
    facts = {
        "p1": AnswerFacts("p1", 1, (("beside",),)),
        "a1": AnswerFacts("a1", 1, (("impact",),)),
    }

    def search(text: str) -> SearchResult:
        from search.results import AnswerSentence

        said = "ILP sits beside response policing." if "replace" in text else "No idea."
        return SearchResult(text, "hybrid", [], [AnswerSentence(said, "x", "c", 1.0)])

    questions = [
        AskedQuestion("p1", "policy", "Does ILP replace response policing?"),
        AskedQuestion("a1", "academic", "What is the 3-i model?"),
        AskedQuestion("o1", "policy", "Unjudged question"),
    ]
    report = evaluate_answers(search, questions, facts)
    assert report["facts"] == 0.5 and report["n"] == 2
    assert report["by_group"] == {"academic": 0.0, "policy": 1.0}
    assert report["failed"] == ["a1"] and report["without_facts"] == 1


def test_the_answer_evaluation_says_how_the_partial_flag_reads():
    """Of the cards given (not "no good answer"), the share marked partial, and how often a
    marked and an unmarked card misses its facts."""
    from search.results import AnswerSentence

    facts = {id_: AnswerFacts(id_, 1, (("beside",),)) for id_ in ("p1", "p2", "p3", "p4", "p5")}
    said = {  # question -> (card text, marked partial); p5 gets no card
        "p1": ("ILP sits beside response policing.", False),
        "p2": ("ILP sits beside it.", False),
        "p3": ("Nothing to the point.", False),
        "p4": ("Nothing to the point either.", True),
    }

    def search(text: str) -> SearchResult:
        if text not in said:
            return SearchResult(text, "hybrid", [], [], no_good_answer=True)
        card, partial = said[text]
        return SearchResult(
            text, "hybrid", [], [AnswerSentence(card, "x", "c", 1.0)], partial=partial
        )

    questions = [AskedQuestion(id_, "policy", id_) for id_ in facts]
    report = evaluate_answers(search, questions, facts)
    assert report["no_good_answer"] == 0.2
    assert report["partial"] == {
        "flagged": 0.25,  # p4, of the four cards given
        "missed_flagged": 1.0,  # p4 misses
        "missed_unflagged": round(1 / 3, 4),  # p3 of p1-p3
    }


def test_every_answerable_gold_question_has_facts():
    import tomllib

    facts = load_answer_facts(REPO / "corpus" / "eval" / "answer-facts.toml")
    eval_folder = REPO / "corpus" / "eval"
    gold = tomllib.loads((eval_folder / "questions.toml").read_text(encoding="utf-8"))
    guidebook = tomllib.loads((eval_folder / "guidebook-questions.toml").read_text("utf-8"))
    wanted = {q["id"] for q in gold["question"] if q["group"] != "off-topic"}
    wanted |= {q["id"] for q in guidebook["question"]}
    assert set(facts) == wanted
    policy = [q for q in gold["question"] if q["group"] == "policy"]
    assert len(policy) >= 45  # 20 plain-language questions were added with the facts


def test_the_page_groups_sentences_of_one_passage_and_page_under_one_citation():
    from search.results import AnswerSentence
    from webapp.answer_card import extracts

    def line(text: str, passage: str | None, page: str | None, kind: str = "sentence"):
        return AnswerSentence(text, passage, f"{passage} p. {page}", 1.0, kind, page)

    card = [
        line("A definition.", None, None, "definition"),
        line("One.", "a", "3"),
        line("Two:", "a", "3"),
        line("• item", "a", "3", "item"),
        line("Three.", "a", "3"),
        line("Four.", "a", "4"),
        line("Five.", "b", "4"),
    ]
    groups = [[s.text for s in extract.sentences] for extract in extracts(card)]
    assert groups == [
        ["A definition."],
        ["One.", "Two:", "• item"],
        ["Three."],
        ["Four."],
        ["Five."],
    ]
    assert [s.text for s in extracts(card)[1].items] == ["• item"]


def test_a_questions_file_is_read_as_gold_or_page_questions_and_a_bad_one_refused(tmp_path):
    """`ilp eval` tells the Guidebook's page questions from the gold questions, and a file
    whose questions lack their group is a clear error naming what is missing."""
    import pytest

    from search.evaluation import EvaluationError, is_page_questions, load_questions

    assert is_page_questions(REPO / "corpus" / "eval" / "guidebook-questions.toml")
    assert not is_page_questions(REPO / "corpus" / "eval" / "questions.toml")
    bad = tmp_path / "questions.toml"
    bad.write_text('[[question]]\nid = "x"\nquestion = "What is ILP?"\n', encoding="utf-8")
    with pytest.raises(EvaluationError, match="'group' is missing"):
        load_questions(bad)
