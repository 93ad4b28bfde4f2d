"""Each document's vector: what the whole work is about, as a prior for its passages.

A passage is embedded on its own words, so a question asked in a policy-maker's words ("What
do we gain by becoming an intelligence-led organisation?") can miss the passages of the one
document that is about exactly that ("The advantages of intelligence-led policing"). The build
embeds each document's title and catalogue summary (the title alone when it has none) with the
main model, and hybrid search adds a little of the question's cosine to a passage's document
(search/fusion.py, `add_document_prior`; measured in README, "Search quality").

`documents.npz` holds `ids` (the documents, in the store's order), `vectors` (one row each)
and `passage_documents` (for each passage row, the index of its document).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.models import DocumentMeta, Passage

DOCUMENT_VECTORS = "documents.npz"


def document_text(meta: DocumentMeta) -> str:
    """What a document's vector embeds: its title, then its summary when it has one."""
    return f"{meta.title}. {meta.summary}" if meta.summary else meta.title


def write_document_vectors(
    folder: Path, documents: Sequence[DocumentMeta], passages: Sequence[Passage], vectors
) -> None:
    """Save the documents' vectors and each passage's document (rows in `passages` order)."""
    index = {meta.id: position for position, meta in enumerate(documents)}
    np.savez(
        folder / DOCUMENT_VECTORS,
        ids=np.array([meta.id for meta in documents]),
        vectors=np.asarray(vectors, dtype=np.float32),
        passage_documents=np.array([index[p.document_id] for p in passages], dtype=np.int32),
    )


@dataclass(frozen=True)
class DocumentVectors:
    """The documents' vectors of one build, and which document each passage row belongs to."""

    ids: tuple[str, ...]
    vectors: np.ndarray
    passage_documents: np.ndarray

    @classmethod
    def load(cls, path: Path) -> DocumentVectors:
        """Read `documents.npz` (`ValueError`/`OSError` when it is damaged)."""
        try:
            with np.load(path, allow_pickle=False) as stored:
                ids = tuple(str(i) for i in stored["ids"])
                vectors = np.ascontiguousarray(stored["vectors"], dtype=np.float32)
                rows = np.asarray(stored["passage_documents"], dtype=np.int64)
        except (zipfile.BadZipFile, KeyError, EOFError) as error:
            raise ValueError(f"{DOCUMENT_VECTORS} is damaged ({error})") from error
        if (
            vectors.ndim != 2
            or rows.ndim != 1
            or len(ids) != len(vectors)
            or (len(rows) and (rows.min() < 0 or rows.max() >= len(ids)))
        ):
            raise ValueError(f"{DOCUMENT_VECTORS} does not match its own documents")
        return cls(ids, vectors, rows)

    def passage_scores(self, query_vector: np.ndarray, rows: Sequence[int]) -> dict[int, float]:
        """Each passage row's document cosine to the query."""
        cosines = self.vectors @ np.asarray(query_vector, dtype=np.float32)
        return {row: float(cosines[self.passage_documents[row]]) for row in rows}
