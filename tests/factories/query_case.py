"""The gang case behind the saved-query, console and HTTP API tests: three documents about a
drug-dealing gang, with an alias, a shared phone and a shared e-mail address, written by the real
GraphWriter.

Every expected result in tests/integration/test_cypher_queries.py is derived by hand from these sentences.
"""

from __future__ import annotations

from casegraph.core.models import DocumentResult, MentionRecord
from casegraph.core.settings import Settings
from tests.factories.documents import case_document, write_documents

CARLOS, DANA, LUIS, MARIA = ("person:carlos mendez", "person:dana price", "person:luis ortega",
                             "person:maria vega")
METH, FENTANYL, SURENOS, GLOCK = ("drug:methamphetamine", "drug:fentanyl", "gang_org:surenos",
                                  "weapon:glock pistol")
PHONE, EMAIL = "phone:5550142", "email:ortega@example.com"

ENTITIES = [
    (CARLOS, "Carlos Mendez", "PERSON"),
    (DANA, "Dana Price", "PERSON"),
    (LUIS, "Luis Ortega", "PERSON"),
    (MARIA, "Maria Vega", "PERSON"),
    (METH, "methamphetamine", "DRUG"),
    (FENTANYL, "fentanyl", "DRUG"),
    (SURENOS, "Sureños", "GANG_ORG"),
    (GLOCK, "Glock pistol", "WEAPON"),
    (PHONE, "555-0142", "PHONE"),
    (EMAIL, "ortega@example.com", "EMAIL"),
]
ALIASES = {CARLOS: ["El Flaco"]}

ARREST = [
    "Carlos Mendez sold methamphetamine to Dana Price.",
    "Carlos Mendez is a member of the Sureños.",
    "Dana Price called 555-0142 twice.",
    "El Flaco was seen at the motel.",
]
ARREST_RELATIONS = [
    (CARLOS, DANA, "sold_to", 0),
    (CARLOS, METH, "sold", 0),
    (CARLOS, SURENOS, "member_of", 1),
    (DANA, PHONE, "called", 2),
]
SURVEILLANCE = [
    "Luis Ortega is a member of the Sureños.",
    "Luis Ortega called 555-0142 from the motel.",
    "Luis Ortega met Carlos Mendez at the motel.",
    "Luis Ortega sold fentanyl and carried a Glock pistol.",
    "The Sureños control the fentanyl trade.",
    "Luis Ortega writes from ortega@example.com.",
    "Luis Ortega recruits for the Sureños.",
]
SURVEILLANCE_RELATIONS = [
    (LUIS, SURENOS, "member_of", 0),
    (LUIS, PHONE, "called", 1),
    (LUIS, CARLOS, "met", 2),
    (LUIS, FENTANYL, "sold", 3),
    (LUIS, GLOCK, "carried", 3),
    (SURENOS, FENTANYL, "controls", 4),
    (LUIS, EMAIL, "uses", 5),
    (LUIS, SURENOS, "recruits_for", 6),
]
# The one link the extractor was unsure of: for `min_confidence` filters.
LOW_CONFIDENCE = {(LUIS, GLOCK): 0.3}
TIP = [
    "Dana Price drove Carlos Mendez to the motel.",
    "Maria Vega wrote to ortega@example.com about Dana Price.",
]
TIP_RELATIONS = [
    (DANA, CARLOS, "drove", 0),
    (MARIA, EMAIL, "wrote_to", 1),
]


def with_aliases(result: DocumentResult, aliases: dict[str, list[str]]) -> DocumentResult:
    """Record aliases and add a mention wherever an alias is written (case_document only finds
    canonical names)."""
    for entity in result.entities:
        for alias in aliases.get(entity.key, []):
            entity.aliases.append(alias)
            for s in result.sentences:
                if alias in s.text:
                    start = s.start + s.text.index(alias)
                    entity.mentions.append(MentionRecord(sentence_idx=s.idx, start=start,
                                                         end=start + len(alias), text=alias))
    for rel in result.relations:
        rel.confidence = LOW_CONFIDENCE.get((rel.source_key, rel.target_key), rel.confidence)
    return result


def arrest() -> DocumentResult:
    return with_aliases(case_document(ARREST, "reports/arrest.txt", ENTITIES, ARREST_RELATIONS), ALIASES)


def surveillance() -> DocumentResult:
    return with_aliases(case_document(SURVEILLANCE, "reports/surveillance.txt", ENTITIES,
                                      SURVEILLANCE_RELATIONS), ALIASES)


def tip() -> DocumentResult:
    return with_aliases(case_document(TIP, "mail/tip.txt", ENTITIES, TIP_RELATIONS), ALIASES)


def case_graph() -> list[DocumentResult]:
    return [arrest(), surveillance(), tip()]


def write_case_graph(settings: Settings) -> list[DocumentResult]:
    return write_documents(settings, case_graph())
