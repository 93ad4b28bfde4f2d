"""The steps of a build, in the order `run_build` (run.py) calls them.

1. `read`: each document read and split into passages; a failing document is recorded and the
   rest carry on.
2. `link_by_label`: the concepts each passage names by a label. Steps 1 and 2 depend only on the
   file, its metadata, the concept scheme and `PIPELINE_VERSION`, so they are cached together
   per document (ilp_pipeline/document_cache.py): an unchanged document is one lookup.
3. `embed`: passages, sentences and concepts embedded, reusing cached vectors by content hash;
   `embed_multilingual`: the same passages and sentences, the concepts and the corpus's English
   vocabulary embedded by the multilingual encoder, for questions in other languages.
4. `link_by_meaning`: the linking model decides every (passage, concept) pair from the label
   matches and the embeddings (graph/linking/model.py); passages not in English are judged on
   the multilingual vectors.
5. `write`: the passage store, the FAISS indexes, the sentence vectors, the RDF graph and the
   concept scheme written into the partial build folder (`run_build` then writes the manifest,
   last, once every file is complete).
6. `switch`: the partial folder renamed and `current` pointed at it (search/index/build_folders.py).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graph.concepts import Concept, ConceptScheme
from graph.linking.labels import ConceptLink, LabelLinker
from graph.linking.model import LinkSettings, SemanticEvidence, concept_text, link_passages
from graph.rdf import corpus_triples, save_triples
from ilp_pipeline.document_cache import DocumentCache
from ilp_pipeline.embedding_cache import EmbeddingCache, embed_cached
from ilp_pipeline.originals import keep_originals
from ingest.catalog import BIBLIOGRAPHY
from ingest.errors import IngestError
from ingest.models import MAX_FILE_BYTES, DocumentMeta, Passage, TextKept
from ingest.reader import read_document
from ingest.sentences import Sentence
from ingest.splitter import split_passages
from search.encoders.base import Encoder
from search.index.build_folders import finish_build
from search.index.dense import DenseIndex
from search.index.multilingual import vocabulary, write_multilingual
from search.index.store_writer import write_store

# Bump when reading, splitting, linking or the store's tables change: `ilp ingest --if-changed`
# then rebuilds, and the document cache (passages and label matches per file) is not reused.
# Latest (17): Russian words hyphenated at PDF line ends are rejoined. CHANGELOG.md.
PIPELINE_VERSION = "17"
# progress(total, description) -> advance(n): how the caller shows progress (the CLI uses tqdm).
ProgressFactory = Callable[[int, str], Callable[[int], None]]


def no_progress(total: int, description: str) -> Callable[[int], None]:
    """A progress factory that shows nothing."""
    return lambda n: None


@dataclass(frozen=True)
class Failure:
    """A document that could not be ingested, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class PreparedDocument:
    """A document read, split into passages, and its passages' label matches found."""

    meta: DocumentMeta
    passages: list[Passage]
    label_links: list[list[ConceptLink]]  # one list per passage
    text_kept: TextKept | None = None  # a PDF's body words kept (ingest/pdf_text_kept.py)


@dataclass(frozen=True)
class Embeddings:
    """The vectors of one build, and how many had to be computed (not found in the cache)."""

    passages: np.ndarray
    sentences: np.ndarray
    concepts: np.ndarray
    computed: int
    words: tuple[str, ...] = ()  # the vocabulary `words` holds the vectors of (multilingual)
    word_vectors: np.ndarray | None = None


def document_key(
    meta: DocumentMeta, concepts: bytes, max_bytes: int = MAX_FILE_BYTES
) -> str | None:
    """Everything a document's passages and label links depend on, hashed (None for a file
    the reader will refuse anyway: missing or over the size limit)."""
    try:
        if not meta.path.is_file() or meta.path.stat().st_size > max_bytes:
            return None
        content = meta.path.read_bytes()
    except OSError:
        return None  # unreadable: the reader says why
    digest = hashlib.sha256(f"{PIPELINE_VERSION}|{meta!r}".encode())
    digest.update(hashlib.sha256(concepts).digest())
    digest.update(content)
    return digest.hexdigest()


def read(
    meta: DocumentMeta, max_bytes: int = MAX_FILE_BYTES
) -> tuple[list[Passage], TextKept | None]:
    """Step 1: a document's passages and, for a PDF, how much of its body text they keep
    (`IngestError` or `OSError` when it cannot be read)."""
    document = read_document(meta, max_bytes)
    return split_passages(document), document.text_kept


def link_by_label(linker: LabelLinker, passages: list[Passage]) -> list[list[ConceptLink]]:
    """Step 2: for each passage, the concepts it names by a label."""
    return [linker.link(passage) for passage in passages]


def read_and_link_by_label(
    metas: list[DocumentMeta],
    scheme: ConceptScheme,
    concepts: bytes,
    cache: DocumentCache,
    progress: ProgressFactory = no_progress,
    max_bytes: int = MAX_FILE_BYTES,
) -> tuple[list[PreparedDocument], list[Failure]]:
    """Steps 1 and 2 for every document, reusing cached results for unchanged ones.

    A failing document is recorded and the rest carry on; failures are never cached, so a
    fixed file is picked up by the next run.
    """
    prepared: list[PreparedDocument] = []
    failures: list[Failure] = []
    linker: LabelLinker | None = None  # compiled only when some document is not cached
    advance = progress(len(metas), "reading documents")
    for meta in metas:
        try:
            key = document_key(meta, concepts, max_bytes)
            cached = cache.get(key) if key else None
            if cached is None:
                passages, text_kept = read(meta, max_bytes)
                linker = linker or LabelLinker(scheme)
                label_links = link_by_label(linker, passages)
                if key:
                    cache.put(key, passages, label_links, text_kept)
            else:
                passages, label_links, text_kept = cached
            prepared.append(PreparedDocument(meta, passages, label_links, text_kept))
        except IngestError as error:
            failures.append(Failure(str(meta.path), str(error)))
        except OSError as error:
            failures.append(Failure(str(meta.path), f"{meta.path.name}: cannot be read ({error})"))
        advance(1)
    return prepared, failures


