"""A 100,000-passage build made from the corpus build, cached under bench/cache/.

Passages are the corpus passages repeated, each copy after the first with a suffix id (so its
text, id and document differ); embeddings are the corpus embeddings plus small Gaussian noise,
renormalised, since encoding 100k texts would take about 35 minutes here. The store, FAISS index
and manifest are written with the library functions, so the build loads like a real one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import shutil
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "bench" / "cache"
SCALE_VERSION = "1"  # bump when the way the scale-up is made changes
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
    }


def repeat_corpus(source: dict, target: int) -> dict:
    """Documents, passages, sentences and links repeated (with suffix ids) up to `target`."""
    from ingest.sentences import Sentence

    base = source["passages"]
    copies = math.ceil(target / len(base))
    documents, passages, sentences, links = [], [], [], []
    sentences_of = {}
    for sentence in source["sentences"]:
        sentences_of.setdefault(sentence.row_id, []).append(sentence)
    links_of = {}
    for row, link in source["links"]:
        links_of.setdefault(row, []).append(link)
    for copy in range(copies):
        suffix = "" if copy == 0 else f"~{copy}"
        documents += [
            dataclasses.replace(meta, id=meta.id + suffix) for meta in source["documents"]
        ]
        for row, passage in enumerate(base):
            if len(passages) == target:
                break
            new_row = len(passages)
            copied = _copy(passage, passage.document_id + suffix, copy)
            passages.append(copied)
            for sentence in sentences_of.get(row, []):
                sentences.append(
                    Sentence(len(sentences), new_row, "", sentence.char_start, sentence.char_end)
                )
            links += [
                dataclasses.replace(link, passage_id=copied.id) for link in links_of.get(row, [])
            ]
    return {
        "documents": documents,
        "passages": passages,
        "sentences": sentences,
        "links": links,
        "copies": copies,
    }


def write_vectors(source: dict, scaled: dict, build: Path) -> tuple[float, float]:
    """Write passages.faiss and sentences.npy; return (faiss seconds, sentence seconds)."""
    from search.index.dense import DenseIndex

    rng = np.random.default_rng(0)
    count = len(scaled["passages"])
    started = time.perf_counter()
    repeated = np.tile(source["vectors"], (scaled["copies"], 1))[:count]
    repeated[len(source["vectors"]) :] = _noisy(repeated[len(source["vectors"]) :], rng)
    DenseIndex.build(repeated, np.arange(count)).save(build / "passages.faiss")
    faiss_seconds = time.perf_counter() - started
    started = time.perf_counter()
    base = source["sentence_vectors"]
    total = len(scaled["sentences"])
    out = np.lib.format.open_memmap(
        build / "sentences.npy", mode="w+", dtype=np.float32, shape=(total, base.shape[1])
    )
    for copy, start in enumerate(range(0, total, len(base))):
        chunk = base[: min(len(base), total - start)]
        out[start : start + len(chunk)] = chunk if copy == 0 else _noisy(chunk, rng)
    out.flush()
    del out
    return faiss_seconds, time.perf_counter() - started


def build_scaled(source, instance: Path, target: int) -> dict:
    """Write the scale-up build into `instance` with the library's build functions."""
    from search.index.build_folders import finish_build, new_build_dir, write_manifest
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
    faiss_seconds, sentence_seconds = write_vectors(raw, scaled, partial)
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
                documents=len(scaled["documents"]),
                passages=len(scaled["passages"]),
                sentences=len(scaled["sentences"]),
                concept_links=len(scaled["links"]),
            ),
        },
    )
    manifest_seconds = time.perf_counter() - started
    finish_build(instance, partial)
    sizes = {name: round(entry["bytes"] / 2**20, 1) for name, entry in manifest["files"].items()}
    return {
        "passages": len(scaled["passages"]),
        "sentences": len(scaled["sentences"]),
        "documents": len(scaled["documents"]),
        "links": len(scaled["links"]),
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
