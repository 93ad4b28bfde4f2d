"""The language a query is read in: mixed scripts, abbreviations and one foreign word."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from search.query_language import ENGLISH, RUSSIAN, query_language, telling_words

EVAL = Path(__file__).resolve().parents[1] / "corpus" / "eval"


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("модель 3-i", RUSSIAN),  # Cyrillic word and a Latin term with a digit
        ("что такое NIM", RUSSIAN),  # the abbreviation says nothing about the language
        ("Что такое T&CG?", RUSSIAN),
        ("Что означает оценка 5x5x5?", RUSSIAN),
        ("анализ", RUSSIAN),
        ("ПДОДИ", RUSSIAN),
        ("What is the 3-i model (модель)?", ENGLISH),  # English with one Russian word
        ("What does ПДОДИ mean?", ENGLISH),
        ("NIM", ENGLISH),  # nothing telling: English, as before
        ("5x5x5?", ENGLISH),
        ("T&CG", ENGLISH),
        ("Define T&CG", ENGLISH),
        ("Examples of tasking and co-ordination meetings", ENGLISH),
        ("Was ist nachrichtendienstlich geführte Polizeiarbeit?", "de"),
        ("Qu'est-ce que la police guidée par le renseignement ?", "fr"),
    ],
)
def test_query_language_of_mixed_and_plain_queries(query: str, language: str):
    assert query_language(query) == language


def test_abbreviations_digits_and_single_letters_are_not_telling():
    assert telling_words("модель 3-i NIM T&CG a 5x5x5 анализа") == ["модель", "анализа"]


@pytest.mark.parametrize("name", ["questions.toml", "guidebook-questions.toml"])
def test_every_english_gold_question_is_read_as_english(name: str):
    questions = tomllib.loads((EVAL / name).read_text(encoding="utf-8"))["question"]
    assert [q["id"] for q in questions if query_language(q["question"]) != ENGLISH] == []


def test_every_russian_gold_question_is_read_as_russian():
    questions = tomllib.loads((EVAL / "questions-ru.toml").read_text(encoding="utf-8"))["question"]
    assert [q["id"] for q in questions if query_language(q["question"]) != RUSSIAN] == []