def embed(
    encoder: Encoder,
    passages: list[Passage],
    sentences: list[Sentence],
    concepts: list[Concept],
    cache: EmbeddingCache,
    progress: ProgressFactory = no_progress,
) -> Embeddings:
    """Step 3: embed passages, sentences and concepts, computing only what is not cached."""
    passage_vectors, computed_p = embed_cached(
        encoder, [p.text for p in passages], cache, progress(len(passages), "embedding passages")
    )
    sentence_vectors, computed_s = embed_cached(
        encoder, [s.text for s in sentences], cache, progress(len(sentences), "embedding sentences")
    )
    concept_vectors, computed_c = embed_cached(encoder, [concept_text(c) for c in concepts], cache)
    return Embeddings(
        passage_vectors, sentence_vectors, concept_vectors, computed_p + computed_s + computed_c
    )


def embed_multilingual(
    encoder: Encoder,
    passages: list[Passage],
    english: list[bool],
    sentences: list[Sentence],
    concepts: list[Concept],
    cache: EmbeddingCache,
    progress: ProgressFactory = no_progress,
) -> Embeddings:
    """Step 3, second index: passages, sentences, concepts and the English vocabulary of the
    passages where `english` is True, by the multilingual encoder (cached like the first)."""
    passage_vectors, computed_p = embed_cached(
        encoder,
        [p.text for p in passages],
        cache,
        progress(len(passages), "embedding passages (multilingual)"),
    )
    sentence_vectors, computed_s = embed_cached(
        encoder,
        [s.text for s in sentences],
        cache,
        progress(len(sentences), "embedding sentences (multilingual)"),
    )
    concept_vectors, computed_c = embed_cached(encoder, [concept_text(c) for c in concepts], cache)
    words = vocabulary(
        p.text for p, is_english in zip(passages, english, strict=True) if is_english
    )
    word_vectors, computed_w = embed_cached(encoder, words, cache)
    return Embeddings(
        passage_vectors,
        sentence_vectors,
        concept_vectors,
        computed_p + computed_s + computed_c + computed_w,
        tuple(words),
        word_vectors,
    )


def link_by_meaning(
    passages: list[Passage],
    sentences: list[Sentence],
    scheme: ConceptScheme,
    embeddings: Embeddings,
    settings: LinkSettings,
    label_links: list[list[ConceptLink]],
    multilingual: Embeddings | None = None,
    english: list[bool] | None = None,
) -> list[ConceptLink]:
    """Step 4: the concept links the linking model accepts, over labels and embeddings
    (passages not in English on the `multilingual` embeddings, when there are some)."""
    sentence_rows = np.array([s.row_id for s in sentences])
    concept_ids = [concept.id for concept in scheme.concepts.values()]
    evidence = SemanticEvidence(
        embeddings.passages, embeddings.sentences, sentence_rows, embeddings.concepts, concept_ids
    )
    other = None
    if multilingual is not None:
        other = SemanticEvidence(
            multilingual.passages,
            multilingual.sentences,
            sentence_rows,
            multilingual.concepts,
            concept_ids,
        )
    rows = None if english is None else ~np.array(english, dtype=bool)
    return link_passages(passages, scheme, evidence, settings, label_links, other, rows)


def write(
    folder: Path,
    documents: list[DocumentMeta],
    passages: list[Passage],
    sentences: list[Sentence],
    links: list[ConceptLink],
    scheme: ConceptScheme,
    concepts_path: Path,
    embeddings: Embeddings,
    run_id: str,
    multilingual: Embeddings | None = None,
) -> int:
    """Step 5: every artifact of the build into `folder`; returns the number of triples.

    The manifest is not written here: `run_build` writes it last, once every file is complete.
    """
    write_store(
        folder / "passages.sqlite",
        documents,
        passages,
        sentences,
        links,
        {c.id: c.pref_label for c in scheme.concepts.values()},
    )
    DenseIndex.build(embeddings.passages, np.arange(len(passages))).save(folder / "passages.faiss")
    np.save(folder / "sentences.npy", embeddings.sentences)
    if multilingual is not None:
        write_multilingual(
            folder,
            multilingual.passages,
            multilingual.sentences,
            list(multilingual.words),
            multilingual.word_vectors
            if multilingual.word_vectors is not None
            else np.zeros((0, multilingual.passages.shape[1]), dtype=np.float32),
        )
    triples = corpus_triples(documents, passages, links, scheme, run_id=run_id)
    save_triples(triples, folder / "graph.nt")
    shutil.copyfile(concepts_path, folder / "concepts.ttl")
    # The bibliography beside the concept scheme resolves its `dcterms:source` keys ("S01 p.55")
    # on concept pages; optional, so not a hashed artifact.
    bibliography = concepts_path.parent / BIBLIOGRAPHY
    if bibliography.is_file():
        shutil.copyfile(bibliography, folder / BIBLIOGRAPHY)
    keep_originals(folder, documents)  # the site serves them and links cited pages to them
    return len(triples)


def switch(instance: Path, partial: Path) -> Path:
    """Step 6: make the finished build current, atomically; returns its final folder."""
    return finish_build(instance, partial)
