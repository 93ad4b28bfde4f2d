"""What kind of answer a question asks for: a concept's definition, a list, or an extract.

- *concept*: the question only names a concept ("What is the 3-i model?", "Define T&CG",
  "5x5x5?", "Что такое модель 3-i?");
- *list*: it asks for items (steps, stages, elements, types, principles, products, criteria,
  "what are the ...", or a number of things: "the four products");
- *extract*: anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.stems import CYRILLIC_WORD
from search.answers.answer_type import expected_answer_type
from search.answers.roles import NUMBER_WORDS, stem, words

CONCEPT = "concept"
LIST = "list"
EXTRACT = "extract"

# Words that frame a question about a term without adding to what is asked.
_FRAMING = frozenset(
    """
    what whats what's is are was were the a an of define defined definition definitions meaning
    means mean does do did explain explained describe term concept stand stands for by called
    who whom in ilp please tell me us about idea notion
    что такое это означает значит определение понятие термин объясните расскажите о об
    """.split()
)
# Asking for it plainly or briefly, at the start or the end of the question, frames it too
# ("In simple words, what is ...?", "So what is ..., in plain terms?", "Коротко: что такое
# ...?"); the same words elsewhere may be what is asked ("What is a short threat assessment?",
# "Is the 3-i model simple?").
_PLAINLY = (
    r"(?:so|briefly|in short|in brief|in a nutshell|put simply|simply put|"
    r"in (?:simple|plain|layman'?s|a few|two) (?:words|terms|english)|"
    r"простыми словами|коротко(?: говоря)?|кратко|вкратце|в двух словах|если коротко)"
)
_ASKED_PLAINLY = re.compile(
    rf"^\s*{_PLAINLY}\b[\s,:;.!—–-]*|[\s,:;—–-]*\b{_PLAINLY}(?=\s*[?.!]*\s*$)", re.IGNORECASE
)
# The kind of thing a concept is, said around its name: "the 5x5x5 system", "система оценки
# 3x5x2". They frame a concept question too; Russian ones are compared by stem.
_CLASS_NOUNS = frozenset(
    """
    system systems scheme schemes model models framework approach method process
    система схема модель подход метод
    """.split()
)
_CLASS_STEMS = frozenset(stem(noun) for noun in _CLASS_NOUNS if CYRILLIC_WORD.fullmatch(noun))
_LIST_NOUNS = frozenset(
    """
    steps stages phases elements components parts types kinds forms principles products criteria
    levels functions tasks jobs requirements conditions pillars characteristics features
    categories sources methods tools measures areas roles responsibilities duties questions
    rules safeguards grades gradings options models approaches benefits advantages lessons
    этапы элементы компоненты виды типы принципы продукты критерии уровни функции задачи
    требования условия шаги стадии
    """.split()
)
# Russian nouns are compared by stem, so that an inflected plural asks for a list too ("Из каких
# этапов состоит ...?"); English ones as written, in the plural ("the OSCE model" asks for no list).
_LIST_STEMS = frozenset(stem(noun) for noun in _LIST_NOUNS if CYRILLIC_WORD.fullmatch(noun))
_LIST_OPENING = re.compile(
    r"^\s*(?:what|which) (?:are|were) the\b|^\s*(?:list|name|enumerate)\b|"
    r"^\s*каки[ея] (?:есть |существуют )?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class QuestionShape:
    """The kind of answer asked for, the concept a concept question is about, the number of
    items a list question names (if any), and the kind of statement its wording expects
    (answer_type.expected_answer_type: a reason, a date, a number; None for most questions)."""

    kind: str
    concept_id: str | None = None
    count: int | None = None
    expects: str | None = None


def question_shape(query: str, named: list[tuple[str, str]]) -> QuestionShape:
    """Classify a query; `named` holds (concept id, the words that named it) found in it."""
    query_words = words(query)
    count = next((NUMBER_WORDS[w] for w in query_words if w in NUMBER_WORDS), None)
    expects = expected_answer_type(query)
    # Russian words inside a concept's name do not ask for a list ("группа по постановке задач").
    outside = query
    for _, mention in named:
        outside = outside.replace(mention, " ")
    russian = [w for w in words(outside) if CYRILLIC_WORD.fullmatch(w)]
    if (
        _LIST_OPENING.match(query)
        or any(w in _LIST_NOUNS for w in query_words)
        or any(stem(w) in _LIST_STEMS for w in russian)
    ):
        return QuestionShape(LIST, count=count, expects=expects)
    if named:
        # The longest mention is the concept; the question is about it when nothing else is left.
        concept_id, mention = max(named, key=lambda pair: len(pair[1]))
        asked = _ASKED_PLAINLY.sub(" ", query.replace(mention, " "))
        rest = [
            w
            for w in words(asked)
            if w not in _FRAMING and w not in _CLASS_NOUNS and stem(w) not in _CLASS_STEMS
        ]
        if not rest:
            return QuestionShape(CONCEPT, concept_id=concept_id, expects=expects)
    return QuestionShape(EXTRACT, count=count, expects=expects)
