"""A Russian PDF: words hyphenated at line ends are rejoined as in English ones, a compound the
document spells with a hyphen keeps it, and the document is found by a Russian word and by an
English question (ingest/pdf_words.py; the font is Debian's DejaVu, which .ci/run installs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from graph.linking.model import LinkSettings
from ilp_pipeline.run import run_build
from ingest.models import DocumentMeta
from ingest.pdf import read_pdf
from search.encoders.query import QueryEmbedder
from search.index.loaded import LoadedBuild
from search.searcher import SearchConfig, Searcher
from tests.fakes import GlossingEncoder, HashingEncoder, MultilingualHashingEncoder

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# Lines as a typesetter broke them: "информа-" / "ционную" is one word, "военно-" /
# "политическое" a compound the document also writes whole on one line.
PARAGRAPHS = [
    "Аналитическое подразделение обеспечивает информа-\nционную поддержку руководства "
    "и готовит обзоры к еженедельным совещаниям.",
    "Планирование в регионе остается военно-\nполитическим лишь отчасти; "
    "военно-политическим его считают немногие.",
]


def _russian_pdf(path: Path) -> Path:
    if not FONT.is_file():
        pytest.skip(f"no Cyrillic font at {FONT} (Debian's fonts-dejavu-core)")
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 16)
    pdf.multi_cell(0, 9, "1. Аналитическая работа", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    for paragraph in PARAGRAPHS:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    pdf.output(str(path))
    return path


def test_russian_words_split_at_line_ends_are_rejoined(tmp_path: Path):
    text = " ".join(p.text for p in read_pdf(_russian_pdf(tmp_path / "handbook.pdf")))
    assert "информационную поддержку" in text
    assert "информа- ционную" not in text and "информа-ционную" not in text
    assert "остается военно-политическим лишь" in text  # spelled so elsewhere: kept


def test_a_russian_pdf_is_found_by_a_russian_word_and_an_english_question(
    mini_corpus: Path, tmp_path: Path
):
    pdf = _russian_pdf(tmp_path / "handbook.pdf")
    meta = DocumentMeta(
        id="handbook-ru", title="Пособие", kind="good-practice", path=pdf, language="ru"
    )
    instance = tmp_path / "instance"
    report = run_build(
        [meta], mini_corpus / "concepts.ttl", instance, HashingEncoder(),
        link_settings=LinkSettings.label_only(), multilingual=MultilingualHashingEncoder(),
    )  # fmt: skip
    assert report.failures == []
    build = LoadedBuild.open_current(instance)
    glossary = {"information": "информационную", "support": "поддержку"}
    searcher = Searcher(
        build,
        QueryEmbedder(HashingEncoder()),
        SearchConfig(no_answer_below=0.0, partial_below=0.0),
        QueryEmbedder(GlossingEncoder(glossary)),
    )
    # The word as the reader rejoined it: left in two fragments, nothing would match.
    russian = searcher.search("информационную", method="keyword")
    assert [hit.document.id for hit in russian.hits] == ["handbook-ru"]
    english = searcher.search("information support for managers")
    assert english.language == "en" and english.answer_languages == ("ru",)
    assert "информационную поддержку" in " ".join(sentence.text for sentence in english.answer)
