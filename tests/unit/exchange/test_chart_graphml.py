"""The chart's elements (Cytoscape) as GraphML, read back with networkx."""

from __future__ import annotations

import io

import networkx as nx

from casegraph.exchange.graphfiles import chart_graphml

ELEMENTS = [
    {"data": {"id": "person:a", "label": "Ana Ruiz", "type": "PERSON", "aliases": ["La Güera"], "mentions": 3}},
    {"data": {"id": "gang_org:b", "label": "Sureños", "type": "GANG_ORG"}},
    {"data": {"id": "e1", "source": "person:a", "target": "gang_org:b", "predicates": ["member_of"],
              "evidence": 2}},
    {"data": {"id": "e2", "source": "person:a", "target": "person:gone", "evidence": 1}},  # end not on chart
]


def test_chart_elements_become_graphml() -> None:
    back = nx.read_graphml(io.BytesIO(chart_graphml(ELEMENTS).encode()))
    assert set(back.nodes) == {"person:a", "gang_org:b"}
    assert back.number_of_edges() == 1
    assert back.nodes["person:a"]["aliases"] == "La Güera" and back.nodes["person:a"]["mentions"] == 3
    (_, _, data), = back.edges(data=True)
    assert data["predicates"] == "member_of" and data["evidence"] == 2
