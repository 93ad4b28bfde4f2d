"""Scale-up builds (10,000 to 1,000,000 passages) made from the corpus build, cached under
bench/cache/.

Passages are the corpus passages repeated, each copy after the first with a suffix id (so its
text, id and document differ); embeddings are the corpus embeddings plus small Gaussian noise,
renormalised, since encoding 100k texts would take about 35 minutes here. The store, FAISS index
and manifest are written with the library functions, so the build loads like a real one.

Memory stays near what the store writer itself needs: sentences and concept links are generated
while they are written (at 1M passages, 7.8 million sentence objects alone took about 2 GB),
and vectors are made one copy of the corpus at a time, straight into the FAISS index and
sentences.npy, never as one repeated array plus its noise.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "bench" / "cache"
SCALE_VERSION = "2"  # bump when the way the scale-up is made changes (2: documents.npz)
NOISE = 0.01  # per-component standard deviation; copies keep cosine ~0.98 with their original
RECORD = "bench-build.json"


def scale_instance(passages: int) -> Path:
    """The instance folder of the cached scale-up build of `passages` passages."""
    return CACHE / f"scale-{passages // 1000}k"


def cached_scale_build(source, passages: int) -> dict:
    """The scale-up build's record (build seconds, sizes), building it if absent or stale."""
    instance = scale_instance(passages)
    key = hashlib.sha256(
        f"{SCALE_VERSION}|{passages}|{source.manifest['corpus_fingerprint']}".encode()
    ).hexdigest()[:16]
    record_path = instance / RECORD
    if record_path.is_file() and (instance / "current").is_dir():
        record = json.loads(record_path.read_text())
        if record.get("key") == key:
            return dict(record, reused_from_cache=True)
    shutil.rmtree(instance, ignore_errors=True)
    record = dict(build_scaled(source, instance, passages), key=key)
    record_path.write_text(json.dumps(record, indent=2))
    return dict(record, reused_from_cache=False)


