"""Builds: manifest, atomic switch of `current`, verified loading, failures isolated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.linking.model import LinkSettings
from ilp_pipeline.run import DocumentsFailed, run_build
from ingest.catalog import load_catalog
from search.index.build_folders import BuildError, resolve_current, verify_build
from search.index.loaded import LoadedBuild
from tests.fakes import HashingEncoder


def build(corpus: Path, instance: Path, **options):
    return run_build(
        load_catalog(corpus / "catalog.toml"),
        corpus / "concepts.ttl",
        instance,
        HashingEncoder(),
        link_settings=LinkSettings.label_only(),
        **options,
    )


def test_build_writes_artifacts_manifest_and_current(mini_corpus: Path, tmp_path: Path):
    instance = tmp_path / "instance"
    report = build(mini_corpus, instance)
    current = resolve_current(instance)
    assert current.name == report.build_id
    assert (instance / "current").is_symlink()
    manifest = verify_build(current)
    assert manifest["model"] == {"name": "test-hashing-encoder", "dimension": 64}
    assert manifest["counts"]["documents"] == 3
    assert manifest["counts"]["passages"] == report.passages > 0
    assert set(manifest["files"]) == {
        "graph.nt",
        "passages.sqlite",
        "passages.faiss",
        "sentences.npy",
        "documents.npz",
        "concepts.ttl",
    }
    assert not list((instance / "builds").glob("*.partial"))


def test_unchanged_corpus_is_skipped_and_embeddings_are_reused(mini_corpus: Path, tmp_path: Path):
    instance = tmp_path / "instance"
    first = build(mini_corpus, instance)
    assert build(mini_corpus, instance, only_if_changed=True).skipped
    again = build(mini_corpus, instance)
    assert again.embedded == 0 and again.reused == first.embedded
    path = mini_corpus / "field-notes.txt"
    path.write_text(path.read_text() + "\nA new closing paragraph about analysts.\n")
    changed = build(mini_corpus, instance, only_if_changed=True)
    assert not changed.skipped and 0 < changed.embedded < first.embedded


def test_a_changed_bibliography_rebuilds(mini_corpus: Path, tmp_path: Path):
    # The build keeps a copy of sources.toml (concept pages resolve "S01 p.55" with it), so an
    # edit to it alone must not leave `--if-changed` serving the old copy.
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    bibliography = mini_corpus / "sources.toml"
    with bibliography.open("a", encoding="utf-8") as handle:
        handle.write('\n[[source]]\nkey = "S01"\ntitle = "A Guidebook"\n')
    changed = build(mini_corpus, instance, only_if_changed=True)
    assert not changed.skipped
    copy = resolve_current(instance) / "sources.toml"
    assert copy.read_text() == bibliography.read_text()
    assert build(mini_corpus, instance, only_if_changed=True).skipped


def test_tampered_artifact_is_refused(mini_corpus: Path, tmp_path: Path):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    current = resolve_current(instance)
    with (current / "passages.faiss").open("ab") as handle:
        handle.write(b"junk")
    with pytest.raises(BuildError, match="passages.faiss does not match the manifest"):
        LoadedBuild.open_current(instance)


def test_missing_manifest_or_build_is_a_clear_error(mini_corpus: Path, tmp_path: Path):
    with pytest.raises(BuildError, match="run `ilp ingest` first"):
        LoadedBuild.open_current(tmp_path / "empty")
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    (resolve_current(instance) / "manifest.json").unlink()
    with pytest.raises(BuildError, match="no manifest.json"):
        LoadedBuild.open_current(instance)


def test_bad_document_is_reported_and_others_ingest(mini_corpus: Path, tmp_path: Path):
    (mini_corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not a pdf")
    with (mini_corpus / "catalog.toml").open("a") as catalog:
        catalog.write(
            '\n[[document]]\nid = "broken"\ntitle = "Broken"\nkind = "research"\n'
            'file = "broken.pdf"\n'
        )
    report = build(mini_corpus, tmp_path / "instance")
    assert report.documents == 3
    assert [Path(f.path).name for f in report.failures] == ["broken.pdf"]
    manifest = json.loads((resolve_current(tmp_path / "instance") / "manifest.json").read_text())
    assert manifest["counts"]["failures"] == 1


def test_strict_or_empty_build_leaves_the_served_build_untouched(mini_corpus: Path, tmp_path: Path):
    instance = tmp_path / "instance"
    good = build(mini_corpus, instance)
    (mini_corpus / "broken.pdf").write_bytes(b"garbage")
    with (mini_corpus / "catalog.toml").open("a") as catalog:
        catalog.write(
            '\n[[document]]\nid = "broken"\ntitle = "Broken"\nkind = "research"\n'
            'file = "broken.pdf"\n'
        )
    with pytest.raises(DocumentsFailed, match="a strict build allows none"):
        build(mini_corpus, instance, strict=True)
    assert resolve_current(instance).name == good.build_id
    (mini_corpus / "catalog.toml").write_text(
        '[[document]]\nid = "broken"\ntitle = "Broken"\nkind = "research"\nfile = "broken.pdf"\n'
    )
    with pytest.raises(BuildError, match="No document could be ingested"):
        build(mini_corpus, instance)
    assert resolve_current(instance).name == good.build_id
    assert not list((instance / "builds").glob("*.partial"))


def test_deleting_a_document_removes_its_passages_and_graph_nodes(
    mini_corpus: Path, tmp_path: Path
):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    catalog = (mini_corpus / "catalog.toml").read_text()
    kept = catalog[: catalog.index('[[document]]\nid = "field-notes"')]
    (mini_corpus / "catalog.toml").write_text(kept)
    (mini_corpus / "field-notes.txt").unlink()
    build(mini_corpus, instance)
    loaded = LoadedBuild.open_current(instance)
    assert loaded.store.document("field-notes") is None
    assert loaded.store.passages_of_document("field-notes") == []
    graph_text = (loaded.path / "graph.nt").read_text()
    assert "document/field-notes" not in graph_text and "passage/field-notes" not in graph_text


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record which documents `run_build` actually reads (the real reader still runs)."""
    import ilp_pipeline.steps

    seen: list[str] = []
    real = ilp_pipeline.steps.read_document

    def counting(meta, max_bytes):
        seen.append(meta.id)
        return real(meta, max_bytes)

    monkeypatch.setattr(ilp_pipeline.steps, "read_document", counting)
    return seen


