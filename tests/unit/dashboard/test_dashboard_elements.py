"""The link chart's pure parts: element builders, chart changes, exports, styling and panels."""

from __future__ import annotations

import csv
import io
import json

from dash import html

from casegraph.core.domain import load_domain
from dashboard import elements as el
from dashboard import panels
from dashboard.callbacks.common import bounded_int, make_filters, min_evidence
from dashboard.style import LAYOUTS, layout_options, legend, stylesheet
from graph.read import EntitySummary, EvidenceRow, Filters, Link, PairEvidence, Span


def ent(key: str, etype: str = "PERSON", degree: int = 1, mentions: int = 1) -> EntitySummary:
    return EntitySummary(key=key, name=key.split(":")[-1].title(), type=etype, degree=degree,
                         mention_count=mentions)


def link(a: str, b: str, n: int = 1, fwd: int | None = None, preds: dict[str, int] | None = None) -> Link:
    x, y = sorted((a, b))
    fwd = n if fwd is None else fwd
    return Link(source=x, target=y, evidence=n, forward=fwd, backward=n - fwd, predicates=preds or {"met": n})


def chart(*keys: str, links: list[Link] | None = None) -> list[dict]:
    elements, _, _ = el.add_entities([], [ent(k) for k in keys])
    return el.set_links(elements, links or [])


def ids_of(elements: list[dict]) -> set[str]:
    return {e["data"]["id"] for e in elements}


def test_node_element_styling_data():
    node = el.node_element(ent("gang_org:surenos", "GANG_ORG", degree=40, mentions=3))
    assert node["data"]["id"] == "gang_org:surenos" and node["data"]["label"] == "Surenos"
    assert node["classes"] == "entity t-GANG_ORG"
    small, big = el.node_size(0, 0, "degree"), el.node_size(1000, 0, "degree")
    assert small == el.MIN_SIZE and big == el.MAX_SIZE and small < el.node_size(5, 0, "degree") < big
    assert el.node_size(0, 50, "mentions") > el.node_size(0, 50, "degree")


def test_link_element_width_label_direction():
    one = el.link_element(link("p:a", "p:b", 1))
    many = el.link_element(link("p:a", "p:b", 12, fwd=4, preds={"called": 9, "met": 3}))
    assert one["data"]["width"] < many["data"]["width"] <= 14
    assert one["classes"] == "fwd" and many["classes"] == "both"
    assert many["data"]["label"] == "called +1 ×12"
    assert many["data"]["predicates"] == "called ×9, met ×3"
    assert one["data"]["id"] == el.edge_id("p:b", "p:a")  # one edge per pair, whichever way round
    back = el.link_element(link("p:a", "p:b", 2, fwd=0))
    assert back["classes"] == "back"


def test_add_entities_skips_present_and_respects_cap():
    elements, added, left = el.add_entities([], [ent("p:a"), ent("p:b")], max_nodes=3)
    assert added == ["p:a", "p:b"] and left == 0
    elements, added, left = el.add_entities(elements, [ent("p:a"), ent("p:c"), ent("p:d")], max_nodes=3)
    assert added == ["p:c"] and left == 1
    assert el.node_keys(elements) == ["p:a", "p:b", "p:c"]


def test_set_links_keeps_only_edges_between_chart_nodes_and_path_marks():
    elements = chart("p:a", "p:b", "p:c")
    elements = el.set_links(elements, [link("p:a", "p:b"), link("p:b", "p:x")])
    assert ids_of(elements) == {"p:a", "p:b", "p:c", el.edge_id("p:a", "p:b")}
    marked = el.mark_paths(elements, [["p:a", "p:b"]])
    relinked = el.set_links(marked, [link("p:a", "p:b", 3), link("p:b", "p:c")])
    edges = {e["data"]["id"]: e for e in relinked if el.is_edge(e)}
    assert el.flag(edges[el.edge_id("p:a", "p:b")], "path") and edges[el.edge_id("p:a", "p:b")]["data"]["evidence"] == 3
    assert not el.flag(edges[el.edge_id("p:b", "p:c")], "path")


def test_remove_and_collapse():
    elements = chart("p:hub", "p:a", "p:b", "p:c",
                     links=[link("p:hub", "p:a"), link("p:hub", "p:b"), link("p:b", "p:c"), link("p:hub", "p:c")])
    gone = el.remove_nodes(elements, ["p:b"])
    assert "p:b" not in ids_of(gone) and not any(e["data"].get("source") == "p:b" or e["data"].get("target") == "p:b"
                                                 for e in gone)
    # Collapsing the hub removes only neighbours linked to nothing else, and never pinned ones.
    assert el.node_keys(el.collapse(elements, "p:hub")) == ["p:hub", "p:b", "p:c"]
    pinned = el.toggle_pin(elements, ["p:a"])
    assert "p:a" in el.node_keys(el.collapse(pinned, "p:hub"))


