"""One build: a corpus read, linked, embedded and indexed into a fresh build folder.

`run_build` calls the steps of steps.py in order. It writes everything into
`builds/<id>.partial/`, writes the manifest last, and only then renames the folder and switches
`current` to it. A run that fails or is killed leaves the served build untouched; its partial
folder is removed by the next successful run.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from graph.concepts import ConceptSchemeError, load_scheme
from graph.linking.model import LinkSettings
from ilp_pipeline.document_cache import DocumentCache
from ilp_pipeline.embedding_cache import EmbeddingCache, embed_cached
from ilp_pipeline.index_steps import (
    drop_index,
    index_collections,
    open_index,
    publish_index,
    write_index,
)
from ilp_pipeline.steps import (
    PIPELINE_VERSION,
    Failure,
    ProgressFactory,
    embed,
    embed_multilingual,
    link_by_meaning,
    no_progress,
    read_and_link_by_label,
    switch,
    write,
)
from ingest.catalog import BIBLIOGRAPHY
from ingest.models import MAX_FILE_BYTES, DocumentMeta, TextKept
from ingest.sentences import split_sentences
from search.encoders.base import Encoder
from search.index.backend import LOCAL, index_backend_name
from search.index.build_folders import (
    FORMAT_VERSION,
    BuildError,
    new_build_dir,
    read_manifest,
    resolve_current,
    write_manifest,
)
from search.index.document_vectors import document_text, write_document_vectors


class DocumentsFailed(BuildError):
    """A strict build stopped because some documents could not be read."""

    status = 422
    title = "Documents could not be read"

    def __init__(self, failures: list[Failure]) -> None:
        lines = "; ".join(f"{f.path}: {f.reason}" for f in failures)
        super().__init__(
            f"{len(failures)} document(s) failed and a strict build allows none; "
            f"nothing built ({lines})"
        )
        self.failures = failures


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
    # Per PDF document: its id and how many of its body-text words the build kept.
    text_kept: list[tuple[str, TextKept]] = field(default_factory=list)


def corpus_fingerprint(
    metas: list[DocumentMeta], concepts_path: Path, model_name: str, settings: LinkSettings
) -> str:
    """A hash of everything a build depends on: metadata, files, concepts and their
    bibliography, model, pipeline and build format (a new format is rebuilt without reading the
    documents again: the document cache is keyed by the pipeline version alone)."""
    digest = hashlib.sha256(
        f"{PIPELINE_VERSION}|{FORMAT_VERSION}|{model_name}|{settings!r}".encode()
    )
    digest.update(concepts_path.read_bytes())
    bibliography = concepts_path.parent / BIBLIOGRAPHY  # copied into the build (steps.write)
    if bibliography.is_file():
        digest.update(b"bibliography|" + bibliography.read_bytes())
    for meta in sorted(metas, key=lambda m: m.id):
        digest.update(repr(meta).encode())
        try:
            digest.update(meta.path.read_bytes())
        except OSError as error:  # the reader reports the file; the hash only notes the error
            digest.update(f"unreadable: {error.strerror}".encode())
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


def run_build(
    metas: list[DocumentMeta],
    concepts_path: Path,
    instance: Path,
    encoder: Encoder,
    progress: ProgressFactory = no_progress,
    strict: bool = False,
    only_if_changed: bool = False,
    link_settings: LinkSettings | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    skipped: list[Failure] | None = None,
    multilingual: Encoder | None = None,
    index_url: str | None = None,
) -> BuildReport:
    """Ingest `metas` into a new build under `instance` and make it current.

    With a `multilingual` encoder the build also gets the multilingual index (questions in
    other languages than English are searched on it); without one, every question is searched
    as English.

    With `strict`, any document that fails stops the run (`DocumentsFailed`) before anything is
    written; otherwise the build is made from the rest and the report lists the failures, the
    paths the caller `skipped` (unreadable folders, symlink loops) first.

    `index_url` chooses the index backend (search/index/backend.py): None or `local` for the
    FAISS and FTS5 files alone; `milvus://...` also writes the build's Milvus collection, which
    its readers then search, and points the alias `ilp_current` at it once the build is current.
    """
    backend = index_backend_name(index_url)
    if backend != LOCAL and index_url is not None:
        open_index(index_url)
    started = time.perf_counter()
    if not concepts_path.is_file():
        raise ConceptSchemeError(
            f"No concept scheme at {concepts_path}; pass `--concepts FILE` (a SKOS Turtle file)"
        )
    link_settings = link_settings or LinkSettings()
    models = encoder.name + (f"+{multilingual.name}" if multilingual else "")
    fingerprint = corpus_fingerprint(metas, concepts_path, models, link_settings)
    if only_if_changed and is_current(instance, fingerprint):
        return BuildReport(
            None, len(metas), 0, 0, 0, 0, time.perf_counter() - started, skipped=True
        )
    scheme = load_scheme(concepts_path)
    document_cache = DocumentCache(instance / "cache" / "documents.sqlite")
    try:
        prepared, failures = read_and_link_by_label(
            metas, scheme, concepts_path.read_bytes(), document_cache, progress, max_file_bytes
        )
    finally:
        document_cache.close()
    failures = list(skipped or []) + failures
    if failures and strict:
        raise DocumentsFailed(failures)
    if not prepared:
        raise BuildError("No document could be ingested; the current build is unchanged")
    documents = [document.meta for document in prepared]
    text_kept = [
        (document.meta.id, document.text_kept) for document in prepared if document.text_kept
    ]
    passages = [passage for document in prepared for passage in document.passages]
    label_links = [links for document in prepared for links in document.label_links]
    sentences = split_sentences(passages)
    concepts = list(scheme.concepts.values())
    language = {meta.id: meta.language for meta in documents}
    english = [language[passage.document_id].split("-")[0] == "en" for passage in passages]

    instance.mkdir(parents=True, exist_ok=True)
    partial = new_build_dir(instance)
    index_entry: dict | None = None
    try:
        embedding_cache = EmbeddingCache(instance / "cache" / "embeddings.sqlite")
        try:
            embeddings = embed(encoder, passages, sentences, concepts, embedding_cache, progress)
            texts = [document_text(meta) for meta in documents]
            document_vectors, computed_documents = embed_cached(encoder, texts, embedding_cache)
            second = None
            if multilingual is not None:
                second = embed_multilingual(
                    multilingual, passages, english, sentences, concepts, embedding_cache, progress
                )
        finally:
            embedding_cache.close()
        links = link_by_meaning(
            passages, sentences, scheme, embeddings, link_settings, label_links, second, english
        )
        triples = write(
            partial,
            documents,
            passages,
            sentences,
            links,
            scheme,
            concepts_path,
            embeddings,
            run_id=fingerprint[:16],
            multilingual=second,
        )
        write_document_vectors(partial, documents, passages, document_vectors)
        if backend != LOCAL and index_url is not None:
            index_entry = write_index(index_url, partial, embeddings, second, progress)
        write_manifest(
            partial,
            {
                "build_id": partial.stem,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "corpus_fingerprint": fingerprint,
                "model": {"name": encoder.name, "dimension": int(embeddings.passages.shape[1])},
                **({"index": index_entry} if index_entry else {}),
                "multilingual": None
                if second is None
                else {
                    "name": multilingual.name if multilingual else "",
                    "dimension": int(second.passages.shape[1]),
                    "words": len(second.words),
                },
                "counts": {
                    "documents": len(documents),
                    "passages": len(passages),
                    "sentences": len(sentences),
                    "concept_links": len(links),
                    "concepts": len(concepts),
                    "triples": triples,
                    "failures": len(failures),
                },
                "failures": [{"path": f.path, "reason": f.reason} for f in failures],
                "text_kept": {
                    document_id: {
                        "body_words": kept.body_words,
                        "kept_words": kept.kept_words,
                        "share": round(kept.share, 4),
                    }
                    for document_id, kept in text_kept
                },
            },
        )
        collections = index_collections(instance)
        final = switch(instance, partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        if index_entry and index_url is not None:
            drop_index(index_url, [index_entry["collection"]])
        raise
    if index_entry and index_url is not None:
        publish_index(index_url, index_entry["collection"], collections, instance)
    total = len(passages) + len(sentences) + len(concepts) + len(documents)
    computed = embeddings.computed + computed_documents
    if second is not None:
        total += len(passages) + len(sentences) + len(concepts) + len(second.words)
        computed += second.computed
    return BuildReport(
        final.name,
        len(documents),
        len(passages),
        len(links),
        computed,
        total - computed,
        time.perf_counter() - started,
        failures,
        text_kept=text_kept,
    )
