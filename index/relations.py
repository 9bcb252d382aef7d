"""Tie documents together: resolve each declared relation to a corpus document, and derive the inverses.

A relation names the other document as its text does (a title or a 文号); it resolves to the corpus
document with that 文号 or title (《中华人民共和国X法》 and 《X法》 alike), the latest version when the
corpus holds several. Derived at load time, never written: ``implemented_by``, ``cited_by``,
``amended_by``, ``replaced_by`` (from the other side's ``replaces``), and ``replaced_by`` between two
versions of one title in one region (the older one is replaced when the newer one takes over).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from itertools import pairwise

from index.model import INVERSE, Document, Relation, RelationKind

_COUNTRY = "中华人民共和国"


def title_key(title: str) -> str:
    return title.strip("《》〈〉").removeprefix(_COUNTRY)


def takes_over(doc: Document) -> dt.date:
    """The day a document takes effect as the current version: a revised law states its first start date."""
    return max(doc.issued, doc.in_force.start)


def link(documents: tuple[Document, ...]) -> tuple[Document, ...]:
    named: dict[str, list[Document]] = defaultdict(list)
    for doc in documents:
        named[title_key(doc.title)].append(doc)
        if doc.doc_number:
            named[doc.doc_number].append(doc)

    def resolve(doc: Document, target: str) -> str | None:
        found = [d for d in named.get(title_key(target), []) if d.id != doc.id]
        return max(found, key=lambda d: (d.issued, d.id)).id if found else None

    by_id = {d.id: d for d in documents}
    declared = {d.id: [dataclasses.replace(r, doc_id=resolve(d, r.target)) for r in d.relations] for d in documents}
    derived: dict[str, list[Relation]] = defaultdict(list)
    for doc in documents:
        for rel in declared[doc.id]:
            if rel.doc_id is not None and rel.kind in INVERSE:
                on = takes_over(doc) if rel.kind is RelationKind.REPLACES else None
                derived[rel.doc_id].append(Relation(INVERSE[rel.kind], doc.title, doc.id, on))
    versions: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for doc in documents:
        versions[(title_key(doc.title), doc.region)].append(doc)
    for group in versions.values():
        for older, newer in pairwise(sorted(group, key=lambda d: (d.issued, d.id))):
            derived[older.id].append(Relation(RelationKind.REPLACED_BY, newer.title, newer.id, takes_over(newer)))
    return tuple(
        dataclasses.replace(by_id[d.id], relations=tuple(declared[d.id] + derived[d.id])) for d in documents
    )
