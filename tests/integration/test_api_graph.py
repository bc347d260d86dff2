"""The graph endpoints of the HTTP API against the real Neo4j holding the case graph of
tests/factories/query_case.py: search, entity details, neighbours, relation evidence, documents and
saved queries, each with its bad input."""

from __future__ import annotations

import pytest

from tests.factories.api import api_settings, assert_error, client_for, path_segment
from tests.factories.query_case import CARLOS, DANA, LUIS, METH, SURENOS, arrest, write_case_graph


@pytest.fixture()
def client(graph_db, tmp_path):
    write_case_graph(graph_db)
    with client_for(api_settings(graph_db, tmp_path)) as c:
        yield c


def entity_url(key: str, tail: str = "") -> str:
    return f"/api/entities/{path_segment(key)}{tail}"


# ------------------------------------------------------------------------------------ search
def test_search_by_name_alias_and_type(client):
    hits = client.get("/api/entities", params={"q": "carlos"}).json()
    assert hits[0]["key"] == CARLOS and hits[0]["type"] == "PERSON"
    assert client.get("/api/entities", params={"q": "el fla"}).json()[0]["key"] == CARLOS  # alias, prefix
    assert client.get("/api/entities", params={"q": "sure", "type": "PERSON"}).json() == []
    gangs = client.get("/api/entities", params={"q": "sure", "type": ["GANG_ORG", "PERSON"]}).json()
    assert [h["key"] for h in gangs] == [SURENOS]
    assert client.get("/api/entities", params={"q": "nobody-of-that-name"}).json() == []


def test_search_bad_input(client):
    assert_error(client.get("/api/entities"), 422, "invalid_request")
    body = assert_error(client.get("/api/entities", params={"q": ""}), 422, "invalid_request")
    assert body["detail"][0]["loc"] == ["query", "q"]
    assert_error(client.get("/api/entities", params={"q": "x", "type": "ALIEN"}), 422, "invalid_request")
    assert_error(client.get("/api/entities", params={"q": "x", "limit": 0}), 422, "invalid_request")
    assert_error(client.get("/api/entities", params={"q": "x" * 501}), 422, "invalid_request")
    # Lucene syntax in the text is searched for, not parsed.
    assert client.get("/api/entities", params={"q": 'carlos AND "(*'}).status_code == 200


# ------------------------------------------------------------------------------------ details
def test_entity_details(client):
    body = client.get(entity_url(CARLOS)).json()
    assert (body["key"], body["name"], body["type"]) == (CARLOS, "Carlos Mendez", "PERSON")
    assert "El Flaco" in body["aliases"]
    assert "Person" in body["labels"]
    # The arrest report, the surveillance log and the tip all mention him.
    assert sorted(d["filename"] for d in body["documents"]) == ["arrest.txt", "surveillance.txt", "tip.txt"]
    assert len(client.get(entity_url(CARLOS), params={"documents": 1}).json()["documents"]) == 1


def test_entity_unknown(client):
    body = assert_error(client.get(entity_url("person:nobody")), 404, "not_found")
    assert "person:nobody" in body["detail"]
    assert_error(client.get(entity_url(CARLOS), params={"documents": 0}), 422, "invalid_request")


# ------------------------------------------------------------------------------------ neighbours
def test_neighbours_paged_and_filtered(client):
    page = client.get(entity_url(CARLOS, "/neighbors")).json()
    # Carlos is linked to Dana (sold_to, drove), the meth, the Sureños and Luis (met).
    assert page["total"] == 4 and page["next_offset"] is None
    keys = [n["key"] for n in page["neighbours"]]
    assert sorted(keys) == sorted([DANA, METH, SURENOS, LUIS])
    assert keys[0] == DANA and page["neighbours"][0]["evidence"] == 2
    assert page["neighbours"][0]["relation_id"] == f"{CARLOS}|{DANA}"

    first = client.get(entity_url(CARLOS, "/neighbors"), params={"limit": 3}).json()
    assert len(first["neighbours"]) == 3 and first["next_offset"] == 3
    rest = client.get(entity_url(CARLOS, "/neighbors"), params={"limit": 3, "offset": 3}).json()
    assert len(rest["neighbours"]) == 1 and rest["next_offset"] is None
    assert {n["key"] for n in first["neighbours"] + rest["neighbours"]} == set(keys)

    drugs = client.get(entity_url(CARLOS, "/neighbors"), params={"type": "DRUG"}).json()
    assert [n["key"] for n in drugs["neighbours"]] == [METH]
    strong = client.get(entity_url(CARLOS, "/neighbors"), params={"min_evidence": 2}).json()
    assert [n["key"] for n in strong["neighbours"]] == [DANA]
    met = client.get(entity_url(CARLOS, "/neighbors"), params={"predicate": "met"}).json()
    assert [n["key"] for n in met["neighbours"]] == [LUIS]


def test_neighbours_bad_input(client):
    assert_error(client.get(entity_url("person:nobody", "/neighbors")), 404, "not_found")
    assert_error(client.get(entity_url(CARLOS, "/neighbors"), params={"offset": -1}), 422)
    assert_error(client.get(entity_url(CARLOS, "/neighbors"), params={"limit": "many"}), 422)


