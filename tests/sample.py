"""A stable share of the public eval questions, for the tests that send each through a whole stack.

The eval sets grow with every blind set; checking that two interfaces (or two vector stores) agree needs
the variety of the questions, not all of them. The share is chosen by a hash of the text, so it is the
same on every machine and a question keeps its place when others are added.
"""

from __future__ import annotations

import hashlib

SHARE = 3  # one question in three


def sampled(text: str) -> bool:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % SHARE == 0
