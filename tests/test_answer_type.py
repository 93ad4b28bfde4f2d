"""The kind of statement a question expects (a reason, a date, a number, a frequency) and the
small bonus a sentence of that kind gets on the answer card (search/answers/answer_type.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.answers.answer_type import (
    DATE,
    FREQUENCY,
    NUMBER,
    REASON,
    expected_answer_type,
    states_expected,
)
from search.answers.question import question_shape
from tests.card_fixture import compose_over


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Why do commanders and staff resist these reforms, and why do they stall?", REASON),
        ("What is the NCISP and why is it criticised?", REASON),
        ("For what reasons do ILP projects stall?", REASON),
        ("Почему слово «разведка» в ПДОДИ не означает работу спецслужб?", REASON),
        ("Зачем руководителю знать разведывательный цикл?", REASON),
        ("What is the reason for the delay?", REASON),
        ("Каковы причины сопротивления реформе?", REASON),
        ("When did ILP start in Britain, and which police force first used it?", DATE),
        ("What is the NIM, and when was it introduced?", DATE),
        ("In what year did the OSCE publish its Guidebook?", DATE),
        ("Кто подготовил Руководство ОБСЕ по ПДОДИ и когда оно вышло?", DATE),
        ("Когда и где Руководство ОБСЕ представили странам Центральной Азии?", DATE),
        ("Who wrote the handbook, or when was it adopted?", DATE),
        ("Кто написал пособие, но когда его приняли?", DATE),
        ("С какого года действует закон?", DATE),
        ("How many forces in England and Wales adopted the NIM?", NUMBER),
        ("Сколько уровней у модели?", NUMBER),
        ("How often should strategic and operational tasking meetings be held?", FREQUENCY),
        ("How frequently does the tasking group meet?", FREQUENCY),
        ("Как часто проводятся совещания по постановке задач?", FREQUENCY),
        ("С какой периодичностью собирается группа?", FREQUENCY),
        # A "when" of a condition, and "how much" of a degree, ask for neither.
        ("What goes wrong when a police service adopts ILP only on paper?", None),
        ("When a force adopts ILP, what changes for its managers?", None),
        ("Когда служба внедряет ПДОДИ, что меняется для руководителей?", None),
        ("What should be the very first step when a country starts introducing ILP?", None),
        ("How much does backing from politicians and chiefs matter for success?", None),
        ("What is the 3-i model?", None),
    ],
)
def test_the_question_wording_says_what_kind_of_statement_it_expects(question, expected):
    assert expected_answer_type(question) == expected
    assert question_shape(question, []).expects == expected


@pytest.mark.parametrize(
    ("kind", "sentence", "expected"),
    [
        (REASON, "Resistance is expected, because ILP challenges the established order.", True),
        (REASON, "A shared grading system is needed so that partners trust the material.", True),
        (REASON, "Сопротивление ожидаемо, поскольку модель меняет привычный порядок.", True),
        (REASON, "Из-за этого работа замедляется.", True),
        (REASON, "Работа идет медленно потому, что не хватает аналитиков.", True),
        (REASON, "Senior commanders showed apparent compliance with the model.", False),
        (DATE, "The Home Office introduced the concept in 1993.", True),
        (DATE, "The Guidebook was published in Vienna in June.", True),
        (DATE, "Руководство вышло в июне 2017 года.", True),
        (DATE, "Руководство представили в мае.", True),
        # A citation's year is not a date the sentence states, nor is the verb "may".
        (DATE, "Managers may task analysts directly (OSCE Guidebook 2017, p. 39).", False),
        (NUMBER, "All 43 forces in England and Wales adopted the model.", True),
        (NUMBER, "The model defines four intelligence products.", True),
        (NUMBER, "The model treats analysts as partners (Ratcliffe 2016, p. 72).", False),
        (NUMBER, "Пособие вышло в двух томах.", True),
        (NUMBER, "В отчете сотни страниц.", True),
        (NUMBER, "Сотрудники знают порядок работы.", False),
        (NUMBER, "Twenty forces took part.", True),
        (NUMBER, "The 3-i model puts the analyst at the centre.", False),
        (FREQUENCY, "Operational meetings are held weekly or fortnightly.", True),
        (FREQUENCY, "Strategic meetings take place every three or six months.", True),
        (FREQUENCY, "The group meets twice a year at national level.", True),
        (FREQUENCY, "Группа собирается раз в две недели.", True),
        (FREQUENCY, "Совещания проводятся ежеквартально.", True),
        (FREQUENCY, "Strategic meetings set direction for months ahead.", False),
        (FREQUENCY, "The plan covers four years.", False),
        (None, "Resistance is expected, because ILP challenges the established order.", False),
    ],
)
def test_a_sentence_is_of_the_kind_by_what_it_states_outside_its_citations(
    kind, sentence, expected
):
    assert states_expected(kind, sentence) is expected


# A first passage long enough (over 60 words) that a further source must score at least 0.75 of
# its best sentence's score to join, and a second passage whose one sentence gives a reason but
# scores just below that bar on its cosine.
_STALLING = [
    "Projects in many forces come to a halt after the first year of the work. "
    "Officers attend the first courses and the units are staffed in the ordinary way. "
    "Managers read the reports and hold the meetings that the handbook describes for them. "
    "The software is installed and the analysts start to produce their regular products. "
    "Each unit keeps its own files and shares them with the others when it is asked to.",
    "Change slows because officers see the model as a threat to their standing.",
]
_COSINES = {"Projects": 0.6, "Change": 0.46, "Officers": 0.3, "Managers": 0.3, "The": 0.3}
_REASON = ("doc-1", "Change slows because officers see the model as a threat to their standing.")


def test_a_why_question_takes_the_source_that_gives_a_reason(tmp_path: Path):
    why = compose_over(tmp_path / "why", _STALLING, _COSINES, "Why do they stall?")
    where = compose_over(tmp_path / "where", _STALLING, _COSINES, "Where do they stall?")
    assert why[0][1].startswith("Projects") and where[0][1].startswith("Projects")
    assert _REASON in why
    assert _REASON not in where


def test_a_russian_why_question_takes_the_source_that_gives_a_reason(tmp_path: Path):
    texts = [
        "Во многих службах работа над новыми проектами замирает уже после первого года. "
        "Сотрудники проходят первые курсы, а подразделения набирают людей самым обычным порядком. "
        "Руководители читают отчеты и проводят все совещания, которые описаны для них в пособии. "
        "Программы уже установлены, и аналитики готовят для всей службы первые продукты. "
        "Каждое подразделение ведет свои файлы и передает их другим службам по первому запросу.",
        "Перемены идут медленно, потому что сотрудники видят в модели угрозу своему положению.",
    ]
    # (Each sentence of ten words or more: a shorter one off the point is a teaser.)
    cosines = {"Во": 0.6, "Перемены": 0.46}
    why = compose_over(tmp_path / "why", texts, cosines, "Почему они останавливаются?")
    how = compose_over(tmp_path / "how", texts, cosines, "Как они останавливаются?")
    reason = ("doc-1", texts[1])
    assert reason in why
    assert reason not in how


def test_a_how_often_question_takes_the_source_that_gives_a_frequency(tmp_path: Path):
    texts = [
        _STALLING[0],
        "Regional groups of officers and analysts convene every two weeks to review the files.",
    ]
    cosines = {**_COSINES, "Regional": 0.46}  # just below the bar for a further source
    often = compose_over(tmp_path / "often", texts, cosines, "How often do they meet?")
    where = compose_over(tmp_path / "where", texts, cosines, "Where do they meet?")
    frequency = ("doc-1", texts[1])
    assert often[0][1].startswith("Projects") and where[0][1].startswith("Projects")
    assert frequency in often
    assert frequency not in where
