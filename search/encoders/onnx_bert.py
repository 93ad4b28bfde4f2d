"""A torch-free MiniLM encoder for queries: the BERT forward pass as an ONNX graph.

Importing torch and sentence-transformers takes about 8 s on this machine, which would be most
of the server's cold start, and their per-call overhead is most of a single query's embedding
time. So queries are embedded by ONNX Runtime instead, from a graph this module writes itself:
`bert_graph` turns the model's own `model.safetensors` into ONNX operators (embeddings, six
transformer layers, mean pooling) in memory. Nothing is exported by torch and nothing is
downloaded. The output reproduces sentence-transformers (BERT, mean pooling over the attention
mask, L2 normalisation) to within float32 rounding; a test checks it on real queries.

Why ONNX Runtime rather than NumPy, which this module used to be: a query is a dozen word
pieces, so each of the six layers is a few matrix products with a dozen rows. OpenBLAS manages
about 31 GFLOP/s on such thin products here (15-17 ms a query); ONNX Runtime packs the weights
once when the session opens and runs the same products in 8-10 ms on one thread.

It handles any BERT-style sentence-transformers folder with mean pooling; other architectures
are refused with a clear error. Ingest still uses `SentenceTransformerEncoder`, whose batched
torch kernels suit thousands of passages; `query_encoder()` in search/encoders/query.py picks
this one for queries whenever the model allows.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from search.encoders.base import EncoderError, model_location

OPSET = 17  # the first opset with LayerNormalization


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EncoderError(f"Cannot read {path}: {error}") from error


# The sentence-transformers modules this encoder reproduces, in order (Normalize is optional:
# vectors are always normalised here, as `SentenceTransformerEncoder` asks for too).
_MODULES = [
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
]


def is_supported(model_path: Path) -> bool:
    """True when the folder holds a BERT model with mean pooling and nothing after it (no
    Dense layer): exactly what this module computes."""
    try:
        config = _read_json(model_path / "config.json")
        pooling = _read_json(model_path / "1_Pooling" / "config.json")
        modules = [module.get("type") for module in _read_json(model_path / "modules.json")]
    except (EncoderError, AttributeError):
        return False
    return (
        modules in (_MODULES, _MODULES[:2])
        and config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and bool(pooling.get("pooling_mode_mean_tokens"))
        and not any(
            value
            for key, value in pooling.items()
            if key.startswith("pooling_mode_") and key != "pooling_mode_mean_tokens"
        )
        and (model_path / "model.safetensors").is_file()
        and (model_path / "tokenizer.json").is_file()
    )


class _Graph:
    """Collects ONNX nodes and constants; every method returns the name of its output."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.constants: list = []

    def constant(self, value: np.ndarray | np.generic | float | int) -> str:
        from onnx import numpy_helper

        name = f"c{len(self.constants)}"
        self.constants.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, kind: str, *inputs: str, **attributes: Any) -> str:
        from onnx import helper

        name = f"n{len(self.nodes)}"
        self.nodes.append(helper.make_node(kind, list(inputs), [name], **attributes))
        return name

    def linear(self, x: str, weight: np.ndarray, bias: np.ndarray) -> str:
        """x @ weight.T + bias, as torch's Linear computes it."""
        return self.op(
            "Add",
            self.op("MatMul", x, self.constant(np.ascontiguousarray(weight.T))),
            self.constant(bias),
        )

    def layer_norm(self, x: str, weight: np.ndarray, bias: np.ndarray, eps: float) -> str:
        return self.op(
            "LayerNormalization",
            x,
            self.constant(weight),
            self.constant(bias),
            axis=-1,
            epsilon=eps,
        )


