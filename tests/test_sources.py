"""`ilp ingest PATH...`: catalogs, corpus folders, loose documents with sidecars or options."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import CatalogError
from ingest.sources import collect, collect_documents


def test_corpus_folder_and_catalog_file(mini_corpus: Path):
    assert [m.id for m in collect([mini_corpus])] == [
        "tasking-guide",
        "models-study",
        "field-notes",
    ]
    assert len(collect([mini_corpus / "catalog.toml"])) == 3


def test_loose_document_takes_its_own_metadata_under_the_options(tmp_path: Path):
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
    assert (meta.summary, meta.authors, meta.language) == (
        "How tasking works.",
        ("Test Ministry",),
        "sr",
    )
    assert meta.role == "original" and meta.licence == ""
    assert dict(meta.provenance) == {
        "title": "HTML metadata",
        "authors": "HTML metadata",
        "language": "HTML metadata",
        "kind": "command line",
        "year": "command line",
    }
    [titled] = collect([page], {"title": "Given on the command line"})
    assert titled.title == "Given on the command line" and titled.kind == "research"
    assert titled.origin_of("title") == "command line" and titled.origin_of("kind") == "default"


def test_options_override_the_sidecar_which_overrides_the_file(tmp_path: Path):
    pdf = tmp_path / "guidebook.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    (tmp_path / "guidebook.pdf.toml").write_text(
        'id = "osce-guidebook"\ntitle = "OSCE Guidebook"\nkind = "guidebook"\nyear = 2017\n'
        'authors = ["OSCE Secretariat"]\nlicence = "All rights reserved"\n'
    )
    [meta] = collect([pdf])
    assert (meta.id, meta.title, meta.kind, meta.year, meta.authors, meta.licence) == (
        "osce-guidebook",
        "OSCE Guidebook",
        "guidebook",
        2017,
        ("OSCE Secretariat",),
        "All rights reserved",
    )
    assert meta.origin_of("title") == "sidecar file"
    [meta] = collect([pdf], {"year": 2018, "authors": ["A. Author"], "licence": "CC BY 4.0"})
    assert (meta.title, meta.year, meta.authors, meta.licence) == (
        "OSCE Guidebook",
        2018,
        ("A. Author",),
        "CC BY 4.0",
    )
    assert (meta.origin_of("year"), meta.origin_of("title")) == ("command line", "sidecar file")


def test_a_file_without_a_title_is_named_after_its_file(tmp_path: Path):
    text = tmp_path / "field-report-2019.txt"
    text.write_text("Some text.\n")
    [meta] = collect([text])
    assert meta.title == "field report 2019" and meta.origin_of("title") == "file name"


def test_password_reaches_the_metadata_but_never_its_repr(tmp_path: Path):
    text = tmp_path / "notes.txt"
    text.write_text("Some text.\n")
    [meta] = collect([text], password="s3cret")
    assert meta.pdf_password == "s3cret" and "s3cret" not in repr(meta)


def test_folder_of_documents_and_duplicate_ids(tmp_path: Path):
    for name in ("a.md", "b.txt", "notes.docx"):
        (tmp_path / name).write_text("---\ntitle: From front matter\n---\nText.\n")
    metas = collect([tmp_path])
    assert [m.id for m in metas] == ["a", "b"]  # unknown extensions are not collected
    assert metas[0].title == "From front matter"
    assert [m.id for m in collect([tmp_path / "a.md", tmp_path / "a.md"])] == ["a"]
    catalog = tmp_path / "cat" / "catalog.toml"
    catalog.parent.mkdir()
    catalog.write_text('[[document]]\nid = "a"\ntitle = "A"\nkind = "research"\nfile = "../a.md"\n')
    other = tmp_path / "other" / "catalog.toml"
    other.parent.mkdir()
    other.write_text(catalog.read_text())
    with pytest.raises(CatalogError, match="Two documents have the id"):
        collect([catalog, other])  # two catalogs are authored files: their clash is an error


def test_a_bad_sidecar_or_kind_skips_the_document_with_its_reason(tmp_path: Path):
    doc = tmp_path / "x.md"
    doc.write_text("# X\n\nText.\n")
    (tmp_path / "x.md.toml").write_text("kind = \n")
    [skipped] = collect_documents([doc]).skipped
    assert "not valid TOML" in skipped.reason and skipped.path == str(doc)
    (tmp_path / "x.md.toml").write_text('kind = "novel"\n')
    [skipped] = collect_documents([doc]).skipped
    assert "kind 'novel'" in skipped.reason
