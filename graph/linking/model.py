"""Link passages to concepts, recording how each link was made and its score.

Label evidence: a label of the concept occurs in the passage (case, plural and hyphen variants;
abbreviations case-sensitive). A label alone is weak evidence, since a passing mention is not a
discussion, so every link is decided by one logistic model over four features of a
(passage, concept) pair, fitted with `ilp eval --links` on corpus/eval/links.toml (see the README,
"Concept graph"):

- label: whether a label of the concept occurs in the passage;
- passage z: the passage's cosine to the concept (its label and definition, embedded), as a
  z-score among all passages of the build, so that each concept gets its own strictness;
- sentence z: the mean of the passage's two sentences closest to the concept, likewise;
- lead: that two-sentence mean minus the best one of any *other* concept, i.e. whether this
  concept is what the passage is mainly about (near siblings such as the 3-i and 4-i models
  otherwise both link).

A pair links when the model's probability reaches `LinkSettings.link_min`; the link's score is
that probability. Because two features are relative to the build, adding documents can move a
borderline link.

Passages in a language the main model does not read (Russian, with the English-only MiniLM)
take their three semantic features from the multilingual encoder's vectors instead, z-scored
the same way over all passages (`multilingual` evidence); the weights are the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.concepts import Concept, ConceptScheme
from graph.linking.labels import ConceptLink, LabelLinker
from ingest.models import Passage

METHOD_LABEL_SEMANTIC = "label-match+semantic"
METHOD_SEMANTIC = "semantic"


@dataclass(frozen=True)
class LinkSettings:
    """The linking model: logistic weights over the four features, and the probability needed.

    As fitted by `ilp eval --links corpus/eval/links.toml --fit` (graph/linking/fit.py): L2
    logistic regression on standardised features, and the threshold with the best precision at
    recall >= 0.75 (0.613, rounded down to 0.60 to keep a margin on recall). Refitted when the
    PDF reader, the passage cap and the Russian documents changed the passages, when a
    judgment was added (eighth session), and when a bracketed citation after a full stop joined
    its sentence (fourteenth). In-sample fit: precision 0.863, recall 0.751; cross-validated by
    document (5 splits x 5 folds, weights and threshold refitted each time): 0.851 +- 0.006 /
    0.755 +- 0.010.
    """

    label_weight: float = 1.329
    passage_weight: float = 0.445
    sentence_weight: float = 0.364
    lead_weight: float = 4.923
    bias: float = -1.231
    link_min: float = 0.60  # probability a pair must reach (the fit's 0.613, rounded down)
    semantic: bool = True  # False: every label match links, and nothing else does

    @property
    def weights(self) -> np.ndarray:
        """The weights in `FEATURES` order."""
        return np.array(
            [self.label_weight, self.passage_weight, self.sentence_weight, self.lead_weight]
        )

    @classmethod
    def label_only(cls) -> LinkSettings:
        """Labels alone decide (for encoders whose vectors carry no meaning, as in tests)."""
        return cls(semantic=False)


@dataclass(frozen=True)
class SemanticEvidence:
    """Passage, sentence and concept embeddings (L2-normalised) for semantic linking."""

    passage_vectors: np.ndarray  # one row per passage
    sentence_vectors: np.ndarray  # one row per sentence
    sentence_passage: np.ndarray  # for each sentence, the index of its passage (ascending)
    concept_vectors: np.ndarray  # one row per concept, in `concept_ids` order
    concept_ids: list[str]


def concept_text(concept: Concept) -> str:
    """What is embedded for a concept: its English label and definition."""
    return f"{concept.pref_label}. {concept.definition}"


def link_passages(
    passages: list[Passage],
    scheme: ConceptScheme,
    evidence: SemanticEvidence | None = None,
    settings: LinkSettings | None = None,
    label_links: list[list[ConceptLink]] | None = None,
    multilingual: SemanticEvidence | None = None,
    multilingual_rows: np.ndarray | None = None,
) -> list[ConceptLink]:
    """Link every passage to the concepts it discusses (label-only without `evidence`).

    `label_links` are each passage's label matches when already known (from the ingest cache);
    otherwise they are found here. Passages where `multilingual_rows` is True are judged on the
    `multilingual` evidence (see the module doc).
    """
    if label_links is None:
        linker = LabelLinker(scheme)
        label_links = [linker.link(passage) for passage in passages]
    settings = settings or LinkSettings()
    if evidence is None or not settings.semantic:
        return [link for links in label_links for link in links]
    labelled = labelled_matrix(label_links, evidence.concept_ids)
    if multilingual is None or multilingual_rows is None or not multilingual_rows.any():
        features = link_features(evidence, labelled)
    else:
        # z-scores among the passages each model reads: adding Russian passages must not move
        # the English ones' (their MiniLM cosines are noise).
        features = link_features(evidence, labelled, ~multilingual_rows)
        features[multilingual_rows] = link_features(multilingual, labelled)[multilingual_rows]
    probability = logistic(features, settings.weights, settings.bias)
    result: list[ConceptLink] = []
    for index, passage in enumerate(passages):
        matched = {link.concept_id: link.matched for link in label_links[index]}
        for n in np.flatnonzero(probability[index] >= settings.link_min):
            concept_id = evidence.concept_ids[n]
            label = matched.get(concept_id)
            result.append(
                ConceptLink(
                    passage.id,
                    concept_id,
                    METHOD_SEMANTIC if label is None else METHOD_LABEL_SEMANTIC,
                    round(float(probability[index, n]), 4),
                    label or "",
                )
            )
    return result


# The linking model's features, in the order of `LinkSettings.weights`.
FEATURES = ("label", "passage_z", "sentence_z", "lead")


def link_features(
    evidence: SemanticEvidence, labelled: np.ndarray, population: np.ndarray | None = None
) -> np.ndarray:
    """passages x concepts x FEATURES: the linking model's inputs for every pair, z-scored
    among the `population` rows (all by default)."""
    concepts = evidence.concept_vectors
    passage_cosine = evidence.passage_vectors @ concepts.T
    # Sentences come in passage order, so each passage's sentences are one slice.
    bounds = np.searchsorted(
        evidence.sentence_passage, np.arange(len(evidence.passage_vectors) + 1)
    )
    top_two = passage_cosine.copy()  # a passage without sentences falls back on itself
    for index in range(len(top_two)):
        sims = evidence.sentence_vectors[bounds[index] : bounds[index + 1]] @ concepts.T
        if len(sims):
            top_two[index] = np.sort(sims, axis=0)[-2:].mean(axis=0)
    return np.stack(
        [
            labelled.astype(np.float64),
            _z_scores(passage_cosine, population),
            _z_scores(top_two, population),
            _lead(top_two),
        ],
        axis=-1,
    )


def labelled_matrix(label_links: list[list[ConceptLink]], concept_ids: list[str]) -> np.ndarray:
    """passages x concepts: True where the passage names the concept by a label."""
    column = {concept_id: n for n, concept_id in enumerate(concept_ids)}
    labelled = np.zeros((len(label_links), len(column)), dtype=bool)
    for index, links in enumerate(label_links):
        labelled[index, [column[link.concept_id] for link in links]] = True
    return labelled


def logistic(features: np.ndarray, weights: np.ndarray, bias: float) -> np.ndarray:
    """The logistic model's probability for features (..., FEATURES)."""
    return 1.0 / (1.0 + np.exp(-(features @ weights + bias)))


def link_probabilities(
    evidence: SemanticEvidence, labelled: np.ndarray, settings: LinkSettings
) -> np.ndarray:
    """passages x concepts: the linking model's probability for every pair."""
    return logistic(link_features(evidence, labelled), settings.weights, settings.bias)


def _z_scores(values: np.ndarray, population: np.ndarray | None = None) -> np.ndarray:
    """Each column standardised over the `population` rows (all by default; 0 where a column
    does not vary; all 0 when the population is empty: a build with no English passage)."""
    sample = values if population is None else values[population]
    if not len(sample):
        return np.zeros_like(values)
    spread = sample.std(axis=0)
    return np.divide(
        values - sample.mean(axis=0), spread, out=np.zeros_like(values), where=spread > 0
    )


def _lead(values: np.ndarray) -> np.ndarray:
    """Each value minus the largest other value in its row (its lead over the runner-up)."""
    if values.shape[1] < 2:
        return np.zeros_like(values)
    order = np.argsort(values, axis=1)
    best = np.take_along_axis(values, order[:, -1:], axis=1)
    second = np.take_along_axis(values, order[:, -2:-1], axis=1)
    others = np.where(np.arange(values.shape[1]) == order[:, -1:], second, best)
    return values - others
