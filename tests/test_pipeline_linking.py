"""Semantic linking through the whole pipeline, fast: the deterministic encoder, real everything
else. Also the linking evaluation and fit read from a build, and the quality baseline."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from graph.linking.evaluation import load_judgments
from graph.linking.fit import FitError
from graph.linking.model import (
    FEATURES,
    METHOD_LABEL_SEMANTIC,
    METHOD_SEMANTIC,
    LinkSettings,
    logistic,
)
from ilp_pipeline.baseline import (
    BaselineError,
    Comparison,
    QualityRegression,
    check,
    compare,
    record,
)
from ilp_pipeline.linking import evaluate_build_links, fit_build_links, link_features_of
from ilp_pipeline.run import run_build
from ingest.catalog import load_catalog
from search.index.loaded import LoadedBuild
from tests.conftest import DATA
from tests.fakes import HashingEncoder
from webapp.cli import cli

# Three verdicts on the mini corpus: one link the build makes rightly, one it misses, and one
# it makes that a person rejected (so precision and recall are both 1/2).
JUDGMENTS = """
[[judgment]]
document = "tasking-guide"
phrase = "tasking and co-ordination group (T&CG)"
concept = "tasking-and-co-ordination-group"
linked = true

[[judgment]]
document = "tasking-guide"
phrase = "Every collection of personal data"
concept = "decision-making-structures"
linked = true

[[judgment]]
document = "models-study"
phrase = "3-i model"
concept = "three-i-model"
linked = false
"""


@pytest.fixture(scope="module")
def semantic_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini corpus built with the shipped linking model (labels and meaning)."""
    instance = tmp_path_factory.mktemp("semantic")
    corpus = DATA / "corpus"
    run_build(
        load_catalog(corpus / "catalog.toml"), corpus / "concepts.ttl", instance, HashingEncoder()
    )
    return instance


@pytest.fixture()
def judgments_file(tmp_path: Path) -> Path:
    path = tmp_path / "links.toml"
    path.write_text(JUDGMENTS, encoding="utf-8")
    return path


def test_the_build_keeps_exactly_the_pairs_the_linking_model_accepts(semantic_instance: Path):
    build = LoadedBuild.open_current(semantic_instance)
    settings = LinkSettings()
    count = build.manifest["counts"]["passages"]
    stored = build.store.links_of(range(count))
    made = {(row, link.concept_id) for row, links in stored.items() for link in links}
    assert made, "the mini corpus should link some passages"
    assert {link.method for links in stored.values() for link in links} <= {
        METHOD_SEMANTIC,
        METHOD_LABEL_SEMANTIC,
    }
    assert all(link.score >= settings.link_min for links in stored.values() for link in links)
    # The features recomputed from the build (as `ilp eval --links --fit` does) give the same
    # decisions the build step made.
    features, concept_ids = link_features_of(build, HashingEncoder())
    assert features.shape == (count, len(concept_ids), len(FEATURES))
    accepted = logistic(features, settings.weights, settings.bias) >= settings.link_min
    assert made == {
        (int(row), concept_ids[column]) for row, column in zip(*np.nonzero(accepted), strict=True)
    }


def test_link_evaluation_counts_hits_misses_and_false_links(
    semantic_instance: Path, judgments_file: Path
):
    build = LoadedBuild.open_current(semantic_instance)
    report = evaluate_build_links(build, load_judgments(judgments_file))
    assert report == {"precision": 0.5, "recall": 0.5, "n": 3}


def test_the_fit_refuses_judgments_from_too_few_documents(
    semantic_instance: Path, judgments_file: Path
):
    """Cross-validation is by document (5 folds): two documents cannot support it. (The fit
    itself runs on the real judgments in tests/test_end_to_end.py.)"""
    build = LoadedBuild.open_current(semantic_instance)
    with pytest.raises(FitError, match="at least 5 documents; these come from 2"):
        fit_build_links(build, load_judgments(judgments_file), HashingEncoder())


def test_a_drop_beyond_the_tolerance_is_a_regression():
    baseline = {
        "tolerance": 0.02,
        "retrieval": {"hybrid.ndcg@10": 0.70, "no_good_answer.on_topic_flagged": 0.01},
    }
    report = {"hybrid": {"ndcg@10": 0.69}, "no_good_answer": {"on_topic_flagged": 0.02}}
    assert not any(c.regressed for c in compare(report, baseline, "retrieval"))
    worse = {"hybrid": {"ndcg@10": 0.67}, "no_good_answer": {"on_topic_flagged": 0.05}}
    regressed = [c.figure for c in compare(worse, baseline, "retrieval") if c.regressed]
    assert regressed == ["hybrid.ndcg@10", "no_good_answer.on_topic_flagged"]
    with pytest.raises(QualityRegression, match="hybrid.ndcg@10"):
        check(worse, baseline, "retrieval")
    assert Comparison("recall", 0.5, 0.6, 0.02).change == pytest.approx(0.1)


def test_a_baseline_is_recorded_and_read_back(tmp_path: Path):
    path = tmp_path / "baseline.json"
    record(path, {"precision": 0.81234, "recall": 0.7, "n": 5}, "links")
    saved = json.loads(path.read_text())
    assert saved == {"tolerance": 0.02, "links": {"precision": 0.8123, "recall": 0.7}}
    with pytest.raises(BaselineError, match="no 'fit' figures"):
        compare({}, saved, "fit")
    with pytest.raises(BaselineError, match="no figure 'recall'"):
        compare({"precision": 0.8}, saved, "links")


def test_ilp_eval_exits_4_below_the_baseline(
    semantic_instance: Path, judgments_file: Path, tmp_path: Path
):
    baseline = tmp_path / "baseline.json"
    runner = CliRunner()
    common = ["eval", "--links", str(judgments_file), "--instance", str(semantic_instance)]
    recorded = runner.invoke(cli, [*common, "--baseline", str(baseline), "--record-baseline"])
    assert recorded.exit_code == 0, recorded.output
    same = runner.invoke(cli, [*common, "--baseline", str(baseline)])
    assert same.exit_code == 0 and "precision: 0.500 (baseline 0.500" in same.output
    baseline.write_text(json.dumps({"tolerance": 0.02, "links": {"precision": 0.9, "recall": 0.5}}))
    lower = runner.invoke(cli, [*common, "--baseline", str(baseline)])
    assert lower.exit_code == QualityRegression.exit_code == 4, lower.output
    assert "Below the recorded baseline: precision: 0.500 (baseline 0.900" in lower.output
