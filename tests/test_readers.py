"""Readers: Markdown, HTML, plain text and PDF into paragraphs with heading paths and pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.html import html_metadata, parse_html_bytes, read_html
from ingest.markdown import parse_markdown, read_markdown, split_front_matter
from ingest.models import DocumentMeta
from ingest.reader import read_document
from ingest.text import read_text_file, sentence_spans
from tests.conftest import DATA

CORPUS = DATA / "corpus"


def test_markdown_headings_front_matter_and_inline_markup():
    paragraphs = read_markdown(CORPUS / "models-study.md")
    first = paragraphs[0]
    assert first.heading_path == ("Models Study", "1. The 3-i model")
    assert "analysts interpret the criminal environment" in first.text
    assert "**" not in first.text and "*influence*" not in first.text
    items = paragraphs[-1]
    assert items.heading_path == ("Models Study", "2. Community policing")
    assert items.text.split("\n") == [
        "\u2022 First point about neighbourhood officers.",
        "\u2022 Second point about local forums.",
    ]


def test_front_matter_is_parsed_and_removed():
    meta, body = split_front_matter("---\ntitle: A: B\nyear: 2017\n---\n# Heading\n")
    assert meta == {"title": "A: B", "year": "2017"}
    assert body == "# Heading\n"


def test_html_keeps_main_content_only():
    paragraphs = read_html(CORPUS / "tasking-guide.html")
    text = "\n".join(p.text for p in paragraphs)
    for dropped in ("Site banner", "navigation link", "Footer copyright", "tracking", "color"):
        assert dropped not in text
    assert paragraphs[0].heading_path == ("Tasking Guide", "1. Tasking and co-ordination meetings")
    assert "(T&CG)" in paragraphs[0].text


def test_html_heading_path_lists_and_tables():
    paragraphs = read_html(CORPUS / "tasking-guide.html")
    attendees = next(p for p in paragraphs if "The chair" in p.text)
    assert attendees.heading_path[-1] == "1.1 Who attends"
    assert attendees.text == (
        "\u2022 The chair, a senior manager.\n\u2022 Analysts who present the assessment."
    )
    table = next(p for p in paragraphs if "Always reliable" in p.text)
    assert table.text == "Grade | Meaning\nA | Always reliable"
    assert table.heading_path[-1] == "2. Human rights safeguards"


def test_numbered_lists_keep_their_numbers(tmp_path: Path):
    # Snippets and answer cards draw "1) ..." lines as an ordered list, "• ..." as bullets.
    markdown = parse_markdown(
        "The cycle has steps:\n\n1) collection of data,\n   wrapped\n2) analysis\n\n- a\n- b\n"
    )
    assert [p.text for p in markdown] == [
        "The cycle has steps:",
        "1) collection of data, wrapped\n2) analysis",
        "\u2022 a\n\u2022 b",
    ]
    page = tmp_path / "list.html"
    page.write_text(
        "<main><ol start='3'><li>Tasking</li><li>Review</li></ol><ul><li>Chair</li></ul></main>"
    )
    assert [p.text for p in read_html(page)] == ["3. Tasking\n4. Review", "\u2022 Chair"]


def test_markdown_tables_read_as_the_html_reader_reads_tables(tmp_path: Path):
    """A pipe table (a row, then a delimiter row) is a block of its own, a line per row and
    its cells joined by " | ", empty cells kept, as in HTML; the delimiter row is dropped. (It
    had been read as one run of prose, "| Grade | Meaning | |---|---| | A | ...", which the
    answer card quoted whole.) A line between pipes with no delimiter row under it is prose."""
    markdown = parse_markdown(
        "They differ along two lines.\n"
        "| Grade | Meaning |\n|:---|---:|\n| A | **Always** reliable |\n|  B | |\r\n"
        "| C | x \\| y |\nThe trend runs one way.\n\n- an item | with a pipe\n\n"
        "|x| + |y| is a norm,\nwrapped.\n"
    )
    assert [p.text for p in markdown] == [
        "They differ along two lines.",
        "Grade | Meaning\nA | Always reliable\nB |\nC | x | y",
        "The trend runs one way.",
        "\u2022 an item | with a pipe",
        "|x| + |y| is a norm, wrapped.",
    ]
    page = tmp_path / "table.html"
    page.write_text(
        "<main><table><tr><th></th><th>2019</th><th>2020</th></tr>"
        "<tr><td>A</td><td>1</td><td></td></tr></table></main>"
    )
    assert read_html(page)[0].text == "| 2019 | 2020\nA | 1 |"  # each value under its year


def test_html_charset_from_meta_tag(tmp_path: Path):
    page = tmp_path / "latin.html"
    page.write_bytes(
        '<html><head><meta charset="iso-8859-1"></head><body><main>'
        "<p>Café policing in Zürich</p></main></body></html>".encode("latin-1")
    )
    assert read_html(page)[0].text == "Café policing in Zürich"


def test_plain_text_paragraphs():
    paragraphs = read_text_file(CORPUS / "field-notes.txt")
    assert len(paragraphs) == 2
    assert paragraphs[1].heading_path == ()


def test_non_utf8_text_falls_back_to_cp1252(tmp_path: Path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Smart \u201cquotes\u201d and caf\u00e9".encode("cp1252"))
    assert read_text_file(path)[0].text == "Smart \u201cquotes\u201d and caf\u00e9"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence. Two sentences! Three?", ["One sentence.", "Two sentences!", "Three?"]),
        ("See p. 55 for details. Next one.", ["See p. 55 for details.", "Next one."]),
        (
            "Use e.g. Tools here. The U.K. model works. Done.",
            ["Use e.g. Tools here.", "The U.K. model works.", "Done."],
        ),
        # Citations, page ranges, numbers and initials stay inside their sentence.
        (
            "In his paper (Trends & Issues no. 248), Ratcliffe defined ILP. It spread.",
            ["In his paper (Trends & Issues no. 248), Ratcliffe defined ILP.", "It spread."],
        ),
        (
            "As argued (Ratcliffe 2008, p. 248), it works. See pp. 46-52. And No. 3 too.",
            ["As argued (Ratcliffe 2008, p. 248), it works.", "See pp. 46-52.", "And No. 3 too."],
        ),
        (
            "J. H. Ratcliffe wrote it. Sgt. Jones agreed.",
            ["J. H. Ratcliffe wrote it.", "Sgt. Jones agreed."],
        ),
        ("Rising costs (see Table 2). Next year.", ["Rising costs (see Table 2).", "Next year."]),
        # A citation in brackets after the full stop cites the sentence before: one sentence.
        (
            "The key message comes first. (OSCE Guidebook 2017, p. 39). Reports follow.",
            ["The key message comes first. (OSCE Guidebook 2017, p. 39).", "Reports follow."],
        ),
        (
            "Анализ важен. (Руководство ОБСЕ 2017, с. 39). Далее.",
            ["Анализ важен. (Руководство ОБСЕ 2017, с. 39).", "Далее."],
        ),
        # ... but not a bracketed sentence (its stop inside), nor one that opens a line or its own
        # line.
        ("(OSCE 2017, p. 3). Next.", ["(OSCE 2017, p. 3).", "Next."]),
        # A citation may end on an abbreviation.
        ("It works. (Ratcliffe et al.). Next.", ["It works. (Ratcliffe et al.).", "Next."]),
        (
            "It has six steps. (Chapter 6 describes them.) Next.",
            ["It has six steps.", "(Chapter 6 describes them.)", "Next."],
        ),
        ("A list item.\n(Source: OSCE 2017).", ["A list item.", "(Source: OSCE 2017)."]),
        ("Is it new? Yes! It is.", ["Is it new?", "Yes!", "It is."]),
        # A numbered item keeps its number; a year or a count ending a sentence still ends it.
        (
            "1. Leading and steering. It comes first.\n12. Корупция и насилие",
            ["1. Leading and steering.", "It comes first.", "12. Корупция и насилие"],
        ),
        ("It began in 2015. The police changed.", ["It began in 2015.", "The police changed."]),
        ("Ranked 12. Then 11. Done.", ["Ranked 12.", "Then 11.", "Done."]),
        # Russian: "т. е.", "см.", "с.", "гл.", "г." and initials.
        (
            "Модель описана в гл. 3, т. е. в разделе 3.1 (см. с. 45). А. С. Петров согласен.",
            ["Модель описана в гл. 3, т. е. в разделе 3.1 (см. с. 45).", "А. С. Петров согласен."],
        ),
        (
            "Реформа прошла в 2015 г. Затем МВД изменило структуру.",
            ["Реформа прошла в 2015 г. Затем МВД изменило структуру."],
        ),
        ("Это первое. Это второе!", ["Это первое.", "Это второе!"]),
        ("Он пришёл и т. д. Новое предложение.", ["Он пришёл и т. д.", "Новое предложение."]),
        # Brackets: square ones too, and an unclosed "(" does not swallow what follows.
        (
            "As shown [see Smith. Jones 2001] it works. Next.",
            ["As shown [see Smith. Jones 2001] it works.", "Next."],
        ),
        (
            "A list (broken. Next one here. Then (another) one.",
            ["A list (broken.", "Next one here.", "Then (another) one."],
        ),
    ],
)
def test_sentence_spans(text: str, expected: list[str]):
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def _meta(path: Path) -> DocumentMeta:
    return DocumentMeta(id=path.stem, title=path.stem, kind="research", path=path)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "empty"),
        ("binary.html", b"\x00\x01\x02\x03PK\x00\x00garbage", "binary"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "not a readable PDF"),
        ("notes.docx", b"some bytes", "unsupported file type"),
        ("blank.md", b"---\ntitle: x\n---\n\n   \n", "no text"),
        ("empty.pdf", b"", "empty"),
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02binary", "binary"),
        (
            "nothing.html",
            b"<html><body><nav>Menu</nav><script>x()</script></body></html>",
            "no text",
        ),
        ("blank.txt", b"   \n\n  \n", "no text"),
    ],
)
def test_bad_files_raise_one_clear_error(tmp_path: Path, name: str, content: bytes, reason: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=reason) as error:
        read_document(_meta(path))
    assert name in str(error.value)


def test_file_over_the_size_limit_is_refused(tmp_path: Path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 1000)
    with pytest.raises(IngestError, match="over the"):
        read_document(_meta(path), max_bytes=1000)


def test_text_in_an_unknown_encoding_is_refused(tmp_path: Path):
    path = tmp_path / "mystery.txt"
    path.write_bytes(b"caf\xe9 \x81\x8d\x90 policing")  # not UTF-8, and undefined in cp1252
    with pytest.raises(IngestError, match="neither UTF-8 nor Windows-1252") as error:
        read_document(_meta(path))
    assert "mystery.txt" in str(error.value)


def test_utf16_text_with_a_byte_order_mark(tmp_path: Path):
    path = tmp_path / "wide.txt"
    path.write_bytes("Intelligence-led policing in Z\u00fcrich".encode("utf-16"))
    assert read_text_file(path)[0].text == "Intelligence-led policing in Z\u00fcrich"


def test_html_title_and_meta_tags_feed_metadata():
    page = (
        b'<html lang="en-GB"><head><title> Tasking  Guide </title>'
        b'<meta name="description" content="How T&amp;CG meetings work">'
        b'<meta name="author" content="ILP Atlas team"></head><body><p>x</p></body></html>'
    )
    meta = html_metadata(parse_html_bytes(page, "page.html"))
    assert meta == {
        "title": "Tasking Guide",
        "language": "en",
        "description": "How T&CG meetings work",
        "author": "ILP Atlas team",
    }


def test_markdown_without_front_matter_and_plain_paragraphs(tmp_path: Path):
    path = tmp_path / "plain.md"
    path.write_text("Intro line one\nline two.\n\n## Section\n\nBody text.\n", encoding="utf-8")
    paragraphs = read_markdown(path)
    assert [(p.text, p.heading_path) for p in paragraphs] == [
        ("Intro line one line two.", ()),
        ("Body text.", ("Section",)),
    ]


def test_a_file_over_the_limit_is_refused_without_being_read(tmp_path: Path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:  # sparse: 60 MiB on paper, nothing written to disk
        handle.truncate(60 * 1024 * 1024)
    with pytest.raises(IngestError, match="60.0 MB is over the 50 MB limit per file"):
        read_document(_meta(path))
    with pytest.raises(IngestError, match="over the 10 MB limit .*--max-file-mb"):
        read_document(_meta(path), max_bytes=10 * 2**20)
