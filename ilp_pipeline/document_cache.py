"""A SQLite cache of each document's passages and label matches, shared across builds.

Reading a document (PDF layout analysis, HTML parsing), splitting it and matching some 250
label patterns against its passages is most of a re-ingest once embeddings are cached. All of it
depends only on the file, its metadata, the concept scheme and the pipeline version, so the
entry's key hashes exactly those: an unchanged document is a lookup, a changed one is read again.
An entry that cannot be decoded counts as missing.
"""

from __future__ import annotations

import json
from pathlib import Path

from graph.linking.labels import ConceptLink
from ilp_pipeline.cache_db import open_cache
from ingest.models import Passage, TextKept

# (passages, for each passage the concepts whose labels it contains, a PDF's body words kept)
Prepared = tuple[list[Passage], list[list[ConceptLink]], TextKept | None]


class DocumentCache:
    """Passages and label links per document key (see `ilp_pipeline.steps.document_key`)."""

    def __init__(self, path: Path) -> None:
        self.connection = open_cache(
            path,
            "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, payload TEXT NOT NULL)",
        )

    def get(self, key: str) -> Prepared | None:
        """The cached passages and label links, or None."""
        row = self.connection.execute(
            "SELECT payload FROM documents WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        try:
            return _decode(json.loads(row[0]))
        except (ValueError, TypeError, KeyError):
            return None

    def put(
        self,
        key: str,
        passages: list[Passage],
        label_links: list[list[ConceptLink]],
        text_kept: TextKept | None = None,
    ) -> None:
        """Store one document's passages, label links and (a PDF's) body words kept."""
        payload = {
            "passages": [
                [
                    p.id,
                    p.document_id,
                    list(p.heading_path),
                    p.page,
                    p.char_start,
                    p.char_end,
                    p.text,
                    [list(pair) for pair in p.page_breaks],
                    p.kind,
                ]
                for p in passages
            ],
            "links": [
                [[link.concept_id, link.method, link.score, link.matched] for link in links]
                for links in label_links
            ],
            "text_kept": [text_kept.body_words, text_kept.kept_words] if text_kept else None,
        }
        with self.connection:
            self.connection.execute(
                "INSERT OR REPLACE INTO documents VALUES (?, ?)",
                (key, json.dumps(payload, ensure_ascii=False)),
            )

    def close(self) -> None:
        """Close the database."""
        self.connection.close()


def _decode(payload: dict) -> Prepared:
    passages = [
        Passage(
            passage_id,
            document_id,
            tuple(heading_path),
            page,
            start,
            end,
            text,
            tuple((int(offset), str(label)) for offset, label in breaks),
            kind,
        )
        for passage_id, document_id, heading_path, page, start, end, text, breaks, kind in payload[
            "passages"
        ]
    ]
    links = [
        [
            ConceptLink(passage.id, concept_id, method, score, matched)
            for concept_id, method, score, matched in passage_links
        ]
        for passage, passage_links in zip(passages, payload["links"], strict=True)
    ]
    kept = payload["text_kept"]
    return passages, links, TextKept(int(kept[0]), int(kept[1])) if kept else None
