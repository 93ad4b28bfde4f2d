"""The PDF reader on the real OSCE Guidebook (2017), when the shared real-world folder is present.

Generated PDFs in test_pdf.py test every rule on their own; this file checks that the rules hold
up together on a real, professionally typeset document.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.models import CAPTION, FIGURE, TEXT, Document, DocumentMeta, Passage
from ingest.reader import read_document
from ingest.splitter import split_passages

GUIDEBOOK = (
    Path(__file__).resolve().parents[2] / "shared" / "real-world" / "osce-guidebook-ilp-2017.pdf"
)
if not GUIDEBOOK.is_file():
    pytest.skip(
        f"{GUIDEBOOK} is absent (a fresh clone has no shared/ folder)", allow_module_level=True
    )

# As printed on the chapter title pages (the contents page drops "The" from chapter 4).
CHAPTERS = [
    "1. Contemporary policing models",
    "2. Information, knowledge and intelligence",
    "3. Defining intelligence-led policing",
    "4. The advantages of intelligence-led policing",
    "5. Legal considerations, human rights and data protection",
    "6. The criminal intelligence process",
    "7. Implementing ILP",
    "8. ILP in practice",
]
RUNNING_HEADER = "OSCE GUIDEBOOK ON INTELLIGENCE-LED POLICING"
_FRAGMENT = re.compile(r"^[A-Za-z]+-$")
_SUSPENDED_BEFORE = {"and", "or", "to", "nor"}  # "high- and medium-level" is spelled so
# A contents entry: a title with dot leaders, or a numbered title, ending in a page number.
_TOC_LINE = re.compile(r"\.{3,}\s*\d{1,3}$|^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z][^=]*\s\d{1,3}$")


@pytest.fixture(scope="module")
def document() -> Document:
    return read_document(
        DocumentMeta(
            id="osce-guidebook", title="OSCE Guidebook ILP", kind="guidebook", path=GUIDEBOOK
        )
    )


@pytest.fixture(scope="module")
def passages(document: Document) -> list[Passage]:
    return split_passages(document)


def _key(title: str) -> str:
    return " ".join(title.lower().split())


def test_the_eight_chapters_are_top_level_headings(passages: list[Passage]):
    tops = {_key(p.heading_path[0]) for p in passages if p.heading_path}
    assert {_key(title) for title in CHAPTERS} <= tops


def test_front_matter_sections_are_top_level_and_references_are_not_indexed(
    document: Document, passages: list[Passage]
):
    tops = {_key(p.heading_path[0]) for p in passages if p.heading_path}
    assert {"preface", "executive summary", "introduction"} <= tops
    assert "references" in {_key(b.heading_path[0]) for b in document.blocks if b.heading_path}
    assert "references" not in tops


def test_passages_carry_printed_page_labels(passages: list[Passage]):
    # PDF page 20 is printed page 18.
    on_page_20 = [p for p in passages if "conflicting ideas on defining ILP" in p.text]
    assert on_page_20 and {p.page for p in on_page_20} == {"18"}
    assert "3. Defining intelligence-led policing" in on_page_20[0].heading_path


def test_running_header_never_reaches_a_passage(passages: list[Passage]):
    for passage in passages:
        assert RUNNING_HEADER not in passage.text
        # The Preface names the book in a sentence ("The OSCE Guidebook on ... is"); that stays.
        for match in re.finditer(re.escape(RUNNING_HEADER), passage.text, re.I):
            assert passage.text[max(0, match.start() - 4) : match.start()] == "The "


def test_fewer_than_one_percent_of_words_are_hyphen_fragments(passages: list[Passage]):
    words = fragments = 0
    for passage in passages:
        tokens = passage.text.split()
        words += len(tokens)
        fragments += sum(
            1
            for token, after in zip(tokens, tokens[1:] + [""], strict=True)
            if _FRAGMENT.match(token) and after not in _SUSPENDED_BEFORE
        )
    assert fragments / words < 0.01
    assert fragments <= 5  # measured: 2 of 31,500 words, both hyphens inside figure labels


def test_table_of_contents_is_not_indexed(passages: list[Passage]):
    for passage in passages:
        assert not any("contents" in _key(title) for title in passage.heading_path)
        assert sum(1 for line in passage.text.split("\n") if _TOC_LINE.search(line)) < 3
        assert "Table of Contents" not in passage.text
        # Entries joined into one line are caught by the entries themselves.
        assert not re.search(
            r"Executive summary\s+6\b|6\.1 Tasking and planning\s+31\b", passage.text, re.I
        )


def test_passage_lengths(passages: list[Passage]):
    lengths = [len(p.text.split()) for p in passages]
    within = sum(1 for length in lengths if 1 <= length <= 300)
    assert within >= 0.99 * len(lengths)
    assert len(passages) > 100


def test_footnotes_are_separate_from_body_text(document: Document):
    note = "The UK Home Office first introduced the concept of intelligence-led policing in 1993"
    holders = [b for b in document.blocks if note in b.text]
    assert len(holders) == 1 and holders[0].heading_path[-1] == "Footnotes"
    assert holders[0].heading_path[0] == "3. Defining intelligence-led policing"


def test_captions_and_diagram_text_are_not_body_text(document: Document, passages: list[Passage]):
    kinds = {block.text: block.kind for block in document.blocks}
    captions = [text for text, kind in kinds.items() if kind == CAPTION]
    # The 13 figures and 6 tables, each caption a block of its own ("Figure 8.4 ... Germany"
    # once ran on into the body text on the next page).
    assert len([text for text in captions if re.match(r"(Figure|Table) \d\.\d ", text)]) == 19
    assert all(len(text.split()) < 30 for text in captions)
    assert "Source: Ratcliffe (2016: 72)." in captions
    figure_text = " ".join(text for text, kind in kinds.items() if kind == FIGURE)
    assert "Priorities Priorities" in figure_text and "COMBAT PREVENTION" in figure_text
    body = " ".join(p.text for p in passages if p.kind == TEXT)
    for fragment in ("Priorities Priorities", "COMBAT PREVENTION", "Source: Ratcliffe (2016"):
        assert fragment not in body
    assert not re.search(r"Figure \d\.\d [A-Z]", body)  # captions, not "Figure 7.1 is ..."
    assert "Figure 7.1 is a simplified graphical presentation" in body


def test_no_paragraph_starts_in_the_middle_of_a_sentence(document: Document):
    """A paragraph of running text never opens in lower case: a sentence that went on in a
    smaller type size, a numbered item's hanging indent and a table cell's wrapped line stay
    with their start (16 such paragraphs before ingest/pdf_paragraphs.py learned them)."""
    detached = [
        (block.page, block.text[:40])
        for block in document.blocks
        if block.kind == TEXT and block.text[:1].islower()
    ]
    assert detached == []
