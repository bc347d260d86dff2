"""The plain rows `casegraph_extract` leaves in `doc._.casegraph`: named, so code reads `m.label`,
not `m[3]`.

They are tuples on purpose: `nlp.pipe(n_process=N)` ships `doc._.casegraph` back through msgpack,
which turns any tuple into a list, so a consumer must also accept the plain list. Unpack them
positionally or rebuild one with `MentionRow(*row)`.
"""

from __future__ import annotations

from typing import NamedTuple


class MentionRow(NamedTuple):
    sentence: int  # index into the document's sentences
    start: int  # character offsets into the Doc's text
    end: int
    label: str
    source: str  # "model", "ruler", "pattern" (an alias) or "coref"
    canonical: str | None  # the ruler pattern's id
    kb_id: str | None
    ref: int | None  # index of the mention whose entity this one joins (coreference, aliases)


class RelationRow(NamedTuple):
    source: int  # mention indices
    target: int
    predicate: str
    confidence: float
    sentence: int
    extractor: str = ""  # the rule that made it ("path:<id>", "dependency:<id>", "co-occurrence")
    stage: str | None = None  # charged_with: charged, indicted, convicted, pleaded or sentenced
