"""Fit the concept-linking model (graph/linking/model.py) on link judgments; cross-validate it.

`ilp eval --links FILE --fit` runs `fit_link_model`: it takes the model's four features
(`graph.linking.model.FEATURES`) of every judged (passage, concept) pair of a build, fits an
L2-regularised logistic regression on them, picks the probability threshold with the best
precision among those keeping recall >= 0.75, and estimates how that holds on unseen documents by
cross-validation grouped by document (the weights *and* the threshold refitted on the training
documents each time). The weights it prints are the ones `LinkSettings` ships with; a test checks
that they still agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.linking.evaluation import LinkJudgment, PassageTexts, judged_rows, precision_recall_rates
from graph.linking.model import FEATURES, logistic
from ilp_base.errors import AtlasError

FOLDS = 5  # cross-validation folds; each needs documents of its own
MIN_RECALL = 0.75  # the threshold keeps at least this recall on the data it is chosen on
REGULARISATION = 0.3  # C of the L2 penalty on standardised features (as scikit-learn counts it)


class FitError(AtlasError):
    """The judgments cannot support a fit (too few documents to cross-validate by)."""


@dataclass(frozen=True)
class JudgedPairs:
    """The features of each judged pair, its verdict and its document."""

    features: np.ndarray  # judgments x FEATURES
    linked: np.ndarray  # bool per judgment
    documents: np.ndarray  # document id per judgment


def judged_pairs(
    features: np.ndarray,
    concept_ids: list[str],
    passage_texts: PassageTexts,
    judgments: list[LinkJudgment],
) -> JudgedPairs:
    """The judged pairs' rows of `features` (passages x concepts x FEATURES, as
    `graph.linking.model.link_features` computes them for a build, in `concept_ids` order)."""
    column = {concept_id: n for n, concept_id in enumerate(concept_ids)}
    rows = judged_rows(passage_texts, judgments)
    return JudgedPairs(
        np.array(
            [features[row, column[j.concept]] for row, j in zip(rows, judgments, strict=True)]
        ),
        np.array([j.linked for j in judgments]),
        np.array([j.document for j in judgments]),
    )


def fit_logistic(
    features: np.ndarray, linked: np.ndarray, regularisation: float = REGULARISATION
) -> tuple[np.ndarray, float]:
    """(weights, bias) of an L2-regularised logistic regression, by Newton's method.

    Features are standardised before the penalty applies (so it treats them alike) and the
    weights are returned for the raw features.
    """
    mean, spread = features.mean(axis=0), features.std(axis=0)
    spread = np.where(spread > 0, spread, 1.0)
    design = np.column_stack([(features - mean) / spread, np.ones(len(features))])
    target = linked.astype(np.float64)
    penalty = np.eye(design.shape[1]) / regularisation
    penalty[-1, -1] = 0.0  # the intercept is not penalised
    coefficients = np.zeros(design.shape[1])
    for _ in range(100):
        probability = logistic(design, coefficients, 0.0)
        gradient = design.T @ (probability - target) + penalty @ coefficients
        hessian = (design.T * (probability * (1 - probability))) @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        coefficients -= step
        if np.abs(step).max() < 1e-10:
            break
    weights = coefficients[:-1] / spread
    return weights, float(coefficients[-1] - weights @ mean)


def choose_threshold(
    scores: np.ndarray, linked: np.ndarray, min_recall: float = MIN_RECALL
) -> float:
    """The threshold with the best precision among those keeping recall >= `min_recall`."""
    best: tuple[float, float] | None = None
    for threshold in np.unique(scores):
        precision, recall = precision_recall_rates(scores >= threshold, linked)
        if recall >= min_recall and (best is None or precision > best[0]):
            best = (precision, float(threshold))
    return best[1] if best else float(scores.min())


def document_folds(documents: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """A fold number per judgment; all judgments of one document share a fold."""
    order = np.random.default_rng(seed).permutation(np.unique(documents))
    fold_of = {document: n % folds for n, document in enumerate(order)}
    return np.array([fold_of[document] for document in documents])


def _fit_with_threshold(
    features: np.ndarray, linked: np.ndarray, documents: np.ndarray, folds: int, seed: int
) -> tuple[np.ndarray, float, float]:
    """Weights and bias on all the data; the threshold from out-of-fold probabilities."""
    assignment = document_folds(documents, folds, seed)
    out_of_fold = np.zeros(len(linked))
    for fold in range(folds):
        test = assignment == fold
        weights, bias = fit_logistic(features[~test], linked[~test])
        out_of_fold[test] = logistic(features[test], weights, bias)
    weights, bias = fit_logistic(features, linked)
    return weights, bias, choose_threshold(out_of_fold, linked)


def cross_validate(pairs: JudgedPairs, folds: int = FOLDS, seeds: int = 5) -> dict:
    """Precision and recall on held-out documents: mean and spread over `seeds` splits."""
    documents = len(np.unique(pairs.documents))
    if documents < folds:
        raise FitError(
            f"Cross-validating the linking model by document needs judgments from "
            f"at least {folds} documents; these come from {documents}"
        )
    results = []
    for seed in range(seeds):
        assignment = document_folds(pairs.documents, folds, seed)
        predicted = np.zeros(len(pairs.linked), dtype=bool)
        for fold in range(folds):
            test, train = assignment == fold, assignment != fold
            weights, bias, threshold = _fit_with_threshold(
                pairs.features[train], pairs.linked[train], pairs.documents[train], folds - 1, seed
            )
            predicted[test] = logistic(pairs.features[test], weights, bias) >= threshold
        results.append(precision_recall_rates(predicted, pairs.linked))
    values = np.array(results)
    return {
        "precision": round(float(values[:, 0].mean()), 4),
        "precision_sd": round(float(values[:, 0].std()), 4),
        "recall": round(float(values[:, 1].mean()), 4),
        "recall_sd": round(float(values[:, 1].std()), 4),
        "folds": folds,
        "splits": seeds,
    }


def fit_link_model(pairs: JudgedPairs) -> dict:
    """The fitted settings, their in-sample figures and the cross-validated estimate."""
    weights, bias = fit_logistic(pairs.features, pairs.linked)
    scores = logistic(pairs.features, weights, bias)
    threshold = choose_threshold(scores, pairs.linked)
    precision, recall = precision_recall_rates(scores >= threshold, pairs.linked)
    return {
        "weights": {name: round(float(w), 3) for name, w in zip(FEATURES, weights, strict=True)},
        "bias": round(bias, 3),
        "link_min": round(threshold, 3),
        "in_sample": {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "n": len(pairs.linked),
        },
        "cross_validated": cross_validate(pairs),
    }
