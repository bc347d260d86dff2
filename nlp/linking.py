"""Entity linking: spacy-entity-linker run against casegraph's own KB, never a download.

spacy-entity-linker 1.0.3 keeps one module-global `WikidataQueryController`
(`DatabaseConnection.wikidata_instance`); when it creates it, it checks for
`site-packages/data_spacy_entity_linker/wikidb_filtered.db` and, if missing, downloads a 1.3 GB
archive. `inject_kb()` installs a controller bound to our SQLite file first (the library then
never constructs its own) and replaces the module's download function with one that raises, so
no code path can reach the network.

The `casegraph_linker` component runs the library's `EntityLinker` (candidates from noun phrases,
max-prior disambiguation), then gives every NER entity whose text the KB knows, with a compatible
type, `ent.kb_id_` and `ent._.kb_description`. Entities the linker's noun-phrase candidates miss
("Sinaloa Cartel" parsed as two chunks, a possessive) are looked up by their cleaned text.
`Doc._.kb_links` lists every link found, NER entity or not, for the pipeline to use.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from casegraph.core.domain import load_domain
from casegraph.core.errors import CasegraphError
from casegraph.core.settings import Settings, get_settings
from nlp.kb.store import KBHit, KnowledgeBase, ensure_kb
from nlp.keys import clean_name

log = logging.getLogger(__name__)


if not Doc.has_extension("kb_links"):
    Doc.set_extension("kb_links", default=None)
if not Span.has_extension("kb_description"):
    Span.set_extension("kb_description", default=None)


@dataclass(frozen=True)
class KBLink:
    start_char: int
    end_char: int
    text: str
    kb_id: str
    name: str
    type: str | None
    description: str


class LinkerDownloadError(CasegraphError):
    """spacy-entity-linker tried to download its Wikidata KB: casegraph never allows that."""


def _refuse_download(*_args: Any, **_kwargs: Any) -> None:
    raise LinkerDownloadError(
        "spacy-entity-linker tried to download a knowledge base; casegraph links against its own KB "
        "(casegraph kb build) or a file named by CASEGRAPH_KB_PATH"
    )


def inject_kb(path: Path) -> Any:
    """Make spacy-entity-linker read `path` and make its download path raise. Returns the
    controller the library will use (idempotent for one path; a new path replaces it)."""
    from spacy_entity_linker import DatabaseConnection as dbc

    dbc.download_knowledge_base = _refuse_download
    dbc.DB_DEFAULT_PATH = str(path)
    current = dbc.wikidata_instance
    if isinstance(current, _LocalController) and current.path == path:
        return current
    dbc.wikidata_instance = _LocalController(path)
    return dbc.wikidata_instance


def _controller_class() -> type:
    from spacy_entity_linker.DatabaseConnection import WikidataQueryController

    return WikidataQueryController


class _LocalController(_controller_class()):  # type: ignore[misc]
    """The library's controller, connected read-only to a given file (no existence-or-download
    check: the library's own `init_database_connection` tests its default path, not ours)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__()

    def init_database_connection(self, path: str | None = None) -> None:
        if not os.path.isfile(self.path):
            raise CasegraphError(f"KB {self.path} does not exist: run `casegraph kb build`")
        self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)


@Language.factory(
    "casegraph_linker",
    default_config={"kb_path": None},
    assigns=["doc._.kb_links", "span._.kb_description"],
)
def make_linker(nlp: Language, name: str, kb_path: str | None) -> EntityLinking:
    return EntityLinking(nlp, name, Path(kb_path) if kb_path else None)


class EntityLinking:
    def __init__(self, nlp: Language, name: str = "casegraph_linker", kb_path: Path | None = None):
        from spacy_entity_linker.EntityLinker import EntityLinker

        self.name = name
        self.kb_path = kb_path or ensure_kb()
        inject_kb(self.kb_path)
        self.kb = KnowledgeBase(self.kb_path)
        self.linker = EntityLinker(nlp, "entityLinker")

    def __call__(self, doc: Doc) -> Doc:
        if doc.has_annotation("DEP"):
            doc = self.linker(doc)
            linked = list(doc._.linkedEntities)
        else:  # the library needs a parse to find candidates; NER entities are still looked up
            linked = []
        links: dict[tuple[int, int], KBLink] = {}
        for el in linked:
            span = el.get_span()
            hit = self.kb.entity(int(el.get_id()))
            if hit is not None and span is not None:
                links[(span.start_char, span.end_char)] = _link(span, hit)
        ents = []
        for ent in doc.ents:
            link = self._link_entity(ent, links)
            if link is not None:
                links[(ent.start_char, ent.end_char)] = link
                ent = Span(doc, ent.start, ent.end, label=ent.label, kb_id=link.kb_id, span_id=ent.id)
                ent._.kb_description = link.description or link.name
            ents.append(ent)
        doc.ents = ents
        doc._.kb_links = sorted(links.values(), key=lambda k: (k.start_char, k.end_char))
        return doc

    def _link_entity(self, ent: Span, links: dict[tuple[int, int], KBLink]) -> KBLink | None:
        allowed = load_domain().type_rules.kb_compatible.get(ent.label_)
        if allowed is None:
            return None
        exact = links.get((ent.start_char, ent.end_char))
        if exact is not None and (exact.type is None or exact.type in allowed):
            return exact
        for text in _variants(ent):
            hits = self.kb.lookup(text, allowed)
            if hits:  # best prior first
                return _link(ent, hits[0])
        return None


def _variants(ent: Span) -> list[str]:
    """The entity text as written, then cleaned (no possessive, no leading "the")."""
    text = ent.text
    cleaned = clean_name(text)
    words = cleaned.split()
    if len(words) > 1 and words[0].lower() in {"the", "a", "an"}:
        cleaned = " ".join(words[1:])
    # Then its canonical name (a list id, or the full name an abbreviation stands for: nlp.canonical).
    return list(dict.fromkeys([text, cleaned, *([ent.ent_id_] if ent.ent_id_ else [])]))


def _link(span: Span, hit: KBHit) -> KBLink:
    return KBLink(span.start_char, span.end_char, span.text, hit.kb_id, hit.name, hit.type, hit.description)


def add_linker(nlp: Language, settings: Settings | None = None) -> EntityLinking | None:
    """Add `casegraph_linker` after NER when `entity_linking` is on (KB built on first use)."""
    settings = settings or get_settings()
    if not settings.entity_linking:
        return None
    path = ensure_kb(settings)
    component = nlp.add_pipe("casegraph_linker", name="linker", config={"kb_path": str(path)}, last=True)
    assert isinstance(component, EntityLinking)
    return component
