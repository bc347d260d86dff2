"""Query results as plain Python: nodes, relationships and paths copied out of the driver's
objects, so the CLI, JSON/CSV writers and the dashboard share one driver-free shape."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from neo4j.graph import Node, Path, Relationship

# Properties that name a node in a table cell or on the chart, best first.
_CAPTION_KEYS = ("name", "title", "filename", "text", "key", "id")


@dataclass(frozen=True)
class GraphNode:
    id: str
    labels: tuple[str, ...]
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The most specific label: `Person` rather than `Entity`."""
        specific = [lb for lb in self.labels if lb != "Entity"]
        return (specific or list(self.labels) or ["Node"])[0]

    @property
    def caption(self) -> str:
        for key in _CAPTION_KEYS:
            value = self.props.get(key)
            if value not in (None, ""):
                text = str(value)
                return text if len(text) <= 60 else text[:57] + "..."
        return self.id


@dataclass(frozen=True)
class GraphRel:
    id: str
    type: str
    start: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def caption(self) -> str:
        return str(self.props.get("predicate") or self.type)


@dataclass(frozen=True)
class GraphPath:
    nodes: tuple[GraphNode, ...]
    rels: tuple[GraphRel, ...]


@dataclass
class QueryResult:
    name: str
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False
    row_cap: int = 0
    elapsed_ms: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        """Rows as JSON-ready dicts."""
        return [{c: to_plain(v) for c, v in zip(self.columns, row, strict=True)} for row in self.rows]

    def column(self, name: str) -> list[Any]:
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def graph(self) -> tuple[list[GraphNode], list[GraphRel]]:
        """Every node and relationship anywhere in the result (in lists and maps too), once each.
        An end point the query did not return itself comes as a node with its id only."""
        nodes: dict[str, GraphNode] = {}
        rels: dict[str, GraphRel] = {}

        def visit(value: Any) -> None:
            if isinstance(value, GraphNode):
                known = nodes.get(value.id)
                if known is None or (not known.labels and value.labels):
                    nodes[value.id] = value
            elif isinstance(value, GraphRel):
                rels[value.id] = value
            elif isinstance(value, GraphPath):
                for item in (*value.nodes, *value.rels):
                    visit(item)
            elif isinstance(value, list | tuple):
                for item in value:
                    visit(item)
            elif isinstance(value, dict):
                for item in value.values():
                    visit(item)

        for row in self.rows:
            visit(row)
        for rel in rels.values():
            for end in (rel.start, rel.end):
                nodes.setdefault(end, GraphNode(end, ()))
        return list(nodes.values()), list(rels.values())

    def summary(self) -> str:
        rows = f"{len(self.rows)} row{'s' if len(self.rows) != 1 else ''}"
        cap = f" (stopped at the row cap of {self.row_cap})" if self.truncated else ""
        return f"{rows}{cap} in {self.elapsed_ms:.0f} ms"


# ------------------------------------------------------------------ from the driver
def from_driver(value: Any) -> Any:
    """Copy a value out of a driver record: graph objects into the dataclasses above, temporal
    and spatial values into ISO text and maps."""
    if isinstance(value, Node):
        return GraphNode(value.element_id, tuple(sorted(value.labels)), _props(value))
    if isinstance(value, Relationship):
        start = value.start_node.element_id if value.start_node is not None else ""
        end = value.end_node.element_id if value.end_node is not None else ""
        return GraphRel(value.element_id, value.type, start, end, _props(value))
    if isinstance(value, Path):
        return GraphPath(tuple(from_driver(n) for n in value.nodes),
                         tuple(from_driver(r) for r in value.relationships))
    if isinstance(value, list | tuple):
        return [from_driver(v) for v in value]
    if isinstance(value, dict):
        return {k: from_driver(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time Date, DateTime, Time, Duration
        return value.iso_format()
    if hasattr(value, "srid"):  # neo4j.spatial points
        return {"srid": value.srid, "coordinates": list(value)}
    return value


def _props(entity: Node | Relationship) -> dict[str, Any]:
    return {k: from_driver(v) for k, v in entity.items()}


# ------------------------------------------------------------------ to users
def to_plain(value: Any) -> Any:
    """JSON-ready: nodes become their properties plus `_id`/`_labels`, paths their parts."""
    if isinstance(value, GraphNode):
        return {"_id": value.id, "_labels": list(value.labels), **value.props}
    if isinstance(value, GraphRel):
        return {"_id": value.id, "_type": value.type, "_start": value.start, "_end": value.end, **value.props}
    if isinstance(value, GraphPath):
        return {"nodes": [to_plain(n) for n in value.nodes],
                "relationships": [to_plain(r) for r in value.rels]}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


def to_text(value: Any) -> str:
    """One table cell: a node by its name and label, a path as `A -[p]-> B`."""
    if value is None:
        return ""
    if isinstance(value, GraphNode):
        return f"{value.caption} ({value.label})"
    if isinstance(value, GraphRel):
        return f"-[{value.caption}]->"
    if isinstance(value, GraphPath):
        return _path_text(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(to_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {to_text(v)}" for k, v in value.items())
    return str(value)


def _path_text(path: GraphPath) -> str:
    if not path.nodes:
        return ""
    parts = [path.nodes[0].caption]
    for rel, (a, b) in zip(path.rels, zip(path.nodes, path.nodes[1:], strict=False), strict=False):
        forward = rel.start == a.id
        parts.append(f" -[{rel.caption}]-> " if forward else f" <-[{rel.caption}]- ")
        parts.append(b.caption)
    return "".join(parts)


def to_json(result: QueryResult) -> str:
    return json.dumps(result.records(), ensure_ascii=False, indent=2, default=str)


def to_csv(result: QueryResult) -> str:
    """For spreadsheets: numbers and text as they are, everything else as its table-cell text
    (JSON keeps the full structure)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([v if isinstance(v, int | float | str) else to_text(v) for v in row])
    return buf.getvalue()
