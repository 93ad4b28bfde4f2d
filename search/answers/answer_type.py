"""The kind of statement a question expects, when its wording says so, and whether a sentence
is one: a reason for "why", a date for "when", a number for "how many", a frequency for "how
often" ("weekly or fortnightly", "every three or six months", "раз в две недели").

This is the expected answer type of question answering: a sentence of the right type is
likelier to be the answer among sentences that are otherwise about as close to the question
("Why do commanders resist these reforms?" is answered by "Resistance is to be expected,
because ILP challenges the established order ...", not by a sentence that only names the
resistance). It is a small bonus to a sentence's score (candidates.ANSWER_TYPE_BONUS), not a
filter: the right sentence may give its reason without a marker word.

English and Russian, questions and sentences alike; the question's type is read from the
question as asked (question.question_shape), the sentence's from its text without anything in
brackets (citations and asides: "(OSCE Guidebook 2017, p. 24)" is not a date or a number the
sentence states). A question that asks for two kinds ("When was it introduced, and why?") is
read as asking for the first that applies in the order reason, date, number, frequency.
"""

from __future__ import annotations

import re

from search.answers.roles import BRACKETED, NUMBER_WORDS

REASON = "reason"
DATE = "date"
NUMBER = "number"
FREQUENCY = "frequency"

# Words that open a Russian question, after a comma: "Когда служба внедряет ПДОДИ, что
# меняется?" asks what changes, not when.
_RUSSIAN_ASKING = r"(?:что|как\w*|кто|кого|где|почему|зачем|сколько|чем|чего|чему|ли)"
_ASKS = {
    REASON: re.compile(
        r"\b(?:why|for what reasons?|what (?:is|are|were|was) the reasons?|reasons? for|"
        r"почему|зачем|отчего|по каким причинам|по какой причине|каковы причины)\b",
        re.IGNORECASE,
    ),
    # A "when" that asks: at the start before a verb ("When did ILP start?", not "When a force
    # adopts ILP, what changes?"), or after "and", "or", "but" ("What is NIM, and when did it
    # start?"); not the "when" of a condition ("What goes wrong when a service adopts ILP?").
    # A Russian "Когда ..." asks unless a comma brings the question word ("Когда ..., что ...?").
    DATE: re.compile(
        r"^\W*(?:since\s+)?when\s+(?:did|do|does|was|were|is|are|will|would|should|can|could|"
        r"has|have|had|must|might)\b|"
        rf"^\W*(?:когда|с каких пор)\b(?![^?]*,\s*{_RUSSIAN_ASKING}\b)|"
        r"\b(?:and|or|but|и|или|а|но)\s+(?:when|когда)\b|"
        r"\b(?:what|which|in what|in which)\s+(?:years?|date)\b|"
        r"\bв каком году\b|\bв каких годах\b|\bс какого года\b",
        re.IGNORECASE,
    ),
    NUMBER: re.compile(r"\bhow many\b|\bсколько\b", re.IGNORECASE),
    FREQUENCY: re.compile(
        r"\bhow (?:often|frequently|regularly)\b|\bat what intervals?\b|"
        r"\bкак (?:часто|регулярно)\b|\bс какой (?:периодичностью|частотой|регулярностью)\b",
        re.IGNORECASE,
    ),
}
_STATES = {  # matched against the lower-cased sentence (states_expected)
    REASON: re.compile(
        r"\b(?:because|due to|owing to|as a result|therefore|hence|reasons?|caus(?:e|es|ed)|"
        r"so that|in order to|so as to|"
        r"потому,?\s+что|так как|поскольку|из-за|поэтому|вследствие|в результате|благодаря|"
        r"следовательно|ибо|причин\w*|чтобы)\b",
    ),
    # (Not "may": in English it is far more often the verb.)
    DATE: re.compile(
        r"\b(?:1[89]\d\d|20\d\d)(?:s|-е)?\b|"
        r"\b(?:january|february|march|april|june|july|august|september|october|november|december|"
        r"январ\w+|феврал\w+|март\w*|апрел\w+|ма[йяе]|июн\w+|июл\w+|август\w*|"
        r"сентябр\w+|октябр\w+|ноябр\w+|декабр\w+)\b",
    ),
    FREQUENCY: re.compile(
        r"\b(?:hourly|daily|weekly|fortnightly|monthly|quarterly|annually|yearly|biannually|"
        r"every (?:day|week|month|quarter|year|(?:\w+ )?(?:or \w+ )?(?:days|weeks|months|years))|"
        r"(?:once|twice|\w+ times) (?:a|per|each) (?:day|week|month|quarter|year)|"
        r"ежедневн\w*|еженедельн\w*|ежемесячн\w*|ежеквартальн\w*|ежегодн\w*|"
        r"раз в (?:\w+ )?(?:день|дня|дней|неделю|недели|недель|месяц|месяца|месяцев|"
        r"квартал|год|года|лет))\b",
    ),
}
# A number in figures, not the name of a model ("3-i", "4-i"), or in words, in any Russian case
# ("в двух руководствах"): roles.NUMBER_WORDS (two to ten, which count a list's items) and the
# other numbers and forms of any quantity.
_FIGURE = re.compile(r"\b\d+(?:[.,]\d+)?\b(?!-[a-zа-я])")
_NUMBER_WORDS = frozenset(NUMBER_WORDS) | frozenset(
    """
    one eleven twelve twenty thirty forty fifty sixty seventy eighty ninety dozen dozens hundred
    hundreds thousand thousands million millions двух двум двумя трех трёх трем тремя пяти пятью
    шести шестью семи семью девяти девятью десяти десятью сорок сорока сто ста
    """.split()
)
_NUMBER_STEMS = ("четыр", "восем", "сотн", "сотен", "тысяч", "миллион")  # четырех, восьми, ...
_WORD = re.compile(r"\w+")


def expected_answer_type(question: str) -> str | None:
    """REASON, DATE, NUMBER or FREQUENCY when the question's wording asks for one (the first
    that applies, in that order), else None."""
    for kind, asks in _ASKS.items():
        if asks.search(question):
            return kind
    return None


def states_expected(kind: str | None, sentence: str) -> bool:
    """Whether the sentence states what a question of this kind expects (False for None)."""
    if kind is None:
        return False
    # Matched in lower case: a case-insensitive pattern is about three times slower, and this
    # runs on every candidate sentence of a typed question.
    # Without anything in brackets: "(Ratcliffe 2008, p. 248)" states no date of its own.
    text = BRACKETED.sub(" ", sentence).lower()
    if kind == NUMBER:
        return bool(_FIGURE.search(text)) or any(_is_number_word(w) for w in _WORD.findall(text))
    return bool(_STATES[kind].search(text))


def _is_number_word(word: str) -> bool:
    return (
        word in _NUMBER_WORDS
        or word.endswith("teen")  # thirteen ... nineteen
        or "дцат" in word  # одиннадцать ... двадцать, тридцати
        or word.startswith(_NUMBER_STEMS)
    )
