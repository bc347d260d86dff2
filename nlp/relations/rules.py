"""Relation patterns as data: `nlp/patterns/relations/*.toml`, one file per predicate.

A file names its `predicate` (one of the analyst relation set in casegraph/core/domain.toml) and holds
two kinds of rule:

- `[[path]]` — a cue on the dependency path: a pair of mentions whose endpoint types fit the
  predicate, joined in the parse by at most `max_hops` edges (conjunctions are free, so a list of
  names counts as one), with a cue lemma on the path or attached to it ("a *member* of", "*charged*
  with", "Special *Agent* in Charge X"). `tail_deps` fixes the direction where both ends may have the
  same type (the victim of "killed" is its object).
- `[[dependency]]` — a spaCy `DependencyMatcher` pattern whose nodes `head` and `tail` are the two
  ends (for a construction no cue can say).

Every rule has an `id`, a `confidence` and an `example` sentence with the two ends it must join
(`example_head`, `example_tail`); the test-suite proves each example. A `stages` table maps cue
lemmas to the edge's stage (charged_with). Files are validated when loaded: an unknown predicate,
key, dependency label or stage, or a pattern spaCy rejects, fails with the file and rule id.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from casegraph.core.domain import load_domain
from casegraph.core.errors import CasegraphError

RELATION_PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns" / "relations"
# Clause edges a path may not cross: "X said that Y was charged" does not charge X.
DEFAULT_BLOCKED = ("ccomp", "parataxis", "advcl", "csubj")
_FILE_KEYS = {"predicate", "stages", "path", "dependency"}
_COMMON_KEYS = {"id", "confidence", "example", "example_head", "example_tail", "stage"}
_PATH_KEYS = _COMMON_KEYS | {"cues", "max_hops", "tail_deps", "blocked", "cue_on_path", "tails", "nearest", "governor"}
_DEP_KEYS = _COMMON_KEYS | {"pattern"}


class RelationPatternError(CasegraphError):
    """A relation pattern file that cannot be used; the message names the file and rule."""


@dataclass(frozen=True)
class Example:
    text: str
    head: str
    tail: str


@dataclass(frozen=True)
class PathRule:
    id: str
    predicate: str
    cues: frozenset[str]
    max_hops: int
    confidence: float
    example: Example
    tail_deps: frozenset[str] = frozenset()
    blocked: frozenset[str] = frozenset(DEFAULT_BLOCKED)
    cue_on_path: bool = False  # the cue must be a token of the path itself, not merely attached to it
    stage: str | None = None
    tails: frozenset[str] = frozenset()  # narrower tail types than the predicate allows (empty: all)
    governor: bool = False  # the cue may be the word the path hangs from (a list's verb)
    nearest: bool = False  # keep only the tails nearest each head in the parse (titles in long lists)


@dataclass(frozen=True)
class DependencyRule:
    id: str
    predicate: str
    pattern: list[dict[str, Any]]
    confidence: float
    example: Example
    stage: str | None = None


@dataclass(frozen=True)
class RuleSet:
    paths: tuple[PathRule, ...]
    dependencies: tuple[DependencyRule, ...]
    stages: dict[str, dict[str, str]] = field(default_factory=dict)  # predicate → cue lemma → stage

    def stage_for(self, predicate: str, lemmas: list[str]) -> str | None:
        table = self.stages.get(predicate, {})
        return next((table[lemma] for lemma in lemmas if lemma in table), None)


_R = TypeVar("_R", PathRule, DependencyRule)


def relation_pattern_files(directory: Path = RELATION_PATTERNS_DIR) -> list[Path]:
    return sorted(directory.glob("*.toml"))


@lru_cache(maxsize=4)
def load_rules(directory: Path = RELATION_PATTERNS_DIR) -> RuleSet:
    paths: list[PathRule] = []
    deps: list[DependencyRule] = []
    stages: dict[str, dict[str, str]] = {}
    seen: set[str] = set()
    for file in relation_pattern_files(directory):
        try:
            raw = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise RelationPatternError(f"{file.name}: not TOML ({exc})") from None
        predicate, file_stages = _check_file(raw, file.name)
        stages.setdefault(predicate, {}).update(file_stages)
        for spec in raw.get("path", []):
            rule = _path_rule(spec, predicate, file.name, set(file_stages.values()))
            paths.append(_unique(rule, seen, file.name))
        for spec in raw.get("dependency", []):
            dep = _dependency_rule(spec, predicate, file.name, set(file_stages.values()))
            deps.append(_unique(dep, seen, file.name))
    return RuleSet(paths=tuple(paths), dependencies=tuple(deps), stages=stages)


def _unique(rule: _R, seen: set[str], where: str) -> _R:
    if rule.id in seen:
        raise RelationPatternError(f"{where}: rule id {rule.id!r} is used twice")
    seen.add(rule.id)
    return rule


def _check_file(raw: dict[str, Any], where: str) -> tuple[str, dict[str, str]]:
    extra = set(raw) - _FILE_KEYS
    if extra:
        raise RelationPatternError(f"{where}: unknown keys {sorted(extra)}")
    domain = load_domain()
    predicate = raw.get("predicate")
    if predicate not in domain.relations:
        raise RelationPatternError(f"{where}: predicate {predicate!r} is not in the relation set "
                                   f"({', '.join(sorted(domain.relations))})")
    stages = raw.get("stages", {})
    allowed = set(domain.relations[predicate].stages)
    bad = {s for s in stages.values() if s not in allowed}
    if not isinstance(stages, dict) or bad:
        raise RelationPatternError(f"{where}: stages must map cue lemmas to one of {sorted(allowed) or 'none'}")
    return predicate, {str(k).lower(): str(v) for k, v in stages.items()}


def _common(spec: Any, keys: set[str], where: str, stages: set[str]) -> tuple[str, float, Example, str | None]:
    if not isinstance(spec, dict) or not isinstance(spec.get("id"), str):
        raise RelationPatternError(f"{where}: every rule needs an `id`")
    rid = spec["id"]
    extra = set(spec) - keys
    if extra:
        raise RelationPatternError(f"{where} [{rid}]: unknown keys {sorted(extra)}")
    conf = spec.get("confidence")
    if not isinstance(conf, int | float) or not 0.0 < conf <= 1.0:
        raise RelationPatternError(f"{where} [{rid}]: `confidence` must be a number in (0, 1]")
    if not all(isinstance(spec.get(k), str) and spec[k] for k in ("example", "example_head", "example_tail")):
        raise RelationPatternError(f"{where} [{rid}]: `example`, `example_head` and `example_tail` are required")
    for k in ("example_head", "example_tail"):
        if spec[k] not in spec["example"]:
            raise RelationPatternError(f"{where} [{rid}]: {k} {spec[k]!r} is not in the example")
    stage = spec.get("stage")
    if stage is not None and stage not in stages:
        raise RelationPatternError(f"{where} [{rid}]: stage {stage!r} is not one of the file's stages")
    return rid, float(conf), Example(spec["example"], spec["example_head"], spec["example_tail"]), stage


def _words(spec: dict[str, Any], key: str, where: str) -> frozenset[str]:
    value = spec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RelationPatternError(f"{where} [{spec['id']}]: `{key}` must be a list of words")
    return frozenset(v.strip().lower() for v in value)


def _path_rule(spec: Any, predicate: str, where: str, stages: set[str]) -> PathRule:
    rid, conf, example, stage = _common(spec, _PATH_KEYS, where, stages)
    cues = _words(spec, "cues", where)
    hops = spec.get("max_hops", 4)
    if not cues:
        raise RelationPatternError(f"{where} [{rid}]: `cues` must name at least one lemma")
    if not isinstance(hops, int) or isinstance(hops, bool) or not 0 <= hops <= 8:
        raise RelationPatternError(f"{where} [{rid}]: `max_hops` must be a whole number from 0 to 8")
    blocked = _words(spec, "blocked", where) if "blocked" in spec else frozenset(DEFAULT_BLOCKED)
    tails = frozenset(t.upper() for t in _words(spec, "tails", where))
    allowed = {t for _h, t in load_domain().relations[predicate].pairs}
    if not tails <= allowed:
        raise RelationPatternError(f"{where} [{rid}]: `tails` {sorted(tails - allowed)} do not fit {predicate}")
    return PathRule(
        id=rid, predicate=predicate, cues=cues, max_hops=hops, confidence=conf, example=example,
        tail_deps=_words(spec, "tail_deps", where), blocked=blocked,
        cue_on_path=bool(spec.get("cue_on_path", False)), stage=stage, tails=tails,
        nearest=bool(spec.get("nearest", False)), governor=bool(spec.get("governor", False)),
    )


def _dependency_rule(spec: Any, predicate: str, where: str, stages: set[str]) -> DependencyRule:
    from spacy.matcher import DependencyMatcher
    from spacy.vocab import Vocab

    rid, conf, example, stage = _common(spec, _DEP_KEYS, where, stages)
    pattern = spec.get("pattern")
    names = {node.get("RIGHT_ID") for node in pattern} if isinstance(pattern, list) else set()
    if not {"head", "tail"} <= names:
        raise RelationPatternError(f"{where} [{rid}]: `pattern` must be a DependencyMatcher pattern "
                                   "with nodes named `head` and `tail`")
    try:
        DependencyMatcher(Vocab(), validate=True).add(rid, [pattern])
    except (ValueError, KeyError, TypeError) as exc:
        raise RelationPatternError(f"{where} [{rid}]: spaCy rejects the pattern: {exc}") from None
    return DependencyRule(id=rid, predicate=predicate, pattern=pattern, confidence=conf, example=example,
                          stage=stage)
