"""Pure functions from `graph.read` results to Dash components: search hits, node details,
edge evidence, paths, the document view, the status line and the legend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html

from dashboard import ids
from dashboard.elements import highlight
from dashboard.style import color_of, legend
from graph.read import (
    DocumentView,
    GraphStats,
    NodeDetails,
    PairEvidence,
    PathResult,
    SearchHit,
    Span,
)

ARROW = "\u2192"


def type_badge(entity_type: str) -> html.Span:
    return html.Span(entity_type, className="type-badge", style={"backgroundColor": color_of(entity_type)})


def open_doc_link(doc_id: str, text: str, where: str) -> html.Button:
    """A link-styled button that opens the document view (ids are unique per place on the page)."""
    return html.Button(text, id={"type": ids.OPEN_DOC, "doc": doc_id, "where": where}, n_clicks=0,
                       className="linklike", title="open the document")


def message(text: str, level: str = "info") -> html.Div:
    return html.Div(text, className=f"msg msg-{level}")


def search_results(hits: Sequence[SearchHit], query: str) -> list[Any]:
    if not query.strip():
        return []
    if not hits:
        return [message(f"no entity matches “{query.strip()}”", "muted")]
    items = []
    for h in hits:
        alias = next((a for a in h.aliases if query.strip().lower() in a.lower()), None)
        items.append(html.Button(
            [type_badge(h.type), html.Span(h.name, className="hit-name"),
             html.Span(f" aka {alias}" if alias else "", className="hit-alias"),
             html.Span(f"{h.mention_count} mentions · {h.degree} links", className="hit-meta")],
            id={"type": ids.SEARCH_HIT, "key": h.key}, n_clicks=0, className="search-hit",
            title="add to the chart"))
    return items


def sentence(text: str, spans: Sequence[Span], names: dict[str, str] | None = None) -> html.Span:
    """A sentence with entity mentions highlighted in their type's colour."""
    children: list[Any] = []
    for piece, span in highlight(text, spans):
        if span is None:
            children.append(piece)
        else:
            title = f"{(names or {}).get(span.key, span.key)} ({span.type})"
            children.append(html.Mark(piece, className="mention", title=title,
                                      style={"backgroundColor": color_of(span.type) + "55",
                                             "borderBottom": f"2px solid {color_of(span.type)}"}))
    return html.Span(children, className="sentence")


def details_panel(d: NodeDetails | None, key: str = "") -> list[Any]:
    if d is None:
        return [message(f"entity {key!r} is no longer in the graph" if key else "click a node for its details",
                        "muted")]
    rows: list[Any] = [
        html.H3([type_badge(d.type), " ", d.name], className="panel-title"),
        html.Table(html.Tbody([
            _row("Key", html.Code(d.key)),
            _row("Aliases", ", ".join(d.aliases) if d.aliases else "—"),
            _row("Mentions", f"{d.mention_count} in {d.doc_count} document(s)"),
            _row("Links", str(d.degree)),
            _row("Knowledge base", _kb(d.kb_id)),
            *([_row("Description", d.description)] if d.description else []),
            *([_row("Curated", "yes, by an analyst")] if d.curated else []),
        ]), className="kv"),
    ]
    if d.documents:
        rows.append(html.H4("Documents mentioning it"))
        rows.append(html.Ul([
            html.Li([open_doc_link(doc.id, doc.title or doc.filename or doc.id, f"details-{i}"),
                     html.Span(f" · {doc.mentions} mention(s)", className="muted")])
            for i, doc in enumerate(d.documents)
        ], className="doc-list"))
    return rows


def _kb(kb_id: str | None) -> Any:
    if not kb_id:
        return "—"
    if kb_id[:1] == "Q" and kb_id[1:].isdigit():
        return html.A(kb_id, href=f"https://www.wikidata.org/wiki/{kb_id}", target="_blank", rel="noopener")
    return html.Code(kb_id)


def _row(label: str, value: Any) -> html.Tr:
    return html.Tr([html.Th(label), html.Td(value)])


def evidence_panel(ev: PairEvidence, names: dict[str, str], where: str = "ev") -> list[Any]:
    a, b = names.get(ev.a, ev.a), names.get(ev.b, ev.b)
    if ev.total == 0:
        return [message(f"no supporting sentence between {a} and {b} passes the filters", "muted")]
    shown = f"{len(ev.rows)} of {ev.total}" if len(ev.rows) < ev.total else str(ev.total)
    out: list[Any] = [html.H3(f"{a} — {b}", className="panel-title"),
                      html.Div(f"{shown} supporting sentence(s)", className="muted")]
    items = []
    for i, r in enumerate(ev.rows):
        doc = r.doc_title or r.doc_filename or r.doc_id[:12]
        page = f", p. {r.page}" if r.page else ""
        items.append(html.Li([
            html.Div([html.Span(names.get(r.source_key, r.source_key)),
                      html.Span(f" {r.predicate} {ARROW} ", className="predicate"),
                      html.Span(names.get(r.target_key, r.target_key)),
                      html.Span(f"  confidence {r.confidence:.2f}" if r.confidence is not None else "",
                                className="muted")], className="ev-head"),
            html.Blockquote(sentence(r.text or "(sentence text missing)", r.spans, names), className="ev-text"),
            html.Div([open_doc_link(r.doc_id, doc, f"{where}-{i}"), html.Span(page, className="muted")],
                     className="ev-doc"),
        ], className="ev-row"))
    out.append(html.Ol(items, className="evidence-list"))
    return out


