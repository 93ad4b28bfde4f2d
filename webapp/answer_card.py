"""The answer card as the search page shows it: consecutive sentences from the same passage
and page read as one extract under one citation (the API keeps one citation per sentence). A
passage's second point, further down than the extract, is an extract of its own."""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.answers.roles import without_bullet
from search.results import AnswerSentence

_NUMBERED = re.compile(r"\(?(?:\d{1,2}|[a-z\u0430-\u044f])[.)]\s")


@dataclass(frozen=True)
class Extract:
    """Sentences of one passage and page (or a definition) shown together with one citation."""

    sentences: list[AnswerSentence]  # the lead sentences, then list items (kind "item")

    @property
    def first(self) -> AnswerSentence:
        """The extract's first sentence: its citation and anchor stand for the extract."""
        return self.sentences[0]

    @property
    def text(self) -> list[AnswerSentence]:
        """The sentences that are not list items."""
        return [s for s in self.sentences if s.kind != "item"]

    @property
    def items(self) -> list[AnswerSentence]:
        """The list items the extract brings."""
        return [s for s in self.sentences if s.kind == "item"]

    @property
    def numbered(self) -> bool:
        """True when the items are numbered or lettered ("1)", "(a)"): the page draws an `<ol>`."""
        return bool(self.items) and bool(_NUMBERED.match(self.items[0].text.strip()))

    @property
    def item_texts(self) -> list[str]:
        """The list items' texts without their bullets or numbers (the page draws its own)."""
        return [without_bullet(s.text) for s in self.items]


def _sentence_number(sentence: AnswerSentence) -> int | None:
    """The sentence's position in its passage, from its anchor ("<passage id>-s3": 3)."""
    found = re.search(r"-s(\d+)$", sentence.anchor or "")
    return int(found.group(1)) if found else None


def _follows(previous: AnswerSentence, sentence: AnswerSentence) -> bool:
    """False when two sentences of running text have a gap between them in their passage."""
    if previous.kind == "item" or sentence.kind == "item":
        return True  # a list's items are drawn as one list, whatever lies between them
    before, after = _sentence_number(previous), _sentence_number(sentence)
    return before is None or after is None or after == before + 1


def extracts(answer: list[AnswerSentence]) -> list[Extract]:
    """Group the card: a new extract starts at a definition, another passage or another page,
    a sentence after list items, or a sentence that does not follow on from the one before."""
    groups: list[list[AnswerSentence]] = []
    for sentence in answer:
        previous = groups[-1][-1] if groups else None
        same = (
            previous is not None
            and sentence.kind != "definition"
            and previous.kind != "definition"
            and sentence.passage_id == previous.passage_id
            and sentence.page == previous.page
            and not (previous.kind == "item" and sentence.kind != "item")
            and _follows(previous, sentence)
        )
        if same:
            groups[-1].append(sentence)
        else:
            groups.append([sentence])
    return [Extract(group) for group in groups]
