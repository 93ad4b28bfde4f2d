"""Turn `ilp ingest PATH...` arguments into document metadata.

A PATH may be a catalog file, a folder with a `catalog.toml` (a corpus), a folder of documents,
or one document. A document outside a catalog takes its metadata from the command line, then
from a sidecar file next to it (`report.pdf.toml` or `report.toml`, with the keys of a catalog
entry), then from the file itself (PDF metadata, title page and copyright notice; HTML
`<title>` and meta tags; Markdown front matter), then from its file name.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.catalog import load_catalog, meta_from_entry
from ingest.document_metadata import file_metadata
from ingest.errors import CatalogError
from ingest.models import DocumentMeta
from ingest.reader import READERS

CATALOG = "catalog.toml"


@dataclass(frozen=True)
class Skipped:
    """A file or folder that could not be collected, and why (one line)."""

    path: str
    reason: str


@dataclass(frozen=True)
class Collection:
    """The documents found, what had to be skipped, and ids changed to keep them unique."""

    metas: list[DocumentMeta]
    skipped: list[Skipped] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # warnings, one line each


def collect(
    paths: list[Path], overrides: dict | None = None, password: str | None = None
) -> list[DocumentMeta]:
    """Metadata for every document named by `paths` (see `collect_documents`)."""
    return collect_documents(paths, overrides, password).metas


def collect_documents(
    paths: list[Path], overrides: dict | None = None, password: str | None = None
) -> Collection:
    """Metadata for every document named by `paths`, in order, ids unique.

    A catalog is all or nothing (`CatalogError`). A loose document or folder that cannot be read
    (no permission, a symlink loop, a broken sidecar) is skipped with its reason, and two loose
    documents with the same id get distinct ids ("a-b", "a-b-2") with a warning. `overrides`
    (from the command line) apply to documents outside a catalog; `password` opens encrypted
    PDFs.
    """
    metas: list[DocumentMeta] = []
    skipped: list[Skipped] = []
    loose: set[str] = set()
    given: set[Path] = set()
    for path in paths:
        if path.is_file() and path.name.endswith(".toml"):
            metas.extend(load_catalog(path))
        elif path.is_dir() and (path / CATALOG).is_file():
            metas.extend(load_catalog(path / CATALOG))
        else:
            files = _walk(path, skipped) if path.is_dir() else [path]
            for file in files:
                if file.resolve() in given:
                    continue  # the same file named twice
                given.add(file.resolve())
                try:
                    metas.append(document_meta(file, overrides or {}, password))
                    loose.add(metas[-1].id)
                except CatalogError as error:
                    skipped.append(Skipped(str(file), str(error)))
    metas, renamed = _unique_ids(metas, loose)
    return Collection(metas, skipped, renamed)


def _walk(folder: Path, skipped: list[Skipped]) -> list[Path]:
    """Readable document files under `folder`; unreadable folders and symlink loops skipped."""
    files: list[Path] = []

    def unreadable(error: OSError) -> None:
        skipped.append(Skipped(str(error.filename), f"folder cannot be read ({error.strerror})"))

    for root, folders, names in os.walk(folder, onerror=unreadable, followlinks=True):
        here = Path(root)
        real = here.resolve()
        for name in list(folders):
            target = here / name
            if target.is_symlink() and (
                real == target.resolve() or target.resolve() in real.parents
            ):
                skipped.append(Skipped(str(target), "symbolic link loop; not followed"))
                folders.remove(name)
        folders.sort()
        files.extend(here / name for name in sorted(names) if Path(name).suffix.lower() in READERS)
    return files


def _unique_ids(metas: list[DocumentMeta], loose: set[str]) -> tuple[list[DocumentMeta], list[str]]:
    seen: set[str] = set()
    unique: list[DocumentMeta] = []
    renamed: list[str] = []
    for meta in metas:
        if meta.id in seen and meta.id not in loose:
            raise CatalogError(
                f"Two documents have the id {meta.id!r}; give one an `id` in its "
                "sidecar file or catalog entry"
            )
        if meta.id in seen:
            number = 2
            while f"{meta.id}-{number}" in seen:
                number += 1
            new_id = f"{meta.id}-{number}"
            renamed.append(f"{meta.path.name}: id {meta.id!r} is taken; using {new_id!r}")
            meta = replace(meta, id=new_id)
        seen.add(meta.id)
        unique.append(meta)
    return unique, renamed


def sidecar(path: Path) -> Path | None:
    """The metadata file for a document, if there is one."""
    for candidate in (path.with_name(path.name + ".toml"), path.with_suffix(".toml")):
        if candidate.is_file() and candidate != path:
            return candidate
    return None


def document_meta(path: Path, overrides: dict, password: str | None = None) -> DocumentMeta:
    """Metadata for one document outside a catalog, each value with where it came from.

    The command line (`overrides`) wins over a sidecar file, which wins over what the file says
    about itself (see ingest/document_metadata.py); the title falls back to the file name and
    the kind to "research".
    """
    entry: dict = {"kind": "research"}
    origins: dict[str, str] = {"kind": "default"}
    for key, found in file_metadata(path, password).items():
        entry[key], origins[key] = found.value, found.origin
    side = sidecar(path)
    if side is not None:
        try:
            stated = tomllib.loads(side.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise CatalogError(f"{side}: not valid TOML ({error})") from error
        entry.update(stated)
        origins.update(dict.fromkeys(stated, "sidecar file"))
    given = {key: value for key, value in overrides.items() if value not in (None, (), [], "")}
    entry.update(given)
    origins.update(dict.fromkeys(given, "command line"))
    if not entry.get("title"):
        entry["title"], origins["title"] = path.stem.replace("-", " ").strip(), "file name"
    entry.setdefault("id", slug(path.stem))
    entry["file"] = str(path.resolve())
    meta = meta_from_entry(entry, path.parent, where=str(side or path), origins=origins)
    return replace(meta, pdf_password=password) if password else meta


def slug(text: str) -> str:
    """A lower-case id made of letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "document"
