"""Saved queries: `cypher/queries/*.cypher`, each opening with a comment header that names it,
describes it and declares its parameters, so they can be listed, validated and turned into forms.

Header format (comment lines before the first line of Cypher; a line without a tag continues the
previous tag's text)::

    // @name co_occurring
    // @description Who co-occurs most with an entity: other entities named in the same
    //   sentences, most shared sentences first.
    // @param entity: entity                the entity: its key, name or an alias
    // @param type: entity_type = null      only entities of this type, e.g. PERSON
    // @param limit: int = 10               at most this many rows

`@param NAME: TYPE [= DEFAULT] [DESCRIPTION]`. A parameter without a default is required.
Types: string, int, float, bool, date, datetime, entity_type (a type from casegraph/core/domain.toml), any
(a JSON literal, else text) and entity, optionally restricted to types: `entity(GANG_ORG, ORG)`.
An entity parameter takes a key, a name or an alias; the runner resolves it to the entity's key
before the query runs.
Defaults are literals: null, true, false, numbers, or text (quoted when it contains spaces).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from casegraph.core.domain import NotAllowedError, load_domain
from casegraph.core.errors import CasegraphError
from cypher import CYPHER_DIR

QUERIES_DIR = CYPHER_DIR / "queries"
SCALAR_TYPES = ("string", "int", "float", "bool", "date", "datetime", "entity_type", "entity", "any")

_TAG = re.compile(r"^@(\w+)\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>[a-z_]+(?:\([A-Z_,\s]*\))?)"
    r"(?:\s*=\s*(?P<default>'[^']*'|\"[^\"]*\"|\S+))?\s*(?P<desc>.*)$"
)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class QueryError(CasegraphError):
    """A query that cannot run as asked; the message says why in one line."""

    exit_code = 2


class UnknownQueryError(QueryError):
    pass


class QueryHeaderError(QueryError):
    pass


class ParameterError(QueryError):
    pass


class MissingParameterError(ParameterError):
    """A required parameter has no value (each front end says how to give one)."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    default: Any = None
    description: str = ""
    entity_types: tuple[str, ...] = ()  # for `entity(...)`: the allowed entity types

    @property
    def type_spec(self) -> str:
        return f"entity({', '.join(self.entity_types)})" if self.entity_types else self.type

    def signature(self) -> str:
        """`name: type`, with `= default` for optional parameters: for listings and forms."""
        tail = "" if self.required else f" = {json.dumps(_plain_default(self.default), ensure_ascii=False)}"
        return f"{self.name}: {self.type_spec}{tail}"


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str  # the whole file, header included: comments are harmless to Cypher
    path: Path | None = None

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ParameterError(f"query {self.name!r} has no parameter {name!r}{_known(self)}")


def _known(query: SavedQuery) -> str:
    names = ", ".join(p.name for p in query.params)
    return f" (its parameters: {names})" if names else " (it takes no parameters)"


