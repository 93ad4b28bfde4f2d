"""Write a build's passage store: the SQLite tables `PassageStore` (store.py) reads.

Row ids (`row_id`) are the integer keys shared with the FAISS index; they are local to one build.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from pathlib import Path

from graph.linking.labels import ConceptLink
from ingest.country_mentions import passage_countries
from ingest.models import DocumentMeta, Passage
from ingest.sentences import Sentence
from search.index.keyword import TOKENIZER, indexed_text
from search.index.keyword_postings import write_postings

SCHEMA = f"""
CREATE TABLE documents (
    document_id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, year INTEGER,
    language TEXT, authors TEXT NOT NULL, publisher TEXT, countries TEXT NOT NULL, summary TEXT,
    file TEXT, sources TEXT NOT NULL, source_urls TEXT NOT NULL, licence TEXT, role TEXT NOT NULL,
    summary_of TEXT NOT NULL, provenance TEXT NOT NULL
);
CREATE TABLE passages (
    row_id INTEGER PRIMARY KEY, passage_id TEXT UNIQUE NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(document_id),
    heading_path TEXT NOT NULL, page TEXT, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    text TEXT NOT NULL, page_breaks TEXT NOT NULL,
    kind TEXT NOT NULL  -- "text", or "figure" for captions and figure text (never answers)
);
CREATE INDEX passages_document ON passages(document_id);
CREATE TABLE sentences (
    sentence_row INTEGER PRIMARY KEY, row_id INTEGER NOT NULL REFERENCES passages(row_id),
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL
);
CREATE INDEX sentences_passage ON sentences(row_id);
CREATE TABLE passage_concepts (
    row_id INTEGER NOT NULL REFERENCES passages(row_id), concept_id TEXT NOT NULL,
    method TEXT NOT NULL, score REAL NOT NULL, matched TEXT, PRIMARY KEY (row_id, concept_id)
);
CREATE INDEX passage_concepts_concept ON passage_concepts(concept_id);
CREATE TABLE concepts (concept_id TEXT PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE passage_countries (
    row_id INTEGER NOT NULL REFERENCES passages(row_id), country TEXT NOT NULL,
    PRIMARY KEY (row_id, country)
);
CREATE INDEX passage_countries_country ON passage_countries(country);
CREATE VIRTUAL TABLE passages_fts USING fts5(
    text, heading, title, tokenize = '{TOKENIZER}'
);
"""


def write_store(
    path: Path,
    documents: list[DocumentMeta],
    passages: list[Passage],
    sentences: list[Sentence],
    links: list[ConceptLink],
    concept_labels: dict[str, str],
) -> None:
    """Create the SQLite store; passage row ids are positions in `passages`."""
    connection = sqlite3.connect(path)
    by_id = {meta.id: meta for meta in documents}
    try:
        connection.executescript(SCHEMA)
        connection.executemany(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    m.id,
                    m.title,
                    m.kind,
                    m.year,
                    m.language,
                    json.dumps(m.authors),
                    m.publisher,
                    json.dumps(m.countries),
                    m.summary,
                    str(m.path),
                    json.dumps(m.sources),
                    json.dumps(m.source_urls),
                    m.licence,
                    m.role,
                    json.dumps([asdict(work) for work in m.summary_of]),
                    json.dumps(m.provenance),
                )
                for m in documents
            ],
        )
        connection.executemany(
            "INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    row_id,
                    p.id,
                    p.document_id,
                    json.dumps(p.heading_path),
                    p.page,
                    p.char_start,
                    p.char_end,
                    p.text,
                    json.dumps(p.page_breaks),
                    p.kind,
                )
                for row_id, p in enumerate(passages)
            ],
        )
        connection.executemany(
            "INSERT INTO passages_fts(rowid, text, heading, title) VALUES (?,?,?,?)",
            [
                (
                    row_id,
                    indexed_text(p.text),
                    indexed_text(" ".join(p.heading_path)),
                    indexed_text(by_id[p.document_id].title),
                )
                for row_id, p in enumerate(passages)
            ],
        )
        write_postings(connection)
        connection.executemany(
            "INSERT INTO sentences VALUES (?,?,?,?)",
            [(s.sentence_row, s.row_id, s.char_start, s.char_end) for s in sentences],
        )
        row_of = {passage.id: row_id for row_id, passage in enumerate(passages)}
        connection.executemany(
            "INSERT INTO passage_concepts VALUES (?,?,?,?,?)",
            [
                (row_of[link.passage_id], link.concept_id, link.method, link.score, link.matched)
                for link in links
            ],
        )
        connection.executemany("INSERT INTO concepts VALUES (?,?)", concept_labels.items())
        # The countries each passage concerns (ingest/country_mentions.py): the country filter
        # and facet count passages, not whole documents.
        connection.executemany(
            "INSERT INTO passage_countries VALUES (?,?)",
            [
                (row_id, code)
                for row_id, p in enumerate(passages)
                for code in passage_countries(p, by_id[p.document_id])
            ],
        )
        connection.commit()
    finally:
        connection.close()
