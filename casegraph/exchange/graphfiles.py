"""GraphML and GEXF through networkx: one node per entity, one edge per (source, target, predicate)
with its evidence count (sentences) and best confidence; also the chart's own elements."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from graph.export import CaseExport

FORMATS = ("graphml", "gexf")


def case_graph(export: CaseExport) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for e in export.entities:
        graph.add_node(e["key"], label=e["name"] or e["key"], type=e["type"] or "", name=e["name"] or "",
                       aliases="|".join(e["aliases"] or []), mentions=int(e["mentions"] or 0),
                       documents=int(e["docs"] or 0), kb_id=e["kb_id"] or "")
    folded: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in export.relations:
        if r["source"] not in graph or r["target"] not in graph:
            continue  # an end with no mention in the exported documents is not shown
        edge = folded.setdefault((r["source"], r["target"], r["predicate"]),
                                 {"evidence": 0, "confidence": 0.0, "docs": set()})
        edge["evidence"] += 1
        edge["confidence"] = max(edge["confidence"], float(r["confidence"] or 0.0))
        edge["docs"].add(r["doc_id"])
    for (a, b, predicate), edge in folded.items():
        graph.add_edge(a, b, key=predicate, predicate=predicate, label=predicate, evidence=edge["evidence"],
                       confidence=round(edge["confidence"], 4), documents=len(edge["docs"]))
    degree = dict(graph.degree())
    for node in graph.nodes:  # a network measure Gephi users sort by; Gephi computes the rest
        graph.nodes[node]["degree"] = int(degree.get(node, 0))
    return graph


def write_graph(graph: nx.MultiDiGraph, path: Path, fmt: str) -> None:
    if fmt == "graphml":
        nx.write_graphml(graph, path)
    elif fmt == "gexf":
        nx.write_gexf(graph, path)
    else:
        raise ValueError(f"unknown graph format {fmt!r}: {', '.join(FORMATS)}")


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return "|".join(str(v) for v in value)
    return "" if value is None else str(value)


def chart_graphml(elements: Iterable[Mapping[str, Any]]) -> str:
    """GraphML of what the chart shows: its Cytoscape elements (`{"data": {...}}`, edges having
    `source` and `target`). Scalar data fields become attributes, lists are joined with `|`; edges
    whose ends are not on the chart are left out, as Cytoscape does not draw them."""
    graph = nx.MultiDiGraph()
    edges = []
    for element in elements:
        data = dict(element.get("data") or {})
        if "source" in data and "target" in data:
            edges.append(data)
        elif data.get("id") is not None:
            node = str(data.pop("id"))
            graph.add_node(node, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for data in edges:
        a, b = str(data.pop("source")), str(data.pop("target"))
        if a in graph and b in graph:
            key = str(data.pop("id", f"{a}->{b}"))
            graph.add_edge(a, b, key=key, **{k: _scalar(v) for k, v in data.items() if v is not None})
    out = io.BytesIO()
    nx.write_graphml(graph, out)
    return out.getvalue().decode("utf-8")
