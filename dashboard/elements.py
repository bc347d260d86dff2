"""Pure functions that build and change the link chart's Cytoscape elements, and the exports.

No Dash, no database: the callbacks feed them `graph.read` results and the current elements,
and put what they return on the page. An element list is what Cytoscape's `elements` prop holds:
nodes `{"data": {"id": key, ...}, "classes": "..."}` and folded edges between two entities.

All state lives in `data` (type, pinned, on a path, hidden by a filter): dash-cytoscape hands the
elements back to callbacks with `data` and `position` only, so `finalize` derives `classes` and
`locked` from `data` before elements go back to the page.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

from dashboard.style import type_class
from graph.read import EntitySummary, Link, PairEvidence, Span

Element = dict[str, Any]
SIZE_MODES = ("degree", "mentions")
MIN_SIZE, MAX_SIZE = 18.0, 70.0


# ------------------------------------------------------------------------------- small helpers
def is_edge(el: Element) -> bool:
    return "source" in el.get("data", {})


def flag(el: Element, name: str) -> bool:
    return bool(el.get("data", {}).get(name))


def _set(el: Element, **data: Any) -> Element:
    return {**el, "data": {**el["data"], **data}}


def classes_of(el: Element) -> set[str]:
    """The Cytoscape classes an element's data calls for (the stylesheet keys on them)."""
    d = el["data"]
    if is_edge(el):
        cls = {d.get("dir") or "fwd"}
    else:
        cls = {"entity", type_class(str(d.get("type", "")))}
        if d.get("pinned"):
            cls.add("pinned")
        if d.get("hidden"):
            cls.add("filtered")
    if d.get("path"):
        cls.add("path")
    return cls


def class_text(el: Element) -> str:
    """`classes_of` as Cytoscape's `classes` prop: space-separated, in a stable order."""
    return " ".join(sorted(classes_of(el)))


def finalize(elements: Sequence[Element] | None) -> list[Element]:
    """Elements as the page gets them: classes and locks from data, no stale positions (those
    dash-cytoscape reports are from before the last layout; the layout places nodes)."""
    out = []
    for el in elements or []:
        item: Element = {"data": el["data"], "classes": class_text(el)}
        if not is_edge(el):
            item["locked"] = flag(el, "pinned")
        out.append(item)
    return out


def node_keys(elements: Sequence[Element] | None) -> list[str]:
    return [el["data"]["id"] for el in elements or [] if not is_edge(el)]


def edge_id(a: str, b: str) -> str:
    """One edge per pair of entities, whatever the direction of the relations."""
    x, y = sorted((a, b))
    return f"{x}\u2194{y}"


def node_size(degree: int, mentions: int, mode: str) -> float:
    """Node diameter in px: logarithmic, so hubs stand out without swallowing the chart."""
    value = mentions if mode == "mentions" else degree
    return round(min(MAX_SIZE, MIN_SIZE + 5.5 * math.log2(1 + max(0, value or 0))), 1)


def edge_width(evidence: int) -> float:
    """Edge width in px from the number of supporting sentences."""
    return round(min(14.0, 1.5 + 2.5 * math.log2(max(1, evidence or 1))), 1)


def edge_label(link: Link) -> str:
    top = next(iter(link.predicates), "")
    more = len(link.predicates) - 1
    label = top + (f" +{more}" if more > 0 else "")
    return f"{label} ×{link.evidence}" if link.evidence > 1 else label


# ------------------------------------------------------------------------------- builders
def node_element(entity: EntitySummary, size_mode: str = "degree") -> Element:
    el: Element = {"data": {
        "id": entity.key, "label": entity.name, "type": entity.type,
        "mention_count": entity.mention_count, "doc_count": entity.doc_count, "degree": entity.degree,
        "size": node_size(entity.degree, entity.mention_count, size_mode),
    }}
    el["classes"] = class_text(el)
    return el


def link_element(link: Link) -> Element:
    direction = "both" if link.forward and link.backward else ("fwd" if link.forward else "back")
    predicates = ", ".join(f"{p} ×{n}" if n > 1 else p for p, n in link.predicates.items())
    el: Element = {"data": {
        "id": edge_id(link.source, link.target), "source": link.source, "target": link.target,
        "evidence": link.evidence, "width": edge_width(link.evidence), "label": edge_label(link),
        "predicates": predicates, "dir": direction,
    }}
    el["classes"] = class_text(el)
    return el


# ------------------------------------------------------------------------------- chart changes
def add_entities(elements: Sequence[Element] | None, new: Iterable[EntitySummary], size_mode: str = "degree",
                 max_nodes: int = 400) -> tuple[list[Element], list[str], int]:
    """Add entities not yet on the chart, up to `max_nodes` in all. Returns the elements, the keys
    added and how many were left out because the chart is full."""
    out = list(elements or [])
    present = set(node_keys(out))
    added: list[str] = []
    left_out = 0
    for entity in new:
        if entity.key in present:
            continue
        if len(present) >= max_nodes:
            left_out += 1
            continue
        out.append(node_element(entity, size_mode))
        present.add(entity.key)
        added.append(entity.key)
    return out, added, left_out


