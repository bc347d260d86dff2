"""Canonical names for gangs and organisations, so the mentions of one group make one entity.

- "the Barrio Azteca", "Barrio Azteca gang" and "Barrio Azteca" → "Barrio Azteca": a leading
  article and a generic suffix word go ("gang", "street gang", "clique", "set", "faction", a
  lowercase "cartel"). A capitalised suffix stays when it is part of the name ("Sinaloa Cartel",
  "Tiny Rascal Gang") — unless the same document also names the group without it, which shows it
  was a description ("Barrio Azteca Gang" in a headline over "Barrio Azteca" in the text).
- "Aryan Brotherhood of Texas (ABT)" defines ABT in that document: every ABT there is keyed on the
  full name (nlp.context_rules finds the definition and calls `abbreviation_id`).

`casegraph_canonical` (after the context rules) writes the canonical name into the entity's id
(`ent.ent_id_`), which is the name the entity is keyed on (nlp.components.extract); names from the
curated lists keep the id their pattern gave them.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

CANONICAL_LABELS = frozenset({"GANG_ORG"})
GENERIC_SUFFIXES = ("street gang", "prison gang", "criminal street gang", "gang", "clique", "clica", "set", "faction",
                    "organization", "criminal organization", "drug trafficking organization", "enterprise")
# A capitalised suffix word that is a description unless the group is only ever named with it.
CAPITALISED_DESCRIPTIONS = ("Street Gang", "Prison Gang", "Gang", "Clique", "Set", "Faction", "Organization",
                            "Criminal Organization", "Drug Trafficking Organization")
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def canonical_name(name: str) -> str:
    """The name without a leading article and without lowercase generic suffix words."""
    text = _LEADING.sub("", _SPACE.sub(" ", name).strip())
    changed = True
    while changed:
        changed = False
        for suffix in GENERIC_SUFFIXES:
            if text.endswith(" " + suffix) and len(text) > len(suffix) + 1:
                text = text[: -len(suffix) - 1].rstrip()
                changed = True
    return text


def stem_if_described(name: str, names_in_doc: set[str]) -> str:
    """"Barrio Azteca Gang" → "Barrio Azteca" when the document also says "Barrio Azteca"."""
    for suffix in CAPITALISED_DESCRIPTIONS:
        if name.endswith(" " + suffix):
            stem = name[: -len(suffix) - 1].rstrip()
            if stem in names_in_doc:
                return stem
    return name


def abbreviation_id(name: Span) -> str:
    """The id an abbreviation defined by `name` takes: the name's own id, else its canonical form."""
    return name.ent_id_ or canonical_name(name.text)


@Language.factory("casegraph_canonical")
def make_canonical(nlp: Language, name: str) -> Any:
    def canonicalise(doc: Doc) -> Doc:
        names = {canonical_name(e.text) for e in doc.ents if e.label_ in CANONICAL_LABELS}
        ents = []
        for e in doc.ents:
            if e.label_ in CANONICAL_LABELS and not e.ent_id_:
                canonical = stem_if_described(canonical_name(e.text), names)
                if canonical != e.text:
                    e = Span(doc, e.start, e.end, label=e.label_, kb_id=e.kb_id_, span_id=canonical)
            ents.append(e)
        doc.ents = ents
        return doc

    return canonicalise
