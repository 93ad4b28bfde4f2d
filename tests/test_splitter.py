"""Passage splitting: whole sentences, word limits, chapter boundaries, offsets, stable ids."""

from __future__ import annotations

from ingest.models import Document, DocumentMeta, Paragraph
from ingest.reader import read_document
from ingest.splitter import MAX_WORDS, split_passages
from tests.conftest import DATA

META = DocumentMeta(id="doc", title="Doc", kind="research", path=DATA / "none")


def sentence(n: int) -> str:
    return f"Sentence number {n} says something about analysts and managers in policing."


def test_offsets_slice_back_to_the_passage_text():
    meta = DocumentMeta(
        id="tasking-guide", title="T", kind="guidebook", path=DATA / "corpus" / "tasking-guide.html"
    )
    document = read_document(meta)
    passages = split_passages(document)
    assert passages
    for passage in passages:
        assert document.text[passage.char_start : passage.char_end] == passage.text


def test_long_paragraphs_split_on_sentences_within_limits():
    long_paragraph = " ".join(sentence(n) for n in range(80))  # about 900 words
    document = Document.from_paragraphs(META, [Paragraph(long_paragraph, ("1. Chapter",))])
    passages = split_passages(document)
    assert len(passages) >= 4
    for passage in passages:
        assert len(passage.text.split()) <= MAX_WORDS
        assert passage.text.startswith("Sentence number") and passage.text.endswith(".")


def test_passages_never_cross_a_chapter_boundary():
    paragraphs = [Paragraph(sentence(1), ("1. One",)), Paragraph(sentence(2), ("2. Two",))]
    passages = split_passages(Document.from_paragraphs(META, paragraphs))
    assert [p.heading_path for p in passages] == [("1. One",), ("2. Two",)]


def test_short_subsections_merge_and_keep_the_common_heading_path():
    paragraphs = [
        Paragraph(sentence(1), ("7. Implementing", "7.5 Meetings", "7.5.1 Strategic")),
        Paragraph(sentence(2), ("7. Implementing", "7.5 Meetings", "7.5.2 Operational")),
    ]
    passages = split_passages(Document.from_paragraphs(META, paragraphs))
    assert len(passages) == 1
    assert passages[0].heading_path == ("7. Implementing", "7.5 Meetings")


def test_ids_are_stable_and_depend_on_content():
    paragraphs = [Paragraph(sentence(1), ("1. One",)), Paragraph(sentence(2), ("2. Two",))]
    first = split_passages(Document.from_paragraphs(META, paragraphs))
    second = split_passages(Document.from_paragraphs(META, paragraphs))
    assert [p.id for p in first] == [p.id for p in second]
    assert all(p.id.startswith("doc-") for p in first)
    edited = [paragraphs[0], Paragraph(sentence(3), ("2. Two",))]
    third = split_passages(Document.from_paragraphs(META, edited))
    assert third[0].id == first[0].id and third[1].id != first[1].id


def test_duplicate_text_gets_distinct_ids():
    paragraphs = [Paragraph(sentence(1), ("1. One",)), Paragraph(sentence(1), ("2. Two",))]
    ids = [p.id for p in split_passages(Document.from_paragraphs(META, paragraphs))]
    assert len(set(ids)) == 2


def test_reference_lists_are_not_indexed():
    meta = DocumentMeta(
        id="tasking-guide", title="T", kind="guidebook", path=DATA / "corpus" / "tasking-guide.html"
    )
    passages = split_passages(read_document(meta))
    assert not any("reference list entry" in p.text for p in passages)
