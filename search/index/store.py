"""The passage store: documents, passages, sentences and concept links in one SQLite file.

Row ids (`row_id`) are the integer keys shared with the FAISS index; they are local to one build.
Public identifiers are the stable passage and document ids.

Over 300 lines: every read query of the store is here, so the SQL that knows the tables
(store_writer.py creates them) stays in one place.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.models import DocumentMeta, Passage, SourceWork
from ingest.sentences import Sentence

MMAP_BYTES = 1 << 32  # address space only: pages are read when touched


@dataclass(frozen=True)
class StoredPassage:
    """A passage as stored in a build, with its row id and document metadata."""

    row_id: int
    passage: Passage
    document: DocumentMeta


@dataclass(frozen=True)
class StoredLink:
    """Why a passage is linked to a concept: the method, the score and the label matched."""

    concept_id: str
    label: str
    method: str
    score: float
    matched: str


class PassageStore:
    """Read access to a build's SQLite store."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # The web server answers from several threads; reads only, so sharing is safe.
        self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.connection.row_factory = sqlite3.Row
        # Read through a memory map: a keyword posting list of a few MB (search/index/keyword.py) is
        # then a copy from the page cache instead of hundreds of page reads (10 ms -> 2 ms).
        self.connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        self._documents = {
            row["document_id"]: _document(row)
            for row in self.connection.execute("SELECT * FROM documents")
        }
        self._concept_labels = dict(self.connection.execute("SELECT * FROM concepts"))

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

    def texts(self) -> Iterable[str]:
        """Every passage's text and headings, in row order (the corpus vocabulary's source)."""
        for text, heading_path in self.connection.execute(
            "SELECT text, heading_path FROM passages ORDER BY row_id"
        ):
            yield text
            yield " ".join(json.loads(heading_path))

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
        row = self.connection.execute(
            "SELECT * FROM passages WHERE passage_id = ?", (passage_id,)
        ).fetchone()
        return self._stored(row) if row else None

    def passages_of_document(self, document_id: str) -> list[StoredPassage]:
        """A document's passages in reading order."""
        rows = self.connection.execute(
            "SELECT * FROM passages WHERE document_id = ? ORDER BY row_id", (document_id,)
        )
        return [self._stored(row) for row in rows]

    def row_ids_where(
        self,
        kinds: Iterable[str] = (),
        countries: Iterable[str] = (),
        years: Iterable[int] = (),
        concepts: Iterable[str] = (),
        documents: Iterable[str] = (),
        languages: Iterable[str] = (),
    ) -> set[int] | None:
        """Row ids of passages matching every given filter; None when there is no filter.

        Within one filter the values are alternatives (kind = guidebook OR research). A country
        keeps the passages that concern it (ingest/country_mentions.py), not every passage of a
        document that names it once.
        """
        clauses: list[str] = []
        parameters: list[object] = []
        columns: tuple[tuple[str, Iterable[object]], ...] = (
            ("d.kind", kinds),
            ("d.year", years),
            ("p.document_id", documents),
            ("lower(d.language)", [code.lower() for code in languages]),
        )
        for column, given in columns:
            values = list(given)
            if values:
                clauses.append(f"{column} IN ({','.join('?' * len(values))})")
                parameters.extend(values)
        countries = [code.upper() for code in countries]
        if countries:
            clauses.append(
                "p.row_id IN (SELECT row_id FROM passage_countries WHERE country IN "
                f"({','.join('?' * len(countries))}))"
            )
            parameters.extend(countries)
        concepts = list(concepts)
        if concepts:
            clauses.append(
                "p.row_id IN (SELECT row_id FROM passage_concepts WHERE concept_id "
                f"IN ({','.join('?' * len(concepts))}))"
            )
            parameters.extend(concepts)
        if not clauses:
            return None
        rows = self.connection.execute(
            "SELECT p.row_id FROM passages p JOIN documents d USING (document_id) WHERE "
            + " AND ".join(clauses),
            parameters,
        )
        return {row[0] for row in rows}

    def rows_of_concepts(
        self, concept_ids: Iterable[str], within: set[int] | None = None
    ) -> set[int]:
        """Row ids of passages linked to any of the concepts (only among `within` if given)."""
        ids = list(concept_ids)
        if not ids or within is not None and not within:
            return set()
        sql = (
            "SELECT DISTINCT row_id FROM passage_concepts WHERE concept_id IN "
            f"({','.join('?' * len(ids))})"
        )
        parameters: list = ids
        if within is not None:
            sql += f" AND row_id IN ({','.join('?' * len(within))})"
            parameters = [*ids, *within]
        return {row[0] for row in self.connection.execute(sql, parameters)}

    def concept_passage_counts(self) -> dict[str, int]:
        """How many passages each concept is linked to."""
        return dict(
            self.connection.execute(
                "SELECT concept_id, count(*) FROM passage_concepts GROUP BY concept_id"
            )
        )

    def sentences(self, row_ids: Iterable[int]) -> list[Sentence]:
        """The sentences of the given passages, in order."""
        ids = list(row_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.connection.execute(
            "SELECT s.sentence_row, s.row_id, substr(p.text, s.char_start + 1, "
            "s.char_end - s.char_start) AS text, s.char_start, s.char_end "
            "FROM sentences s JOIN passages p USING (row_id) "
            f"WHERE s.row_id IN ({marks}) ORDER BY s.sentence_row",
            ids,
        )
        return [Sentence(row[0], row[1], row[2], row[3], row[4]) for row in rows]

    def sentence_passages(self) -> list[tuple[int, int]]:
        """(sentence row, passage row) of every sentence, in sentence-row order (the sentence
        vectors')."""
        return [(sentence, row) for sentence, row in self.connection.execute(
            "SELECT sentence_row, row_id FROM sentences ORDER BY sentence_row"
        )]  # fmt: skip

    def concepts_of(self, row_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
        """(concept id, label) pairs per passage row, strongest link first."""
        return {
            row_id: [(link.concept_id, link.label) for link in links]
            for row_id, links in self.links_of(row_ids).items()
        }

    def links_of(self, row_ids: Iterable[int]) -> dict[int, list[StoredLink]]:
        """Each passage row's concept links with their evidence, strongest first."""
        ids = list(row_ids)
        result: dict[int, list[StoredLink]] = {row_id: [] for row_id in ids}
        if not ids:
            return result
        rows = self.connection.execute(
            "SELECT row_id, concept_id, method, score, matched FROM passage_concepts "
            f"WHERE row_id IN ({','.join('?' * len(ids))})",
            ids,
        )
        for row_id, concept_id, method, score, matched in rows:
            result[row_id].append(
                StoredLink(
                    concept_id, self._concept_labels[concept_id], method, score, matched or ""
                )
            )
        # Sorting the few links in Python is several times faster than a JOIN + ORDER BY.
        for links in result.values():
            links.sort(key=lambda link: (-link.score, link.label))
        return result

    def facet_counts(
        self, row_ids: Iterable[int], top_concepts: int = 25
    ) -> dict[str, dict[str, int]]:
        """Passages by kind, document, country (the countries each passage concerns), year,
        language and concept (the `top_concepts` most frequent) among the given rows. Counted
        in SQL: no passage text is read."""
        ids = list(row_ids)
        counters: dict[str, Counter] = {
            name: Counter()
            for name in ("kind", "document", "country", "year", "language", "concept")
        }
        if not ids:
            return {name: {} for name in counters}
        marks = ",".join("?" * len(ids))
        for document_id, count in self.connection.execute(
            "SELECT document_id, count(*) FROM passages "
            f"WHERE row_id IN ({marks}) GROUP BY document_id ORDER BY min(row_id)",
            ids,
        ):
            document = self._documents[document_id]
            counters["kind"][document.kind] += count
            counters["document"][document.id] += count
            if document.year:
                counters["year"][str(document.year)] += count
            counters["language"][document.language] += count
        counters["country"].update(
            dict(
                self.connection.execute(
                    "SELECT country, count(*) FROM passage_countries "
                    f"WHERE row_id IN ({marks}) GROUP BY country",
                    ids,
                )
            )
        )
        counters["concept"].update(
            dict(
                self.connection.execute(
                    "SELECT concept_id, count(*) AS n FROM passage_concepts "
                    f"WHERE row_id IN ({marks}) GROUP BY concept_id ORDER BY n DESC, concept_id "
                    "LIMIT ?",
                    [*ids, top_concepts],
                )
            )
        )
        return {name: dict(counter.most_common()) for name, counter in counters.items()}

    def passages_of_concept(self, concept_id: str) -> list[StoredPassage]:
        """Passages linked to a concept, strongest links first."""
        rows = self.connection.execute(
            "SELECT p.* FROM passages p JOIN passage_concepts pc USING (row_id) "
            "WHERE pc.concept_id = ? ORDER BY pc.score DESC, p.row_id",
            (concept_id,),
        )
        return [self._stored(row) for row in rows]

    def cooccurring(self, concept_id: str) -> list[tuple[str, int]]:
        """Concepts sharing passages with this one, with the number of shared passages."""
        rows = self.connection.execute(
            "SELECT other.concept_id, count(*) AS shared FROM passage_concepts mine "
            "JOIN passage_concepts other ON other.row_id = mine.row_id "
            "AND other.concept_id != mine.concept_id WHERE mine.concept_id = ? "
            "GROUP BY other.concept_id ORDER BY shared DESC, other.concept_id",
            (concept_id,),
        )
        return [(row[0], row[1]) for row in rows]

    def linked_concepts(self) -> set[str]:
        """Ids of every concept linked to at least one passage."""
        return {
            row[0]
            for row in self.connection.execute("SELECT DISTINCT concept_id FROM passage_concepts")
        }

    def _stored(self, row: sqlite3.Row) -> StoredPassage:
        document = self._documents[row["document_id"]]
        passage = Passage(
            row["passage_id"],
            row["document_id"],
            tuple(json.loads(row["heading_path"])),
            row["page"],
            row["char_start"],
            row["char_end"],
            row["text"],
            tuple((offset, label) for offset, label in json.loads(row["page_breaks"])),
            row["kind"],
        )
        return StoredPassage(row["row_id"], passage, document)


def _document(row: sqlite3.Row) -> DocumentMeta:
    return DocumentMeta(
        id=row["document_id"],
        title=row["title"],
        kind=row["kind"],
        path=Path(row["file"]),
        authors=tuple(json.loads(row["authors"])),
        publisher=row["publisher"] or "",
        year=row["year"],
        language=row["language"] or "en",
        countries=tuple(json.loads(row["countries"])),
        sources=tuple(json.loads(row["sources"])),
        source_urls=tuple(json.loads(row["source_urls"])),
        summary=row["summary"] or "",
        licence=row["licence"] or "",
        role=row["role"],
        summary_of=tuple(SourceWork(**work) for work in json.loads(row["summary_of"])),
        provenance=tuple((name, origin) for name, origin in json.loads(row["provenance"])),
    )
