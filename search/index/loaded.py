"""A verified build opened for reading: passage store, FAISS index, sentence vectors, concepts,
the documents' vectors (the document prior), and the multilingual index when the build has one.

Everything a search needs is read when the build is opened: the FAISS index and the concept
scheme into memory, the sentence vectors by mmap and the SQLite store through an open read-only
connection. Searches never open the build folder by path again, so a served build stays readable
even when `prune_builds` deletes its folder (on POSIX an open or mapped file lives until it is
closed). Only the RDF graph (SPARQL, dumps) is read lazily; if its folder is gone by then, that
request gets a `BuildError` (503), never a crash.

A build whose manifest names a Milvus collection (`index`, search/index/milvus_backend.py) takes
its dense and keyword retrieval from that collection instead of passages.faiss and the FTS5
postings; everything else is read from the build folder as above.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np

from graph.concepts import ConceptScheme, load_scheme
from graph.linking.labels import LabelLinker
from ilp_base.errors import AtlasError
from search.index.backend import LOCAL, DenseSearch, KeywordSearch
from search.index.build_folders import (
    MULTILINGUAL_ARTIFACTS,
    BuildError,
    resolve_current,
    verify_build,
)
from search.index.dense import DenseIndex
from search.index.document_vectors import DOCUMENT_VECTORS, DocumentVectors
from search.index.keyword import KeywordIndex
from search.index.multilingual import MultilingualIndex
from search.index.store import PassageStore

T = TypeVar("T")
REQUIRED_TABLES = (
    "documents",
    "passages",
    "sentences",
    "passage_concepts",
    "concepts",
    "passage_countries",
    "passages_fts",
    "keyword_postings",
    "keyword_lengths",
)


class LoadedBuild:
    """Everything a searcher reads, checked against the build's manifest before use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._dumps: dict[str, bytes] = {}
        self.manifest = verify_build(path)
        self.store = _open_store(path / "passages.sqlite")
        try:
            self.sentence_vectors = _read(
                path, "sentences.npy", lambda file: np.load(file, mmap_mode="r")
            )
            self.scheme: ConceptScheme = _read(path, "concepts.ttl", load_scheme)
            self.document_vectors = _read(path, DOCUMENT_VECTORS, DocumentVectors.load)
            self.multilingual: MultilingualIndex | None = (
                _read(path, MULTILINGUAL_ARTIFACTS[0], lambda _: MultilingualIndex.load(path))
                if self.manifest.get("multilingual")
                else None
            )
            self.dense: DenseSearch
            self.keyword: KeywordSearch
            index = self.manifest.get("index") or {"backend": LOCAL}
            if index["backend"] == LOCAL:
                self.dense = _read(path, "passages.faiss", DenseIndex.load)
                self.keyword = _keyword_index(path, self.store)
            else:
                self._open_milvus(index)
        except BuildError:
            self.store.close()
            raise
        counts = self.manifest["counts"]
        multilingual = self.multilingual
        if (
            len(self.dense) != counts["passages"]
            or self.dense.dimension != self.manifest["model"]["dimension"]
            or self.sentence_vectors.shape[0] != counts["sentences"]
            or self.store.count() != counts["passages"]
            or len(self.document_vectors.passage_documents) != counts["passages"]
            or len(self.document_vectors.ids) != counts["documents"]
            or self.document_vectors.vectors.shape[1] != self.manifest["model"]["dimension"]
            or (
                multilingual is not None
                and (
                    len(multilingual.dense) != counts["passages"]
                    or multilingual.sentence_vectors.shape[0] != counts["sentences"]
                    or multilingual.dense.dimension != self.manifest["multilingual"]["dimension"]
                )
            )
        ):
            self.store.close()
            raise BuildError(
                f"{path.name}: index sizes do not match the manifest; run `ilp ingest` to rebuild"
            )

    def _open_milvus(self, index: dict) -> None:
        """Dense and keyword retrieval from the build's Milvus collection (the manifest's)."""
        try:
            from search.index.milvus_backend import MilvusDense, MilvusKeyword

            self.dense = MilvusDense(index["url"], index["collection"], "dense")
            self.keyword = MilvusKeyword(index["url"], index["collection"])
            if self.multilingual is not None:
                self.multilingual = replace(
                    self.multilingual,
                    dense=MilvusDense(index["url"], index["collection"], "multilingual"),
                )
        except Exception as error:  # pymilvus missing, engine down, collection dropped
            raise BuildError(
                f"{self.path.name}: its index collection {index['collection']} at "
                f"{index['url']} cannot be opened ({error}); start Milvus or run `ilp ingest`"
            ) from error

    @classmethod
    def open_current(cls, instance: Path) -> LoadedBuild:
        """Open the build that `instance/current` points to."""
        return cls(resolve_current(instance))

    @property
    def build_id(self) -> str:
        """The build's id (its folder name)."""
        return self.manifest["build_id"]

    @cached_property
    def concept_passage_counts(self) -> dict[str, int]:
        """Passages per concept (to tell specific concepts from general ones)."""
        return self.store.concept_passage_counts()

    @cached_property
    def main_model_rows(self) -> frozenset[int] | None:
        """The passages the main (English) model's dense search covers: with a multilingual
        index, the English ones (the others are found by the multilingual index and by
        keyword; MiniLM's cosines for them are noise that displaced English passages for
        English questions); None for all."""
        if self.multilingual is None:
            return None
        english = self.store.row_ids_where(languages=("en",)) or set()
        return None if len(english) == self.store.count() else frozenset(english)

    @cached_property
    def sentence_bounds(self) -> np.ndarray | None:
        """Where each passage's sentences are among the sentence vectors: those of row r are
        rows `bounds[r]` to `bounds[r + 1]`, as builds number them (in passage order), so a
        passage's best sentence is found without reading the store; None if they are not."""
        numbered = self.store.sentence_passages()
        owners = np.asarray([row for _, row in numbered], dtype=np.int64)
        in_order = all(sentence == place for place, (sentence, _) in enumerate(numbered))
        if not in_order or (len(owners) and bool(np.any(np.diff(owners) < 0))):
            return None
        return np.searchsorted(owners, np.arange(self.store.count() + 1)).astype(np.int64)

    @cached_property
    def other_language_rows(self) -> frozenset[int]:
        """The passages MiniLM cannot read (not in English), which the multilingual index
        serves for English questions too; empty without that index (rows are 0..n-1).
        Frozen, as `main_model_rows`: every caller shares the one cached set."""
        english = self.main_model_rows
        if english is None:
            return frozenset()
        return frozenset(range(self.store.count())) - english

    @cached_property
    def _country_documents(self) -> dict[str, frozenset[int]]:
        """Country code -> the documents whose catalogue entry lists it (as their indexes in
        `document_vectors`, which maps every passage row to its document)."""
        index = {document_id: i for i, document_id in enumerate(self.document_vectors.ids)}
        found: dict[str, set[int]] = {}
        for document in self.store.documents():
            for code in document.countries:
                found.setdefault(code.upper(), set()).add(index[document.id])
        return {code: frozenset(documents) for code, documents in found.items()}

    def rows_listing_countries(self, rows: Iterable[int], countries: set[str]) -> set[int]:
        """Those of `rows` whose document's catalogue entry lists one of `countries` (codes);
        read from memory, so as cheap at a million passages as at a hundred."""
        documents = set().union(*(self._country_documents.get(code, ()) for code in countries))
        of_row = self.document_vectors.passage_documents
        return {row for row in rows if of_row[row] in documents} if documents else set()

    @cached_property
    def label_linker(self) -> LabelLinker:
        """Recognises concept labels in queries."""
        return LabelLinker(self.scheme)

    @cached_property
    def sparql_store(self):  # noqa: ANN201 - pyoxigraph.Store, imported lazily
        """The graph in a pyoxigraph store for SPARQL, loaded on first use.

        Unlike the artifacts above this one is read lazily (most processes never run SPARQL),
        so it needs the build folder to still exist; `prune_builds` keeps the newest three.
        """
        from graph.sparql import load_store

        return _read(self.path, "graph.nt", load_store)

    def graph_dump(self, output_format: str) -> bytes:
        """The whole graph as Turtle, JSON-LD or N-Triples (serialised once per build)."""
        if output_format not in self._dumps:
            from graph.rdf import serialize_graph

            self._dumps[output_format] = _read(
                self.path, "graph.nt", lambda path: serialize_graph(path, output_format)
            )
        return self._dumps[output_format]

    def close(self) -> None:
        """Release the SQLite connection."""
        self.store.close()


