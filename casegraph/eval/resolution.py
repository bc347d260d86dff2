"""Scoring canonical entity resolution: pairwise and B³ precision/recall of a mention → entity
assignment, and the fixture-set evaluation behind `casegraph report quality --only resolution`."""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.resolution import KnownEntities, KnownEntity, Resolver

if TYPE_CHECKING:
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
        return _f1(self.pairwise_p, self.pairwise_r)

    @property
    def b3_f1(self) -> float:
        return _f1(self.b3_p, self.b3_r)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def load_fixture(path: Path) -> tuple[KnownEntities, list[MentionCase]]:
    """A JSON fixture: {"known": [...], "redirects": {...}, "splits": {...}, "mentions": [...]}."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    known = KnownEntities(
        entities=[KnownEntity(e["key"], e["type"], e["name"], tuple(e.get("aliases", ()))) for e in raw["known"]],
        redirects=dict(raw.get("redirects", {})),
        splits={k: set(v) for k, v in raw.get("splits", {}).items()},
    )
    mentions = [MentionCase(**m) for m in raw["mentions"]]
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
    b3_p = sum(overlap[(g, p)] / psize[p] for g, p in zip(gold, pred, strict=True)) / n if n else 0.0
    b3_r = sum(overlap[(g, p)] / gsize[g] for g, p in zip(gold, pred, strict=True)) / n if n else 0.0
    return ResolutionScores(
        pairwise_p=both / same_pred if same_pred else 1.0,
        pairwise_r=both / same_gold if same_gold else 1.0,
        b3_p=b3_p,
        b3_r=b3_r,
        mentions=n,
        entities=len(gsize),
    )


def main(argv: list[str] | None = None) -> None:
    """`python -m casegraph.eval.resolution FIXTURE.json [--no-kb]`: print the entity-resolution figures."""
    from rich.console import Console
    from rich.table import Table

    parser = argparse.ArgumentParser(description="Score canonical entity resolution on a fixture set.")
    parser.add_argument("fixture", type=Path)
    parser.add_argument("--no-kb", action="store_true", help="resolve without the seed KB")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--errors", action="store_true", help="list wrongly keyed mentions")
    args = parser.parse_args(argv)
    known, mentions = load_fixture(args.fixture)
    kb = None
    if not args.no_kb:
        import tempfile

        from nlp.kb.store import KnowledgeBase, build_kb

        kb = KnowledgeBase(build_kb(Path(tempfile.mkdtemp()) / "kb.db").path)
    if args.threshold is None:
        from casegraph.core.settings import get_settings

        args.threshold = get_settings().fuzzy_threshold
    scores, errors = score_resolution(mentions, known, kb, args.threshold)
    size = f"{scores.mentions} mentions, {scores.entities} entities"
    table = Table(title=f"Entity resolution: {args.fixture.name} ({size})")
    for col in ("metric", "precision", "recall", "F1"):
        table.add_column(col)
    table.add_row("pairwise", f"{scores.pairwise_p:.3f}", f"{scores.pairwise_r:.3f}", f"{scores.pairwise_f1:.3f}")
    table.add_row("B³", f"{scores.b3_p:.3f}", f"{scores.b3_r:.3f}", f"{scores.b3_f1:.3f}")
    Console(width=120).print(table)
    if args.errors:
        for line in errors:
            print(line)


if __name__ == "__main__":
    main()