def test_pin_filter_path_flags_become_classes_and_locks():
    elements = el.add_entities([], [ent("p:a"), ent("drug:x", "DRUG")])[0]
    elements = el.set_links(elements, [link("p:a", "drug:x")])
    elements = el.toggle_pin(elements, ["p:a"])
    elements = el.filter_types(elements, ["PERSON"])
    elements = el.mark_paths(elements, [["p:a", "drug:x"]])
    # dash-cytoscape hands elements back with data (and positions) only: classes come from data.
    from_page = [{"data": e["data"], "position": {"x": 1, "y": 2}} for e in elements]
    out = {e["data"]["id"]: e for e in el.finalize(from_page)}
    assert out["p:a"]["classes"] == "entity path pinned t-PERSON" and out["p:a"]["locked"] is True
    assert out["drug:x"]["classes"] == "entity filtered path t-DRUG" and out["drug:x"]["locked"] is False
    assert out[el.edge_id("p:a", "drug:x")]["classes"] == "fwd path"
    assert all("position" not in e for e in out.values())
    unpinned = el.finalize(el.filter_types(el.toggle_pin(elements, ["p:a"]), None))
    assert {e["classes"] for e in unpinned if not el.is_edge(e)} == {"entity path t-PERSON", "entity path t-DRUG"}


def test_resize_switches_size_mode():
    elements = el.add_entities([], [ent("p:a", degree=0, mentions=100)])[0]
    assert el.resize(elements, "mentions")[0]["data"]["size"] > el.resize(elements, "degree")[0]["data"]["size"]


def test_history_is_bounded():
    history: list = []
    for i in range(15):
        history = el.push_history(history, [{"data": {"id": str(i)}}], {str(i): i}, depth=10)
    assert len(history) == 10
    assert history[0] == {"elements": [{"data": {"id": "5"}}], "expanded": {"5": 5}}


def test_highlight_cuts_text_into_mentions():
    text = "Carlos Mendez sold methamphetamine to Dana Price."
    spans = [Span(key="p:d", type="PERSON", start=38, end=48), Span(key="p:c", type="PERSON", start=0, end=13),
             Span(key="x", type="DRUG", start=5, end=10),  # overlaps the first mention: dropped
             Span(key="y", type="DRUG", start=45, end=99)]  # overlaps and runs past the end: dropped
    pieces = el.highlight(text, spans)
    assert "".join(p for p, _ in pieces) == text
    assert [(p, s.key) for p, s in pieces if s] == [("Carlos Mendez", "p:c"), ("Dana Price", "p:d")]
    assert el.highlight("", spans) == []


def evidence() -> PairEvidence:
    row = EvidenceRow(source_key="p:c", target_key="p:d", predicate="sold_to", confidence=0.8, sentence_id="d1:0",
                      doc_id="d1", text='Carlos sold "ice", to Dana.', page=2, doc_title="Arrest report",
                      spans=[Span(key="p:c", type="PERSON", start=0, end=6), Span(key="p:d", type="PERSON",
                                                                                 start=22, end=26)])
    return PairEvidence(a="p:c", b="p:d", total=3, rows=[row])


def test_evidence_rows_and_csv_round_trip():
    rows = el.evidence_rows(evidence(), {"p:c": "Carlos", "p:d": "Dana"})
    parsed = list(csv.DictReader(io.StringIO(el.rows_to_csv(rows))))
    assert parsed == [{"source": "Carlos", "predicate": "sold_to", "target": "Dana",
                       "sentence": 'Carlos sold "ice", to Dana.', "document": "Arrest report", "page": "2",
                       "doc_id": "d1", "sentence_id": "d1:0", "confidence": "0.8"}]


def test_elements_json_export():
    elements = el.finalize(chart("p:a", "p:b", links=[link("p:a", "p:b", 2)]))
    data = json.loads(el.elements_to_json(elements))
    assert [n["data"]["id"] for n in data["elements"]["nodes"]] == ["p:a", "p:b"]
    assert data["elements"]["edges"][0]["data"]["evidence"] == 2


def test_stylesheet_and_legend_follow_the_domain():
    domain = load_domain()
    rules = {r["selector"]: r["style"] for r in stylesheet()}
    for t in domain.types.values():
        assert rules[f"node.t-{t.name}"] == {"background-color": t.color, "shape": t.shape}
    assert rules["edge"]["width"] == "data(width)" and rules["node"]["width"] == "data(size)"
    assert rules[".filtered"] == {"display": "none"}
    assert [x["type"] for x in legend()] == list(domain.types)
    assert layout_options("nonsense")["name"] == "fcose"
    assert all(layout_options(k)["name"] == k for k in LAYOUTS)
    assert layout_options("breadthfirst", roots=['p:"x"'])["roots"] == '[id = "p:\\"x\\""]'


