"""Errors users see as one clear line (the CLI prints them without a stack trace)."""

from __future__ import annotations


class CasegraphError(Exception):
    exit_code = 1


class Neo4jUnavailableError(CasegraphError):
    exit_code = 3


class Neo4jSetupError(CasegraphError):
    exit_code = 4
