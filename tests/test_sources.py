"""`ilp ingest PATH...`: catalogs, corpus folders, loose documents with sidecars or options."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import CatalogError
from ingest.sources import collect


def test_corpus_folder_and_catalog_file(mini_corpus: Path):
    assert [m.id for m in collect([mini_corpus])] == [
        "tasking-guide",
        "models-study",
        "field-notes",
    ]
    assert len(collect([mini_corpus / "catalog.toml"])) == 3


def test_loose_document_takes_options_then_its_own_title(tmp_path: Path):
    page = tmp_path / "My Copy of the Guide.html"
    page.write_text(
        '<html lang="sr"><head><title>Guide to Tasking</title>'
        '<meta name="description" content="How tasking works.">'
        '<meta name="author" content="Test Ministry"></head>'
        "<body><p>Text.</p></body></html>"
    )
    [meta] = collect([page], {"kind": "guidebook", "year": 2017, "countries": ["rs"]})
    assert (meta.id, meta.title, meta.kind, meta.year) == (
        "my-copy-of-the-guide",
        "Guide to Tasking",
        "guidebook",
        2017,
    )
    assert meta.countries == ("RS",) and meta.path == page.resolve()
    assert (meta.summary, meta.organisation, meta.language) == (
        "How tasking works.",
        "Test Ministry",
        "sr",
    )
    [titled] = collect([page], {"title": "Given on the command line"})
    assert titled.title == "Given on the command line" and titled.kind == "research"


def test_sidecar_overrides_options(tmp_path: Path):
    pdf = tmp_path / "guidebook.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    (tmp_path / "guidebook.pdf.toml").write_text(
        'id = "osce-guidebook"\ntitle = "OSCE Guidebook"\nkind = "guidebook"\nyear = 2017\n'
    )
    [meta] = collect([pdf], {"kind": "research", "year": 2020})
    assert (meta.id, meta.title, meta.kind, meta.year) == (
        "osce-guidebook",
        "OSCE Guidebook",
        "guidebook",
        2017,
    )


def test_folder_of_documents_and_duplicate_ids(tmp_path: Path):
    for name in ("a.md", "b.txt", "notes.docx"):
        (tmp_path / name).write_text("---\ntitle: From front matter\n---\nText.\n")
    metas = collect([tmp_path])
    assert [m.id for m in metas] == ["a", "b"]  # unknown extensions are not collected
    assert metas[0].title == "From front matter"
    with pytest.raises(CatalogError, match="Two documents have the id"):
        collect([tmp_path / "a.md", tmp_path / "a.md"])


def test_bad_sidecar_and_bad_kind_are_clear_errors(tmp_path: Path):
    doc = tmp_path / "x.md"
    doc.write_text("# X\n\nText.\n")
    (tmp_path / "x.md.toml").write_text("kind = \n")
    with pytest.raises(CatalogError, match="not valid TOML"):
        collect([doc])
    (tmp_path / "x.md.toml").write_text('kind = "novel"\n')
    with pytest.raises(CatalogError, match="kind 'novel'"):
        collect([doc])
