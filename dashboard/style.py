"""How the link chart looks: the Cytoscape stylesheet and the legend, both from
casegraph/core/domain.toml (one colour and shape per entity type), and the layouts offered."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from casegraph.core.domain import Domain, load_domain

UNKNOWN_COLOR = "#999999"
HIGHLIGHT = "#ffb000"
PATH_COLOR = "#d6336c"

# (value, label, Cytoscape layout options). fcose and dagre come with dash-cytoscape's extra
# layouts bundle, served by the app itself (no CDN).
LAYOUTS: dict[str, tuple[str, dict[str, Any]]] = {
    # fcose starts from random positions: dash-cytoscape does not report where the last layout
    # put the nodes, so an incremental layout would start with every new node on one spot.
    # (Cytoscape's own cose needs seconds for 300 nodes, so it is not offered.)
    "fcose": ("Force-directed (fcose)", {"name": "fcose", "animate": False, "randomize": True, "quality": "default",
                                         "nodeRepulsion": 12000, "idealEdgeLength": 120, "nodeSeparation": 100,
                                         "packComponents": True, "nodeDimensionsIncludeLabels": True}),
    "concentric": ("Concentric (by degree)", {"name": "concentric", "animate": False, "minNodeSpacing": 40}),
    "breadthfirst": ("Hierarchy (breadth-first)", {"name": "breadthfirst", "animate": False, "directed": False,
                                                   "spacingFactor": 1.2}),
    "dagre": ("Hierarchy (dagre)", {"name": "dagre", "animate": False, "rankDir": "TB", "nodeSep": 40,
                                    "rankSep": 80}),
}
DEFAULT_LAYOUT = "fcose"


def layout_options(name: str | None, roots: list[str] | None = None) -> dict[str, Any]:
    """The Cytoscape `layout` prop for a layout name (unknown names fall back to the default)."""
    _, options = LAYOUTS.get(name or "", LAYOUTS[DEFAULT_LAYOUT])
    options = dict(options)
    if options["name"] == "breadthfirst" and roots:
        # Cytoscape selector of the roots: the entities the analyst started from.
        options["roots"] = ", ".join(f'[id = "{_escape(r)}"]' for r in roots)
    return options


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def type_class(entity_type: str) -> str:
    """The Cytoscape class of an entity type (types are upper-case words like GANG_ORG)."""
    return f"t-{entity_type}"


@lru_cache(maxsize=1)
def stylesheet() -> list[dict[str, Any]]:
    domain = load_domain()
    rules: list[dict[str, Any]] = [
        {"selector": "node", "style": {
            "label": "data(label)", "width": "data(size)", "height": "data(size)",
            "background-color": UNKNOWN_COLOR, "border-width": 1, "border-color": "#444",
            "font-size": 11, "font-family": "system-ui, sans-serif", "color": "#222",
            "text-valign": "bottom", "text-halign": "center", "text-margin-y": 4,
            "text-outline-color": "#ffffff", "text-outline-width": 2, "text-wrap": "ellipsis",
            "text-max-width": 140, "min-zoomed-font-size": 7}},
        {"selector": "edge", "style": {
            "width": "data(width)", "line-color": "#8a96a3", "curve-style": "bezier", "opacity": 0.85,
            "label": "data(label)", "font-size": 9, "color": "#444", "text-rotation": "autorotate",
            "text-background-color": "#ffffff", "text-background-opacity": 0.8,
            "text-background-padding": 1, "min-zoomed-font-size": 8,
            "target-arrow-color": "#8a96a3", "source-arrow-color": "#8a96a3", "arrow-scale": 0.8}},
        {"selector": "edge.fwd", "style": {"target-arrow-shape": "triangle"}},
        {"selector": "edge.back", "style": {"source-arrow-shape": "triangle"}},
        {"selector": "edge.both", "style": {"target-arrow-shape": "triangle", "source-arrow-shape": "triangle"}},
    ]
    for t in domain.types.values():
        rules.append({"selector": f"node.{type_class(t.name)}",
                      "style": {"background-color": t.color, "shape": t.shape}})
    rules += [
        {"selector": "node.pinned", "style": {"border-width": 4, "border-style": "double", "border-color": "#111"}},
        {"selector": "node.path", "style": {"border-width": 4, "border-color": PATH_COLOR}},
        {"selector": "edge.path", "style": {"line-color": PATH_COLOR, "target-arrow-color": PATH_COLOR,
                                            "source-arrow-color": PATH_COLOR, "opacity": 1, "z-index": 10}},
        {"selector": "node:selected", "style": {"border-width": 4, "border-color": HIGHLIGHT,
                                                "overlay-color": HIGHLIGHT, "overlay-opacity": 0.15}},
        {"selector": "edge:selected", "style": {"line-color": HIGHLIGHT, "target-arrow-color": HIGHLIGHT,
                                                "source-arrow-color": HIGHLIGHT, "opacity": 1}},
        {"selector": ".filtered", "style": {"display": "none"}},
    ]
    return rules


def legend(domain: Domain | None = None) -> list[dict[str, str]]:
    """One entry per entity type: what the legend shows (and the type filter offers)."""
    domain = domain or load_domain()
    return [{"type": t.name, "label": t.label if t.label.upper() == t.name else f"{t.label} ({t.name})",
             "color": t.color, "shape": t.shape, "description": t.description}
            for t in domain.types.values()]


def color_of(entity_type: str, domain: Domain | None = None) -> str:
    domain = domain or load_domain()
    t = domain.types.get(entity_type)
    return t.color if t else UNKNOWN_COLOR
