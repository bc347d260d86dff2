"""The entity ruler: curated name lists and shape patterns from `nlp/patterns/*.jsonl`.

Each line is `{"label": TYPE, "pattern": "phrase" | [token patterns], "id": "canonical name"?,
"example": "text"?}`. Phrase patterns match on LOWER (case-insensitive); token patterns use spaCy's
Matcher syntax. `id` is the canonical name the entity is keyed on ("ice" → "methamphetamine");
`example` is required for token patterns so the test-suite can prove each one matches.

Placement: the ruler runs *after* the statistical NER with `overwrite_ents=True`, so on overlap the
curated lists win — an analyst who adds a name to a list means it. Patterns are validated when they
are loaded: unknown labels, malformed lines and invalid token patterns fail with the file and line.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from casegraph.core.errors import CasegraphError

from .labels import graph_labels

log = logging.getLogger(__name__)

PATTERNS_DIR = Path(__file__).with_name("patterns")
RULER_NAME = "entity_ruler"
# Shape patterns for names no list can hold ("<Title-case words> Kings|Locos|Cartel"): a ruler of their
# own placed before the main one, so a curated pattern on the same span wins and keeps its id.
GENERIC_RULER_NAME = "generic_ruler"
RULER_CONFIG: dict[str, Any] = {
    "phrase_matcher_attr": "LOWER",
    "validate": True,
    "overwrite_ents": True,
}
_KEYS = {"label", "pattern", "id", "example"}


class PatternError(CasegraphError):
    """A pattern file that cannot be used; the message names the file and line."""


def pattern_files(directory: Path = PATTERNS_DIR) -> list[Path]:
    return sorted(directory.glob("*.jsonl"))


def generic_pattern_files() -> list[Path]:
    return pattern_files(PATTERNS_DIR / "generic")


def read_patterns(paths: list[Path] | None = None) -> list[dict[str, Any]]:
    """Read and check pattern lines; returns them with `source` ("file:line") added."""
    paths = pattern_files() if paths is None else paths
    labels = graph_labels()
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], str] = {}
    for path in paths:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{path.name}:{lineno}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PatternError(f"{where}: not JSON ({exc.msg})") from None
            _check(row, where, labels)
            key = (row["label"], json.dumps(row["pattern"], sort_keys=True).lower())
            if key in seen:
                raise PatternError(f"{where}: duplicate of {seen[key]}")
            seen[key] = where
            rows.append({**row, "source": where})
    return rows


def _check(row: Any, where: str, labels: frozenset[str]) -> None:
    if not isinstance(row, dict):
        raise PatternError(f"{where}: expected an object")
    extra = set(row) - _KEYS
    if extra:
        raise PatternError(f"{where}: unknown keys {sorted(extra)}")
    label, pattern = row.get("label"), row.get("pattern")
    if label not in labels:
        raise PatternError(f"{where}: label {label!r} is not an entity type in casegraph/core/domain.toml")
    if isinstance(pattern, str):
        if not pattern.strip():
            raise PatternError(f"{where}: empty phrase pattern")
    elif isinstance(pattern, list) and pattern and all(isinstance(t, dict) for t in pattern):
        if not isinstance(row.get("example"), str) or not row["example"].strip():
            raise PatternError(f'{where}: a token pattern needs an "example" text it matches')
        from spacy.schemas import validate_token_pattern

        errors = validate_token_pattern(pattern)
        if errors:
            raise PatternError(f"{where}: invalid token pattern: {'; '.join(errors)}")
    else:
        raise PatternError(f"{where}: pattern must be a phrase or a non-empty list of token patterns")
    if "id" in row and (not isinstance(row["id"], str) or not row["id"].strip()):
        raise PatternError(f"{where}: id must be a non-empty string")


def add_ruler(nlp: Any, rows: list[dict[str, Any]] | None = None, **placement: Any) -> Any:
    """Add the entity ruler with casegraph's patterns (after `ner` unless told otherwise)."""
    rows = read_patterns() if rows is None else rows
    if not placement:
        placement = {"after": "ner"} if "ner" in nlp.pipe_names else {}
    generic = read_patterns(generic_pattern_files())
    if generic:
        _add(nlp, GENERIC_RULER_NAME, generic, placement)
        placement = {"after": GENERIC_RULER_NAME}
    ruler = _add(nlp, RULER_NAME, rows, placement)
    log.debug("entity ruler: %d patterns (+%d generic) from %s", len(rows), len(generic), PATTERNS_DIR)
    return ruler


def _add(nlp: Any, name: str, rows: list[dict[str, Any]], placement: dict[str, Any]) -> Any:
    ruler = nlp.add_pipe("entity_ruler", name=name, config=RULER_CONFIG, **placement)
    patterns = [{k: v for k, v in row.items() if k in ("label", "pattern", "id")} for row in rows]
    # Phrase patterns only need the tokenizer (they match on LOWER): don't run the model on them.
    with nlp.select_pipes(enable=[name]):
        ruler.add_patterns(patterns)
    return ruler
