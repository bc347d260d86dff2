"""Ingestion of document drops: files, folders and archives → `ParsedDocument`s → NLP → graph.

Importing the package makes the third-party parsers offline before any of them is imported:
see `ingest.offline`.
"""

from ingest.offline import configure_environment

configure_environment()