def _links(instance: Path) -> list[tuple]:
    store = LoadedBuild.open_current(instance).store
    return list(
        store.connection.execute(
            "SELECT p.passage_id, p.text, c.concept_id, c.method, c.score, c.matched "
            "FROM passages p JOIN passage_concepts c USING (row_id) "
            "ORDER BY p.passage_id, c.concept_id"
        )
    )


def test_unchanged_documents_come_from_the_cache_with_the_same_result(
    mini_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    instance = tmp_path / "instance"
    build(mini_corpus, instance)
    first_graph = (resolve_current(instance) / "graph.nt").read_bytes()
    first_links = _links(instance)
    reads = _reads(monkeypatch)
    build(mini_corpus, instance)
    assert reads == []
    assert (resolve_current(instance) / "graph.nt").read_bytes() == first_graph
    assert _links(instance) == first_links

    path = mini_corpus / "field-notes.txt"
    path.write_text(path.read_text() + "\nA new closing paragraph about analysts.\n")
    build(mini_corpus, instance)
    assert reads == ["field-notes"]

    concepts = mini_corpus / "concepts.ttl"  # label links depend on the scheme: all re-read
    concepts.write_text(concepts.read_text() + "\n# an edit\n")
    reads.clear()
    build(mini_corpus, instance)
    assert sorted(reads) == sorted(m.id for m in load_catalog(mini_corpus / "catalog.toml"))


def test_an_undecodable_cache_entry_is_read_again(
    mini_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import sqlite3

    instance = tmp_path / "instance"
    first = build(mini_corpus, instance)
    with sqlite3.connect(instance / "cache" / "documents.sqlite") as connection:
        connection.execute("UPDATE documents SET payload = '{\"passages\": [[1, 2]]}'")
    connection.close()
    reads = _reads(monkeypatch)
    again = build(mini_corpus, instance)
    assert len(reads) == first.documents and again.passages == first.passages


@pytest.mark.parametrize("name", ["documents.sqlite", "embeddings.sqlite"])
def test_a_damaged_cache_file_is_set_aside_and_the_ingest_carries_on(
    mini_corpus: Path, tmp_path: Path, name: str
):
    instance = tmp_path / "instance"
    first = build(mini_corpus, instance)
    damaged = instance / "cache" / name
    damaged.write_bytes(b"this is not a SQLite database")
    again = build(mini_corpus, instance)
    assert again.passages == first.passages and again.failures == []
    assert (instance / "cache" / f"{name}.damaged").read_bytes() == b"this is not a SQLite database"
    assert build(mini_corpus, instance).embedded == 0  # the new cache works
