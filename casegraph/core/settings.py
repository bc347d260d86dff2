"""The one settings object of casegraph: environment variables and an optional `.env` file.

Neo4j connection names are the ones Neo4j's own tools use (`NEO4J_URI`, `NEO4J_USER`, ...);
everything else is `CASEGRAPH_<FIELD>`. Paths are relative to the working directory unless
given absolute, so a checkout works wherever it is cloned.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from casegraph.core.errors import Neo4jSetupError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CASEGRAPH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- Neo4j -----------------------------------------------------------------------------
    neo4j_uri: str | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_URI", "CASEGRAPH_NEO4J_URI"),
        description="Bolt URI of an existing Neo4j. Unset: use the embedded local server.",
    )
    neo4j_user: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "CASEGRAPH_NEO4J_USER"))
    neo4j_password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_PASSWORD", "CASEGRAPH_NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "CASEGRAPH_NEO4J_DATABASE")
    )
    # Embedded server (only used when NEO4J_URI is unset).
    neo4j_version: str = "5.26.30"
    neo4j_bolt_port: int = 7687
    neo4j_http_port: int = 7474
    neo4j_heap: str = "512m"
    neo4j_pagecache: str = "256m"
    neo4j_apoc: bool = False
    neo4j_start_timeout: float = 120.0
    # Writes retry transient errors (leader switch, deadlock, server restart) for this long.
    neo4j_retry_seconds: float = 60.0

    # --- Directories -----------------------------------------------------------------------
    work_dir: Path = Path(".casegraph")
    # Downloaded Neo4j jars are kept here and shared by every server home (tests included).
    cache_dir: Path = Path(".casegraph/cache")
    data_dir: Path = Path("data")
    # Evaluation: the shared data sets (litbank/, factrueval-2016/, realcases/) and the demo case
    # that `casegraph report …` scores (casegraph/eval/datasets.py).
    eval_data_dir: Path = Field(
        default=Path("../shared/data"),
        validation_alias=AliasChoices("CASEGRAPH_EVAL_DATA", "CASEGRAPH_EVAL_DATA_DIR"),
    )
    demo_case_dir: Path = Path("examples/demo_case")

    # --- NLP -------------------------------------------------------------------------------
    # A spaCy package name, or a path to a trained pipeline (see `casegraph nlp train`).
    spacy_model: str = "en_core_web_md"
    coref_backend: Literal["rules", "fastcoref", "none"] = "rules"
    coref_model: str | None = None
    entity_linking: bool = True
    # SQLite KB in spacy-entity-linker's schema. Unset: <work_dir>/kb/casegraph_kb.db, built from
    # the nlp/kb seed files (`casegraph kb build`); a full Wikidata KB file may be named instead.
    kb_path: Path | None = None
    fuzzy_threshold: float = 92.0
    # Languages the offline detector chooses between (ISO 639-1). English and Russian differ in
    # script, so the default pair needs no statistical models; each added language costs
    # ~50-100 MB of lingua models. Text in a language not listed is labelled its nearest neighbour.
    languages: list[str] = ["en", "ru"]

    # --- Ingestion -------------------------------------------------------------------------
    ingest_workers: int = 1
    max_file_mb: float = 100.0
    archive_max_total_mb: float = 500.0
    archive_max_members: int = 2000
    pdf_passwords: list[str] = []
    ocr_languages: str = "eng+rus"
    withdraw_mode: Literal["mark", "remove"] = "mark"
    # Documents per write transaction: a run killed mid-way redoes at most this many.
    ingest_batch_docs: int = 64
    # Bounds on what analysis hands the graph (casegraph.core.limits): a longer span is no entity
    # name; a longer "sentence" is cut before NLP; a longer key becomes a prefix plus its digest
    # (Neo4j's range indexes refuse values over ~8 KB); an entity keeps at most this many aliases.
    max_name_chars: int = Field(default=200, ge=10)
    max_sentence_chars: int = Field(default=3000, ge=200)
    max_key_bytes: int = Field(default=1024, ge=256, le=8000)
    max_aliases: int = Field(default=100, ge=1)
    max_path_bytes: int = Field(default=4096, ge=256, le=8000)

    # --- Dashboard / API -------------------------------------------------------------------
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = 8050
    # Neighbours one expansion puts on the link chart ("show more" adds as many again), and the
    # most entities the chart holds: beyond a few hundred the layouts stop being readable.
    dashboard_expand_limit: int = 25
    dashboard_max_nodes: int = 400
    api_key: SecretStr | None = None
    query_timeout: float = 15.0
    query_row_cap: int = 1000
    # Kinds, not actors: entity types that shortest paths and neighbour ranking skip as intermediate
    # hops unless the analyst includes them (comma-separated; CASEGRAPH_HUB_TYPES).
    hub_types: str = "CRIME,DRUG,WEAPON,GPE,LOC,FAC"

    @property
    def hub_type_list(self) -> list[str]:
        return [t.strip() for t in self.hub_types.split(",") if t.strip()]
    # HTTP API (`casegraph api`, on dashboard_host): a request body over api_max_body_mb is
    # refused (413) before it is read; POST /api/ner takes at most api_max_text_chars characters.
    api_port: int = 8051
    api_max_body_mb: float = 25.0
    api_max_text_chars: int = 100_000

    # --- Access: users, sessions, tokens, case grants, audit (casegraph.access, docs/access.md) --
    # "off" (no login, no CSRF, every caller an admin) is for local development only: the dashboard
    # and the API refuse to start with it on an address other than loopback.
    auth: Literal["on", "off"] = "on"
    # The access store, a SQLite file outside the knowledge graph. Unset: <work_dir>/access.db.
    access_db: Path | None = None
    # Signs the dashboard's session cookie. Unset: generated once, kept in <work_dir>/session-secret.
    session_secret: SecretStr | None = None
    # A login lasts session_idle_minutes without a request, and session_max_hours at most.
    session_idle_minutes: float = Field(default=480.0, gt=0)
    session_max_hours: float = Field(default=12.0, gt=0)
    # Set when the dashboard is served over https (the cookies then travel only over https).
    session_cookie_secure: bool = False
    # login_max_failures wrong passwords for one name within login_window_minutes lock it that long.
    login_max_failures: int = Field(default=5, ge=1)
    login_window_minutes: float = Field(default=15.0, gt=0)

    @property
    def embedded(self) -> bool:
        return not self.neo4j_uri

    @property
    def neo4j_home(self) -> Path:
        return self.work_dir / "neo4j"

    @property
    def access_db_path(self) -> Path:
        return self.access_db or self.work_dir / "access.db"

    @property
    def bolt_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.neo4j_bolt_port}"

    def password(self) -> str:
        """The Neo4j password: configured, or generated once for the embedded server and kept
        in the work directory with owner-only permissions."""
        if self.neo4j_password is not None:
            return self.neo4j_password.get_secret_value()
        if not self.embedded:
            raise Neo4jSetupError("NEO4J_URI is set but NEO4J_PASSWORD is not: set it in the environment or .env")
        path = self.neo4j_home / "password"
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        generated = secrets.token_hex(16)  # hex: never starts with "-", which neo4j-admin would read as an option
        path.write_text(generated)
        path.chmod(0o600)
        return generated


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
