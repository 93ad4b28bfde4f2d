"""Read `corpus/catalog.toml` (one `[[document]]` table per document) and its bibliography.

A summary's `summary_of` names the works it summarises by their keys in `sources.toml` beside
the catalog (one `[[source]]` table per work: key, title, authors, year, url), with the pages
of each that it cites: `summary_of = [{ source = "S01", pages = "43-50" }]`.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from ingest.errors import CatalogError
from ingest.models import KINDS, ROLES, DocumentMeta, SourceWork

REQUIRED_FIELDS = ("id", "title", "kind", "file")
BIBLIOGRAPHY = "sources.toml"
CATALOG_ORIGIN = "catalog"
# Fields whose origin the document page reports.
DESCRIBED_FIELDS = ("title", "authors", "publisher", "year", "language", "kind", "licence")


def load_catalog(path: Path) -> list[DocumentMeta]:
    """Parse the catalog; file paths are resolved against the catalog's folder."""
    data = _read_toml(path, missing=f"No catalog at {path}; a corpus needs a catalog.toml")
    bibliography = load_bibliography(path.parent / BIBLIOGRAPHY)
    entries = data.get("document", [])
    metas = [
        meta_from_entry(
            entry,
            path.parent,
            where=f"{path} entry {n + 1}",
            bibliography=bibliography,
            origins=dict.fromkeys(entry, CATALOG_ORIGIN),
        )
        for n, entry in enumerate(entries)
    ]
    seen: set[str] = set()
    for meta in metas:
        if meta.id in seen:
            raise CatalogError(f"{path}: document id {meta.id!r} appears twice")
        seen.add(meta.id)
    return metas


def load_bibliography(path: Path) -> dict[str, SourceWork]:
    """The works of `sources.toml` by key; an absent file is an empty bibliography."""
    if not path.is_file():
        return {}
    works: dict[str, SourceWork] = {}
    for n, entry in enumerate(_read_toml(path, missing="").get("source", [])):
        where = f"{path} source {n + 1}"
        if not entry.get("key") or not entry.get("title"):
            raise CatalogError(f"{where}: a source needs a key and a title")
        works[str(entry["key"])] = SourceWork(
            key=str(entry["key"]),
            title=str(entry["title"]),
            authors=tuple(str(name) for name in entry.get("authors", ())),
            year=_year(entry.get("year"), where),
            url=str(entry.get("url", "")),
        )
    return works


def meta_from_entry(
    entry: dict,
    base: Path,
    where: str,
    bibliography: dict[str, SourceWork] | None = None,
    origins: dict[str, str] | None = None,
) -> DocumentMeta:
    """Build a `DocumentMeta` from one catalog table, checking the fields users get wrong.

    `origins` names where each value came from; the legacy `organisation` key is read as the
    publisher.
    """
    missing = [name for name in REQUIRED_FIELDS if not entry.get(name)]
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}")
    if entry["kind"] not in KINDS:
        raise CatalogError(f"{where}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}")
    role = str(entry.get("role", "original"))
    if role not in ROLES:
        raise CatalogError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
    summary_of = tuple(
        _summarised(item, bibliography or {}, where) for item in entry.get("summary_of", ())
    )
    if role == "summary" and not summary_of:
        raise CatalogError(f"{where}: a summary needs `summary_of`, the work it summarises")
    authors = entry.get("authors", ())
    if isinstance(authors, str):
        authors = [authors]
    origins = dict(origins or {})
    if "organisation" in origins and "publisher" not in origins:
        origins["publisher"] = origins["organisation"]
    return DocumentMeta(
        id=str(entry["id"]),
        title=str(entry["title"]),
        kind=entry["kind"],
        path=(base / entry["file"]).resolve(),
        authors=tuple(str(name) for name in authors),
        publisher=str(entry.get("publisher", entry.get("organisation", ""))),
        year=_year(entry.get("year"), where),
        language=str(entry.get("language", "en")),
        countries=tuple(code.upper() for code in entry.get("countries", ())),
        sources=tuple(entry.get("sources", ())),
        source_urls=tuple(entry.get("source_urls", ())),
        summary=str(entry.get("summary", "")),
        licence=str(entry.get("licence", "")),
        role=role,
        summary_of=summary_of,
        provenance=tuple((name, origins[name]) for name in DESCRIBED_FIELDS if origins.get(name)),
    )


def _summarised(item: object, bibliography: dict[str, SourceWork], where: str) -> SourceWork:
    if not isinstance(item, dict) or "source" not in item:
        raise CatalogError(f"{where}: each `summary_of` item needs a `source` key")
    key = str(item["source"])
    if key not in bibliography:
        raise CatalogError(f"{where}: source {key!r} is not in {BIBLIOGRAPHY}")
    work = bibliography[key]
    return replace(work, pages=str(item.get("pages", "")))


def _year(value: object, where: str) -> int | None:
    if value is not None and not isinstance(value, int):
        raise CatalogError(f"{where}: year must be a whole number, not {value!r}")
    return value


def _read_toml(path: Path, missing: str) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CatalogError(missing or f"No file at {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"{path}: not valid TOML ({error})") from error
