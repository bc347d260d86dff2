"""An agency roster (CSV) as knowledge-base entries: people and groups with names, nicknames,
birth dates, phone numbers (E.164 through `phonenumbers`) and gang affiliation.

Header: `name` (required), `type` (person | group, default person), `aliases` (`|`-separated),
`birth_date`, `phones` (`|`-separated), `gang`, `identifier`. A gang named only in `gang` becomes
a group entry too; the affiliation is kept as the person's `member_of` fact (the gang's KB id).
"""

from __future__ import annotations

import csv
from pathlib import Path

import phonenumbers

from casegraph.core.errors import CasegraphError
from nlp.kb import KBEntry

TYPES = {"person": "PERSON", "group": "GANG_ORG", "gang": "GANG_ORG", "org": "ORG"}


def _phone(value: str, region: str, where: str) -> str:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise CasegraphError(f"{where}: not a phone number: {value!r}") from exc
    if not phonenumbers.is_possible_number(number):
        raise CasegraphError(f"{where}: not a phone number: {value!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


ROSTER_COLUMNS = frozenset({"gang", "phones", "birth_date", "identifier"})


def is_roster(path: Path) -> bool:
    """A CSV whose header has a roster column (an analyst list has none of them)."""
    if path.suffix != ".csv":
        return False
    with path.open(encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh), [])
    return bool(ROSTER_COLUMNS & {h.strip() for h in header})


def read_roster(path: Path, region: str = "US") -> list[KBEntry]:
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(text.splitlines())
    if "name" not in (reader.fieldnames or []):
        raise CasegraphError(f"{path}: the roster's header lacks `name`")
    entries: dict[str, KBEntry] = {}
    for n, row in enumerate(reader, 2):
        where = f"{path}:{n}"
        name = (row.get("name") or "").strip()
        if not name:
            raise CasegraphError(f"{where}: empty name")
        kind = (row.get("type") or "person").strip().lower()
        if kind not in TYPES:
            raise CasegraphError(f"{where}: type {kind!r} is not one of {', '.join(TYPES)}")
        groups = []
        for gang in _split(row.get("gang")):
            group = KBEntry(name=gang, type="GANG_ORG")
            entries.setdefault(group.kb_id, group)
            groups.append(group.kb_id)
        entry = KBEntry(
            name=name, type=TYPES[kind], aliases=_split(row.get("aliases")),
            birth_date=(row.get("birth_date") or "").strip() or None,
            phones=[_phone(p, region, where) for p in _split(row.get("phones"))],
            identifiers=_split(row.get("identifier")), member_of=groups,
            description=f"roster {path.stem}",
        )
        entries[entry.kb_id] = entry  # a group's own row replaces its stand-in from a `gang` column
    return list(entries.values())