def path_panel(result: PathResult) -> list[Any]:
    if not result.paths:
        return [message("no path between these entities within the hop limit (and filters)", "muted")]
    names = {k: e.name for k, e in result.entities.items()}
    out: list[Any] = [html.Div(f"{len(result.paths)} shortest path(s), {len(result.paths[0].keys) - 1} hop(s)",
                               className="muted")]
    for p_i, path in enumerate(result.paths):
        chain: list[Any] = []
        for i, key in enumerate(path.keys):
            if i:
                chain.append(html.Span(f" {ARROW} ", className="predicate"))
            ent = result.entities.get(key)
            chain.append(html.Span([type_badge(ent.type) if ent else "", " ", names.get(key, key)],
                                   className="path-node"))
        hops = []
        for h_i, hop in enumerate(path.hops):
            first = hop.rows[0] if hop.rows else None
            hops.append(html.Li([
                html.Div(f"{names.get(hop.a, hop.a)} — {names.get(hop.b, hop.b)}: {hop.total} sentence(s)",
                         className="ev-head"),
                html.Blockquote(sentence(first.text or "", first.spans, names), className="ev-text")
                if first else "",
                html.Div(open_doc_link(first.doc_id, first.doc_title or first.doc_filename or first.doc_id[:12],
                                       f"path-{p_i}-{h_i}"), className="ev-doc") if first else "",
            ]))
        out.append(html.Div([html.Div(chain, className="path-chain"), html.Ol(hops, className="evidence-list")],
                            className="path"))
    return out


def document_panel(view: DocumentView | None, doc_id: str = "") -> list[Any]:
    if view is None:
        return [message(f"document {doc_id[:12]}… is not in the graph", "muted")]
    d = view.document
    meta = " · ".join(x for x in [d.filename, f"{view.pages} page(s)" if view.pages else None, view.language,
                                  f"ingested {d.ingested_at[:10]}" if d.ingested_at else None, d.status] if x)
    by_sentence: dict[int, list[Span]] = {}
    names: dict[str, str] = {}
    sentences = {s.idx: s for s in view.sentences}
    for m in view.mentions:
        sent = sentences.get(m.sentence_idx)
        if sent is None:
            continue
        names[m.key] = m.name
        by_sentence.setdefault(m.sentence_idx, []).append(
            Span(key=m.key, type=m.type, start=m.start - sent.start, end=m.end - sent.start))
    body: list[Any] = []
    page = None
    para: list[Any] = []
    for s in view.sentences:
        if s.page != page and s.page is not None:
            if para:
                body.append(html.P(para))
                para = []
            page = s.page
            body.append(html.Div(f"— page {page} —", className="page-break"))
        para += [sentence(s.text, by_sentence.get(s.idx, []), names), " "]
    if para:
        body.append(html.P(para))
    types = sorted({m.type for m in view.mentions})
    out: list[Any] = [
        html.H3(d.title or d.filename or d.id, className="panel-title"),
        html.Div(meta, className="muted"),
        html.Div([html.Span([type_badge(t)], className="legend-item") for t in types], className="doc-types"),
        html.Div(body, className="doc-text"),
    ]
    if view.truncated:
        out.append(message(f"showing the first {len(view.sentences)} of {view.sentence_count} sentences", "muted"))
    return out


def status_line(stats: GraphStats | None, error: str | None = None) -> list[Any]:
    if error:
        return [html.Span("●", className="dot dot-down"), html.Span(f" Neo4j unavailable: {error}")]
    if stats is None:
        return [html.Span("●", className="dot"), html.Span(" connecting to Neo4j…")]
    last = stats.last_ingested[:16].replace("T", " ") if stats.last_ingested else "never"
    return [html.Span("●", className="dot dot-up"),
            html.Span(f" Neo4j connected · {stats.entities:,} entities · {stats.relations:,} relations · "
                      f"{stats.documents:,} documents · last ingestion {last}")]


def legend_panel() -> list[Any]:
    return [html.Span([html.Span(className=f"swatch shape-{t['shape']}", style={"backgroundColor": t["color"]}),
                       t["label"]], className="legend-item", title=t["description"])
            for t in legend()]
