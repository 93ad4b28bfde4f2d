"""Property-based fuzzing of the readers and the passage splitter (hypothesis).

The readers may refuse input only with `IngestError`; the splitter must always give passages whose
offsets slice back to their text, in order, without overlap, covering every indexed word.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import IngestError
from ingest.html import html_paragraphs, parse_html_bytes
from ingest.markdown import parse_markdown, split_front_matter
from ingest.models import Document, DocumentMeta, Paragraph
from ingest.splitter import UNINDEXED_SECTIONS, split_passages
from ingest.text import decode_text

FUZZ = settings(
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
META = DocumentMeta(id="fuzz", title="Fuzz", kind="research", path=Path("fuzz.txt"))

# Text that looks like prose: words, sentence ends, abbreviations, odd spaces and scripts.
WORDS = st.sampled_from(
    [
        "Tasking",
        "meetings",
        "decide",
        "priorities",
        "e.g.",
        "p.",
        "Vol.",
        "Dr.",
        "No.",
        "ILP.",
        "analysts",
        "The",
        "A",
        "3-i",
        "T&CG",
        "(see",
        "below)",
        "\u201cquoted\u201d",
        "Sr\u0111an",
        "\u041f\u043e\u043b\u0438\u0446\u0438\u044f.",
        "\u8b66\u5bdf",
        "\u00a0",
        "\t",
        "\u200b",
        "end.",
        "end!",
        "why?",
        "5x5x5",
        "\u2022",
        "-",
        "*",
        "#",
        "[link](x)",
        "**bold**",
        "`code`",
    ]
)
PROSE = st.lists(WORDS, max_size=60).map(" ".join)
ANY_TEXT = st.one_of(PROSE, st.text(max_size=300))
HEADING = st.sampled_from(
    [
        "1. Intro",
        "2. Tasking",
        "Sources",
        "References",
        "Footnotes",
        "Contents",
        "",
        "  ",
        "\u00a7 3",
    ]
)
HEADING_PATH = st.lists(HEADING, max_size=3).map(tuple)
PAGE = st.one_of(st.none(), st.sampled_from(["1", "ii", "18", ""]))
PARAGRAPHS = st.lists(st.builds(Paragraph, ANY_TEXT, HEADING_PATH, PAGE), max_size=25)


def check_passages(document: Document, min_words: int = 80, max_words: int = 250) -> None:
    """Offsets slice back, passages are ordered and disjoint, and every indexed word is kept."""
    passages = split_passages(document, min_words, max_words)
    previous_end = 0
    covered: set[int] = set()
    for passage in passages:
        assert document.text[passage.char_start : passage.char_end] == passage.text
        assert passage.text and passage.text == passage.text.strip()
        assert passage.char_start >= previous_end
        previous_end = passage.char_end
        covered.update(range(passage.char_start, passage.char_end))
        assert passage.document_id == document.meta.id
    assert len({passage.id for passage in passages}) == len(passages)
    for block in document.blocks:
        if block.heading_path and block.heading_path[-1].strip().lower() in UNINDEXED_SECTIONS:
            continue
        for offset in range(block.char_start, block.char_end):
            if not document.text[offset].isspace():
                assert offset in covered, (block.text, passages)


@FUZZ
@given(PARAGRAPHS, st.integers(1, 120), st.integers(1, 300))
def test_splitter_offsets_always_slice_back(
    paragraphs: list[Paragraph], min_words: int, max_words: int
):
    check_passages(Document.from_paragraphs(META, paragraphs), min_words, max_words)


@FUZZ
@given(st.binary(max_size=2000))
def test_html_reader_refuses_junk_bytes_only_with_ingest_error(data: bytes):
    try:
        soup = parse_html_bytes(data, "fuzz.html")
    except IngestError:
        return
    for paragraph in html_paragraphs(soup):
        assert isinstance(paragraph.text, str) and paragraph.text
        assert all(isinstance(title, str) for title in paragraph.heading_path)


TAGS = st.sampled_from(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "li",
        "ul",
        "ol",
        "table",
        "tr",
        "td",
        "th",
        "div",
        "span",
        "b",
        "main",
        "article",
        "body",
        "script",
        "style",
        "nav",
        "blockquote",
        "pre",
        "br",
        "a",
        "img",
        "svg",
        "template",
        "dd",
        "dt",
    ]
)


@st.composite
def html_documents(draw) -> str:
    """Nested, sometimes unbalanced HTML with text, entities and attributes."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        choice = draw(st.integers(0, 4))
        tag = draw(TAGS)
        if choice == 0:
            parts.append(f"<{tag}>")
        elif choice == 1:
            parts.append(f"</{tag}>")
        elif choice == 2:
            parts.append(f'<{tag} class="x" onclick="alert(1)" href="javascript:x">')
        elif choice == 3:
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "&amp;",
                            "&lt;",
                            "&#0;",
                            "&#x110000;",
                            "&nbsp;",
                            "<!-- c -->",
                            "<![CDATA[x]]>",
                            "<?xml?>",
                        ]
                    )
                )
            )
        else:
            parts.append(draw(ANY_TEXT))
    return "".join(parts)


@FUZZ
@given(html_documents(), st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
def test_html_reader_handles_any_markup(markup: str, encoding: str):
    try:
        data = markup.encode(encoding)
    except UnicodeEncodeError:
        data = markup.encode("utf-8")
    try:
        soup = parse_html_bytes(data, "fuzz.html")
    except IngestError:
        return
    paragraphs = html_paragraphs(soup)
    for paragraph in paragraphs:
        assert paragraph.text
    check_passages(Document.from_paragraphs(META, paragraphs), 5, 30)


MARKDOWN_LINE = st.one_of(
    PROSE,
    st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 7), PROSE),
    st.builds(
        lambda mark, text: f"{mark} {text}", st.sampled_from(["-", "*", "+", "1.", "2)"]), PROSE
    ),
    st.sampled_from(["", "   ", "---", "title: x", "```", "> quote", "|a|b|", "***"]),
    st.text(max_size=80),
)
MARKDOWN = st.lists(MARKDOWN_LINE, max_size=40).map("\n".join)


@FUZZ
@given(MARKDOWN)
def test_markdown_parser_handles_any_text(body: str):
    paragraphs = parse_markdown(body)
    for paragraph in paragraphs:
        assert isinstance(paragraph.text, str)
        assert all(isinstance(title, str) for title in paragraph.heading_path)
    check_passages(Document.from_paragraphs(META, paragraphs), 5, 30)


@FUZZ
@given(
    st.one_of(
        MARKDOWN, st.builds(lambda head, body: f"---\n{head}\n---\n{body}", MARKDOWN, MARKDOWN)
    )
)
def test_front_matter_split_returns_a_tail_of_the_text(text: str):
    meta, body = split_front_matter(text)
    assert text.endswith(body)
    assert all(isinstance(key, str) and key == key.strip().lower() for key in meta)
    if not text.startswith("---"):
        assert meta == {} and body == text


@FUZZ
@given(st.binary(max_size=2000))
def test_text_decoding_refuses_only_with_ingest_error(data: bytes):
    try:
        text = decode_text(data, Path("fuzz.txt"))
    except IngestError:
        return
    assert isinstance(text, str)