# ------------------------------------------------------------------------------------ evidence
def test_relation_evidence_either_direction(client):
    url = f"/api/relations/{path_segment(CARLOS + '|' + DANA)}/evidence"
    body = client.get(url).json()
    assert body["relation_id"] == f"{CARLOS}|{DANA}" and body["total"] == 2
    assert {r["predicate"] for r in body["rows"]} == {"sold_to", "drove"}
    sold = next(r for r in body["rows"] if r["predicate"] == "sold_to")
    assert sold["text"] == "Carlos Mendez sold methamphetamine to Dana Price."
    assert sold["doc_filename"] == "arrest.txt"
    spans = {s["key"]: sold["text"][s["start"]:s["end"]] for s in sold["spans"]}
    assert spans == {CARLOS: "Carlos Mendez", DANA: "Dana Price"}

    reverse = client.get(f"/api/relations/{path_segment(DANA + '|' + CARLOS)}/evidence").json()
    assert reverse["total"] == 2
    drove = client.get(url, params={"predicate": "drove"}).json()
    assert [r["predicate"] for r in drove["rows"]] == ["drove"]
    assert len(client.get(url, params={"limit": 1}).json()["rows"]) == 1


def test_relation_evidence_bad_input(client):
    def get(rid: str):
        return client.get(f"/api/relations/{path_segment(rid)}/evidence")

    assert_error(get("no separator"), 400, "bad_relation_id")
    assert_error(get(f"{CARLOS}|{CARLOS}"), 400, "bad_relation_id")
    assert_error(get(f"{CARLOS}|{DANA}|{LUIS}"), 400, "bad_relation_id")
    assert_error(get(f"{CARLOS}|person:nobody"), 404, "not_found")
    body = assert_error(get(f"{DANA}|{METH}"), 404, "not_found")  # both exist, never linked
    assert "not linked" in body["detail"]


# ------------------------------------------------------------------------------------ documents
def test_documents(client):
    report = arrest()
    listed = client.get("/api/documents").json()
    assert sorted(d["filename"] for d in listed) == ["arrest.txt", "surveillance.txt", "tip.txt"]

    body = client.get(f"/api/documents/{report.document.id}").json()
    assert body["document"]["id"] == report.document.id and body["document"]["status"] == "ingested"
    assert body["sentence_count"] == 4 and body["truncated"] is False
    assert [s["text"] for s in body["sentences"]] == [s.text for s in report.sentences]
    carlos = [m for m in body["mentions"] if m["key"] == CARLOS]
    assert {report.text[m["start"]:m["end"]] for m in carlos} == {"Carlos Mendez", "El Flaco"}

    short = client.get(f"/api/documents/{report.document.id}", params={"sentences": 1}).json()
    assert len(short["sentences"]) == 1 and short["truncated"] is True
    bare = client.get(f"/api/documents/{report.document.id}", params={"sentences": 0}).json()
    assert bare["sentences"] == [] and bare["mentions"] == [] and bare["sentence_count"] == 4


def test_documents_bad_input(client):
    assert_error(client.get("/api/documents/" + "0" * 64), 404, "not_found")
    assert_error(client.get("/api/documents/not-a-sha256"), 422, "invalid_request")
    assert_error(client.get("/api/documents/" + "A" * 64), 422, "invalid_request")
    assert_error(client.get("/api/documents", params={"limit": 0}), 422)


# ------------------------------------------------------------------------------------ saved queries
def test_saved_queries(client):
    listed = {q["name"]: q for q in client.get("/api/cypher").json()}
    assert "co_occurring" in listed
    assert {p["name"]: p["required"] for p in listed["co_occurring"]["params"]} == {
        "entity": True, "type": False, "limit": False}

    body = client.post("/api/cypher/co_occurring", json={"params": {"entity": "Carlos Mendez", "limit": 5}}).json()
    assert body["columns"] == ["entity", "type", "sentences", "documents"]
    # Dana Price shares two sentences with him (the sale, the drive): more than anyone else.
    top = body["rows"][0]
    assert top["entity"]["key"] == DANA and top["sentences"] == 2 and "Person" in top["entity"]["_labels"]
    assert body["truncated"] is False

    capped = client.post("/api/cypher/co_occurring", json={"params": {"entity": CARLOS}, "max_rows": 1}).json()
    assert len(capped["rows"]) == 1 and capped["truncated"] is True
    by_alias = client.post("/api/cypher/aliases", json={"params": {"entity": "El Flaco"}})
    assert by_alias.status_code == 200


def test_saved_queries_bad_input(client):
    def run(name: str, body: object = None, **kw: object):
        return client.post(f"/api/cypher/{name}", json=body, **kw)

    assert_error(run("no_such_query", {}), 404, "unknown_query")
    assert "needs parameter" in assert_error(run("co_occurring", {}), 400, "query_refused")["detail"]
    assert_error(run("co_occurring", {"params": {"entity": CARLOS, "colour": "red"}}), 400, "query_refused")
    assert_error(run("co_occurring", {"params": {"entity": CARLOS, "limit": "many"}}), 400, "query_refused")
    assert_error(run("co_occurring", {"params": {"entity": CARLOS, "type": "ALIEN"}}), 400, "query_refused")
    missing = assert_error(run("co_occurring", {"params": {"entity": "Carlos Mendes"}}), 400, "query_refused")
    assert "did you mean Carlos Mendez" in missing["detail"]
    # Neo4j's own refusal (a negative LIMIT) is a 400 too, not a server error.
    assert_error(run("co_occurring", {"params": {"entity": CARLOS, "limit": -1}}), 400, "query_refused")
    assert_error(run("co_occurring", {"params": {"entity": CARLOS, "limit": 2**70}}), 422, "invalid_request")
    assert_error(run("co_occurring", {"params": {}, "sql": "DROP"}), 422, "invalid_request")
    assert_error(run("co_occurring", {"params": [1, 2]}), 422, "invalid_request")
    assert_error(run("co_occurring", {"max_rows": -1}), 422, "invalid_request")
    bad_json = client.post("/api/cypher/co_occurring", content=b"{not json",
                           headers={"content-type": "application/json"})
    assert_error(bad_json, 422, "invalid_request")
