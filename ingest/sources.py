"""Turn `ilp ingest PATH...` arguments into document metadata.

A PATH may be a catalog file, a folder with a `catalog.toml` (a corpus), a folder of documents,
or one document. A document outside a catalog takes its metadata from a sidecar file next to it
(`report.pdf.toml` or `report.toml`, with the keys of a catalog entry), then from the defaults
given on the command line, then from the file itself (HTML `<title>`, Markdown front matter).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ingest.catalog import load_catalog, meta_from_entry
from ingest.errors import CatalogError, IngestError
from ingest.html import html_metadata, parse_html_bytes
from ingest.markdown import split_front_matter
from ingest.models import DocumentMeta
from ingest.reader import READERS

CATALOG = "catalog.toml"


def collect(paths: list[Path], defaults: dict | None = None) -> list[DocumentMeta]:
    """Metadata for every document named by `paths`, in order, ids unique."""
    metas: list[DocumentMeta] = []
    for path in paths:
        if path.is_file() and path.name.endswith(".toml"):
            metas.extend(load_catalog(path))
        elif path.is_dir() and (path / CATALOG).is_file():
            metas.extend(load_catalog(path / CATALOG))
        elif path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS
            )
            metas.extend(document_meta(file, defaults or {}) for file in files)
        else:
            metas.append(document_meta(path, defaults or {}))
    seen: set[str] = set()
    for meta in metas:
        if meta.id in seen:
            raise CatalogError(
                f"Two documents have the id {meta.id!r}; give one an `id` in its "
                "sidecar file or catalog entry"
            )
        seen.add(meta.id)
    return metas


def sidecar(path: Path) -> Path | None:
    """The metadata file for a document, if there is one."""
    for candidate in (path.with_name(path.name + ".toml"), path.with_suffix(".toml")):
        if candidate.is_file() and candidate != path:
            return candidate
    return None


def document_meta(path: Path, defaults: dict) -> DocumentMeta:
    """Metadata for one document outside a catalog."""
    entry: dict = {"kind": "research"}
    entry.update({key: value for key, value in defaults.items() if value not in (None, (), [])})
    side = sidecar(path)
    if side is not None:
        try:
            entry.update(tomllib.loads(side.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as error:
            raise CatalogError(f"{side}: not valid TOML ({error})") from error
    for key, value in _metadata_in_file(path).items():
        entry.setdefault(key, value)
    entry.setdefault("id", slug(path.stem))
    entry.setdefault("title", path.stem.replace("-", " ").strip())
    entry["file"] = str(path.resolve())
    return meta_from_entry(entry, path.parent, where=str(side or path))


def slug(text: str) -> str:
    """A lower-case id made of letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "document"


def _metadata_in_file(path: Path) -> dict[str, str]:
    """Title (and for HTML: summary, organisation, language) from the file itself."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".md", ".markdown"):
            meta, _ = split_front_matter(path.read_text(encoding="utf-8", errors="replace"))
            return {key: meta[key] for key in ("title",) if meta.get(key)}
        if suffix in (".html", ".htm"):
            found = html_metadata(parse_html_bytes(path.read_bytes(), path.name))
            names = {
                "title": "title",
                "description": "summary",
                "author": "organisation",
                "language": "language",
            }
            return {names[key]: value for key, value in found.items() if key in names}
    except (OSError, IngestError):
        return {}  # an unreadable file is reported by the reader, with its reason
    return {}