def _noisy(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Vectors plus small noise, renormalised to unit length."""
    moved = vectors + rng.normal(0.0, NOISE, vectors.shape).astype(np.float32)
    return moved / np.linalg.norm(moved, axis=1, keepdims=True)


def _copy(passage, document_id: str, copy: int):
    """Copy number `copy` of a passage (copy 0 is the original)."""
    if copy == 0:
        return passage
    return dataclasses.replace(
        passage,
        id=f"{passage.id}~{copy}",
        document_id=document_id,
        text=f"{passage.text} [{copy:05d}]",
    )


def read_source(source) -> dict:
    """Everything of the corpus build that the scale-up repeats."""
    from graph.linking.labels import ConceptLink
    from ingest.sentences import Sentence

    store = source.store
    stored = store.passages(range(store.count()))
    passages = [stored[row].passage for row in sorted(stored)]
    sentence_rows = store.connection.execute(
        "SELECT sentence_row, row_id, char_start, char_end FROM sentences ORDER BY sentence_row"
    )
    sentences = [Sentence(s, r, "", start, end) for s, r, start, end in sentence_rows]
    links = [
        (row, ConceptLink(passages[row].id, concept, method, score, matched))
        for row, concept, method, score, matched in store.connection.execute(
            "SELECT row_id, concept_id, method, score, matched FROM passage_concepts"
        )
    ]
    labels = dict(store.connection.execute("SELECT concept_id, label FROM concepts"))
    index = source.dense.index
    import faiss

    ids = faiss.vector_to_array(index.id_map)
    flat = faiss.downcast_index(index.index).reconstruct_n(0, index.ntotal)
    vectors = np.empty_like(flat)
    vectors[ids] = flat
    return {
        "documents": store.documents(),
        "passages": passages,
        "sentences": sentences,
        "links": links,
        "labels": labels,
        "vectors": vectors,
        "sentence_vectors": np.asarray(source.sentence_vectors),
        "document_vectors": source.document_vectors,
    }


class _Repeated:
    """A sequence that is generated each time it is iterated (`write_store` reads it once)."""

    def __init__(self, length: int, generate: Callable[[], Iterator]) -> None:
        self._length = length
        self._generate = generate

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator:
        return self._generate()


def repeat_corpus(source: dict, target: int) -> dict:
    """Documents and passages repeated (with suffix ids) up to `target`; their sentences and
    concept links as sequences generated while they are written."""
    from ingest.sentences import Sentence

    base = source["passages"]
    copies = math.ceil(target / len(base))
    sentences_of: dict[int, list] = {}
    for sentence in source["sentences"]:
        sentences_of.setdefault(sentence.row_id, []).append(sentence)
    links_of: dict[int, list] = {}
    for row, link in source["links"]:
        links_of.setdefault(row, []).append(link)
    documents = [
        dataclasses.replace(meta, id=meta.id + ("" if copy == 0 else f"~{copy}"))
        for copy in range(copies)
        for meta in source["documents"]
    ]
    passages = [
        _copy(passage, passage.document_id + ("" if copy == 0 else f"~{copy}"), copy)
        for copy in range(copies)
        for passage in base
    ][:target]

    def rows() -> Iterator[tuple[int, int]]:  # (new row, corpus row) of every passage
        return ((new_row, new_row % len(base)) for new_row in range(target))

    def sentences() -> Iterator:
        number = 0
        for new_row, row in rows():
            for sentence in sentences_of.get(row, []):
                yield Sentence(number, new_row, "", sentence.char_start, sentence.char_end)
                number += 1

    def links() -> Iterator:
        for new_row, row in rows():
            for link in links_of.get(row, []):
                yield dataclasses.replace(link, passage_id=passages[new_row].id)

    sentence_count = sum(len(sentences_of.get(row, [])) for _, row in rows())
    link_count = sum(len(links_of.get(row, [])) for _, row in rows())
    return {
        "documents": documents,
        "passages": passages,
        "sentences": _Repeated(sentence_count, sentences),
        "links": _Repeated(link_count, links),
        "copies": copies,
    }


def write_vectors(source: dict, passages: int, sentences: int, build: Path) -> tuple[float, float]:
    """Write passages.faiss and sentences.npy for `passages` passages and `sentences` sentences,
    one copy of the corpus at a time; return (faiss seconds, sentence seconds)."""
    from search.index.dense import DenseIndex

    rng = np.random.default_rng(0)  # the same draws, in the same order, as one big array took
    started = time.perf_counter()
    base = source["vectors"]
    dense = DenseIndex.build(base[:passages], np.arange(min(passages, len(base))))
    for start in range(len(base), passages, len(base)):
        chunk = _noisy(base[: min(len(base), passages - start)], rng)
        dense.index.add_with_ids(chunk, np.arange(start, start + len(chunk), dtype=np.int64))
    dense.save(build / "passages.faiss")
    del dense
    faiss_seconds = time.perf_counter() - started
    started = time.perf_counter()
    base = source["sentence_vectors"]
    header = {
        "descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)),
        "fortran_order": False,
        "shape": (sentences, base.shape[1]),
    }
    # Plain writes, not a memory map: the mapped pages of a 12 GB file counted as the
    # build's resident memory.
    with (build / "sentences.npy").open("wb") as out:
        np.lib.format.write_array_header_1_0(out, header)
        for copy, start in enumerate(range(0, sentences, len(base))):
            chunk = np.asarray(base[: min(len(base), sentences - start)], dtype=np.float32)
            out.write((chunk if copy == 0 else _noisy(chunk, rng)).tobytes())
    return faiss_seconds, time.perf_counter() - started


def build_scaled(source, instance: Path, target: int) -> dict:
    """Write the scale-up build into `instance` with the library's build functions."""
    from search.index.build_folders import finish_build, new_build_dir, write_manifest
    from search.index.document_vectors import write_document_vectors
    from search.index.store_writer import write_store

    started = time.perf_counter()
    raw = read_source(source)
    scaled = repeat_corpus(raw, target)
    prepare_seconds = time.perf_counter() - started
    partial = new_build_dir(instance)
    started = time.perf_counter()
    write_store(
        partial / "passages.sqlite",
        scaled["documents"],
        scaled["passages"],
        scaled["sentences"],
        scaled["links"],
        raw["labels"],
    )
    store_seconds = time.perf_counter() - started
    counts = {name: len(scaled[name]) for name in ("documents", "passages", "sentences", "links")}
    # Each copy of a document keeps the original's vector: copies follow the originals' order.
    known, originals = raw["document_vectors"], raw["documents"]
    vector_of = dict(zip(known.ids, known.vectors, strict=True))
    vectors = [vector_of[originals[i % len(originals)].id] for i in range(counts["documents"])]
    write_document_vectors(partial, scaled["documents"], scaled["passages"], vectors)
    del scaled  # the passages are written: free them before the vectors are made
    faiss_seconds, sentence_seconds = write_vectors(
        raw, counts["passages"], counts["sentences"], partial
    )
    for name in ("graph.nt", "concepts.ttl"):  # the corpus graph: search never reads it
        shutil.copyfile(source.path / name, partial / name)
    started = time.perf_counter()
    manifest = write_manifest(
        partial,
        {
            "build_id": partial.stem,
            "corpus_fingerprint": f"bench-scale-{target}",
            "model": source.manifest["model"],
            "counts": dict(
                source.manifest["counts"],
                documents=counts["documents"],
                passages=counts["passages"],
                sentences=counts["sentences"],
                concept_links=counts["links"],
            ),
        },
    )
    manifest_seconds = time.perf_counter() - started
    finish_build(instance, partial)
    sizes = {name: round(entry["bytes"] / 2**20, 1) for name, entry in manifest["files"].items()}
    return {
        **counts,
        "seconds": {
            "prepare": round(prepare_seconds, 1),
            "sqlite_fts5_store": round(store_seconds, 1),
            "faiss_index": round(faiss_seconds, 1),
            "sentence_vectors": round(sentence_seconds, 1),
            "manifest_hashes": round(manifest_seconds, 1),
        },
        "build_seconds": round(
            prepare_seconds + store_seconds + faiss_seconds + sentence_seconds + manifest_seconds, 1
        ),
        "size_mb": sizes,
        "total_size_mb": round(sum(sizes.values()), 1),
    }
