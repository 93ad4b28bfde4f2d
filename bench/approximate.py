"""What an approximate index saves at the largest scale-up (`python -m bench.capacity --ann`):
the build's passage vectors searched exactly and through FAISS `IndexIVFFlat` (the IVF_FLAT a
Milvus server offers), one thread as a server searches, with the IVF recall of the exact top 50.
It measures an index of that kind, not a backend of ours (README, "Capacity plan").
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def approximate_dense(instance: str, questions: list[str], connection) -> None:  # noqa: ANN001
    """In a fresh process: exact and IVF search of the build's passage vectors, one thread."""
    import faiss
    import numpy as np

    from bench.stats import latencies_ms, summarise
    from search.encoders.query import serving_query_encoder
    from search.index.build_folders import resolve_current
    from search.index.dense import DenseIndex

    encoder = serving_query_encoder()
    vector_of = {question: encoder.encode([question])[0] for question in questions}
    exact = DenseIndex.load(resolve_current(Path(instance)) / "passages.faiss").index
    flat = faiss.downcast_index(exact.index)  # its rows are the row ids in a scale-up build
    vectors = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, -1)
    started = time.perf_counter()
    lists = 1024  # about sqrt(passages); trained on a sample of 64 vectors a list
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(exact.d), exact.d, lists, faiss.METRIC_INNER_PRODUCT)
    faiss.omp_set_num_threads(os.cpu_count() or 1)  # building may use every core
    sample = np.random.default_rng(0).choice(
        exact.ntotal, min(exact.ntotal, 64 * lists), replace=False
    )
    ivf.train(vectors[np.sort(sample)])
    ivf.add(vectors)
    faiss.omp_set_num_threads(1)
    built = time.perf_counter() - started
    depth = 50  # SearchConfig.candidates
    exact_top = {
        question: set(exact.search(vector[None, :], depth)[1][0])
        for question, vector in vector_of.items()
    }
    report: dict = {
        "index": f"IndexIVFFlat({lists} lists)",
        "build_seconds": round(built, 1),
        "exact_ms": summarise(
            latencies_ms(
                lambda question: exact.search(vector_of[question][None, :], depth), questions
            )
        ),
    }
    for probes in (8, 32):
        ivf.nprobe = probes
        found = {
            question: set(ivf.search(vector[None, :], depth)[1][0])
            for question, vector in vector_of.items()
        }
        report[f"nprobe_{probes}"] = {
            **summarise(
                latencies_ms(
                    lambda question: ivf.search(vector_of[question][None, :], depth), questions
                )
            ),
            "recall_at_50": round(
                float(
                    np.mean(
                        [
                            len(found[question] & exact_top[question]) / depth
                            for question in questions
                        ]
                    )
                ),
                3,
            ),
        }
    connection.send(report)
    connection.close()
