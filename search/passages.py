"""The passage store: documents, passages, sentences and concept links in one SQLite file.

Row ids (`row_id`) are the integer keys shared with the FAISS index; they are local to one build.
Public identifiers are the stable passage and document ids.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph.linker import ConceptLink
from ingest.models import DocumentMeta, Passage
from ingest.text import sentence_spans

SCHEMA = """
CREATE TABLE documents (
    document_id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, year INTEGER,
    language TEXT, organisation TEXT, countries TEXT NOT NULL, summary TEXT, file TEXT,
    sources TEXT NOT NULL, source_urls TEXT NOT NULL
);
CREATE TABLE passages (
    row_id INTEGER PRIMARY KEY, passage_id TEXT UNIQUE NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(document_id),
    heading_path TEXT NOT NULL, page TEXT, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    text TEXT NOT NULL
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
CREATE VIRTUAL TABLE passages_fts USING fts5(
    text, heading, title, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""


@dataclass(frozen=True)
class StoredPassage:
    """A passage as stored in a build, with its row id and document metadata."""

    row_id: int
    passage: Passage
    document: DocumentMeta


@dataclass(frozen=True)
class Sentence:
    """One sentence of a stored passage; `sentence_row` indexes the sentence vectors."""

    sentence_row: int
    row_id: int
    text: str


def write_store(path: Path, documents: list[DocumentMeta], passages: list[Passage],
                links: list[ConceptLink], concept_labels: dict[str, str]) -> list[Sentence]:
    """Create the SQLite store; returns the sentences in `sentence_row` order."""
    connection = sqlite3.connect(path)
    by_id = {meta.id: meta for meta in documents}
    sentences: list[Sentence] = []
    try:
        connection.executescript(SCHEMA)
        connection.executemany(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(m.id, m.title, m.kind, m.year, m.language, m.organisation, json.dumps(m.countries),
              m.summary, str(m.path), json.dumps(m.sources), json.dumps(m.source_urls))
             for m in documents],
        )
        row_of: dict[str, int] = {}
        for row_id, passage in enumerate(passages):
            row_of[passage.id] = row_id
            connection.execute(
                "INSERT INTO passages VALUES (?,?,?,?,?,?,?,?)",
                (row_id, passage.id, passage.document_id, json.dumps(passage.heading_path),
                 passage.page, passage.char_start, passage.char_end, passage.text),
            )
            connection.execute(
                "INSERT INTO passages_fts(rowid, text, heading, title) VALUES (?,?,?,?)",
                (row_id, passage.text, " ".join(passage.heading_path),
                 by_id[passage.document_id].title),
            )
            for start, end in sentence_spans(passage.text):
                sentence = Sentence(len(sentences), row_id, passage.text[start:end])
                sentences.append(sentence)
                connection.execute("INSERT INTO sentences VALUES (?,?,?,?)",
                                   (sentence.sentence_row, row_id, start, end))
        connection.executemany(
            "INSERT INTO passage_concepts VALUES (?,?,?,?,?)",
            [(row_of[link.passage_id], link.concept_id, link.method, link.score, link.matched)
             for link in links],
        )
        connection.executemany("INSERT INTO concepts VALUES (?,?)", concept_labels.items())
        connection.commit()
    finally:
        connection.close()
    return sentences


class PassageStore:
    """Read access to a build's SQLite store."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # The web server answers from several threads; reads only, so sharing is safe.
        self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                                          check_same_thread=False)
        self.connection.row_factory = sqlite3.Row
        self._documents = {row["document_id"]: _document(row) for row in
                           self.connection.execute("SELECT * FROM documents")}

    def close(self) -> None:
        """Close the database."""
        self.connection.close()

    def documents(self) -> list[DocumentMeta]:
        """All documents, in catalog order."""
        return list(self._documents.values())

    def document(self, document_id: str) -> DocumentMeta | None:
        """One document's metadata."""
        return self._documents.get(document_id)

    def count(self) -> int:
        """Number of passages."""
        return self.connection.execute("SELECT count(*) FROM passages").fetchone()[0]

    def passages(self, row_ids: Iterable[int]) -> dict[int, StoredPassage]:
        """Passages by row id."""
        ids = list(row_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.connection.execute(f"SELECT * FROM passages WHERE row_id IN ({marks})", ids)
        return {row["row_id"]: self._stored(row) for row in rows}

    def passage_by_id(self, passage_id: str) -> StoredPassage | None:
        """A passage by its stable id."""
        row = self.connection.execute("SELECT * FROM passages WHERE passage_id = ?",
                                      (passage_id,)).fetchone()
        return self._stored(row) if row else None

    def passages_of_document(self, document_id: str) -> list[StoredPassage]:
        """A document's passages in reading order."""
        rows = self.connection.execute(
            "SELECT * FROM passages WHERE document_id = ? ORDER BY row_id", (document_id,))
        return [self._stored(row) for row in rows]

    def row_ids_where(self, kinds: Iterable[str] = ()) -> set[int] | None:
        """Row ids of passages whose document matches the filters; None when unfiltered."""
        kinds = list(kinds)
        if not kinds:
            return None
        marks = ",".join("?" * len(kinds))
        rows = self.connection.execute(
            "SELECT p.row_id FROM passages p JOIN documents d USING (document_id) "
            f"WHERE d.kind IN ({marks})", kinds)
        return {row[0] for row in rows}

    def sentences(self, row_ids: Iterable[int]) -> list[Sentence]:
        """The sentences of the given passages, in order."""
        ids = list(row_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.connection.execute(
            "SELECT s.sentence_row, s.row_id, substr(p.text, s.char_start + 1, "
            "s.char_end - s.char_start) AS text FROM sentences s JOIN passages p USING (row_id) "
            f"WHERE s.row_id IN ({marks}) ORDER BY s.sentence_row", ids)
        return [Sentence(row[0], row[1], row[2]) for row in rows]

    def concepts_of(self, row_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
        """(concept id, label) pairs per passage row, strongest link first."""
        ids = list(row_ids)
        result: dict[int, list[tuple[str, str]]] = {row_id: [] for row_id in ids}
        if not ids:
            return result
        marks = ",".join("?" * len(ids))
        rows = self.connection.execute(
            "SELECT pc.row_id, pc.concept_id, c.label FROM passage_concepts pc "
            f"JOIN concepts c USING (concept_id) WHERE pc.row_id IN ({marks}) "
            "ORDER BY pc.row_id, pc.score DESC, c.label", ids)
        for row in rows:
            result[row[0]].append((row[1], row[2]))
        return result

    def passages_of_concept(self, concept_id: str) -> list[StoredPassage]:
        """Passages linked to a concept, strongest links first."""
        rows = self.connection.execute(
            "SELECT p.* FROM passages p JOIN passage_concepts pc USING (row_id) "
            "WHERE pc.concept_id = ? ORDER BY pc.score DESC, p.row_id", (concept_id,))
        return [self._stored(row) for row in rows]

    def _stored(self, row: sqlite3.Row) -> StoredPassage:
        document = self._documents[row["document_id"]]
        passage = Passage(row["passage_id"], row["document_id"],
                          tuple(json.loads(row["heading_path"])), row["page"],
                          row["char_start"], row["char_end"], row["text"])
        return StoredPassage(row["row_id"], passage, document)


def _document(row: sqlite3.Row) -> DocumentMeta:
    return DocumentMeta(
        id=row["document_id"], title=row["title"], kind=row["kind"], path=Path(row["file"]),
        organisation=row["organisation"] or "", year=row["year"],
        language=row["language"] or "en", countries=tuple(json.loads(row["countries"])),
        sources=tuple(json.loads(row["sources"])),
        source_urls=tuple(json.loads(row["source_urls"])), summary=row["summary"] or "",
    )
