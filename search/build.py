"""One ingest run: read, split, link, embed and index a corpus into a fresh build folder.

The run writes everything into `builds/<id>.partial/`, writes the manifest last, and only then
renames the folder and switches `current` to it. A run that fails or is killed leaves the served
build untouched; its partial folder is removed by the next successful run.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from graph.builder import corpus_triples, save_triples
from graph.concepts import ConceptScheme, load_scheme
from graph.linker import (
    ConceptLink,
    LabelLinker,
    LinkSettings,
    SemanticEvidence,
    concept_text,
    link_passages,
)
from ingest.errors import IngestError
from ingest.models import DocumentMeta, Passage
from ingest.reader import MAX_FILE_BYTES, read_document
from ingest.splitter import split_passages
from search.builds import (
    BuildError,
    finish_build,
    new_build_dir,
    read_manifest,
    resolve_current,
    write_manifest,
)
from search.dense import DenseIndex
from search.document_cache import DocumentCache
from search.embedding_cache import EmbeddingCache, embed_cached
from search.encoder import Encoder
from search.passages import split_sentences, write_store

# Bump when reading, splitting, linking or the store's tables change: `ilp ingest --if-changed`
# then rebuilds, and the document cache (passages and label matches per file) is not reused.
PIPELINE_VERSION = "5"
# progress(total, description) -> advance(n): how the caller shows progress (the CLI uses tqdm).
ProgressFactory = Callable[[int, str], Callable[[int], None]]


@dataclass(frozen=True)
class Failure:
    """A document that could not be ingested, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class BuildReport:
    """What an ingest run did."""

    build_id: str | None
    documents: int
    passages: int
    concept_links: int
    embedded: int
    reused: int
    seconds: float
    failures: list[Failure] = field(default_factory=list)
    skipped: bool = False


def _no_progress(total: int, description: str) -> Callable[[int], None]:
    return lambda n: None


def corpus_fingerprint(metas: list[DocumentMeta], concepts_path: Path, model_name: str,
                       settings: LinkSettings) -> str:
    """A hash of everything a build depends on: metadata, files, concepts, model, pipeline."""
    digest = hashlib.sha256(f"{PIPELINE_VERSION}|{model_name}|{settings!r}".encode())
    digest.update(concepts_path.read_bytes())
    for meta in sorted(metas, key=lambda m: m.id):
        digest.update(repr(meta).encode())
        if meta.path.is_file():
            digest.update(meta.path.read_bytes())
    return digest.hexdigest()


def is_current(instance: Path, fingerprint: str) -> bool:
    """True when the served build was made from exactly this corpus and model."""
    served = resolve_current(instance, required=False)
    if served is None:
        return False
    try:
        return read_manifest(served).get("corpus_fingerprint") == fingerprint
    except BuildError:
        return False


