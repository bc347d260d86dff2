"""`casegraph_name_propagation` (after trimming): a word of a full person name found in the
document is that person wherever it stands alone ("Mendez" at the start of a sentence the NER missed)."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.keys import TITLES

from .tokens import FORM_LABELS, NAME_PARTICLES, QUOTES
from .tokens import is_title as _title


@Language.factory("casegraph_name_propagation")
def make_name_propagation(nlp: Language, name: str) -> Any:
    return propagate_names


def propagate_names(doc: Doc) -> Doc:
    """A document that names "Carlos Mendez" once means him by every other capitalised "Mendez" in
    it, though the NER, reading one sentence at a time, misses a bare surname that starts one
    ("Mendez supplied fentanyl pills to Ortiz."). Words of full person names (two or more name
    words, quoted nicknames aside) become PERSON wherever they stand alone outside any entity."""
    names: set[str] = set()
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        quoted = False
        words = []
        for tok in ent:
            if tok.text in QUOTES:
                quoted = not quoted
            elif not quoted and tok.is_alpha and len(tok.text) > 1 and not tok.is_lower and not _title(tok):
                words.append(tok)
        if len(words) >= 2:
            names.update(t.text for t in words if t.lower_ not in TITLES and t.lower_ not in NAME_PARTICLES)
    if not names:
        return doc
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    found = []
    for tok in doc:
        if tok.i in taken or tok.text not in names or tok.is_stop or tok.lower_ in FORM_LABELS:
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and (nxt.i in taken or (nxt.is_title and nxt.is_alpha and not nxt.is_sent_start)):
            continue  # part of another name ("Mendez Street", "Price Chopper")
        found.append(Span(doc, tok.i, tok.i + 1, label="PERSON"))
    if found:
        doc.ents = sorted([*doc.ents, *found], key=lambda e: e.start)
    return doc
