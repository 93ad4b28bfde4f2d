"""The catalog: parsing, validation, and the shipped corpus's catalog against its files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.catalog import load_bibliography, load_catalog
from ingest.errors import CatalogError
from ingest.models import KINDS
from tests.conftest import REPO

CORPUS = REPO / "corpus"


def test_mini_catalog_loads(mini_corpus: Path):
    metas = load_catalog(mini_corpus / "catalog.toml")
    assert [m.id for m in metas] == ["tasking-guide", "models-study", "field-notes"]
    assert metas[2].countries == ("SE", "ME")
    assert metas[0].path == (mini_corpus / "tasking-guide.html").resolve()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('id = "x"\ntitle = "X"\nkind = "novel"\nfile = "x.md"', "kind 'novel'"),
        ('id = "x"\ntitle = "X"\nkind = "research"', "missing file"),
        ('id = "x"\ntitle = "X"\nkind = "research"\nfile = "x.md"\nyear = "2017"', "year"),
    ],
)
def test_bad_entries_are_reported(tmp_path: Path, entry: str, message: str):
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(f"[[document]]\n{entry}\n")
    with pytest.raises(CatalogError, match=message):
        load_catalog(catalog)


def test_duplicate_ids_and_bad_toml_are_reported(tmp_path: Path):
    catalog = tmp_path / "catalog.toml"
    entry = '[[document]]\nid = "x"\ntitle = "X"\nkind = "research"\nfile = "x.md"\n'
    catalog.write_text(entry * 2)
    with pytest.raises(CatalogError, match="twice"):
        load_catalog(catalog)
    catalog.write_text("[[document]\n")
    with pytest.raises(CatalogError, match="not valid TOML"):
        load_catalog(catalog)


def test_shipped_catalog_and_documents_match():
    metas = load_catalog(CORPUS / "catalog.toml")
    listed = {m.path for m in metas}
    on_disk = {p.resolve() for p in (CORPUS / "documents").iterdir()}
    assert listed == on_disk, "every catalog entry has a file and every file an entry"
    assert {m.kind for m in metas} >= {"guidebook", "research", "good-practice"}
    assert {m.path.suffix for m in metas} >= {".html", ".md", ".pdf"}
    assert all(m.kind in KINDS and m.year for m in metas)


def test_shipped_documents_are_summaries_by_the_team_with_their_source():
    for meta in load_catalog(CORPUS / "catalog.toml"):
        assert meta.is_summary and meta.authors == ("ILP Atlas team",), meta.id
        assert meta.licence == "CC BY 4.0" and meta.publisher == "ILP Atlas", meta.id
        [work] = meta.summary_of
        assert work.title == "OSCE Guidebook Intelligence-Led Policing" and work.year == 2017
        assert work.pages, f"{meta.id} names the Guidebook pages it summarises"
        assert meta.origin_of("authors") == "catalog"


def test_every_source_key_is_in_the_bibliography():
    bibliography = load_bibliography(CORPUS / "sources.toml")
    for meta in load_catalog(CORPUS / "catalog.toml"):
        assert set(meta.sources) <= set(bibliography), meta.id


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('role = "summary"', "needs `summary_of`"),
        ('role = "copy"', "role 'copy'"),
        ('role = "summary"\nsummary_of = [{ source = "S99" }]', "'S99' is not in sources.toml"),
        ('summary_of = ["S01"]', "needs a `source` key"),
    ],
)
def test_bad_authorship_is_reported(tmp_path: Path, entry: str, message: str):
    (tmp_path / "sources.toml").write_text('[[source]]\nkey = "S01"\ntitle = "A Work"\n')
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(
        f'[[document]]\nid = "x"\ntitle = "X"\nkind = "research"\nfile = "x.md"\n{entry}\n'
    )
    with pytest.raises(CatalogError, match=message):
        load_catalog(catalog)


def test_shipped_pdfs_are_rendered_from_their_sources():
    sources = {p.stem for p in (CORPUS / "pdf-sources").glob("*.md")}
    pdfs = {p.stem for p in (CORPUS / "documents").glob("*.pdf")}
    assert sources == pdfs and len(pdfs) >= 3
