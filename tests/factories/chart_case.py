"""The drug case behind the link-chart (dashboard) tests: two documents, people, a gang, a motel, a weapon,
a van — written through the real `GraphWriter`, so the tests read what ingestion writes."""

from __future__ import annotations

from datetime import UTC, datetime

from casegraph.core.models import DocumentResult
from casegraph.core.settings import Settings
from tests.factories.documents import case_document, write_documents

CARLOS = "person:carlos mendez"
DANA = "person:dana price"
LUIS = "person:luis ortega"
METH = "drug:methamphetamine"
SURENOS = "gang_org:surenos"
GLOCK = "weapon:glock pistol"
MOTEL = "fac:harbor motel"
VAN = "vehicle:white ford transit"

ENTITIES = [
    (CARLOS, "Carlos Mendez", "PERSON"),
    (DANA, "Dana Price", "PERSON"),
    (LUIS, "Luis Ortega", "PERSON"),
    (METH, "methamphetamine", "DRUG"),
    (SURENOS, "Sureños", "GANG_ORG"),
    (GLOCK, "Glock pistol", "WEAPON"),
    (MOTEL, "Harbor Motel", "FAC"),
    (VAN, "white Ford Transit", "VEHICLE"),
]

ARREST = [
    "Carlos Mendez sold methamphetamine to Dana Price.",
    "Carlos Mendez is a member of the Sureños.",
    "Police seized a Glock pistol from Dana Price.",
    "Dana Price called Carlos Mendez twice.",
]
ARREST_RELATIONS = [
    (CARLOS, DANA, "sold_to", 0),
    (CARLOS, METH, "sold", 0),
    (CARLOS, SURENOS, "member_of", 1),
    (DANA, GLOCK, "co_occurs_with", 2),
    (DANA, CARLOS, "called", 3),
]
SURVEILLANCE = [
    "Dana Price met Luis Ortega at the Harbor Motel.",
    "Luis Ortega drove a white Ford Transit.",
    "Luis Ortega paid Dana Price in cash.",
    "The Sureños control the Harbor Motel.",
]
SURVEILLANCE_RELATIONS = [
    (DANA, LUIS, "met", 0),
    (DANA, MOTEL, "co_occurs_with", 0),
    (LUIS, MOTEL, "co_occurs_with", 0),
    (LUIS, VAN, "drove", 1),
    (LUIS, DANA, "paid", 2),
    (SURENOS, MOTEL, "control", 3),
]


def case_documents() -> list[DocumentResult]:
    arrest = case_document(ARREST, path="case/arrest_report.txt", entities=ENTITIES, relations=ARREST_RELATIONS)
    arrest.document.title = "Arrest report"
    arrest.document.ingested_at = datetime(2024, 3, 2, 10, 0, tzinfo=UTC)
    for e in arrest.entities:
        if e.key == CARLOS:
            e.aliases = ["El Flaco"]
            e.kb_id = "Q000001"
            e.description = "Suspected street-level dealer"
    surveillance = case_document(SURVEILLANCE, path="case/surveillance_log.txt", entities=ENTITIES,
                                 relations=SURVEILLANCE_RELATIONS)
    surveillance.document.title = "Surveillance log"
    surveillance.document.ingested_at = datetime(2024, 4, 15, 18, 30, tzinfo=UTC)
    return [arrest, surveillance]


def write_case(settings: Settings) -> list[DocumentResult]:
    return write_documents(settings, case_documents())
