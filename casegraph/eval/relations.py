"""Typed relation extraction scored on the realcases relation gold (`part<N>_relations.tsv`).

A relation is the tuple (document, head entity, predicate, tail entity); each document's gold and
predicted tuples are sets, so a relation stated three times counts once. Entities are the gold's:
a predicted mention is the gold entity whose mention span it overlaps (the longest overlap wins),
named by its part-local id (`part1:ms13`), or by its lower-cased text (`surface:racketeering`) for
a gold span without an id; a mention that overlaps no gold span matches nothing. A coreference
mention stands for the mention it joins. Symmetric predicates (associate_of, rival_of) match in
either direction.

Two modes:
- `gold`: the gold entity spans replace the NER's, so the figure is relation extraction alone;
- `predicted`: the whole pipeline, end to end (NER misses and boundary errors cost relations too).

The split is the entity evaluation's (`nlp.training.realcases`): tune on train and dev, never test.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from casegraph.core.domain import load_domain
from casegraph.eval.scoring import Counts, micro
from nlp.training.formats import AnnotatedText
from nlp.training.realcases import DEFAULT_DIR, read_realcases

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

Mode = Literal["gold", "predicted"]
MODES: tuple[Mode, ...] = ("gold", "predicted")
Tuple4 = tuple[str, str, str, str]  # (document, head, predicate, tail)
EXTRACT = "casegraph_extract"
# Components that read the entities: in gold mode they run after the gold spans are set.
_AFTER_ENTITIES = ("casegraph_coref", EXTRACT)


@dataclass(frozen=True)
class GoldRelation:
    doc_id: str
    head: str
    predicate: str
    tail: str
    evidence: str


@dataclass
class RelationReport:
    split: str
    documents: int
    modes: dict[str, dict[str, Counts]] = field(default_factory=dict)  # mode → predicate → counts
    errors: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # mode → a sample of misses

    def micro(self, mode: str) -> Counts:
        return micro(self.modes[mode].values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "documents": self.documents,
            "modes": {
                mode: {"micro": self.micro(mode).summary(),
                       "predicates": {p: c.summary() for p, c in sorted(per.items())}}
                for mode, per in self.modes.items()
            },
        }


def entity_name(part: str, ident: str) -> str:
    """A gold entity reference of the TSV as an entity key: `ms13` → `part1:ms13`; `surface:X` → `surface:x`."""
    if ident.startswith("surface:"):
        return "surface:" + ident[len("surface:"):].strip().lower()
    return f"{part}:{ident}"


def read_relation_gold(directory: Path = DEFAULT_DIR) -> dict[str, list[GoldRelation]]:
    """Gold relations by document id, entity references made document-independent (see entity_name)."""
    relations = load_domain().relations
    out: dict[str, list[GoldRelation]] = {}
    for tsv in sorted(Path(directory).glob("part*_relations.tsv")):
        part = tsv.name.removesuffix("_relations.tsv")
        with tsv.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                predicate = (row.get("relation") or "").strip()
                if predicate not in relations:
                    log.warning("%s: predicate %r is not in the relation set: skipped", tsv.name, predicate)
                    continue
                out.setdefault(row["doc_id"], []).append(GoldRelation(
                    row["doc_id"], entity_name(part, row["head"]), predicate, entity_name(part, row["tail"]),
                    row.get("evidence") or ""))
    return out


def normalise(doc_id: str, head: str, predicate: str, tail: str) -> Tuple4:
    if load_domain().relations[predicate].symmetric and tail < head:
        head, tail = tail, head
    return (doc_id, head, predicate, tail)


def gold_entities(doc: AnnotatedText) -> list[tuple[int, int, str, str]]:
    """(start, end, label, entity key) of each gold span."""
    ids = doc.meta.get("entities") or [None] * len(doc.spans)  # already part-prefixed: "part1:ms13"
    return [(s.start, s.end, s.label, e or "surface:" + doc.text[s.start:s.end].strip().lower())
            for s, e in zip(doc.spans, ids, strict=True)]


def match_entity(start: int, end: int, gold: list[tuple[int, int, str, str]]) -> str | None:
    best, overlap = None, 0
    for g_start, g_end, _label, key in gold:
        size = min(end, g_end) - max(start, g_start)
        if size > overlap:
            best, overlap = key, size
    return best


def _run(nlp: Language, doc: AnnotatedText, mode: Mode) -> Doc:
    if mode == "predicted":
        return nlp(doc.text)
    sdoc = nlp.make_doc(doc.text)
    placed = False
    for name, proc in nlp.pipeline:
        if name in _AFTER_ENTITIES and not placed:
            sdoc.ents = _gold_spans(sdoc, doc)
            placed = True
        sdoc = proc(sdoc)
    return sdoc


def _gold_spans(sdoc: Doc, doc: AnnotatedText) -> list[Any]:
    from spacy.util import filter_spans

    spans = []
    for s in doc.spans:
        span = sdoc.char_span(s.start, s.end, label=s.label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return filter_spans(spans)


def predicted_relations(nlp: Language, doc: AnnotatedText, mode: Mode) -> set[Tuple4]:
    """The document's typed relations as gold-entity tuples (co-occurrence aside)."""
    relations = load_domain().relations
    data = _run(nlp, doc, mode)._.casegraph
    gold = gold_entities(doc)
    mentions = data["mentions"]

    def key_of(idx: int) -> str | None:
        seen = 0
        while mentions[idx][7] is not None and seen < 8:  # coreference / alias: the mention it joins
            idx, seen = mentions[idx][7], seen + 1
        return match_entity(mentions[idx][1], mentions[idx][2], gold)

    out: set[Tuple4] = set()
    doc_id = doc.meta["id"]
    for src, tgt, predicate, *_rest in data["relations"]:
        if predicate not in relations:
            continue
        head, tail = key_of(src), key_of(tgt)
        if head and tail and head != tail:
            out.add(normalise(doc_id, head, predicate, tail))
    return out


