"""Scoring canonical entity resolution: pairwise and B³ precision/recall of a mention → entity
assignment, and the fixture-set evaluation behind `casegraph report resolution` (and a table of
`casegraph report quality --only resolution`)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casegraph.eval.datasets import EvalDataError
from casegraph.eval.scoring import f1, ratio
from nlp.resolution import KnownEntities, KnownEntity, Resolver

if TYPE_CHECKING:
    from rich.table import Table

    from nlp.kb.store import KnowledgeBase


@dataclass(frozen=True)
class MentionCase:
    doc: str
    type: str
    name: str
    entity: str  # gold entity id
    kb_id: str | None = None


@dataclass(frozen=True)
class ResolutionScores:
    pairwise_p: float
    pairwise_r: float
    b3_p: float
    b3_r: float
    mentions: int
    entities: int

    @property
    def pairwise_f1(self) -> float:
        return f1(self.pairwise_p, self.pairwise_r)

    @property
    def b3_f1(self) -> float:
        return f1(self.b3_p, self.b3_r)


def load_fixture(path: Path) -> tuple[KnownEntities, list[MentionCase]]:
    """A JSON fixture: {"known": [...], "redirects": {...}, "splits": {...}, "mentions": [...]}."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        known = KnownEntities(
            entities=[KnownEntity(e["key"], e["type"], e["name"], tuple(e.get("aliases", ()))) for e in raw["known"]],
            redirects=dict(raw.get("redirects", {})),
            splits={k: set(v) for k, v in raw.get("splits", {}).items()},
        )
        mentions = [MentionCase(**m) for m in raw["mentions"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # JSONDecodeError is a ValueError
        raise EvalDataError(f"{path} is not a resolution fixture ({type(exc).__name__}: {exc})",
                            hint='expected {"known": [...], "mentions": [...]} as in casegraph/eval/data/') from exc
    return known, mentions


def score_resolution(
    mentions: list[MentionCase],
    known: KnownEntities,
    kb: KnowledgeBase | None = None,
    threshold: float = 92.0,
) -> tuple[ResolutionScores, list[str]]:
    """Resolve the mentions document by document (in file order, as ingestion would) and score
    the mention → key assignment against the gold entities: pairwise and B³ precision/recall."""
    resolver = Resolver(known, kb=kb, threshold=threshold)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_doc[m.doc].append(i)
    keys: list[str] = [""] * len(mentions)
    for idxs in by_doc.values():
        names: dict[str, list[str]] = defaultdict(list)
        for i in idxs:
            names[mentions[i].type].append(mentions[i].name)
        for i in idxs:
            m = mentions[i]
            keys[i] = resolver.resolve(m.type, m.name, names[m.type], m.kb_id)
    # Merges made after a mention was keyed apply to it too, as re-keying in the graph does.
    keys = [resolver.canonical(k) for k in keys]
    gold = [m.entity for m in mentions]
    scores = _pair_and_b3(gold, keys)
    # A mention is wrong when it is not on the key most of its entity's mentions got.
    majority: dict[str, str] = {}
    for entity in set(gold):
        got = [keys[i] for i, g in enumerate(gold) if g == entity]
        majority[entity] = max(set(got), key=got.count)
    errors = [
        f"{m.doc}: {m.type} {m.name!r} → {keys[i]} (gold {m.entity}, mostly {majority[m.entity]})"
        for i, m in enumerate(mentions)
        if keys[i] != majority[m.entity]
    ]
    return scores, errors


def assignment_scores(gold: list[str], pred: list[str]) -> ResolutionScores:
    """Pairwise and B³ precision/recall of a mention → entity assignment (`pred`, one key per
    mention) against the true entities (`gold`, one id per mention)."""
    return _pair_and_b3(gold, pred)


def _pair_and_b3(gold: list[str], pred: list[str]) -> ResolutionScores:
    n = len(gold)
    gsize: Counter[str] = Counter(gold)
    psize: Counter[str] = Counter(pred)
    overlap: Counter[tuple[str, str]] = Counter(zip(gold, pred, strict=True))

    def pairs(sizes: Counter[Any]) -> int:  # linked mention pairs within the groups
        return sum(k * (k - 1) // 2 for k in sizes.values())

    same_gold, same_pred, both = pairs(gsize), pairs(psize), pairs(overlap)
    # B³: each mention's share of its predicted (precision) and true (recall) group, averaged.
    b3_p = ratio(sum(overlap[(g, p)] / psize[p] for g, p in zip(gold, pred, strict=True)), n)
    b3_r = ratio(sum(overlap[(g, p)] / gsize[g] for g, p in zip(gold, pred, strict=True)), n)
    return ResolutionScores(
        # No pair to link (or none linked): nothing was linked wrongly, nothing was missed.
        pairwise_p=ratio(both, same_pred, empty=1.0),
        pairwise_r=ratio(both, same_gold, empty=1.0),
        b3_p=b3_p,
        b3_r=b3_r,
        mentions=n,
        entities=len(gsize),
    )


def score_fixture(path: Path, use_kb: bool = True, threshold: float | None = None,
                  ) -> tuple[ResolutionScores, list[str]]:
    """Score a fixture file (see `load_fixture`), with the seed KB built in a temporary directory
    unless `use_kb` is false; `threshold` defaults to the configured fuzzy threshold."""
    import tempfile

    from casegraph.core.settings import get_settings

    known, mentions = load_fixture(path)
    cutoff = get_settings().fuzzy_threshold if threshold is None else threshold
    if not use_kb:
        return score_resolution(mentions, known, None, cutoff)
    from nlp.kb.store import KnowledgeBase, build_kb

    with tempfile.TemporaryDirectory(prefix="casegraph-kb-") as tmp:
        kb = KnowledgeBase(build_kb(Path(tmp) / "kb.db").path)
        return score_resolution(mentions, known, kb, cutoff)


def table(scores: ResolutionScores, title: str) -> Table:
    from rich.table import Table

    out = Table(title=f"{title} ({scores.mentions} mentions, {scores.entities} entities)")
    for col in ("metric", "precision", "recall", "F1"):
        out.add_column(col)
    out.add_row("pairwise", f"{scores.pairwise_p:.3f}", f"{scores.pairwise_r:.3f}", f"{scores.pairwise_f1:.3f}")
    out.add_row("B³", f"{scores.b3_p:.3f}", f"{scores.b3_r:.3f}", f"{scores.b3_f1:.3f}")
    return out
