"""The kind of statement a question expects, when its wording says so, and whether a sentence
is one: a reason for "why", a date for "when", a number for "how many".

This is the expected answer type of question answering: a sentence of the right type is
likelier to be the answer among sentences that are otherwise about as close to the question
("Why do commanders resist these reforms?" is answered by "Resistance is to be expected,
because ILP challenges the established order ...", not by a sentence that only names the
resistance). It is a small bonus to a sentence's score (candidates.ANSWER_TYPE_BONUS), not a
filter: the right sentence may give its reason without a marker word.

English and Russian, questions and sentences alike; the question's type is read from the
question as asked (question.question_shape), the sentence's from its text without the citations
in brackets ("(OSCE Guidebook 2017, p. 24)" is not a date or a number the sentence states).
"""

from __future__ import annotations

import re

REASON = "reason"
DATE = "date"
QUANTITY = "quantity"

_ASKS = {
    REASON: re.compile(
        r"\b(?:why|for what reasons?|почему|зачем|по каким причинам|по какой причине)\b",
        re.IGNORECASE,
    ),
    # "when" that asks: at the start, or after "and" ("What is NIM, and when did it start?");
    # not the "when" of a condition ("What goes wrong when a service adopts ILP on paper?").
    DATE: re.compile(
        r"^\W*(?:when|since when|когда|с каких пор)\b|"
        r"\b(?:and|or|but|и|или|а)\s+(?:when|когда)\b|"
        r"\b(?:what|which|in what|in which)\s+years?\b|\bв каком году\b|\bв каких годах\b",
        re.IGNORECASE,
    ),
    QUANTITY: re.compile(r"\bhow many\b|\bсколько\b", re.IGNORECASE),
}
_GIVES = {
    REASON: re.compile(
        r"\b(?:because|due to|owing to|as a result|therefore|hence|reasons?|caus(?:e|es|ed)|"
        r"so that|in order to|so as to|"
        r"потому что|так как|поскольку|из-за|поэтому|вследствие|причин\w*|чтобы)\b",
        re.IGNORECASE,
    ),
    # (Not "may": in English it is far more often the verb.)
    DATE: re.compile(
        r"\b(?:1[89]\d\d|20\d\d)(?:s|-е)?\b|"
        r"\b(?:january|february|march|april|june|july|august|september|october|november|december|"
        r"январ\w+|феврал\w+|март\w*|апрел\w+|ма[йяе]|июн\w+|июл\w+|август\w*|"
        r"сентябр\w+|октябр\w+|ноябр\w+|декабр\w+)\b",
        re.IGNORECASE,
    ),
    QUANTITY: re.compile(
        r"\b\d+(?:[.,]\d+)?\b|"
        r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|"
        r"thousands?|millions?|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять|"
        r"сотн\w*|тысяч\w*|миллион\w*)\b",
        re.IGNORECASE,
    ),
}
# Citations and asides in brackets: "(Ratcliffe 2008, p. 248)" states no date of its own.
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def expected_answer(question: str) -> str | None:
    """REASON, DATE or QUANTITY when the question's wording asks for one (the first that
    applies, in that order), else None."""
    for kind, asks in _ASKS.items():
        if asks.search(question):
            return kind
    return None


def gives(kind: str | None, sentence: str) -> bool:
    """Whether the sentence states what a question of this kind expects (False for None)."""
    if kind is None:
        return False
    return bool(_GIVES[kind].search(_BRACKETED.sub(" ", sentence)))
