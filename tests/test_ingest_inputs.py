"""Bad input to `ilp ingest`: every bad file or folder is one line with its path and reason, and
the rest is built (exit 3); a stopped build is one line too, and leaves the served build alone.

The embedding model is replaced by the deterministic `HashingEncoder` (these tests are about
files, not search quality).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import webapp.cli.ingest_command as ingest_command
from ingest.models import Document, DocumentMeta, Paragraph
from ingest.sources import collect_documents
from ingest.splitter import MAX_PASSAGE_CHARS, split_passages
from search.index.build_folders import resolve_current
from tests.conftest import REPO
from tests.fakes import HashingEncoder
from webapp.cli import EXIT_SOME_FAILED, cli

CONCEPTS = REPO / "corpus" / "concepts.ttl"
TEXT = "Tasking meetings set the priorities of the police for the next period. " * 12


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_command, "batch_encoder", lambda model: HashingEncoder())


def _ingest(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["ingest", *args, "--concepts", str(CONCEPTS)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.md").write_text(f"# Good\n\n{TEXT}\n")
    return folder


def test_an_unreadable_file_is_one_failure_and_the_rest_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = _folder(tmp_path)
    locked = folder / "locked.md"
    locked.write_text(f"# Locked\n\n{TEXT}\n")
    real_read_bytes, real_read_text = Path.read_bytes, Path.read_text

    def check(path: Path) -> None:  # the tests run as root, who may read any file
        if path.name == "locked.md":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

    def read_bytes(path: Path) -> bytes:
        check(path)
        return real_read_bytes(path)

    def read_text(path: Path, encoding: str | None = None, errors: str | None = None) -> str:
        check(path)
        return real_read_text(path, encoding, errors)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "read_text", read_text)
    code, output = _ingest(str(folder), "--instance", str(tmp_path / "instance"))
    assert code == EXIT_SOME_FAILED, output
    assert "FAILED" in output and "locked.md" in output and "Permission denied" in output
    assert "1 documents" in output


def test_unreadable_folders_and_symlink_loops_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = _folder(tmp_path)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "private").mkdir()
    real_scandir = os.scandir

    def scandir(path=".", *args):
        if Path(path).name == "private":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path, *args)

    monkeypatch.setattr(os, "scandir", scandir)
    found = collect_documents([folder])
    reasons = {Path(item.path).name: item.reason for item in found.skipped}
    assert reasons == {
        "loop": "symbolic link loop; not followed",
        "private": "folder cannot be read (Permission denied)",
    }
    assert [meta.id for meta in found.metas] == ["good"]
    code, output = _ingest(str(folder), "--instance", str(tmp_path / "instance"))
    assert code == EXIT_SOME_FAILED and "symbolic link loop" in output


def test_clashing_ids_get_a_suffix_and_a_warning(tmp_path: Path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a b.md").write_text(f"# One\n\n{TEXT}\n")
    (folder / "a-b.md").write_text(f"# Two\n\n{TEXT} Second.\n")
    found = collect_documents([folder])
    assert sorted(meta.id for meta in found.metas) == ["a-b", "a-b-2"]
    assert len(found.renamed) == 1 and "is taken" in found.renamed[0]
    code, output = _ingest(str(folder), "--instance", str(tmp_path / "instance"))
    assert code == 0 and "WARNING" in output and "2 documents" in output


def test_files_over_the_size_limit_are_refused_with_the_option_to_raise_it(tmp_path: Path):
    folder = _folder(tmp_path)
    (folder / "huge.txt").write_text("word " * 300_000)  # about 1.4 MiB
    code, output = _ingest(str(folder), "--instance", str(tmp_path / "i"), "--max-file-mb", "1")
    assert code == EXIT_SOME_FAILED and "huge.txt" in output and "--max-file-mb" in output


def test_text_without_sentence_ends_is_cut_into_capped_passages():
    meta = DocumentMeta(id="d", title="D", kind="research", path=Path("d.txt"))
    for text in ("word " * 150_000, "x" * 100_000):
        passages = split_passages(Document.from_paragraphs(meta, [Paragraph(text, ())]))
        assert max(len(p.text) for p in passages) <= MAX_PASSAGE_CHARS
        assert max(len(p.text.split()) for p in passages) <= 250
        assert sum(len(p.text) for p in passages) >= len(text.strip()) - len(passages)


def test_ingest_outside_the_repository_without_concepts_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    doc = tmp_path / "a.md"
    doc.write_text(f"# A\n\n{TEXT}\n")
    monkeypatch.chdir(tmp_path)  # no corpus/concepts.ttl here
    result = CliRunner().invoke(cli, ["ingest", str(doc), "--instance", str(tmp_path / "i")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "No concept scheme at corpus/concepts.ttl; pass `--concepts FILE`" in result.output


def test_a_full_disk_is_one_line_and_the_served_build_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = _folder(tmp_path)
    instance = tmp_path / "instance"
    assert _ingest(str(folder), "--instance", str(instance))[0] == 0
    served = resolve_current(instance)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(instance / "builds"))

    monkeypatch.setattr("ilp_pipeline.run.write", full)
    (folder / "new.md").write_text(f"# New\n\n{TEXT} New.\n")
    code, output = _ingest(str(folder), "--instance", str(instance))
    assert code == 1 and "No space left on device" in output
    assert resolve_current(instance) == served
    assert len(list((instance / "builds").iterdir())) == 1
