"""Score the Russian NER (`nlp.russian.analyze_russian`) on factRuEval-2016.

    casegraph report russian [--data DIR] [--limit N] [--locorg location|either|ignore] [--out FILE]

Gold spans follow the convention natasha's own factRuEval scoring (Nerus/naeval) uses, since the
corpus annotates objects, not flat spans: a Person is the extent of its name parts (first name,
surname, patronymic, nickname); an Org is each of its `org_name` spans; a Location or LocOrg is
each of its `loc_name` spans. Descriptors ("мэрии", "площади") are not part of the gold span, so
the partial-overlap score shows how much of the exact-match loss is boundaries alone.

LocOrg (a place acting as an organisation: "Москва решила...") is a Location by default, as
natasha tags it. `--locorg either` accepts an Org prediction on the same span instead, `ignore`
drops it and does not count a prediction that lands on it.

The corpus's coreference file gives each entity's normal form ("Юрий Лужков"); a mention whose
span matches exactly has a correct normalised name when its words are among those.
Source: factRuEval-2016 (dialogue-evaluation), MIT licence.
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from casegraph.eval.datasets import EvalDataError, factrueval_devset
from casegraph.eval.scoring import Fractions

if TYPE_CHECKING:
    from rich.table import Table

TYPES = ("Person", "Org", "Location")
# casegraph types → factRuEval types; the custom types (DRUG, ...) are not annotated there.
PREDICTED = {"PERSON": "Person", "ORG": "Org", "GPE": "Location", "LOC": "Location"}
NAME_PARTS = {
    "Person": {"name", "surname", "patronymic", "nickname"},
    "Org": {"org_name"},
    "Location": {"loc_name"},
    "LocOrg": {"loc_name"},
}
LocOrgMode = Literal["location", "either", "ignore"]
LOCORG_MODES: tuple[str, ...] = get_args(LocOrgMode)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str
    names: frozenset[str] = frozenset()  # gold: the entity's normal-form words; predicted: empty
    normalized: str = ""

    def overlap(self, other: Span) -> int:
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass
class FactDocument:
    id: str
    text: str
    gold: list[Span]


def _dedupe(spans: Iterable[Span]) -> list[Span]:
    """One span per (start, end, type): several objects can share a name part."""
    unique: dict[tuple[int, int, str], Span] = {}
    for span in spans:
        unique.setdefault((span.start, span.end, span.type), span)
    return sorted(unique.values(), key=lambda s: (s.start, s.end, s.type))


def _words(name: str) -> set[str]:
    return set(name.lower().replace("ё", "е").split())


def _coref_names(path: Path) -> dict[str, frozenset[str]]:
    """object id → words of its entity's normal forms, from a `.coref` file (blocks of
    "<entity> <object ids...>" followed by "<attribute> <value>" lines)."""
    names: dict[str, frozenset[str]] = {}
    if not path.exists():
        return names
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        object_ids = lines[0].split()[1:]
        words: set[str] = set()
        for line in lines[1:]:
            _attribute, _, value = line.partition(" ")
            words |= _words(value)
        for object_id in object_ids:
            names[object_id] = frozenset(words)
    return names


def load_document(txt: Path) -> FactDocument:
    """One devset document: its text and gold spans (see the module docstring for the rule)."""
    text = txt.read_text(encoding="utf-8")
    spans: dict[str, tuple[str, int, int]] = {}
    for line in txt.with_suffix(".spans").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4:
            span_id, kind, start, length = parts[0], parts[1], int(parts[2]), int(parts[3])
            spans[span_id] = (kind, start, start + length)
    names = _coref_names(txt.with_suffix(".coref"))
    gold: list[Span] = []
    for line in txt.with_suffix(".objects").read_text(encoding="utf-8").splitlines():
        head = line.split("#", 1)[0].split()
        if len(head) < 3 or head[1] not in NAME_PARTS:
            continue
        object_id, kind, span_ids = head[0], head[1], head[2:]
        bounds = [spans[i][1:] for i in span_ids if i in spans and spans[i][0] in NAME_PARTS[kind]]
        if not bounds:
            continue
        entity_names = names.get(object_id, frozenset())
        if kind == "Person":
            gold.append(Span(min(b[0] for b in bounds), max(b[1] for b in bounds), kind, entity_names))
        else:
            gold.extend(Span(b[0], b[1], kind, entity_names) for b in bounds)
    return FactDocument(id=txt.stem, text=text, gold=_dedupe(gold))


def load_devset(directory: Path, limit: int | None = None) -> list[FactDocument]:
    paths = sorted(directory.glob("book_*.txt"), key=lambda p: int(p.stem.split("_")[1]))
    if not paths:
        raise EvalDataError(f"no factRuEval book_*.txt files in {directory}")
    return [load_document(p) for p in paths[:limit]]


def predict(text: str) -> list[Span]:
    from nlp.russian import analyze_russian

    return [
        Span(m.start, m.end, PREDICTED[m.type], normalized=m.normalized)
        for m in analyze_russian(text).mentions
        if m.type in PREDICTED
    ]


def predict_natasha_only(text: str) -> list[Span]:
    """Bare natasha NER spans, without casegraph's splitting, name rules or phrase lists: the
    baseline that shows what `analyze_russian` adds."""
    from nlp.russian import natasha_models

    kinds = {"PER": "Person", "ORG": "Org", "LOC": "Location"}
    return [Span(s.start, s.stop, kinds[s.type]) for s in natasha_models().ner_tagger(text).spans]


def resolve_locorg(gold: list[Span], predicted: list[Span], mode: LocOrgMode) -> tuple[list[Span], list[Span]]:
    """Gold spans with LocOrg turned into Location or Org, and the predictions left to score."""
    if mode == "ignore":
        locorg = [g for g in gold if g.type == "LocOrg"]
        kept_gold = [g for g in gold if g.type != "LocOrg"]
        kept_pred = [
            p for p in predicted if not any(p.overlap(g) for g in locorg) or any(p.overlap(g) for g in kept_gold)
        ]
        return kept_gold, kept_pred
    resolved = []
    for g in gold:
        if g.type == "LocOrg":
            as_org = mode == "either" and any(
                p.type == "Org" and (p.start, p.end) == (g.start, g.end) for p in predicted
            )
            g = Span(g.start, g.end, "Org" if as_org else "Location", g.names)
        resolved.append(g)
    return _dedupe(resolved), predicted


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    partial_gold: int = 0  # gold spans overlapped by a same-type prediction (one-to-one)
    partial_predicted: int = 0
    norm_checked: int = 0
    norm_correct: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _partial_matches(gold: list[Span], predicted: list[Span]) -> int:
    """One-to-one matching of overlapping spans, largest overlap first."""
    pairs = sorted(
        ((g.overlap(p), i, j) for i, g in enumerate(gold) for j, p in enumerate(predicted) if g.overlap(p)),
        reverse=True,
    )
    used_g, used_p = set(), set()
    for _overlap, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
    return len(used_g)


def score_document(gold: list[Span], predicted: list[Span]) -> dict[str, Counts]:
    counts = {t: Counts() for t in TYPES}
    for t in TYPES:
        g = [s for s in gold if s.type == t]
        p = [s for s in predicted if s.type == t]
        c = counts[t]
        c.gold, c.predicted = len(g), len(p)
        by_span = {(s.start, s.end): s for s in g}
        for s in p:
            match = by_span.get((s.start, s.end))
            if match is None:
                continue
            c.exact += 1
            if match.names and s.normalized:
                c.norm_checked += 1
                c.norm_correct += _words(s.normalized) <= match.names
        c.partial_gold = c.partial_predicted = _partial_matches(g, p)
    return counts


@dataclass
class Report:
    documents: int
    locorg: str
    system: str
    seconds: float
    counts: dict[str, Counts] = field(default_factory=dict)

    def rows(self) -> Iterable[tuple[str, Counts]]:
        total = Counts()
        for t in TYPES:
            total.add(self.counts[t])
            yield t, self.counts[t]
        yield "micro", total

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "dataset": "factRuEval-2016 devset",
            "system": self.system,
            "documents": self.documents,
            "locorg": self.locorg,
            "seconds": round(self.seconds, 2),
        }
        for name, c in self.rows():
            out[name] = {
                "gold": c.gold,
                "predicted": c.predicted,
                "exact": Fractions(c.exact, c.predicted, c.exact, c.gold).score.as_dict(),
                "partial": Fractions(c.partial_predicted, c.predicted, c.partial_gold, c.gold).score.as_dict(),
                "normalized_accuracy": round(c.norm_correct / c.norm_checked, 4) if c.norm_checked else None,
                "normalized_checked": c.norm_checked,
            }
        return out


def evaluate(
    directory: Path | None = None,
    limit: int | None = None,
    locorg: LocOrgMode = "location",
    natasha_only: bool = False,
) -> Report:
    """Score the Russian NER (or bare natasha) on the devset (default: the configured shared data's)."""
    if locorg not in LOCORG_MODES:
        raise ValueError(f"locorg must be one of {', '.join(LOCORG_MODES)}, not {locorg!r}")
    documents = load_devset(directory or factrueval_devset(), limit)
    predictor = predict_natasha_only if natasha_only else predict
    started = time.perf_counter()
    counts: dict[str, Counts] = defaultdict(Counts)
    for doc in documents:
        gold, predicted = resolve_locorg(doc.gold, predictor(doc.text), locorg)
        for t, c in score_document(gold, predicted).items():
            counts[t].add(c)
    return Report(
        documents=len(documents),
        locorg=locorg,
        system="natasha NER alone" if natasha_only else "nlp.russian.analyze_russian",
        seconds=time.perf_counter() - started,
        counts=dict(counts),
    )


def table(report: Report) -> Table:
    from rich.table import Table

    out = Table(
        title=f"factRuEval-2016 devset, {report.system}: {report.documents} documents, "
        f"LocOrg as {report.locorg}, {report.seconds:.1f} s",
        caption="P/R/F1: exact span and type; P~/R~/F1~: overlapping span, same type (one-to-one).",
        caption_justify="left",
    )
    for column in ("type", "gold", "pred", "P", "R", "F1", "P~", "R~", "F1~", "norm acc"):
        out.add_column(column, justify="left" if column == "type" else "right", no_wrap=True)
    data = report.as_dict()
    for name, _counts in report.rows():
        row = data[name]
        assert isinstance(row, dict)
        exact, partial, norm = row["exact"], row["partial"], row["normalized_accuracy"]
        out.add_row(
            name,
            str(row["gold"]),
            str(row["predicted"]),
            *(f"{exact[k]:.3f}" for k in ("precision", "recall", "f1")),
            *(f"{partial[k]:.3f}" for k in ("precision", "recall", "f1")),
            "-" if norm is None else f"{norm:.3f}",
        )
    return out


def write_json(report: Report, path: Path | None = None) -> Path:
    """The report as JSON (default: <work_dir>/reports/factrueval_ru.json)."""
    if path is None:
        from casegraph.core.settings import get_settings

        path = get_settings().work_dir / "reports" / "factrueval_ru.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return path
