"""FollowTheMoney (the model of OCCRP Aleph / OpenAleph) through the `followthemoney` library.

Export: entities by casegraph type (TYPE_SCHEMA, docs/exchange.md says why), typed links as FtM
interval entities (LINK_SCHEMA) carrying the evidence sentence (`description`), its id
(`recordId`) and the Document entity (`proof`), and each document as a Document entity.
Import: Person / LegalEntity family / Address / Vehicle entities as knowledge-base entries.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from casegraph.core.errors import CasegraphError
from graph.export import CaseExport
from nlp.kb import KBEntry

log = logging.getLogger(__name__)

NAMESPACE = "casegraph"
# casegraph type -> (FtM schema, topics). Gangs are Organizations with the `crime` topic (FtM has
# no gang schema; LegalEntity would lose the organisation's nature); places are Addresses (their
# `full` form); drugs, weapons and money are Assets (seized or traded goods); phone numbers and
# e-mail addresses are UserAccounts (FtM's entity for an identifier others link to); offences are
# Events. NORP (nationalities, religious and political groups) has no FtM counterpart: left out.
TYPE_SCHEMA: dict[str, tuple[str, list[str]]] = {
    "PERSON": ("Person", []),
    "ORG": ("Organization", []),
    "GANG_ORG": ("Organization", ["crime"]),
    "GPE": ("Address", []),
    "LOC": ("Address", []),
    "FAC": ("Address", []),
    "VEHICLE": ("Vehicle", []),
    "DRUG": ("Asset", []),
    "WEAPON": ("Asset", []),
    "MONEY": ("Asset", []),
    "PHONE": ("UserAccount", []),
    "EMAIL": ("UserAccount", []),
    "CRIME": ("Event", []),
}
# predicate -> (schema, property of the source, property of the target, role). Anything else, and a
# link whose ends do not fit the schema's ranges, is an UnknownLink(subject, object, role=predicate).
LINK_SCHEMA: dict[str, tuple[str, str, str, str | None]] = {
    "member_of": ("Membership", "member", "organization", None),
    "leader_of": ("Membership", "member", "organization", "leader"),
    "works_for": ("Employment", "employee", "employer", None),
    "associate_of": ("Associate", "person", "associate", None),
}
FALLBACK_LINK = ("UnknownLink", "subject", "object", None)


def _id(*parts: str) -> str:
    proxy = model.make_entity("Thing")
    made = proxy.make_id(NAMESPACE, *parts)
    assert made is not None
    return made


def entity_id(key: str) -> str:
    return _id("entity", key)


def document_id(doc_id: str) -> str:
    return _id("document", doc_id)


def _entity(row: dict[str, Any]) -> EntityProxy | None:
    mapped = TYPE_SCHEMA.get(row["type"] or "")
    if mapped is None:
        return None
    schema, topics = mapped
    proxy = model.make_entity(schema)
    proxy.id = entity_id(row["key"])
    name = row["name"] or row["key"]
    proxy.add("name", name)
    if schema == "Address":
        proxy.add("full", name)
    if schema == "UserAccount":
        proxy.add("phone" if row["type"] == "PHONE" else "email", name, quiet=True)
    proxy.add("alias", row["aliases"] or [], quiet=True)
    proxy.add("topics", topics)
    proxy.add("description", row["description"], quiet=True)
    proxy.add("summary", f"{row['mentions']} mentions in {row['docs']} documents (casegraph {row['type']})")
    proxy.add("keywords", row["type"])
    kb_id = row["kb_id"] or ""
    if kb_id.startswith("Q") and kb_id[1:].isdigit():
        proxy.add("wikidataId", kb_id, quiet=True)
    return proxy


def _document(row: dict[str, Any]) -> EntityProxy:
    proxy = model.make_entity("Document")
    proxy.id = document_id(row["id"])
    proxy.add("title", row["title"] or row["filename"] or row["path"])
    proxy.add("fileName", row["filename"] or Path(row["path"] or "").name, quiet=True)
    proxy.add("mimeType", row["mime"], quiet=True)
    proxy.add("language", row["language"], quiet=True)
    # FtM's contentHash is a SHA-1; casegraph's document id is the SHA-256 of the bytes.
    proxy.add("summary", f"casegraph document {row['id']} (SHA-256), case {row['case'] or '-'}")
    proxy.add("fileSize", row["size"], quiet=True)
    if row["parent_id"]:
        proxy.add("parent", document_id(row["parent_id"]))
    return proxy


def _link(row: dict[str, Any], ends: dict[str, EntityProxy], docs: set[str]) -> EntityProxy | None:
    source, target = ends.get(row["source"]), ends.get(row["target"])
    if source is None or target is None:
        return None
    schema_name, a_prop, b_prop, role = LINK_SCHEMA.get(row["predicate"], FALLBACK_LINK)
    schema = model.get(schema_name)
    assert schema is not None
    a_range, b_range = schema.get(a_prop), schema.get(b_prop)
    if a_range is None or b_range is None or a_range.range is None or b_range.range is None or not (
            source.schema.is_a(a_range.range) and target.schema.is_a(b_range.range)):
        schema_name, a_prop, b_prop, role = FALLBACK_LINK
    proxy = model.make_entity(schema_name)
    proxy.id = _id("link", row["source"], row["predicate"], row["target"], row["sentence_id"] or row["doc_id"])
    proxy.add(a_prop, source.id)
    proxy.add(b_prop, target.id)
    proxy.add("role", role or row["predicate"], quiet=True)
    proxy.add("relationship", row["predicate"], quiet=True)
    proxy.add("description", row["sentence"], quiet=True)
    proxy.add("recordId", row["sentence_id"], quiet=True)
    proxy.add("date", row["date"], quiet=True)
    extras = [f"predicate {row['predicate']}", f"confidence {row['confidence']}"]
    extras += [f"{k} {row[k]}" for k in ("extractor", "stage") if row.get(k)]
    proxy.add("summary", "; ".join(extras))
    if row["doc_id"] in docs:
        proxy.add("proof", document_id(row["doc_id"]))
    return proxy


def to_ftm(export: CaseExport) -> list[EntityProxy]:
    """The export as FtM entities: documents, entities, then links."""
    documents = [_document(d) for d in export.documents]
    ends: dict[str, EntityProxy] = {}
    for row in export.entities:
        proxy = _entity(row)
        if proxy is None:
            log.debug("no FtM schema for %s (%s): left out", row["key"], row["type"])
            continue
        ends[row["key"]] = proxy
    docs = {d["id"] for d in export.documents}
    links = [p for p in (_link(r, ends, docs) for r in export.relations) if p is not None]
    return [*documents, *ends.values(), *links]


def write_ftm(entities: Iterable[EntityProxy], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for proxy in entities:
            fh.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n


def read_ftm(path: Path) -> Iterator[EntityProxy]:
    """FtM entities of a JSON-lines file, each checked against the model; a bad line is an error
    naming the file and line."""
    with path.open(encoding="utf-8-sig") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield model.get_proxy(json.loads(line), cleaned=False)
            except (json.JSONDecodeError, InvalidData, TypeError, AttributeError) as exc:
                raise CasegraphError(f"{path}:{line_no}: not a FollowTheMoney entity ({exc})") from exc


# FtM schema -> KB type, most specific first; a LegalEntity with the `crime` topic is a gang.
KB_SCHEMA = (("Person", "PERSON"), ("LegalEntity", "ORG"), ("Address", "LOC"), ("Vehicle", "VEHICLE"))
ID_PROPERTIES = ("idNumber", "registrationNumber", "passportNumber", "taxNumber", "leiCode", "innCode",
                 "ogrnCode", "vatCode", "swiftBic")


def _kb_type(proxy: EntityProxy) -> str | None:
    for schema, kb_type in KB_SCHEMA:
        if proxy.schema.is_a(schema):
            if kb_type == "ORG" and any(t.startswith("crime") for t in proxy.get("topics", quiet=True)):
                return "GANG_ORG"
            return kb_type
    return None


def kb_entries(entities: Iterable[EntityProxy]) -> list[KBEntry]:
    """Knowledge-base entries of FtM entities: names and aliases, birth date, phones, identifiers,
    and group memberships (from Membership entities between two imported entities)."""
    entities = list(entities)
    entries: dict[str, KBEntry] = {}
    for proxy in entities:
        kb_type = _kb_type(proxy)
        names = proxy.get("name", quiet=True)
        if kb_type is None or not names or proxy.id is None:
            continue
        aliases = [*names[1:], *(v for p in ("alias", "weakAlias", "previousName")
                                 for v in proxy.get(p, quiet=True))]
        wikidata = next(iter(proxy.get("wikidataId", quiet=True)), None)
        entries[proxy.id] = KBEntry(
            name=names[0], type=kb_type, aliases=aliases, description=proxy.first("description", quiet=True) or "",
            wikidata=wikidata if wikidata and wikidata[1:].isdigit() else None,
            birth_date=proxy.first("birthDate", quiet=True),
            phones=proxy.get("phone", quiet=True),
            identifiers=[v for p in ID_PROPERTIES for v in proxy.get(p, quiet=True)],
        )
    for proxy in entities:
        if proxy.schema.is_a("Membership"):
            member = entries.get(proxy.first("member") or "")
            group = entries.get(proxy.first("organization") or "")
            if member is not None and group is not None:
                member.member_of.append(group.kb_id)
    return list(entries.values())