def run_build(metas: list[DocumentMeta], concepts_path: Path, instance: Path,
              encoder: Encoder, progress: ProgressFactory = _no_progress,
              strict: bool = False, only_if_changed: bool = False,
              link_settings: LinkSettings | None = None) -> BuildReport:
    """Ingest `metas` into a new build under `instance` and make it current."""
    started = time.perf_counter()
    link_settings = link_settings or LinkSettings()
    fingerprint = corpus_fingerprint(metas, concepts_path, encoder.name, link_settings)
    if only_if_changed and is_current(instance, fingerprint):
        return BuildReport(None, len(metas), 0, 0, 0, 0, time.perf_counter() - started,
                           skipped=True)
    scheme = load_scheme(concepts_path)
    cache = DocumentCache(instance / "cache" / "documents.sqlite")
    try:
        prepared, failures = prepare_documents(metas, scheme, concepts_path.read_bytes(), cache,
                                               progress)
    finally:
        cache.close()
    if failures and strict:
        lines = "; ".join(f"{f.path}: {f.reason}" for f in failures)
        raise BuildError(f"--strict: {len(failures)} document(s) failed, nothing built ({lines})")
    if not prepared:
        raise BuildError("No document could be ingested; the current build is unchanged")
    passages = [passage for document in prepared for passage in document.passages]
    label_links = [links for document in prepared for links in document.label_links]
    sentences = split_sentences(passages)

    instance.mkdir(parents=True, exist_ok=True)
    partial = new_build_dir(instance)
    try:
        build_id = partial.stem
        kept = [document.meta for document in prepared]
        concepts = list(scheme.concepts.values())
        cache = EmbeddingCache(instance / "cache" / "embeddings.sqlite")
        try:
            vectors, computed_p = embed_cached(encoder, [p.text for p in passages], cache,
                                               progress(len(passages), "embedding passages"))
            sentence_vectors, computed_s = embed_cached(
                encoder, [s.text for s in sentences], cache,
                progress(len(sentences), "embedding sentences"))
            concept_vectors, computed_c = embed_cached(
                encoder, [concept_text(c) for c in concepts], cache)
        finally:
            cache.close()
        evidence = SemanticEvidence(vectors, sentence_vectors,
                                    np.array([s.row_id for s in sentences]),
                                    concept_vectors, [c.id for c in concepts])
        links = link_passages(passages, scheme, evidence, link_settings, label_links)
        write_store(partial / "passages.sqlite", kept, passages, sentences, links,
                    {c.id: c.pref_label for c in concepts})
        DenseIndex.build(vectors, np.arange(len(passages))).save(partial / "passages.faiss")
        np.save(partial / "sentences.npy", sentence_vectors)
        triples = corpus_triples(kept, passages, links, scheme, run_id=fingerprint[:16])
        save_triples(triples, partial / "graph.nt")
        shutil.copyfile(concepts_path, partial / "concepts.ttl")
        computed = computed_p + computed_s + computed_c
        write_manifest(partial, {
            "build_id": build_id,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "corpus_fingerprint": fingerprint,
            "model": {"name": encoder.name, "dimension": int(vectors.shape[1])},
            "counts": {"documents": len(kept), "passages": len(passages),
                       "sentences": len(sentences), "concept_links": len(links),
                       "concepts": len(scheme.concepts), "triples": len(triples),
                       "failures": len(failures)},
            "failures": [{"path": f.path, "reason": f.reason} for f in failures],
        })
        final = finish_build(instance, partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    total = len(passages) + len(sentences) + len(concepts)
    return BuildReport(final.name, len(kept), len(passages), len(links), computed,
                       total - computed, time.perf_counter() - started, failures)


@dataclass(frozen=True)
class PreparedDocument:
    """A document read, split into passages, and its passages' label matches found."""

    meta: DocumentMeta
    passages: list[Passage]
    label_links: list[list[ConceptLink]]  # one list per passage


def document_key(meta: DocumentMeta, concepts: bytes) -> str | None:
    """Everything a document's passages and label links depend on, hashed (None for a file
    the reader will refuse anyway: missing or over the size limit)."""
    if not meta.path.is_file() or meta.path.stat().st_size > MAX_FILE_BYTES:
        return None
    digest = hashlib.sha256(f"{PIPELINE_VERSION}|{meta!r}".encode())
    digest.update(hashlib.sha256(concepts).digest())
    digest.update(meta.path.read_bytes())
    return digest.hexdigest()


def prepare_documents(metas: list[DocumentMeta], scheme: ConceptScheme, concepts: bytes,
                      cache: DocumentCache, progress: ProgressFactory = _no_progress,
                      ) -> tuple[list[PreparedDocument], list[Failure]]:
    """Read, split and label-match every document, reusing cached results for unchanged ones.

    A failing document is recorded and the rest carry on; failures are never cached, so a
    fixed file is picked up by the next run.
    """
    prepared: list[PreparedDocument] = []
    failures: list[Failure] = []
    linker: LabelLinker | None = None  # compiled only when some document is not cached
    advance = progress(len(metas), "reading documents")
    for meta in metas:
        try:
            key = document_key(meta, concepts)
            cached = cache.get(key) if key else None
            if cached is None:
                passages = split_passages(read_document(meta))
                linker = linker or LabelLinker(scheme)
                label_links = [linker.link(passage) for passage in passages]
                if key:
                    cache.put(key, passages, label_links)
            else:
                passages, label_links = cached
            prepared.append(PreparedDocument(meta, passages, label_links))
        except IngestError as error:
            failures.append(Failure(str(meta.path), str(error)))
        except OSError as error:
            failures.append(Failure(str(meta.path), f"{meta.path.name}: cannot be read ({error})"))
        advance(1)
    return prepared, failures
