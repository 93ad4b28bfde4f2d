"""What a sentence is, read from its words: the parts of a text that are never an answer (captions,
footnotes, references, licence lines, pointers to other chapters, headings, fragments), list
lead-ins, teasers, and sentences that carry on from the one before.

Every rule here reads one sentence's text, in English or Russian; none depends on a document.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.country_mentions import country_word
from ingest.stems import CYRILLIC_WORD, RUSSIAN_STOPWORDS, english_stem, russian_stem
from search.index.keyword import STOPWORDS as KEYWORD_STOPWORDS

# The field's own name, in English and Russian: every passage is about it, so it names nothing.
FIELD_NAMES = frozenset("ilp пдоди".split())
# Word forms ignored when comparing a sentence's words with a question's: the keyword index's
# English stopwords, the field's own name (every passage is about ILP), and Russian stopwords.
# (ПДОДИ stays a word here: leaving it out of Russian sentence scoring cost cards.)
STOPWORDS = (
    KEYWORD_STOPWORDS
    | RUSSIAN_STOPWORDS
    | frozenset("ilp policing police intelligence led intelligence-led".split())
)
_WORD = re.compile(r"[\w&]+(?:[-'\u2019][\w&]+)*", re.UNICODE)
# A caption names its figure and gives a title ("Figure 2.1 From data to intelligence", "Table 3:
# grades ..."); a sentence that goes straight on in lower case ("Figure 7.1 of the Guidebook
# presents the model as ...", "Таблица 2 показывает ...") is prose about the figure, and can be an
# answer.
_CAPTION = re.compile(
    r"^(?:figure|fig\.|table|chart|diagram|graph|box|image|map|рис\.|рисунок|таблица|схема)"
    r"\s*(?>[\dIVXivx]+(?:[.:]\d+)*)\b(?!\s+(?-i:[a-z\u0430-\u044f\u0451]))",
    re.IGNORECASE,
)
# "Source: NCIS (2000: 9).", "See also ...": a source takes its colon, since "Sources are
# graded 1 to 3" is an answer.
_SOURCE_LINE = re.compile(
    r"^(?:(?:sources?|источники?)\s*:|(?:see also|see|retrieved|available at|accessed)\b|"
    r"cf\.|см\.)",
    re.IGNORECASE,
)
_FOOTNOTE = re.compile(r"^\d{1,3}\s+(?=[A-Z\u0410-\u042f(\"'\u201c])")
# A licence notice, not any sentence that uses the word ("... with licences for i2 Analyst's
# Notebook" is an answer about training).
_LICENCE = re.compile(
    r"\b(?:licen[cs]ed (?:under|to|by)|under (?:the |a |an )?[\w .-]{0,40}licen[cs]e\b|"
    r"licen[cs]e:|CC BY|creative commons|copyright|all rights reserved|written for ILP Atlas)"
    r"|\u00a9",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_REFERENCE_ENTRY = re.compile(
    r"^(?:S\d+[a-z]?:|\[\d+\]|[A-Z\u0410-\u042f][\w'-]+, [A-Z\u0410-\u042f]\.)"
)
# A sentence that sends the reader elsewhere ("A detailed description of the six steps is given
# in Chapter 6.", "This is further explained in the next chapter.", "... in the ILP Atlas entry
# on tasking."): it names the subject and says nothing of it. Both a pointer to a part of the
# document (or to another entry of the atlas) and a verb of presenting, in a sentence of at most
# `POINTER_WORDS` words (a longer one usually states something as well).
_POINTER = re.compile(
    r"\b(?:chapters?|sub-?chapters?|sections?|annex(?:es)?)\s+(?:\d|[IVX]+\b)|"
    r"\b(?:next|following|previous|preceding|later|earlier|this)\s+"
    r"(?:chapters?|sub-?chapters?|sections?)\b|"
    r"\b(?:глав[аеуыой]*|раздел[еау]?|подраздел[еау]?)\s+\d|"
    # another entry of this atlas ("... are explained more fully in the ILP Atlas entry on ...")
    r"\b(?:separate|atlas)\s+entr(?:y|ies)\b",
    re.IGNORECASE,
)
_PRESENTS = re.compile(
    r"\b(?:explain\w*|describ\w*|given|discuss\w*|present\w*|set out|cover\w*|outlin\w*|"
    r"detail\w*|address\w*|dealt|see|рассматрива\w*|описан\w*|изложен\w*|см)\b",
    re.IGNORECASE,
)
POINTER_WORDS = 25
# Anything in brackets (citations, asides); answer_type.py reads sentences without it too.
BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# A citation in brackets: it names a year ("(OSCE Guidebook 2017, Chapter 3)"), and a chapter
# it names is where the statement comes from, not where the reader is sent.
_CITATION = re.compile(r"\([^()]*\b(?:19|20)\d\d\b[^()]*\)|\[[^\[\]]*\b(?:19|20)\d\d\b[^\[\]]*\]")
_ENDS_SENTENCE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_BULLET = re.compile(
    r"^(?:\u2022|[-*\u2013\u25aa\u25cf\uf0b7]|\(?\d{1,2}[.)]|\(?[a-z\u0430-\u044f][.)])\s+"
)
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
    "восемь": 8, "девять": 9, "десять": 10,
}  # fmt: skip
# Words after a number that count time or repetitions, not items of a list.
_MEASURES = frozenset(
    """
    seconds minutes hours days weeks months years decades centuries times per percent
    секунд минут минуты часа часов дня дней недели недель месяца месяцев года лет раза раз
    процент процента процентов
    """.split()
)
_CLAUSE_END = re.compile(r"\s*(?:[,.;:!?)]|$)")  # after a number that closes its clause
_OR = frozenset({"or", "to", "and", "или", "и", "-"})
_LIST_VERBS = re.compile(
    r"\b(?:include|includes|including|consists? of|comprises?|are as follows|the following|"
    r"включает|включают|состоит из|следующие)\b",
    re.IGNORECASE,
)
_CARRIES_ON = re.compile(
    r"^(?:this|these|that|those|it|its|they|their|such|he|she|his|her|both|each|"
    r"first|second|secondly|third|thirdly|finally|also|in addition|moreover|furthermore|"
    r"however|but|yet|instead|in (?:other words|practice|turn)|for (?:example|instance)|thus|"
    r"hence|therefore|as a result|это|этот|эта|эти|они|он|она|оно|такие|такой|кроме того|"
    r"однако|во-первых|во-вторых|в-третьих|например|поэтому)\b",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    """The lower-case words of a text (hyphenated words and "T&CG" kept whole)."""
    return [word.lower() for word in _WORD.findall(text)]


def names_in(*texts: str) -> list[frozenset[str]]:
    """The names a question asks about, each as the stems of its words: runs of capitalised
    words ("Ukraine", "New Zealand", "EUAM", "ОБСЕ"), not stopwords or the field's own name.
    Each text is read on its own (a question, a concept's label); its first word is
    capitalised anyway and counts only as an acronym ("EUAM: what ...", "OSCE ILP model").
    A country's adjective names its country in any case ("шведской полиции")."""
    names: list[frozenset[str]] = []
    for text in texts:
        tokens = [t for t in _WORD.findall(text) if t.lower() not in FIELD_NAMES]
        run: list[str] = []
        for place, token in enumerate([*tokens, ""]):
            acronym = sum(1 for character in token if character.isupper()) >= 2
            capitalised = token[:1].isupper() and (place > 0 or acronym)
            if capitalised or country_word(token):
                run.append(token)
                continue
            name = frozenset(content_terms(" ".join(run)))
            if name and name not in names:
                names.append(name)
            run = []
    return names


def stem(word: str) -> str:
    """A word's Snowball stem, so that a question's "collecting" meets a sentence's "collect",
    "products" meets "product" and a Russian "моделью" meets "модели" ("модел"). Words in
    other scripts are compared as they are. A country's name or adjective, in either language,
    is read as its English name ("Swedish", "Швеции" and "шведской" as "sweden";
    ingest/country_mentions.py). (Stripping only a plural "s", as before, left "collecting" and
    "collect" apart: 0.596 of the gold questions' cards held their facts with it, 0.636 with
    Snowball.)"""
    country = country_word(word)
    if country:
        return country
    if CYRILLIC_WORD.fullmatch(word):
        return russian_stem(word)
    return english_stem(word) if word.isascii() else word


def content_terms(text: str) -> frozenset[str]:
    """Stems of the words that carry meaning (not stopwords, not the field's own name)."""
    return frozenset(stem(word) for word in words(text) if word not in STOPWORDS and len(word) > 1)


# Sentences kept with their content words and roles: the same candidate sentences come back
# from question to question (about 3 KB each, so about 12 MB a process).
SENTENCES_KEPT = 4096


@lru_cache(maxsize=SENTENCES_KEPT)
def sentence_terms(text: str) -> frozenset[str]:
    """`content_terms` of a candidate sentence, kept for the sentences seen most recently."""
    return content_terms(text)


@lru_cache(maxsize=SENTENCES_KEPT)
def never_an_answer(text: str) -> str | None:
    """Why a sentence can never be an answer ("caption", "footnote", ...), or None."""
    stripped = text.strip()
    if _CAPTION.match(stripped):
        return "caption"
    if _FOOTNOTE.match(stripped):
        return "footnote"
    body = _BULLET.sub("", stripped)  # an entry of a bulleted source list is still a reference
    if any(
        _SOURCE_LINE.match(t) or _REFERENCE_ENTRY.match(t) for t in (stripped, body)
    ) or _URL.search(stripped):
        return "reference"
    if _LICENCE.search(stripped):
        return "licence"
    if _is_pointer(stripped):
        return "pointer"
    count = len(words(body))
    if count < 4:
        return "fragment"
    if not _ENDS_SENTENCE.search(body) and not body.endswith(":") and not _BULLET.match(stripped):
        if count <= 12:
            return "heading"
    if body[:1].islower() and not _BULLET.match(stripped):
        return "fragment"  # the tail of a sentence split at a wrong place
    return None


def _is_pointer(stripped: str) -> bool:
    """A sentence that sends the reader elsewhere (see `_POINTER`). A pointer in brackets is an
    aside when the rest of the sentence presents nothing: "... meet regularly at every level
    (see further sub-chapter 7.5)." states something, "The steps are described in detail (see
    Chapter 6)." does not. (A sentence wholly in brackets is read as it is.)"""
    if (
        is_lead_in(stripped)  # "... includes the following chapters:" brings its list
        or not _POINTER.search(_CITATION.sub(" ", stripped))
        or len(words(stripped)) > POINTER_WORDS
    ):
        return False
    unbracketed = BRACKETED.sub(" ", stripped)
    if len(words(unbracketed)) < 4:
        unbracketed = stripped
    return bool(_PRESENTS.search(unbracketed))


def without_bullet(text: str) -> str:
    """A list item's text without its bullet or number ("• analysis" -> "analysis")."""
    return _BULLET.sub("", text.strip())


def is_list_item(text: str) -> bool:
    """A bullet or numbered item ("• analysis", "1) collection", "(a) ...")."""
    return bool(_BULLET.match(text.strip()))


def item_number(text: str) -> int | None:
    """The number of a numbered item ("2. Systematized ...": 2, "(3) ...": 3), else None."""
    bullet = _BULLET.match(text.strip())
    digits = re.search(r"\d+", bullet.group(0)) if bullet else None
    return int(digits.group(0)) if digits else None


def is_lead_in(text: str) -> bool:
    """A sentence that only announces what follows ("The NIM has four products:")."""
    return text.rstrip().endswith(":")


def announced_count(text: str) -> int | None:
    """The number of items a sentence announces ("defines four intelligence products": 4); a
    number of weeks, months or times announces nothing ("meets every two weeks", "every three
    or six months")."""
    announced = _announcement(text)
    return announced[0] if announced else None


def count_only_announcement(text: str) -> tuple[int, list[str]] | None:
    """When only a number says that a list follows (no colon, no "include"): that number and
    the words that tell what it counts, else None. The words are the three after the number
    ("defines four intelligence products"; other numbers and "or", "to", "and" skipped), and,
    when the number closes its clause, the two content words before it as well (a Russian count
    often follows its noun: "кодов обращения всего два, P и C")."""
    if is_lead_in(text) or _LIST_VERBS.search(text):
        return None
    return _announcement(text)


def _announcement(text: str) -> tuple[int, list[str]] | None:
    """The first number of items in a sentence and the words around it
    (`count_only_announcement`)."""
    found = list(_WORD.finditer(text))
    sentence_words = [match.group(0).lower() for match in found]
    for position, word in enumerate(sentence_words):
        if word not in NUMBER_WORDS:
            continue
        after = [
            w for w in sentence_words[position + 1 :] if w not in NUMBER_WORDS and w not in _OR
        ]
        if after and after[0] in _MEASURES:
            continue
        closes = _CLAUSE_END.match(text, found[position].end())
        before = [w for w in sentence_words[:position] if w not in STOPWORDS][-2:] if closes else []
        return NUMBER_WORDS[word], before + after[:3]
    return None


def announces_list(text: str) -> bool:
    """A lead-in, or a sentence naming how many items follow or that it includes some."""
    return is_lead_in(text) or announced_count(text) is not None or bool(_LIST_VERBS.search(text))


def carries_on(text: str) -> bool:
    """True when a sentence continues the point of the one before ("This means ...")."""
    return bool(_CARRIES_ON.match(_BULLET.sub("", text.strip())))


def is_teaser(text: str, query_terms: frozenset[str]) -> bool:
    """Short and generic: fewer than 10 words and none of the query's content words."""
    return len(words(text)) < 10 and not (sentence_terms(text) & query_terms)
