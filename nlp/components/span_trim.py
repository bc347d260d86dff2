"""`casegraph_span_trim` (after the ruler): gives back a model entity that the ruler cut short
(the model's "Stone Hill Bloods" beats the ruler's "Bloods" when both say GANG_ORG), then trims
determiners, possessives, quantities ("3 grams of ice" → "ice") and plate words from spans, fixes
the bounds of person names in form layouts and makes a titled name the NER mistyped a person."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from casegraph.core.domain import load_domain
from nlp.keys import ORG_HEADS
from nlp.wordlists import titles

from .tokens import FORM_LABELS, NAME_PARTICLES, QUOTES
from .tokens import is_title as _title

LEADING = [
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "my",
    "our",
    "your",
    "some",
    "another",
    "said",
]
BY_LABEL: dict[str, list[str]] = {
    "DRUG": [
        "#NUM",
        "of",
        "g",
        "gram",
        "grams",
        "kg",
        "kilo",
        "kilos",
        "kilogram",
        "kilograms",
        "oz",
        "ounce",
        "ounces",
        "lb",
        "lbs",
        "pound",
        "pounds",
        "mg",
        "bag",
        "bags",
        "baggie",
        "baggies",
        "bundle",
        "bundles",
        "brick",
        "bricks",
        "package",
        "packages",
        "pill",
        "pills",
        "tablet",
        "tablets",
        "vial",
        "vials",
        "rock",
        "rocks",
        "point",
        "points",
        "quantity",
        "quantities",
        "supply",
        "shipment",
        "load",
        "eight-ball",
        "eightball",
    ],
    "VEHICLE": [
        "license",
        "licence",
        "plate",
        "plates",
        "registration",
        "tag",
        "tags",
        "number",
        "no",
        "no.",
        "#",
    ],
}
UNTRIMMED = ["PHONE", "EMAIL", "MONEY"]
# Alias markers the NER sometimes swallows ("Jorge Castillo a.k.a.", 'a.k.a. "Vic'): never part of a name.
TRAILING = frozenset({"a.k.a.", "a/k/a", "aka", "alias"})
# Labels the NER gives a titled name it does not know ("SA Okafor" ORG, domain.toml [type_rules]), and the
# titles that make one a person (police and court titles only, nlp/lists/titles.csv: "General Motors" and
# "Dr Pepper" stay what they are).
TITLED_MISTYPES = load_domain().type_rules.mistyped_person
PERSON_TITLES = titles().person
# A free-standing separator inside a "name" ends it: "Rebecca Hollis - Case 24-001873".
NAME_BREAKS = frozenset({"-", "–", "—", "|", ":", ";", "/", "•"})


@Language.factory(
    "casegraph_span_trim",
    default_config={"leading": LEADING, "by_label": BY_LABEL, "untrimmed": UNTRIMMED},
)
def make_span_trim(
    nlp: Language, name: str, leading: list[str], by_label: dict[str, list[str]], untrimmed: list[str]
) -> Any:
    lead = set(leading)
    extra = {label: set(words) for label, words in by_label.items()}
    skip = set(untrimmed)

    def trimmable(tok: Any, words: set[str]) -> bool:
        if tok.is_punct or tok.is_space or tok.lower_ in lead or tok.lower_ in words:
            return True
        return "#NUM" in words and tok.like_num

    def trim(doc: Doc) -> Doc:
        model = {(s, e, lab) for s, e, lab in doc._.casegraph_model_ents or []}
        changed = _restore_longer(doc, model)
        ents: list[Span] = []
        for ent in doc.ents:
            start, end = ent.start, ent.end
            if ent.label_ == "MONEY" and start > 0 and doc[start - 1].is_currency and not doc[start - 1].ent_type:
                start -= 1  # spaCy's models leave the sign out ("$" + "250,000"); the graph wants it
            elif ent.label_ == "PERSON":
                start, end = _person_bounds(doc, start, end, ents[-1] if ents else None)
                if start < ent.start and ents and ents[-1].end > start:
                    ents.pop()  # the form's surname the NER typed on its own ("ORTIZ" as ORG) joins the name
                if start < end and doc[end - 1].lower_ in ORG_HEADS and end - start > 1:
                    ents.append(Span(doc, start, end, label="ORG"))  # "Narcotics and Gang Unit" is no person
                    changed = True
                    continue
            elif ent.label_ in TITLED_MISTYPES and _titled_name(ent):
                # "SA Daniel Okafor", "Trooper Whitcomb" as ORG: a police or court title makes a person.
                start, end = _person_bounds(doc, start, end)
                ents.append(Span(doc, start, end, label="PERSON"))
                changed = True
                continue
            elif ent.label_ not in skip:
                start, end = _trimmed(doc, start, end, extra.get(ent.label_, set()), trimmable)
            if (start, end) == (ent.start, ent.end):
                ents.append(ent)
                continue
            changed = True
            if start < end:
                span = Span(doc, start, end, label=ent.label, kb_id=ent.kb_id, span_id=ent.id)
                if (ent.start_char, ent.end_char, ent.label_) in model:
                    model.add((span.start_char, span.end_char, span.label_))
                ents.append(span)
        if changed:
            doc.ents = ents
            doc._.casegraph_model_ents = [list(m) for m in model]
        return doc

    return trim


def _trimmed(doc: Doc, start: int, end: int, words: set[str], trimmable: Any) -> tuple[int, int]:
    while start < end and trimmable(doc[start], words):
        start += 1
    while end > start and (
        doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].tag_ == "POS" or doc[end - 1].lower_ in TRAILING
    ):
        if doc[end - 1].text == "." and end - start > 1 and not doc[end - 2].is_punct:
            break  # "Co." / "Jr." keep their period
        end -= 1
    return start, end


def _person_bounds(doc: Doc, start: int, end: int, before: Span | None = None) -> tuple[int, int]:
    """A PERSON span without layout debris, grown over an inverted surname ("PRICE, Jamal Dwayne")
    or a surname the NER left out of an all-capitals name ("JAMAL DWAYNE PRICE,"). `before` is the
    entity kept just before this one."""
    for i in range(start + 1, end - 1):  # cut at a free-standing separator, keep the part with a name
        tok = doc[i]
        if tok.text in NAME_BREAKS and doc[i - 1].whitespace_ and tok.whitespace_:
            if any(_name_word(t) for t in doc[start:i]):
                end = i
            else:
                start = i + 1
            break
    for i in range(start + 1, end - 1):  # a title starts a name: "Little J. Det. Alvarez" → "Det. Alvarez"
        if _title(doc[i]) and not _title(doc[i - 1]):
            start = i
            break
    if (end - start > 3 and doc[start + 1].text not in QUOTES and any(t.text in QUOTES for t in doc[start:end])
            and doc.has_annotation("TAG") and doc[start].pos_ not in ("PROPN", "")):
        start += 1  # 'Arrest Victor "Vic" Kessler': the quoted-nickname pattern took the verb before the name
    while start < end and _debris(doc[start]):
        start += 1
    while end > start and (_debris(doc[end - 1]) or doc[end - 1].is_lower or doc[end - 1].tag_ == "POS"
                           or _title(doc[end - 1])):  # "Tasha Greene Det." (the next name's title)
        if doc[end - 1].text == "." and end - start > 1 and _abbreviation(doc[end - 2]):
            break  # "Jr." and "J." keep their period
        end -= 1
    if start == end:
        return start, end
    words = doc[start:end]
    if (start >= 2 and doc[start - 1].text == "," and _form_surname(doc, start - 2, before) and end - start <= 3
            and all(t.is_title for t in words)):
        start -= 2  # "PRICE, Jamal Dwayne": a form's SURNAME, Given names
    elif (end < len(doc) - 1 and all(t.is_upper and t.is_alpha for t in words) and _free_caps(doc[end])
          and end - start <= 3 and (doc[end + 1].is_punct or "\n" in doc[end].whitespace_ + doc[end + 1].text)):
        end += 1
    return start, end


def _titled_name(ent: Span) -> bool:
    """A title and then one to three capitalised name words: "SA Daniel Okafor", "Trooper Whitcomb"."""
    words = [t for t in ent if not t.is_punct]
    if not 2 <= len(words) <= 5 or words[0].lower_.rstrip(".") not in PERSON_TITLES:
        return False
    names = [t for t in words[1:] if t.lower_.rstrip(".") not in PERSON_TITLES]
    return 1 <= len(names) <= 3 and all(t.is_title and t.is_alpha and t.lower_ not in ORG_HEADS for t in names)


def _name_word(tok: Any) -> bool:
    return tok.is_alpha and not tok.is_lower and tok.lower_ not in FORM_LABELS


def _debris(tok: Any) -> bool:
    text = tok.text
    return (tok.is_punct or tok.is_space or not any(c.isalpha() for c in text) or any(c.isdigit() for c in text)
            or tok.lower_ in TRAILING or tok.lower_ in FORM_LABELS
            or (tok.is_lower and tok.lower_ not in NAME_PARTICLES))


def _abbreviation(tok: Any) -> bool:
    return (len(tok.text) == 1 and tok.is_alpha) or tok.lower_ in ("jr", "sr", "st")


def _form_surname(doc: Doc, i: int, entity: Span | None) -> bool:
    """An all-capitals surname before "Given names": free, or (when the NER typed it on its own,
    as it does "ORTIZ") right after a field label or at the start of a line: "Name: ORTIZ, Luis"."""
    tok = doc[i]
    if _free_caps(tok):
        return True
    before = doc[i - 1] if i > 0 else None
    at_field = (before is None or before.text in (":", ";") or before.lower_ in FORM_LABELS
                or "\n" in before.text_with_ws)
    alone = entity is not None and (entity.start, entity.end) == (i, i + 1)
    return (at_field and alone and tok.is_alpha and tok.is_upper and len(tok.text) >= 2
            and tok.lower_ not in FORM_LABELS)


def _free_caps(tok: Any) -> bool:
    """An all-capitals word outside any entity: a surname in a form's layout."""
    return tok.is_alpha and tok.is_upper and len(tok.text) >= 2 and not tok.ent_type_ and tok.lower_ not in FORM_LABELS


def _restore_longer(doc: Doc, model: set[tuple[int, int, str]]) -> bool:
    """The ruler overwrites overlapping entities; undo that where the model's entity strictly
    contains the ruler's matches and has their label — the model found the longer name."""
    current = list(doc.ents)
    present = {(e.start_char, e.end_char, e.label_) for e in current}
    changed = False
    for start, end, label in sorted(model - present):
        inside = [e for e in current if start <= e.start_char and e.end_char <= end]
        crossing = [e for e in current if e.start_char < end and start < e.end_char and e not in inside]
        if not inside or crossing or any(e.label_ != label for e in inside):
            continue
        span = doc.char_span(start, end, label=label)
        if span is None:
            continue
        current = [e for e in current if e not in inside] + [span]
        changed = True
    if changed:
        doc.ents = sorted(current, key=lambda e: e.start)
    return changed
