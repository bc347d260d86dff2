"""KB entries and the seed/analyst list formats they are read from.

CSV: a header with `name,type,aliases,description,wikidata,prior`; `aliases` separated by `|`;
only `name` and `type` are required. JSONL: one object a line with the same keys, `aliases` a
list. `wikidata` is a Q-id, given only where the mapping is certain: it becomes the entity's key
(`Q41576`), so the same substance keyed from a full Wikidata KB lands on the same node.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from casegraph.core.domain import load_domain
from casegraph.core.errors import CasegraphError
from nlp.keys import clean_name, normalise

log = logging.getLogger(__name__)

SEED_DIR = Path(__file__).parent
KB_FORMATS = (".csv", ".jsonl")


class KBEntry(BaseModel):
    name: str = Field(min_length=1, description="Canonical name")
    type: str = Field(description="Entity type from casegraph/core/domain.toml, e.g. DRUG")
    aliases: list[str] = Field(default_factory=list)
    description: str = ""
    wikidata: str | None = Field(default=None, pattern=r"^Q[1-9]\d*$")
    prior: int = Field(default=0, ge=0, description="Tie-breaker between entries sharing an alias")
    source: str = ""
    # Record facts an agency's roster or an FtM file brings (casegraph/exchange, docs/exchange.md):
    # kept in the KB's `casegraph_facts` table, never used as names to link by.
    birth_date: str | None = None
    phones: list[str] = Field(default_factory=list, description="E.164, normalised by the importer")
    identifiers: list[str] = Field(default_factory=list, description="Agency or register ids")
    member_of: list[str] = Field(default_factory=list, description="KB ids of the groups the entry belongs to")

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        load_domain().entity_type(value.upper())
        return value.upper()

    @field_validator("name")
    @classmethod
    def _clean(cls, value: str) -> str:
        return clean_name(value)

    @field_validator("aliases", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [a for a in value.split("|")]
        return value

    @field_validator("aliases")
    @classmethod
    def _tidy(cls, value: list[str]) -> list[str]:
        out: list[str] = []
        for alias in value:
            alias = clean_name(alias)
            if alias and alias.lower() not in {a.lower() for a in out}:
                out.append(alias)
        return out

    @field_validator("wikidata", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return value or None

    @property
    def kb_id(self) -> str:
        """The entity key: the Wikidata id where known, else `kb:<type>:<normalised name>`."""
        if self.wikidata:
            return self.wikidata
        return f"kb:{self.type.lower()}:{normalise(self.type, self.name).replace(' ', '-')}"

    def names(self) -> list[str]:
        """The canonical name and every alias, each once (case-insensitively)."""
        seen: set[str] = set()
        out = []
        for n in [self.name, *self.aliases]:
            if n.lower() not in seen:
                seen.add(n.lower())
                out.append(n)
        return out


def read_entries(path: Path) -> list[KBEntry]:
    """Entries of one CSV or JSONL file; a bad row is an error naming the file and line."""
    if path.suffix not in KB_FORMATS:
        raise CasegraphError(f"{path}: KB lists are .csv or .jsonl files")
    rows: Iterable[tuple[int, dict[str, object]]]
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".csv":
        reader = csv.DictReader(text.splitlines())
        missing = {"name", "type"} - set(reader.fieldnames or [])
        if missing:
            raise CasegraphError(f"{path}: CSV header lacks {', '.join(sorted(missing))}")
        rows = ((n + 2, {k: v for k, v in row.items() if k}) for n, row in enumerate(reader))
    else:
        rows = ((n + 1, _json_line(path, n + 1, line)) for n, line in enumerate(text.splitlines()) if line.strip())
    out = []
    for line_no, row in rows:
        try:
            row = {k: v for k, v in row.items() if v not in (None, "")}
            out.append(KBEntry.model_validate({**row, "source": path.name}))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise CasegraphError(f"{path}:{line_no}: {'.'.join(map(str, first['loc']))}: {first['msg']}") from exc
    return out


def _json_line(path: Path, line_no: int, line: str) -> dict[str, object]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CasegraphError(f"{path}:{line_no}: not JSON ({exc.msg})") from exc
    if not isinstance(value, dict):
        raise CasegraphError(f"{path}:{line_no}: expected a JSON object")
    return value


def seed_files(seed_dir: Path = SEED_DIR) -> list[Path]:
    return sorted(p for p in seed_dir.iterdir() if p.suffix in KB_FORMATS)


def merge_entries(entries: Iterable[KBEntry]) -> list[KBEntry]:
    """One entry per KB id: aliases united; a later description or prior wins (analyst lists
    are read after the seeds, so an analyst can correct a seed)."""
    merged: dict[str, KBEntry] = {}
    for entry in entries:
        have = merged.get(entry.kb_id)
        if have is None:
            merged[entry.kb_id] = entry.model_copy(deep=True)
            continue
        if have.type != entry.type:
            log.warning(
                "%s: %s is %s in %s; keeping %s",
                entry.source,
                entry.kb_id,
                entry.type,
                have.source,
                have.type,
            )
        have.aliases = KBEntry.model_validate(
            {"name": have.name, "type": have.type, "aliases": have.aliases + entry.names()}
        ).aliases
        have.aliases = [a for a in have.aliases if a.lower() != have.name.lower()]
        have.description = entry.description or have.description
        have.prior = entry.prior or have.prior
        have.birth_date = entry.birth_date or have.birth_date
        for facts in ("phones", "identifiers", "member_of"):
            setattr(have, facts, list(dict.fromkeys([*getattr(have, facts), *getattr(entry, facts)])))
    return list(merged.values())