def set_links(elements: Sequence[Element] | None, links: Iterable[Link]) -> list[Element]:
    """Replace the chart's edges by `links` (those between nodes on the chart), keeping the
    path highlight of edges that stay."""
    nodes = [el for el in elements or [] if not is_edge(el)]
    present = {el["data"]["id"] for el in nodes}
    old_path = {el["data"]["id"] for el in elements or [] if is_edge(el) and flag(el, "path")}
    edges = []
    for link in links:
        if link.source in present and link.target in present:
            el = link_element(link)
            if el["data"]["id"] in old_path:
                el = _set(el, path=True)
            edges.append(el)
    return nodes + edges


def remove_nodes(elements: Sequence[Element] | None, keys: Iterable[str]) -> list[Element]:
    """Take nodes off the chart with their edges."""
    gone = set(keys)
    return [el for el in elements or []
            if not (el["data"]["id"] in gone
                    or (is_edge(el) and (el["data"]["source"] in gone or el["data"]["target"] in gone)))]


def collapse(elements: Sequence[Element] | None, key: str) -> list[Element]:
    """Undo an expansion of `key`: remove its neighbours that are linked to nothing else on the
    chart, unless pinned."""
    elements = list(elements or [])
    links: dict[str, set[str]] = {}
    for el in elements:
        if is_edge(el):
            s, t = el["data"]["source"], el["data"]["target"]
            links.setdefault(s, set()).add(t)
            links.setdefault(t, set()).add(s)
    pinned = {el["data"]["id"] for el in elements if not is_edge(el) and flag(el, "pinned")}
    leaves = {n for n in links.get(key, set()) if links.get(n, set()) == {key} and n not in pinned}
    return remove_nodes(elements, leaves)


def toggle_pin(elements: Sequence[Element] | None, keys: Iterable[str]) -> list[Element]:
    """Pin (lock in place, double border) or unpin nodes: layouts leave pinned nodes where they are."""
    wanted = set(keys)
    return [_set(el, pinned=not flag(el, "pinned")) if not is_edge(el) and el["data"]["id"] in wanted else el
            for el in elements or []]


def resize(elements: Sequence[Element] | None, size_mode: str) -> list[Element]:
    return [el if is_edge(el) else
            _set(el, size=node_size(el["data"].get("degree", 0), el["data"].get("mention_count", 0), size_mode))
            for el in elements or []]


def filter_types(elements: Sequence[Element] | None, types: Sequence[str] | None) -> list[Element]:
    """Hide (not remove) nodes whose type is not selected; Cytoscape hides their edges too."""
    allowed = set(types or [])
    return [el if is_edge(el) else _set(el, hidden=bool(allowed) and el["data"].get("type") not in allowed)
            for el in elements or []]


def mark_paths(elements: Sequence[Element] | None, paths: Sequence[Sequence[str]]) -> list[Element]:
    """Highlight the entities and links of `paths` (lists of keys); clear earlier highlights."""
    on_nodes = {k for p in paths for k in p}
    on_edges = {edge_id(p[i], p[i + 1]) for p in paths for i in range(len(p) - 1)}
    return [_set(el, path=el["data"]["id"] in (on_edges if is_edge(el) else on_nodes)) for el in elements or []]


def push_history(history: list[dict[str, Any]] | None, elements: Sequence[Element] | None,
                 expanded: dict[str, int | None] | None, depth: int = 10) -> list[dict[str, Any]]:
    """Remember the chart (and how far each node was expanded) before a change, for undo; the
    oldest states fall off."""
    return [*(history or []), {"elements": list(elements or []), "expanded": dict(expanded or {})}][-depth:]


# ------------------------------------------------------------------------------- evidence text
def highlight(text: str, spans: Sequence[Span]) -> list[tuple[str, Span | None]]:
    """Cut `text` into plain and highlighted pieces. Spans out of range are clipped; a span that
    overlaps an earlier one is dropped, so every character appears once."""
    pieces: list[tuple[str, Span | None]] = []
    pos = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        start, end = max(span.start, pos), min(span.end, len(text))
        if start >= end or span.start < pos:
            continue
        if start > pos:
            pieces.append((text[pos:start], None))
        pieces.append((text[start:end], span))
        pos = end
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces


def evidence_rows(evidence: PairEvidence, names: dict[str, str]) -> list[dict[str, Any]]:
    """Flat rows of an edge's evidence: what the table shows and the CSV holds."""
    rows = []
    for r in evidence.rows:
        rows.append({
            "source": names.get(r.source_key, r.source_key), "predicate": r.predicate,
            "target": names.get(r.target_key, r.target_key), "sentence": r.text or "",
            "document": r.doc_title or r.doc_filename or r.doc_id, "page": r.page, "doc_id": r.doc_id,
            "sentence_id": r.sentence_id, "confidence": r.confidence,
        })
    return rows


CSV_COLUMNS = ["source", "predicate", "target", "sentence", "document", "page", "doc_id", "sentence_id",
               "confidence"]


def rows_to_csv(rows: Sequence[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def elements_to_json(elements: Sequence[Element] | None) -> str:
    """The chart as Cytoscape JSON (`{"elements": {"nodes": [...], "edges": [...]}}`), with the
    node positions the page last reported."""
    nodes = [{**el, "classes": class_text(el)} for el in elements or [] if not is_edge(el)]
    edges = [{**el, "classes": class_text(el)} for el in elements or [] if is_edge(el)]
    return json.dumps({"elements": {"nodes": nodes, "edges": edges}}, ensure_ascii=False, indent=1)
