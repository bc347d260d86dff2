"""Saved-query headers and parameter validation (no database needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cypher.guard import parameter_names
from cypher.runner import adhoc_query, lucene_fuzzy, undeclared_parameters
from cypher.saved import (
    QUERIES_DIR,
    ParameterError,
    QueryHeaderError,
    UnknownQueryError,
    bind,
    list_queries,
    load_query,
    parse_assignments,
    parse_query,
)

# The questions issue 7 asks the library to answer, by the saved query that answers each.
EXPECTED_LIBRARY = {
    "entity_profile", "co_occurring", "shortest_paths", "gang_members", "drugs_linked",
    "documents_mentioning_both", "brokers", "new_entities", "shared_contacts", "two_hop_network",
    "aliases", "find_entities", "link_evidence",
}


def test_library_holds_every_query_with_a_complete_header():
    queries = list_queries()
    assert {q.name for q in queries} == EXPECTED_LIBRARY
    assert len(list(QUERIES_DIR.glob("*.cypher"))) == len(queries)
    for q in queries:
        assert q.description and len(q.description) > 30, q.name
        assert all(p.description for p in q.params), q.name
        # The header declares exactly the parameters the Cypher uses.
        assert set(parameter_names(q.text)) == {p.name for p in q.params}, q.name
        assert undeclared_parameters(q) == []


def test_header_is_parsed_into_typed_parameters():
    q = load_query("co_occurring")
    assert q.name == "co_occurring"
    assert q.description.startswith("Who co-occurs most with an entity")
    assert q.description.endswith("most shared sentences first.")  # continuation line joined
    entity, etype, limit = q.params
    assert (entity.name, entity.type, entity.required) == ("entity", "entity", True)
    assert (etype.type, etype.required, etype.default) == ("entity_type", False, None)
    assert (limit.type, limit.default) == ("int", 10)
    assert limit.signature() == "limit: int = 10"
    gang = load_query("gang_members").param("gang")
    assert gang.entity_types == ("GANG_ORG",) and gang.signature() == "gang: entity(GANG_ORG) = null"


def test_header_defaults_of_every_type():
    q = parse_query(
        "// @name typed\n"
        "// @param s: string = 'two words'   text\n"
        "// @param f: float = 0.5             a number\n"
        "// @param b: bool = true             a flag\n"
        "// @param d: date = 2024-03-01       a day\n"
        "// @param t: datetime = 2024-03-01T10:30   a moment\n"
        "// @param k: entity_type = person    a type\n"
        "RETURN $s, $f, $b, $d, $t, $k"
    )
    assert [p.default for p in q.params] == [
        "two words", 0.5, True, date(2024, 3, 1), datetime(2024, 3, 1, 10, 30, tzinfo=UTC), "PERSON"]


@pytest.mark.parametrize(("text", "message"), [
    ("// @name other\nRETURN 1", "differs from the file name"),
    ("// @description no name\nRETURN 1", "has no `// @name"),
    ("// @name x\n// @param n: integer\nRETURN $n", "unknown type 'integer'"),
    ("// @name x\n// @param n int\nRETURN $n", "expected `NAME: TYPE"),
    ("// @name x\n// @param n: int = ten\nRETURN $n", "default of 'n'"),
    ("// @name x\n// @param e: entity(MONSTER)\nRETURN $e", "MONSTER"),
    ("// @name x\n// @param a: int\n// @param a: int\nRETURN $a", "declared twice"),
    ("// @name x\n// @returns rows\nRETURN 1", "unknown header tag @returns"),
])
def test_malformed_headers_are_reported(text, message):
    with pytest.raises(QueryHeaderError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_query(text, name="x")


def test_unknown_query_lists_the_library():
    with pytest.raises(UnknownQueryError) as err:
        load_query("who_did_it")
    assert "no saved query named 'who_did_it'" in str(err.value)
    assert "co_occurring" in str(err.value)
    with pytest.raises(UnknownQueryError):
        load_query("../write/merge_documents")  # no way out of the library


def test_bind_coerces_text_from_command_lines_and_forms():
    q = load_query("brokers")
    assert bind(q, {}) == {"type": None, "min_confidence": 0.0, "limit": 10}
    assert bind(q, {"type": "person", "min_confidence": "0.7", "limit": "3"}) == {
        "type": "PERSON", "min_confidence": 0.7, "limit": 3}
    assert bind(q, {"limit": ""})["limit"] == 10  # a blank form field means the default
    assert bind(load_query("drugs_linked"), {"entity": "x", "through_people": "yes"})["through_people"] is True
    since = bind(load_query("new_entities"), {"since": "2024-05-01"})["since"]
    assert since == datetime(2024, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize(("name", "values", "message"), [
    ("brokers", {"limt": "3"}, "has no parameter(s) limt (its parameters: type, min_confidence, limit)"),
    ("co_occurring", {}, "needs parameter(s): entity: entity"),
    ("brokers", {"limit": "ten"}, "parameter 'limit' (int): cannot use 'ten'"),
    ("brokers", {"limit": 2.5}, "expected a whole number"),
    ("brokers", {"type": "MONSTER"}, "entity type 'MONSTER' is not in the domain schema"),
    ("drugs_linked", {"entity": "x", "through_people": "maybe"}, "expected true or false"),
    ("new_entities", {"since": "last tuesday"}, "parameter 'since' (datetime)"),
])
def test_bind_rejects_bad_parameters_clearly(name, values, message):
    with pytest.raises(ParameterError) as err:
        bind(load_query(name), values)
    assert message in str(err.value)


def test_command_line_assignments():
    assert parse_assignments(["a=1", "b = x=y", "c="]) == {"a": "1", "b": " x=y", "c": ""}
    with pytest.raises(ParameterError, match="expected NAME=VALUE"):
        parse_assignments(["entity"])


def test_adhoc_queries_with_and_without_header():
    bare = adhoc_query("MATCH (e:Entity {key: $key}) RETURN e LIMIT $n")
    assert [(p.name, p.type, p.required) for p in bare.params] == [("key", "any", True), ("n", "any", True)]
    assert bind(bare, {"key": "person:x", "n": "5"}) == {"key": "person:x", "n": 5}  # JSON literal
    headed = adhoc_query("// @name mine\n// @param n: int = 3  rows\nMATCH (e) RETURN e LIMIT $n")
    assert headed.name == "mine" and headed.params[0].default == 3
    sloppy = adhoc_query("// @name mine\n// @param n: int = 3  rows\nMATCH (e) WHERE e.x = $x RETURN e LIMIT $n")
    assert undeclared_parameters(sloppy) == ["x"]


def test_lucene_fuzzy_escapes_user_text():
    assert lucene_fuzzy("Carlos Mendes") == "carlos~ mendes~"
    assert lucene_fuzzy('A:b (c) "d" AND') == r'a\:b~ \(c\)~ \"d\"~ and~'