def _read(build: Path, name: str, reader: Callable[[Path], T]) -> T:
    """Read one artifact, turning any failure into a `BuildError` naming it."""
    try:
        return reader(build / name)
    except (AtlasError, ValueError, OSError) as error:
        # An OSError's text names the absolute path; the message may reach a web visitor.
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise BuildError(
            f"{build.name}: {name} cannot be read ({reason}); run `ilp ingest` to rebuild"
        ) from error


def _keyword_index(build: Path, store: PassageStore) -> KeywordIndex:
    """The BM25 posting lists stored beside the FTS5 table."""
    try:
        return KeywordIndex(store.connection)
    except sqlite3.DatabaseError as error:
        raise BuildError(
            f"{build.name}: the keyword postings in passages.sqlite cannot be read "
            f"({error}); run `ilp ingest` to rebuild"
        ) from error


def _open_store(path: Path) -> PassageStore:
    """Open the passage store, refusing a damaged database or one that lacks a table."""
    try:
        store = PassageStore(path)
    except sqlite3.DatabaseError as error:
        raise BuildError(
            f"{path.parent.name}: passages.sqlite cannot be read ({error}); "
            "run `ilp ingest` to rebuild"
        ) from error
    try:
        found = {
            row[0]
            for row in store.connection.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            )
        }
    except sqlite3.DatabaseError as error:
        store.close()
        raise BuildError(
            f"{path.parent.name}: passages.sqlite cannot be read ({error}); "
            "run `ilp ingest` to rebuild"
        ) from error
    missing = [name for name in REQUIRED_TABLES if name not in found]
    if missing:
        store.close()
        raise BuildError(
            f"{path.parent.name}: passages.sqlite lacks the table "
            f"{', '.join(missing)}; run `ilp ingest` to rebuild"
        )
    return store
