"""The torch-free query encoder gives the sentence-transformers vectors, and refuses what it
cannot compute."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from search.encoders.base import EncoderError, default_model_path
from search.encoders.onnx_bert import OnnxEncoder, is_supported
from search.encoders.query import query_encoder
from search.encoders.sentence_transformer import SentenceTransformerEncoder
from search.evaluation import load_questions
from tests.conftest import REPO


@pytest.fixture(scope="module")
def model_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the shipped model folder (weights symlinked, configs copied)."""
    source = default_model_path()
    target = tmp_path_factory.mktemp("model") / "all-MiniLM-L6-v2"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("model.safetensors"))
    (target / "model.safetensors").symlink_to(source / "model.safetensors")
    return target


def test_the_shipped_model_is_supported():
    assert is_supported(default_model_path())
    assert isinstance(query_encoder(), OnnxEncoder)


def test_a_non_bert_model_is_refused_and_the_factory_falls_back(model_copy: Path, tmp_path: Path):
    other = tmp_path / "other-model"
    shutil.copytree(model_copy, other, symlinks=True)
    config = json.loads((other / "config.json").read_text())
    (other / "config.json").write_text(json.dumps({**config, "model_type": "roberta"}))
    assert not is_supported(other)
    with pytest.raises(EncoderError, match="mean-pooled BERT"):
        OnnxEncoder(other).encode(["a query"])
    assert isinstance(query_encoder(other), SentenceTransformerEncoder)


def test_cls_pooling_is_not_mistaken_for_mean_pooling(model_copy: Path, tmp_path: Path):
    other = tmp_path / "cls-model"
    shutil.copytree(model_copy, other, symlinks=True)
    pooling = other / "1_Pooling" / "config.json"
    pooling.write_text(
        json.dumps({**json.loads(pooling.read_text()), "pooling_mode_cls_token": True})
    )
    assert not is_supported(other)


def test_a_model_with_a_dense_layer_after_pooling_is_not_supported(
    model_copy: Path, tmp_path: Path
):
    other = tmp_path / "dense-model"
    shutil.copytree(model_copy, other, symlinks=True)
    modules = json.loads((other / "modules.json").read_text())
    modules.insert(
        2, {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}
    )
    (other / "modules.json").write_text(json.dumps(modules))
    assert not is_supported(other)


def test_damaged_weights_are_a_clear_error(model_copy: Path, tmp_path: Path):
    damaged = tmp_path / "damaged"
    shutil.copytree(model_copy, damaged, ignore=shutil.ignore_patterns("model.safetensors"))
    (damaged / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(EncoderError, match="Cannot load the model"):
        OnnxEncoder(damaged).encode(["a query"])


def test_weights_that_do_not_match_the_config_are_a_clear_error(model_copy: Path, tmp_path: Path):
    other = tmp_path / "seven-layers"
    shutil.copytree(model_copy, other, symlinks=True)
    config = json.loads((other / "config.json").read_text())
    (other / "config.json").write_text(json.dumps({**config, "num_hidden_layers": 7}))
    with pytest.raises(EncoderError, match="no weight 'encoder.layer.6"):
        OnnxEncoder(other).encode(["a query"])


def test_empty_input_gives_an_empty_matrix():
    vectors = OnnxEncoder().encode([])
    assert vectors.shape == (0, 384) and vectors.dtype == np.float32


@pytest.mark.slow
def test_same_vectors_as_sentence_transformers():
    """Every gold question, plus texts longer than the 256-token window and odd input."""
    questions = [q.question for q in load_questions(REPO / "corpus" / "eval" / "questions.toml")]
    document = REPO / "corpus" / "documents" / "academic-definitions-compared.md"
    long_text = document.read_text(encoding="utf-8")[:6000]
    texts = [*questions, long_text, "", "T&CG", "Что такое разведывательная полиция?", "🙂 ?"]
    onnx_vectors = OnnxEncoder().encode(texts)
    torch_vectors = SentenceTransformerEncoder(threads=1).encode(texts)
    assert onnx_vectors.shape == torch_vectors.shape == (len(texts), 384)
    assert np.abs(onnx_vectors - torch_vectors).max() < 1e-5
    assert np.allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-5)


def test_serving_a_query_does_not_import_torch(tmp_path: Path):
    """The server's query path stays torch-free (that is what makes it start in ~2 s)."""
    import subprocess

    script = (
        "import sys; from search.encoders.query import query_encoder; "
        "query_encoder(threads=1).encode(['what is tasking?']); "
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert completed.stdout.split() == ["False", "False"]


def test_concurrent_first_calls_load_the_model_once(monkeypatch: pytest.MonkeyPatch):
    from concurrent.futures import ThreadPoolExecutor

    encoder = OnnxEncoder()
    loads = []
    real = encoder._read_model

    def counting() -> None:
        loads.append(1)
        real()

    monkeypatch.setattr(encoder, "_read_model", counting)
    with ThreadPoolExecutor(max_workers=4) as pool:
        vectors = list(pool.map(lambda text: encoder.encode([text]), ["a", "b", "c", "d"]))
    assert len(loads) == 1 and all(v.shape == (1, 384) for v in vectors)