def _plain_default(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


# ------------------------------------------------------------------ header parsing
def header_lines(text: str) -> list[tuple[int, str]]:
    """The comment lines before the first line of Cypher, comment markers stripped."""
    out = []
    for no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break
        out.append((no, stripped[2:].strip()))
    return out


def parse_query(text: str, name: str | None = None, path: Path | None = None) -> SavedQuery:
    """Read a query's header. `name` is the file's stem: when given, `@name` must match it."""
    where = str(path or name or "query")
    tags: list[tuple[int, str, str]] = []  # (line, tag, text)
    for no, line in header_lines(text):
        match = _TAG.match(line)
        if match:
            tags.append((no, match.group(1), match.group(2).strip()))
        elif tags and line:
            no0, tag, body = tags[-1]
            tags[-1] = (no0, tag, f"{body} {line}".strip())
    found_name = None
    description = ""
    params: list[Param] = []
    for no, tag, body in tags:
        if tag == "name":
            found_name = body
        elif tag == "description":
            description = body
        elif tag == "param":
            params.append(_parse_param(body, f"{where}:{no}"))
        else:
            raise QueryHeaderError(f"{where}:{no}: unknown header tag @{tag} "
                                   "(use @name, @description, @param)")
    if name is not None:
        if found_name is None:
            raise QueryHeaderError(f"{where}: the header has no `// @name {name}` line")
        if found_name != name:
            raise QueryHeaderError(f"{where}: @name {found_name!r} differs from the file name {name!r}")
    final_name = found_name or name or "adhoc"
    if not _NAME.match(final_name):
        raise QueryHeaderError(f"{where}: query name {final_name!r} must be lower_snake_case")
    seen = [p.name for p in params]
    dupes = sorted({n for n in seen if seen.count(n) > 1})
    if dupes:
        raise QueryHeaderError(f"{where}: parameter(s) declared twice: {', '.join(dupes)}")
    return SavedQuery(final_name, description, tuple(params), text, path)


def _parse_param(body: str, where: str) -> Param:
    match = _PARAM.match(body)
    if not match:
        raise QueryHeaderError(f"{where}: cannot read @param {body!r}; "
                               "expected `NAME: TYPE [= DEFAULT] DESCRIPTION`")
    name, type_spec, raw_default, desc = match.group("name", "type", "default", "desc")
    entity_types: tuple[str, ...] = ()
    base = type_spec
    if type_spec.startswith("entity("):
        base = "entity"
        entity_types = tuple(t.strip() for t in type_spec[len("entity("):-1].split(",") if t.strip())
        for t in entity_types:
            try:
                load_domain().entity_type(t)
            except NotAllowedError as exc:
                raise QueryHeaderError(f"{where}: {exc}") from None
    if base not in SCALAR_TYPES:
        raise QueryHeaderError(f"{where}: parameter {name!r} has unknown type {type_spec!r} "
                               f"(types: {', '.join(SCALAR_TYPES)})")
    param = Param(name, base, required=raw_default is None, description=desc.strip(),
                  entity_types=entity_types)
    if raw_default is None:
        return param
    literal = _literal(raw_default)
    try:
        default = None if literal is None else coerce(param, literal)
    except ParameterError as exc:
        raise QueryHeaderError(f"{where}: default of {name!r}: {exc}") from None
    return Param(name, base, required=False, default=default, description=param.description,
                 entity_types=entity_types)


def _literal(raw: str) -> Any:
    if raw[0] in "'\"" and raw[-1] == raw[0] and len(raw) >= 2:
        return raw[1:-1]
    if raw == "null":
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


# ------------------------------------------------------------------ the library
def list_queries(directory: Path = QUERIES_DIR) -> list[SavedQuery]:
    return [load_query(p.stem, directory) for p in sorted(directory.glob("*.cypher"))]


def load_query(name: str, directory: Path = QUERIES_DIR) -> SavedQuery:
    path = directory / f"{name}.cypher"
    if not _NAME.match(name) or not path.is_file():
        names = sorted(p.stem for p in directory.glob("*.cypher"))
        raise UnknownQueryError(f"no saved query named {name!r}; saved queries: {', '.join(names)}")
    return parse_query(path.read_text(encoding="utf-8"), name=name, path=path)


# ------------------------------------------------------------------ parameter values
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def coerce(param: Param, value: Any) -> Any:
    """Turn a value (text from a command line or a form, or a Python value) into the declared
    type; an entity stays text here (the runner resolves it against the graph)."""
    t = param.type
    try:
        if t in ("string", "entity"):
            if not isinstance(value, str):
                raise ValueError("expected text")
            return value
        if t == "int":
            if isinstance(value, bool):
                raise ValueError("expected a whole number")
            if isinstance(value, float) and not value.is_integer():
                raise ValueError("expected a whole number")
            return int(value)
        if t == "float":
            if isinstance(value, bool):
                raise ValueError("expected a number")
            return float(value)
        if t == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            raise ValueError("expected true or false")
        if t == "date":
            if isinstance(value, datetime):
                return value.date()
            return value if isinstance(value, date) else date.fromisoformat(str(value).strip())
        if t == "datetime":
            if isinstance(value, datetime):
                parsed = value
            elif isinstance(value, date):
                parsed = datetime(value.year, value.month, value.day)
            else:
                parsed = datetime.fromisoformat(str(value).strip())
            # A time without a zone is read as UTC: the graph stores UTC timestamps.
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        if t == "any":
            if not isinstance(value, str):
                return value
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        if t == "entity_type":
            name = str(value).strip().upper()
            load_domain().entity_type(name)
            return name
    except (ValueError, TypeError, NotAllowedError) as exc:
        raise ParameterError(f"parameter {param.name!r} ({param.type_spec}): "
                             f"cannot use {value!r}: {exc}") from None
    raise ParameterError(f"parameter {param.name!r}: unknown type {t!r}")


def bind(query: SavedQuery, values: Mapping[str, Any]) -> dict[str, Any]:
    """Check `values` against the header: no unknown names, every required one present, each of
    its type. Empty text (a blank form field) means the default."""
    unknown = sorted(set(values) - {p.name for p in query.params})
    if unknown:
        raise ParameterError(f"query {query.name!r} has no parameter(s) {', '.join(unknown)}{_known(query)}")
    out: dict[str, Any] = {}
    missing = []
    for p in query.params:
        value = values.get(p.name)
        if isinstance(value, str) and not value.strip():
            value = None
        if value is None:
            if p.required:
                missing.append(p.signature())
            out[p.name] = p.default
        else:
            out[p.name] = coerce(p, value)
    if missing:
        raise MissingParameterError(f"query {query.name!r} needs parameter(s): {'; '.join(missing)}")
    return out


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """`["k=v", ...]` from the command line into a dict; the value may contain `=`."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"--param {pair!r}: expected NAME=VALUE")
        out[key.strip()] = value
    return out