def bert_graph(weights: dict[str, np.ndarray], config: dict):  # noqa: ANN201 - onnx.ModelProto
    """The ONNX model of one unpadded sequence: inputs `ids` and `positions` (int64, length L),
    output `pooled` (the mean of the last layer over the L tokens, not yet normalised)."""
    from onnx import TensorProto, helper

    heads, eps = int(config["num_attention_heads"]), float(config["layer_norm_eps"])
    width = int(config["hidden_size"])
    size = width // heads
    graph = _Graph()
    # Embeddings: word + position + token type 0 (a query is one segment).
    words = graph.op("Gather", graph.constant(weights["embeddings.word_embeddings.weight"]), "ids")
    places = graph.op(
        "Gather", graph.constant(weights["embeddings.position_embeddings.weight"]), "positions"
    )
    hidden = graph.op(
        "Add",
        graph.op("Add", words, places),
        graph.constant(weights["embeddings.token_type_embeddings.weight"][0]),
    )
    hidden = graph.layer_norm(
        hidden, weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"], eps
    )
    split_heads = graph.constant(np.array([-1, 3, heads, size], dtype=np.int64))
    join_heads = graph.constant(np.array([-1, width], dtype=np.int64))
    scale = graph.constant(np.float32(1 / np.sqrt(size)))
    half, one = graph.constant(np.float32(0.5)), graph.constant(np.float32(1.0))
    root_half = graph.constant(np.float32(1 / np.sqrt(2)))
    for layer in range(int(config["num_hidden_layers"])):
        prefix = f"encoder.layer.{layer}."
        # Query, key and value projections fused into one product, then split by head:
        # (3, heads, L, size).
        projections = [f"{prefix}attention.self.{part}" for part in ("query", "key", "value")]
        qkv = graph.linear(
            hidden,
            np.concatenate([weights[f"{p}.weight"] for p in projections]),
            np.concatenate([weights[f"{p}.bias"] for p in projections]),
        )
        qkv = graph.op("Transpose", graph.op("Reshape", qkv, split_heads), perm=[1, 2, 0, 3])
        query, key, value = (
            graph.op("Gather", qkv, graph.constant(np.int64(i)), axis=0) for i in range(3)
        )
        scores = graph.op(
            "Mul", graph.op("MatMul", query, graph.op("Transpose", key, perm=[0, 2, 1])), scale
        )
        context = graph.op("MatMul", graph.op("Softmax", scores, axis=-1), value)
        context = graph.op("Reshape", graph.op("Transpose", context, perm=[1, 0, 2]), join_heads)
        attended = graph.linear(
            context,
            weights[f"{prefix}attention.output.dense.weight"],
            weights[f"{prefix}attention.output.dense.bias"],
        )
        hidden = graph.layer_norm(
            graph.op("Add", attended, hidden),
            weights[f"{prefix}attention.output.LayerNorm.weight"],
            weights[f"{prefix}attention.output.LayerNorm.bias"],
            eps,
        )
        inner = graph.linear(
            hidden,
            weights[f"{prefix}intermediate.dense.weight"],
            weights[f"{prefix}intermediate.dense.bias"],
        )
        inner = graph.op(
            "Mul",
            graph.op("Mul", inner, half),  # exact (erf) GELU, as BERT's
            graph.op("Add", graph.op("Erf", graph.op("Mul", inner, root_half)), one),
        )
        out = graph.linear(
            inner, weights[f"{prefix}output.dense.weight"], weights[f"{prefix}output.dense.bias"]
        )
        hidden = graph.layer_norm(
            graph.op("Add", out, hidden),
            weights[f"{prefix}output.LayerNorm.weight"],
            weights[f"{prefix}output.LayerNorm.bias"],
            eps,
        )
    graph.nodes.append(helper.make_node("ReduceMean", [hidden], ["pooled"], axes=[0], keepdims=0))
    sequence = ["tokens"]
    onnx_graph = helper.make_graph(
        graph.nodes,
        "sentence-embedding",
        [
            helper.make_tensor_value_info("ids", TensorProto.INT64, sequence),
            helper.make_tensor_value_info("positions", TensorProto.INT64, sequence),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [width])],
        graph.constants,
    )
    return helper.make_model(
        onnx_graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=8
    )


class OnnxEncoder:
    """Encodes texts with a BERT sentence-transformers model using ONNX Runtime and `tokenizers`.

    `threads` is ONNX Runtime's thread count for one text (None: its default, every core): the
    server encodes on one thread so the other core serves the next request.
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
        import onnxruntime
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = self.model_path
        if not is_supported(folder):
            raise EncoderError(
                f"{folder} is not a mean-pooled BERT sentence-transformers "
                "model; the ONNX encoder handles only those"
            )
        config = _read_json(folder / "config.json")
        settings = _read_json(folder / "sentence_bert_config.json")
        try:
            weights = load_file(folder / "model.safetensors")
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as error:  # safetensors and tokenizers raise their own types
            raise EncoderError(f"Cannot load the model at {folder}: {error}") from error
        weights = {name.removeprefix("bert."): array for name, array in weights.items()}
        try:
            graph = bert_graph(weights, config)
        except KeyError as error:
            raise EncoderError(f"Cannot load the model at {folder}: no weight {error}") from error
        # Each step holds its own copy of the weights: drop the previous one as soon as it is
        # used, which keeps the peak memory of loading to about two copies.
        del weights
        model = graph.SerializeToString()
        del graph
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads or 0
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only
        self._session = onnxruntime.InferenceSession(
            model, options, providers=["CPUExecutionProvider"]
        )
        max_length = int(settings.get("max_seq_length") or config["max_position_embeddings"])
        tokenizer.enable_truncation(max_length)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
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
        pooled = self._session.run(None, {"ids": ids, "positions": np.arange(len(ids))})[0]
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embed texts one at a time (no padding, so no attention mask is needed)."""
        if not self._loaded:
            self._load()
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(list(texts))):
            vectors[row] = self._forward(np.asarray(encoding.ids, dtype=np.int64))
            if progress:
                progress(1)
        return vectors