def evaluate_relations(
    directory: Path = DEFAULT_DIR,
    split: str = "dev",
    *,
    nlp: Language | None = None,
    modes: Iterable[Mode] = MODES,
    documents: list[str] | None = None,
) -> RelationReport:
    """Score typed relations on one split of realcases, per predicate and micro, in each mode."""
    if nlp is None:
        from nlp.loader import load_pipeline

        nlp = load_pipeline(linking=False)
    docs = read_realcases(directory, split)
    if documents:
        docs = [d for d in docs if d.meta["id"] in documents]
    gold_by_doc = read_relation_gold(directory)
    predicates = sorted(load_domain().relations)
    report = RelationReport(split=split, documents=len(docs))
    for mode in modes:
        per: dict[str, Counts] = {p: Counts() for p in predicates}
        misses: list[dict[str, str]] = []
        for doc in docs:
            doc_id = doc.meta["id"]
            gold = {normalise(doc_id, g.head, g.predicate, g.tail) for g in gold_by_doc.get(doc_id, [])}
            predicted = predicted_relations(nlp, doc, mode)
            for p in predicates:
                per[p] += Counts.of_sets({t for t in gold if t[2] == p}, {t for t in predicted if t[2] == p})
            misses += [{"kind": "fp", "doc": t[0], "head": t[1], "predicate": t[2], "tail": t[3]}
                       for t in sorted(predicted - gold)]
            misses += [{"kind": "fn", "doc": t[0], "head": t[1], "predicate": t[2], "tail": t[3]}
                       for t in sorted(gold - predicted)]
        report.modes[mode] = per
        report.errors[mode] = misses
    return report


def format_report(report: RelationReport) -> str:
    lines = [f"realcases {report.split}: {report.documents} documents"]
    for mode, per in report.modes.items():
        total = report.micro(mode)
        lines.append(f"\n{mode} entities: micro P {total.precision:.3f} R {total.recall:.3f} F1 {total.f1:.3f} "
                     f"(tp {total.tp}, fp {total.fp}, fn {total.fn})")
        lines.append(f"  {'predicate':<14} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}")
        for p, c in sorted(per.items()):
            lines.append(f"  {p:<14} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.gold:5d} {c.predicted:5d}")
    return "\n".join(lines)


TABLE_COLUMNS = ["predicate", "P", "R", "F1", "gold", "predicted"]
MODE_TITLES = {"gold": "gold entity spans (relation extraction alone)", "predicted": "predicted entities (end to end)"}


def relation_tables(directory: Path, split: str = "dev", model: str = "en_core_web_md") -> list[Any]:
    """The quality report's relation tables: one per mode, per predicate and micro."""
    import time

    from casegraph.core.tables import ReportTable
    from nlp.loader import load_pipeline

    started = time.perf_counter()
    report = evaluate_relations(directory, split, nlp=load_pipeline(model, linking=False))
    seconds = (time.perf_counter() - started) / max(1, len(report.modes))
    tables = []
    for mode, per in report.modes.items():
        total = report.micro(mode)
        rows = [[p, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.gold), str(c.predicted)]
                for p, c in sorted(per.items())]
        rows.append(["**micro**", f"**{total.precision:.3f}**", f"**{total.recall:.3f}**", f"**{total.f1:.3f}**",
                     str(total.gold), str(total.predicted)])
        tables.append(ReportTable(
            title=f"Typed relations — realcases {split} — {MODE_TITLES[mode]} — {model} + casegraph ruler",
            command=f"casegraph nlp evaluate-relations --data {directory} --split {split} --mode {mode}",
            columns=TABLE_COLUMNS,
            rows=rows,
            notes=[f"{report.documents} documents; tuples (document, head entity, predicate, tail entity), each "
                   "counted once per document; associate_of and rival_of match either way. Target: micro F1 "
                   "≥ 0.60 with precision ≥ 0.75."],
            seconds=seconds,
        ))
    return tables
