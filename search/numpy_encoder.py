"""A torch-free MiniLM encoder for queries: the same BERT forward pass in NumPy.

Importing torch and sentence-transformers takes about 8 s on this machine, which is most of the
server's cold start, and their per-call overhead is most of a single query's embedding time. A
query is a dozen word pieces, so the forward pass itself is a few small matrix products that
NumPy does in a millisecond or two. This module reads the same `model.safetensors` and
`tokenizer.json` the sentence-transformers model uses and reproduces its output (BERT, mean
pooling over the attention mask, L2 normalisation) to within float32 rounding; a test checks
that against `SentenceTransformerEncoder` on real queries.

It handles any BERT-style sentence-transformers folder with mean pooling; other architectures
are refused with a clear error. Ingest still uses `SentenceTransformerEncoder`, whose batched
torch kernels are faster for thousands of passages; `query_encoder()` in search/encoder.py picks
this one for queries whenever the model allows.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from search.encoder import EncoderError, model_location

# Abramowitz & Stegun 7.1.26: erf to within 1.5e-7, below float32 resolution of the activations.
_ERF_P = 0.3275911
_ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def _erf(x: np.ndarray) -> np.ndarray:
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + _ERF_P * x)
    a1, a2, a3, a4, a5 = _ERF_A
    poly = t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5))))
    return sign * (1.0 - poly * np.exp(-x * x))


def _gelu(x: np.ndarray) -> np.ndarray:
    """The exact (erf) GELU that BERT uses."""
    return 0.5 * x * (1.0 + _erf(x * np.float32(1 / np.sqrt(2))))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * weight + bias


class _Layer:
    """One transformer layer's weights, transposed once for `x @ W`."""

    def __init__(self, weights: dict[str, np.ndarray], prefix: str) -> None:
        def linear(name: str) -> tuple[np.ndarray, np.ndarray]:
            return (np.ascontiguousarray(weights[f"{prefix}{name}.weight"].T),
                    weights[f"{prefix}{name}.bias"])

        query, key, value = (linear(f"attention.self.{n}") for n in ("query", "key", "value"))
        # Query, key and value projections fused into one product.
        self.qkv = (np.concatenate([query[0], key[0], value[0]], axis=1),
                    np.concatenate([query[1], key[1], value[1]]))
        self.attention_out = linear("attention.output.dense")
        self.attention_norm = (weights[f"{prefix}attention.output.LayerNorm.weight"],
                               weights[f"{prefix}attention.output.LayerNorm.bias"])
        self.intermediate = linear("intermediate.dense")
        self.output = linear("output.dense")
        self.output_norm = (weights[f"{prefix}output.LayerNorm.weight"],
                            weights[f"{prefix}output.LayerNorm.bias"])


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EncoderError(f"Cannot read {path}: {error}") from error


# The sentence-transformers modules this encoder reproduces, in order (Normalize is optional:
# vectors are always normalised here, as `SentenceTransformerEncoder` asks for too).
_MODULES = ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
            "sentence_transformers.models.Normalize"]


def is_supported(model_path: Path) -> bool:
    """True when the folder holds a BERT model with mean pooling and nothing after it (no
    Dense layer): exactly what this module computes."""
    try:
        config = _read_json(model_path / "config.json")
        pooling = _read_json(model_path / "1_Pooling" / "config.json")
        modules = [module.get("type") for module in _read_json(model_path / "modules.json")]
    except (EncoderError, AttributeError):
        return False
    return (modules in (_MODULES, _MODULES[:2])
            and config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"
            and bool(pooling.get("pooling_mode_mean_tokens"))
            and not any(value for key, value in pooling.items()
                        if key.startswith("pooling_mode_") and key != "pooling_mode_mean_tokens")
            and (model_path / "model.safetensors").is_file()
            and (model_path / "tokenizer.json").is_file())


class NumpyEncoder:
    """Encodes texts with a BERT sentence-transformers model using only NumPy and `tokenizers`.

    `threads` caps the process's BLAS thread pool when the model loads, as
    `SentenceTransformerEncoder` does with torch's: the server encodes on one thread so the
    other core serves the next request.
    """

    def __init__(self, model_path: Path | None = None, threads: int | None = None) -> None:
        self.model_path, self.name = model_location(model_path)
        self.threads = threads
        self._loaded = False
        self._loading = threading.Lock()  # the first requests of a server may race to load

    def _load(self) -> None:
        with self._loading:
            if not self._loaded:
                self._read_model()

    def _read_model(self) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = self.model_path
        if not is_supported(folder):
            raise EncoderError(f"{folder} is not a mean-pooled BERT sentence-transformers "
                               "model; the NumPy encoder handles only those")
        config = _read_json(folder / "config.json")
        settings = _read_json(folder / "sentence_bert_config.json")
        try:
            weights = load_file(folder / "model.safetensors")
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as error:  # safetensors and tokenizers raise their own types
            raise EncoderError(f"Cannot load the model at {folder}: {error}") from error
        if self.threads:
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=self.threads, user_api="blas")
        weights = {name.removeprefix("bert."): array for name, array in weights.items()}
        max_length = int(settings.get("max_seq_length") or config["max_position_embeddings"])
        tokenizer.enable_truncation(max_length)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config["layer_norm_eps"])
        self._word = weights["embeddings.word_embeddings.weight"]
        self._position = weights["embeddings.position_embeddings.weight"]
        self._token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self._embedding_norm = (weights["embeddings.LayerNorm.weight"],
                                weights["embeddings.LayerNorm.bias"])
        self._layers = [_Layer(weights, f"encoder.layer.{i}.")
                        for i in range(int(config["num_hidden_layers"]))]
        self._dimension = int(config["hidden_size"])
        self._loaded = True

    @property
    def dimension(self) -> int:
        """Length of each embedding vector."""
        if not self._loaded:
            self._load()
        return self._dimension

    def _forward(self, ids: np.ndarray) -> np.ndarray:
        """Mean-pooled, normalised embedding of one unpadded token sequence."""
        hidden = self._word[ids] + self._position[:len(ids)] + self._token_type
        hidden = _layer_norm(hidden, *self._embedding_norm, self._eps)
        length, width = hidden.shape
        head = width // self._heads
        scale = np.float32(1 / np.sqrt(head))
        for layer in self._layers:
            qkv = hidden @ layer.qkv[0] + layer.qkv[1]
            # (3, heads, length, head): one batched product per attention step.
            qkv = qkv.reshape(length, 3, self._heads, head).transpose(1, 2, 0, 3)
            scores = (qkv[0] @ qkv[1].transpose(0, 2, 1)) * scale
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ qkv[2]).transpose(1, 0, 2).reshape(length, width)
            attended = context @ layer.attention_out[0] + layer.attention_out[1]
            hidden = _layer_norm(attended + hidden, *layer.attention_norm, self._eps)
            inner = _gelu(hidden @ layer.intermediate[0] + layer.intermediate[1])
            out = inner @ layer.output[0] + layer.output[1]
            hidden = _layer_norm(out + hidden, *layer.output_norm, self._eps)
        pooled = hidden.mean(axis=0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)

    def encode(self, texts: Sequence[str],
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed texts one at a time (no padding, so no attention mask is needed)."""
        if not self._loaded:
            self._load()
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(list(texts))):
            vectors[row] = self._forward(np.asarray(encoding.ids, dtype=np.int64))
            if progress:
                progress(1)
        return vectors
