"""The ingest report names, per PDF, how many of its body-text words the build kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.linking.model import LinkSettings
from ilp_pipeline.run import run_build
from ingest.models import DocumentMeta, TextKept
from ingest.reader import read_document
from tests.conftest import DATA
from tests.fakes import HashingEncoder
from tests.pdfs import write_layout_pdf
from tests.test_pdf import CHAPTERS
from webapp.cli import cli

CONCEPTS = DATA / "corpus" / "concepts.ttl"


@pytest.fixture()
def handbook(tmp_path: Path) -> Path:
    return write_layout_pdf(tmp_path / "handbook.pdf", CHAPTERS, page_offset=2)


def test_a_pdf_document_knows_how_much_of_its_body_text_it_kept(handbook: Path):
    meta = DocumentMeta(id="handbook", title="Handbook", kind="research", path=handbook)
    kept = read_document(meta).text_kept
    assert kept is not None and kept.body_words > 100 and kept.share == 1.0
    markdown = DATA / "corpus" / "models-study.md"
    other = DocumentMeta(id="study", title="Study", kind="research", path=markdown)
    assert read_document(other).text_kept is None  # measured for PDFs only
    assert TextKept(200, 190).share == 0.95 and TextKept(0, 0).share == 1.0


def test_the_build_report_and_manifest_carry_the_words_kept(handbook: Path, tmp_path: Path):
    meta = DocumentMeta(id="handbook", title="Handbook", kind="research", path=handbook)
    instance = tmp_path / "instance"
    settings = LinkSettings.label_only()
    report = run_build([meta], CONCEPTS, instance, HashingEncoder(), link_settings=settings)
    [(document_id, kept)] = report.text_kept
    assert document_id == "handbook" and kept.share == 1.0
    manifest = json.loads((instance / "builds" / report.build_id / "manifest.json").read_text())
    assert manifest["text_kept"]["handbook"]["share"] == 1.0
    # An unchanged document comes from the document cache, its figure with it.
    again = run_build([meta], CONCEPTS, instance, HashingEncoder(), link_settings=settings)
    assert again.text_kept == report.text_kept


@pytest.mark.slow
def test_ilp_ingest_prints_the_words_kept_per_pdf(handbook: Path, tmp_path: Path):
    arguments = ["ingest", str(handbook), "--concepts", str(CONCEPTS)]
    result = CliRunner().invoke(cli, [*arguments, "--instance", str(tmp_path / "instance")])
    assert result.exit_code == 0, result.output
    assert "Text kept of handbook: 100.0% of the body words" in result.output


def test_the_shipped_pdfs_keep_their_body_text():
    # A running header longer than a short line ("ILP Atlas corpus | The UK National
    # Intelligence Model (NIM): ...", on four of five pages) is page furniture, not body text
    # the reader lost: the measure read 0.959 for that document while it counted it.
    from ingest.catalog import load_catalog

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    pdfs = [meta for meta in load_catalog(corpus / "catalog.toml") if meta.path.suffix == ".pdf"]
    assert pdfs
    for meta in pdfs:
        kept = read_document(meta).text_kept
        assert kept is not None and kept.share >= 0.98, (meta.id, kept)
