"""The linking model measured and refitted on a built index (`ilp eval --links [--fit]`).

graph/linking/ computes precision, recall and the fit from plain values; this module reads
those values out of a loaded build: each document's passages, the links the build made, and the
four features of every (passage, concept) pair computed exactly as the build step computed them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from graph.linking.evaluation import LinkJudgment, PassageTexts, evaluate_links
from graph.linking.fit import fit_link_model, judged_pairs
from graph.linking.labels import LabelLinker
from graph.linking.model import SemanticEvidence, concept_text, labelled_matrix, link_features
from search.encoders.base import Encoder
from search.index.loaded import LoadedBuild


def passage_texts(build: LoadedBuild) -> PassageTexts:
    """Document id -> (row id, text) of its passages, read from the build."""

    def texts(document_id: str) -> Iterable[tuple[int, str]]:
        return [
            (stored.row_id, stored.passage.text)
            for stored in build.store.passages_of_document(document_id)
        ]

    return texts


def evaluate_build_links(build: LoadedBuild, judgments: list[LinkJudgment]) -> dict:
    """`{"precision", "recall", "n"}` of the build's concept links on the judgments."""

    def linked_concepts(rows: set[int]) -> dict[int, list[str]]:
        return {
            row: [concept_id for concept_id, _ in links]
            for row, links in build.store.concepts_of(rows).items()
        }

    return evaluate_links(judgments, passage_texts(build), linked_concepts)


def link_features_of(build: LoadedBuild, encoder: Encoder) -> tuple[np.ndarray, list[str]]:
    """(passages x concepts x FEATURES, concept ids): the linking model's inputs for every
    pair of the build, as the build step computed them (for its English passages: the judgments
    are all English)."""
    store = build.store
    count = build.manifest["counts"]["passages"]
    stored = store.passages(range(count))
    concepts = list(build.scheme.concepts.values())
    concept_ids = [concept.id for concept in concepts]
    linker = LabelLinker(build.scheme)
    labelled = labelled_matrix(
        [linker.link(stored[row].passage) for row in range(count)], concept_ids
    )
    sentences = store.sentences(range(count))
    evidence = SemanticEvidence(
        build.dense.vectors(list(range(count))),
        np.asarray(build.sentence_vectors),
        np.array([sentence.row_id for sentence in sentences]),
        encoder.encode([concept_text(concept) for concept in concepts]),
        concept_ids,
    )
    # As at ingest: with a multilingual index, MiniLM's z-scores are among the English passages.
    readable = build.main_model_rows
    population = None
    if readable is not None:
        population = np.zeros(count, dtype=bool)
        population[list(readable)] = True
    return link_features(evidence, labelled, population), concept_ids


def fit_build_links(build: LoadedBuild, judgments: list[LinkJudgment], encoder: Encoder) -> dict:
    """The linking model refitted on the judgments of this build, and cross-validated."""
    features, concept_ids = link_features_of(build, encoder)
    return fit_link_model(judged_pairs(features, concept_ids, passage_texts(build), judgments))
