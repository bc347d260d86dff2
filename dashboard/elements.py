"""Pure functions that build and change the link chart's Cytoscape elements, and the exports.

No Dash, no database: the callbacks feed them `graph.read` results and the current elements,
and put what they return on the page. An element list is what Cytoscape's `elements` prop holds:
nodes `{"data": {"id": key, ...}, "classes": "..."}` and folded edges between two entities.
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
MIN_SIZE, MAX_SIZE = 24.0, 84.0


# ------------------------------------------------------------------------------- small helpers
def is_edge(el: Element) -> bool:
    return "source" in el.get("data", {})


def classes_of(el: Element) -> set[str]:
    return set(str(el.get("classes") or "").split())


def _with_classes(el: Element, classes: Iterable[str]) -> Element:
    return {**el, "classes": " ".join(sorted(set(classes)))}


def node_keys(elements: Sequence[Element] | None) -> list[str]:
    return [el["data"]["id"] for el in elements or [] if not is_edge(el)]


def edge_id(a: str, b: str) -> str:
    """One edge per pair of entities, whatever the direction of the relations."""
    x, y = sorted((a, b))
    return f"{x}\u2194{y}"


def node_size(degree: int, mentions: int, mode: str) -> float:
    """Node diameter in px: logarithmic, so hubs stand out without swallowing the chart."""
    value = mentions if mode == "mentions" else degree
    return round(min(MAX_SIZE, MIN_SIZE + 8.0 * math.log2(1 + max(0, value or 0))), 1)


def edge_width(evidence: int) -> float:
    """Edge width in px from the number of supporting sentences."""
    return round(min(14.0, 1.5 + 2.5 * math.log2(max(1, evidence or 1))), 1)


def edge_label(link: Link) -> str:
    top = next(iter(link.predicates), "")
    more = len(link.predicates) - 1
    label = top + (f" +{more}" if more > 0 else "")
    return f"{label} ×{link.evidence}" if link.evidence > 1 else label


# ------------------------------------------------------------------------------- builders
def node_element(entity: EntitySummary, size_mode: str = "degree", classes: Iterable[str] = ()) -> Element:
    return {
        "data": {
            "id": entity.key, "label": entity.name, "type": entity.type,
            "mention_count": entity.mention_count, "doc_count": entity.doc_count, "degree": entity.degree,
            "size": node_size(entity.degree, entity.mention_count, size_mode),
        },
        "classes": " ".join(sorted({"entity", type_class(entity.type), *classes})),
    }


def link_element(link: Link) -> Element:
    direction = "both" if link.forward and link.backward else ("fwd" if link.forward else "back")
    predicates = ", ".join(f"{p} ×{n}" if n > 1 else p for p, n in link.predicates.items())
    return {
        "data": {"id": edge_id(link.source, link.target), "source": link.source, "target": link.target,
                 "evidence": link.evidence, "width": edge_width(link.evidence), "label": edge_label(link),
                 "predicates": predicates},
        "classes": direction,
    }


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
    old_path = {el["data"]["id"] for el in elements or [] if is_edge(el) and "path" in classes_of(el)}
    edges = []
    for link in links:
        if link.source in present and link.target in present:
            el = link_element(link)
            if el["data"]["id"] in old_path:
                el = _with_classes(el, classes_of(el) | {"path"})
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
    pinned = {el["data"]["id"] for el in elements if not is_edge(el) and "pinned" in classes_of(el)}
    leaves = {n for n in links.get(key, set()) if links.get(n, set()) == {key} and n not in pinned}
    return remove_nodes(elements, leaves)


def toggle_pin(elements: Sequence[Element] | None, keys: Iterable[str]) -> list[Element]:
    """Pin (lock in place, double border) or unpin nodes: layouts leave pinned nodes where they are."""
    wanted = set(keys)
    out = []
    for el in elements or []:
        if not is_edge(el) and el["data"]["id"] in wanted:
            cls = classes_of(el)
            pinned = "pinned" not in cls
            el = _with_classes(el, cls | {"pinned"} if pinned else cls - {"pinned"})
            el["locked"] = pinned
        out.append(el)
    return out


def resize(elements: Sequence[Element] | None, size_mode: str) -> list[Element]:
    out = []
    for el in elements or []:
        if not is_edge(el):
            d = el["data"]
            el = {**el, "data": {**d, "size": node_size(d.get("degree", 0), d.get("mention_count", 0), size_mode)}}
        out.append(el)
    return out


def filter_types(elements: Sequence[Element] | None, types: Sequence[str] | None) -> list[Element]:
    """Hide (not remove) nodes whose type is not selected; Cytoscape hides their edges too."""
    allowed = set(types or [])
    out = []
    for el in elements or []:
        if not is_edge(el):
            cls = classes_of(el) - {"filtered"}
            if allowed and el["data"].get("type") not in allowed:
                cls.add("filtered")
            el = _with_classes(el, cls)
        out.append(el)
    return out


def mark_paths(elements: Sequence[Element] | None, paths: Sequence[Sequence[str]]) -> list[Element]:
    """Highlight the entities and links of `paths` (lists of keys); clear earlier highlights."""
    on_nodes = {k for p in paths for k in p}
    on_edges = {edge_id(p[i], p[i + 1]) for p in paths for i in range(len(p) - 1)}
    out = []
    for el in elements or []:
        cls = classes_of(el) - {"path"}
        if el["data"]["id"] in (on_edges if is_edge(el) else on_nodes):
            cls.add("path")
        out.append(_with_classes(el, cls))
    return out


def push_history(history: list[list[Element]] | None, elements: Sequence[Element] | None,
                 depth: int = 10) -> list[list[Element]]:
    """Remember the chart before a change, for undo; the oldest states fall off."""
    return [*(history or []), list(elements or [])][-depth:]


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
    """The chart as Cytoscape JSON (`{"elements": {"nodes": [...], "edges": [...]}}`)."""
    nodes = [el for el in elements or [] if not is_edge(el)]
    edges = [el for el in elements or [] if is_edge(el)]
    return json.dumps({"elements": {"nodes": nodes, "edges": edges}}, ensure_ascii=False, indent=1)
