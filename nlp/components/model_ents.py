"""`casegraph_model_ents` (right after `ner`): remembers which entities the statistical model found,
so each mention can say whether it came from the model or the ruler."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("casegraph_model_ents")
def make_model_ents(nlp: Language, name: str) -> Any:
    def mark(doc: Doc) -> Doc:
        doc._.casegraph_model_ents = [[e.start_char, e.end_char, e.label_] for e in doc.ents]
        return doc

    return mark
