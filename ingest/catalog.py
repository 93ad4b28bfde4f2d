"""Read `corpus/catalog.toml`: one `[[document]]` table per source document."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ingest.errors import CatalogError
from ingest.models import KINDS, DocumentMeta

REQUIRED_FIELDS = ("id", "title", "kind", "file")


def load_catalog(path: Path) -> list[DocumentMeta]:
    """Parse the catalog; file paths are resolved against the catalog's folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CatalogError(f"No catalog at {path}; a corpus needs a catalog.toml") from error
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"{path}: not valid TOML ({error})") from error
    entries = data.get("document", [])
    metas = [
        meta_from_entry(entry, path.parent, where=f"{path} entry {n + 1}")
        for n, entry in enumerate(entries)
    ]
    seen: set[str] = set()
    for meta in metas:
        if meta.id in seen:
            raise CatalogError(f"{path}: document id {meta.id!r} appears twice")
        seen.add(meta.id)
    return metas


def meta_from_entry(entry: dict, base: Path, where: str) -> DocumentMeta:
    """Build a `DocumentMeta` from one catalog table, checking the fields users get wrong."""
    missing = [name for name in REQUIRED_FIELDS if not entry.get(name)]
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}")
    if entry["kind"] not in KINDS:
        raise CatalogError(f"{where}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}")
    year = entry.get("year")
    if year is not None and not isinstance(year, int):
        raise CatalogError(f"{where}: year must be a whole number, not {year!r}")
    return DocumentMeta(
        id=str(entry["id"]),
        title=str(entry["title"]),
        kind=entry["kind"],
        path=(base / entry["file"]).resolve(),
        organisation=str(entry.get("organisation", "")),
        authors=tuple(entry.get("authors", ())),
        year=year,
        language=str(entry.get("language", "en")),
        countries=tuple(code.upper() for code in entry.get("countries", ())),
        sources=tuple(entry.get("sources", ())),
        source_urls=tuple(entry.get("source_urls", ())),
        summary=str(entry.get("summary", "")),
        licence=str(entry.get("licence", "")),
    )
