"""Fitting the concept-linking model: logistic regression, threshold choice, document folds."""

from __future__ import annotations

import numpy as np

from graph.linking.evaluation import precision_recall_rates
from graph.linking.fit import choose_threshold, document_folds, fit_logistic
from graph.linking.model import logistic


def test_fit_logistic_recovers_the_generating_model():
    rng = np.random.default_rng(7)
    features = rng.normal(size=(20_000, 3)) * [1.0, 2.0, 0.5] + [0.0, 1.0, -1.0]
    weights, bias = np.array([1.5, -0.8, 2.0]), 0.3
    linked = rng.random(len(features)) < logistic(features, weights, bias)
    fitted, fitted_bias = fit_logistic(features, linked, regularisation=1e6)
    assert np.allclose(fitted, weights, atol=0.08) and abs(fitted_bias - bias) < 0.08


def test_regularisation_shrinks_the_weights():
    rng = np.random.default_rng(1)
    features = rng.normal(size=(300, 2))
    linked = features[:, 0] + 0.5 * rng.normal(size=300) > 0
    loose, _ = fit_logistic(features, linked, regularisation=1e6)
    tight, _ = fit_logistic(features, linked, regularisation=0.001)
    assert np.abs(tight).sum() < np.abs(loose).sum()


def test_threshold_keeps_recall_and_maximises_precision():
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    linked = np.array([True, False, True, True, False, True])
    threshold = choose_threshold(scores, linked, min_recall=0.75)
    assert threshold == 0.6  # recall 3/4, precision 3/4; 0.4 has recall 1 but precision 4/6
    assert precision_recall_rates(scores >= threshold, linked) == (0.75, 0.75)


def test_document_folds_keep_a_document_together_and_use_every_fold():
    documents = np.array([f"doc-{n % 7}" for n in range(70)])
    folds = document_folds(documents, folds=5, seed=3)
    for document in set(documents):
        assert len(set(folds[documents == document])) == 1
    assert set(folds) == set(range(5))
    assert not np.array_equal(folds, document_folds(documents, folds=5, seed=4))


def test_features_of_a_build_with_no_english_passage_are_zero_without_warnings():
    """MiniLM's z-scores are taken among the English passages; a build of a Russian handbook
    alone has none, and its features are 0 (it printed numpy's empty-slice warnings)."""
    import warnings

    from graph.linking.model import SemanticEvidence, link_features

    rng = np.random.default_rng(3)
    evidence = SemanticEvidence(
        rng.normal(size=(2, 4)), rng.normal(size=(3, 4)), np.array([0, 0, 1]),
        rng.normal(size=(2, 4)), ["a", "b"],
    )  # fmt: skip
    labelled = np.zeros((2, 2), dtype=bool)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        features = link_features(evidence, labelled, np.zeros(2, dtype=bool))
    assert features.shape == (2, 2, 4)
    assert not features[..., 1:3].any()  # the two z-scored features