def test_make_filters_combines_documents_and_dates():
    nothing = make_filters(None, [], None, None, None)
    assert nothing == Filters()  # nothing chosen: no restriction, whatever fields Filters grows
    assert {k: v for k, v in nothing.model_dump().items() if k in ("types", "predicates", "doc_ids", "min_evidence")
            } == {"types": None, "predicates": None, "doc_ids": None, "min_evidence": 1}
    f = make_filters(["PERSON"], ["met"], ["d1", "d2"], ["d2", "d3"], "3")
    assert (f.types, f.predicates, f.doc_ids, f.min_evidence) == (["PERSON"], ["met"], ["d2"], 3)
    assert make_filters(None, None, None, [], 1).doc_ids == []  # a date range with no document: nothing
    assert make_filters(None, None, None, ["d3"], 1).doc_ids == ["d3"]
    assert [min_evidence(v) for v in (None, "x", -4, 0, "2", 7.9, "1e999")] == [1, 1, 1, 1, 2, 7, 1]
    assert [bounded_int(v, 4, 1, 8) for v in (None, "", "3", 99, -1, "nan")] == [4, 4, 3, 8, 1, 4]


def texts(component) -> list[str]:
    """Every string inside a Dash component tree."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, list | tuple):
        return [t for c in component for t in texts(c)]
    children = getattr(component, "children", None)
    return texts(children) if children is not None else []


def marks(component) -> list[html.Mark]:
    if isinstance(component, list | tuple):
        return [m for c in component for m in marks(c)]
    found = [component] if isinstance(component, html.Mark) else []
    children = getattr(component, "children", None)
    return found + (marks(children) if children is not None else [])


def test_evidence_panel_highlights_both_entities_and_links_the_document():
    out = panels.evidence_panel(evidence(), {"p:c": "Carlos", "p:d": "Dana"})
    text = " ".join(texts(out))
    assert "Carlos — Dana" in text and "1 of 3 supporting sentence(s)" in text and "sold_to" in text
    assert [m.children for m in marks(out)] == ["Carlos", "Dana"]
    assert "Arrest report" in text and ", p. 2" in text
    empty = panels.evidence_panel(PairEvidence(a="p:c", b="p:d", total=0, rows=[]), {})
    assert "no supporting sentence" in " ".join(texts(empty))


def test_status_line_states():
    from graph.read import GraphStats

    up = " ".join(texts(panels.status_line(GraphStats(entities=1200, relations=5, documents=2,
                                                      last_ingested="2024-04-15T18:30:00+00:00"))))
    assert "1,200 entities" in up and "last ingestion 2024-04-15 18:30" in up
    down = " ".join(texts(panels.status_line(None, "cannot reach Neo4j at bolt://x")))
    assert "Neo4j unavailable: cannot reach Neo4j" in down


def test_document_panel_marks_mentions_in_their_sentences():
    from graph.read import DocumentRef, DocumentView, MentionView, SentenceView

    first, second = "Carlos met Dana.", "Dana left."
    view = DocumentView(
        document=DocumentRef(id="d" * 64, title="Arrest report", filename="arrest.txt"),
        sentence_count=3, pages=1,
        sentences=[SentenceView(id="s0", idx=0, text=first, page=1, start=0, end=len(first)),
                   SentenceView(id="s1", idx=1, text=second, page=1, start=len(first) + 1,
                                end=len(first) + 1 + len(second))],
        mentions=[MentionView(key="p:c", name="Carlos", type="PERSON", start=0, end=6, sentence_idx=0),
                  MentionView(key="p:d", name="Dana", type="PERSON", start=11, end=15, sentence_idx=0),
                  MentionView(key="p:d", name="Dana", type="PERSON", start=17, end=21, sentence_idx=1),
                  # a mention in a sentence past the cap is left out
                  MentionView(key="p:x", name="Xavier", type="PERSON", start=30, end=36, sentence_idx=2)])
    out = panels.document_panel(view)
    assert [(m.children, m.title) for m in marks(out)] == [
        ("Carlos", "Carlos (PERSON)"), ("Dana", "Dana (PERSON)"), ("Dana", "Dana (PERSON)")]
    text = " ".join(texts(out))
    assert "Arrest report" in text and "showing the first 2 of 3 sentences" in text
    assert "not in the graph" in " ".join(texts(panels.document_panel(None, "abc")))
