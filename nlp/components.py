"""casegraph's spaCy components (registered on import; config-driven like spaCy's own).

- `casegraph_model_ents` (right after `ner`): remembers which entities the statistical model found,
  so each mention can say whether it came from the model or the ruler.
- `casegraph_span_trim` (after the ruler): gives back a model entity that the ruler cut short
  (the model's "Stone Hill Bloods" beats the ruler's "Bloods" when both say GANG_ORG), then trims
  determiners, possessives, quantities ("3 grams of ice" → "ice") and plate words from spans.
- `casegraph_name_propagation` (after trimming): a word of a full person name found in the document
  is that person wherever it stands alone ("Mendez" at the start of a sentence the NER missed).
- `casegraph_extract` (last): turns the annotated `Doc` into plain data in `doc._.casegraph` —
  sentences, typed mentions, relations — inside the worker process, so `nlp.pipe(n_process=N)`
  ships back small results and the main process only builds the pydantic contract.

Coreference seam: any component placed before `casegraph_extract` may set
`doc._.coref_clusters = [[(start_char, end_char), ...], ...]`. Spans of a cluster that contains a
named mention become mentions of that entity with source "coref".
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from casegraph.core.domain import load_domain

from .keys import ORG_HEADS, TITLES
from .labels import graph_labels
from .relations import find_alias, sentence_relations

for _name in ("casegraph_model_ents", "casegraph", "coref_clusters"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

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
# Form and log layouts glue field labels, times and table cells to names ("Name: ORTIZ",
# "16:30 Kessler", "Owen Fisk A-07,2024-03-21", "Mendez et al."). A person's name never starts or
# ends with a word holding a digit, a lower-case word (other than a name particle) or a field label.
NAME_PARTICLES = frozenset({"de", "del", "della", "la", "le", "da", "di", "du", "van", "von", "der", "den",
                            "ter", "bin", "ibn", "al", "el", "y"})
FORM_LABELS = frozenset({"name", "names", "suspect", "subject", "subjects", "defendant", "defendants",
                         "victim", "witness", "dob", "d.o.b.", "address", "sex", "race", "age", "aka",
                         "a.k.a.", "item", "items", "re", "attn", "cc", "to", "from", "signed", "date"})
QUOTES = frozenset({'"', "“", "”"})
# Labels the NER gives a titled name it does not know ("SA Okafor" ORG), and the titles that make one a
# person (police and court titles only: "General Motors" and "Dr Pepper" stay what they are).
TITLED_MISTYPES = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART"})
PERSON_TITLES = frozenset({"det", "detective", "officer", "ofc", "sgt", "sergeant", "lt", "lieutenant", "trooper",
                           "tpr", "sa", "agent", "deputy", "sheriff", "judge", "inspector", "constable", "mr", "mrs",
                           "ms", "ada", "da", "attorney"})
# A free-standing separator inside a "name" ends it: "Rebecca Hollis - Case 24-001873".
NAME_BREAKS = frozenset({"-", "–", "—", "|", ":", ";", "/", "•"})


@Language.factory("casegraph_model_ents")
def make_model_ents(nlp: Language, name: str) -> Any:
    def mark(doc: Doc) -> Doc:
        doc._.casegraph_model_ents = [[e.start_char, e.end_char, e.label_] for e in doc.ents]
        return doc

    return mark


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


def _title(tok: Any) -> bool:
    return tok.text.endswith(".") and len(tok.text) > 2 and tok.lower_.rstrip(".") in TITLES


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


@Language.factory("casegraph_extract", default_config={"co_occurrence": None})
def make_extract(nlp: Language, name: str, co_occurrence: str | None) -> Any:
    predicate = co_occurrence or load_domain().co_occurrence
    return lambda doc: extract(doc, predicate)


def extract(doc: Doc, co_occurrence: str) -> Doc:
    """Fill `doc._.casegraph` with {"sentences": [[start, end]], "mentions": [...], "relations": [...]}.

    A mention is [sentence, start_char, end_char, label, source, canonical, kb_id, ref]: `canonical`
    is the ruler pattern's id (or None), `ref` the index of the mention whose entity this one joins
    (coreference and aliases) or None. A relation is [source, target, predicate, confidence, sentence].
    """
    keep = graph_labels()
    model = {(s, e, lab) for s, e, lab in doc._.casegraph_model_ents or []}
    all_sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    sents = [s for s in all_sents if s.text and not s.text.isspace()]
    sent_of = {}
    for i, sent in enumerate(sents):
        for tok in sent:
            sent_of[tok.i] = i
    mentions: list[list[Any]] = []
    spans: list[Span] = []
    for ent in doc.ents:
        if ent.label_ not in keep or ent.start not in sent_of:
            continue
        source = "model" if (ent.start_char, ent.end_char, ent.label_) in model else "ruler"
        canonical = ent.ent_id_ or None
        mentions.append(
            [
                sent_of[ent.start],
                ent.start_char,
                ent.end_char,
                ent.label_,
                source,
                canonical,
                ent.kb_id_ or None,
                None,
            ]
        )
        spans.append(ent)
    aliases = _aliases(doc, sents, sent_of, mentions, spans)
    _apply_coref(doc, sent_of, mentions, spans)
    relations: list[list[Any]] = []
    by_sent: dict[int, list[int]] = {}
    for idx, m in enumerate(mentions):
        by_sent.setdefault(m[0], []).append(idx)
    for s_idx, idxs in by_sent.items():
        if len(idxs) < 2:
            continue
        idxs.sort(key=lambda i: mentions[i][1])
        local = {g: n for n, g in enumerate(idxs)}
        local_aliases = {local[a]: local[p] for a, p in aliases.items() if a in local and p in local}
        for rel in sentence_relations(sents[s_idx], [spans[i] for i in idxs], co_occurrence, local_aliases):
            relations.append([idxs[rel.source], idxs[rel.target], rel.predicate, rel.confidence, s_idx])
    doc._.casegraph = {
        "sentences": [[s.start_char, s.end_char] for s in sents],
        "mentions": mentions,
        "relations": relations,
    }
    return doc


def _aliases(
    doc: Doc, sents: list[Span], sent_of: dict[int, int], mentions: list[list[Any]], spans: list[Span]
) -> dict[int, int]:
    """Find "X, also known as Y" and make Y a mention of X's type; returns {alias idx: X idx}."""
    found: dict[int, int] = {}
    text = doc.text  # built from the tokens on every access: once here
    for idx in range(len(spans)):
        span, m = spans[idx], mentions[idx]
        if m[3] not in ("PERSON", "GANG_ORG", "ORG", "DRUG") or m[4] == "coref":
            continue
        hit = find_alias(text, span.end_char, sents[m[0]].end_char)
        if hit is None:
            continue
        start, end = hit
        existing = next((i for i, o in enumerate(mentions) if o[1] < end and start < o[2] and i != idx), None)
        if existing is not None:
            mentions[existing][3] = m[3]  # the NER's guess ("El Flaco" as GPE) yields to X's type
            found[existing] = idx
            continue
        alias_span = doc.char_span(start, end, alignment_mode="expand")
        if alias_span is None or alias_span.start not in sent_of:
            continue
        mentions.append([m[0], alias_span.start_char, alias_span.end_char, m[3], "pattern", None, None, None])
        spans.append(alias_span)
        found[len(mentions) - 1] = idx
    return found


def _apply_coref(doc: Doc, sent_of: dict[int, int], mentions: list[list[Any]], spans: list[Span]) -> None:
    clusters = doc._.coref_clusters or []
    for cluster in clusters:
        members = []  # (cluster span, index of the named mention it coincides with, or None)
        for start, end in cluster:
            hit = next((i for i, m in enumerate(mentions) if m[1] < end and start < m[2] and m[4] != "coref"), None)
            members.append((start, end, hit))
        named = [h for _s, _e, h in members if h is not None]
        if not named:
            continue
        # The cluster's entity: its most frequent named type, first mention of that type.
        types = [mentions[h][3] for h in named]
        label = max(set(types), key=types.count)
        head = next(h for h in named if mentions[h][3] == label)
        for start, end, hit in members:
            if hit is not None:
                if hit != head and mentions[hit][3] == label and mentions[hit][7] is None:
                    mentions[hit][7] = head
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or span.start not in sent_of:
                continue
            mentions.append([sent_of[span.start], span.start_char, span.end_char, label, "coref", None, None, head])
            spans.append(span)
