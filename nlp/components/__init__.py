"""casegraph's spaCy components, one module per factory (registered on import; config-driven like
spaCy's own). Pipeline order, as `nlp.loader.add_casegraph_components` builds it:

- `casegraph_model_ents` (`model_ents`, right after `ner`): which entities the statistical model found;
- `casegraph_span_trim` (`span_trim`, after the ruler): restores longer model entities, trims spans,
  fixes person-name bounds;
- `casegraph_name_propagation` (`name_propagation`): a word of a full person name is that person
  wherever it stands alone;
- `casegraph_extract` (`extract`, last): plain rows (`rows.MentionRow`, `rows.RelationRow`) in
  `doc._.casegraph`.

The factory names are part of every saved pipeline's config.cfg: never rename them.
"""

from __future__ import annotations

from spacy.tokens import Doc

for _name in ("casegraph_model_ents", "casegraph", "coref_clusters"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

from .extract import extract, make_extract  # noqa: E402  (the extensions first)
from .model_ents import make_model_ents  # noqa: E402
from .name_propagation import make_name_propagation, propagate_names  # noqa: E402
from .rows import MentionRow, RelationRow  # noqa: E402
from .span_trim import make_span_trim  # noqa: E402

__all__ = [
    "MentionRow",
    "RelationRow",
    "extract",
    "make_extract",
    "make_model_ents",
    "make_name_propagation",
    "make_span_trim",
    "propagate_names",
]
