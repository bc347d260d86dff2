"""Roles and what each may do: one table, read by `can`.

Reads are one action: which *cases* a user may read is a separate question (casegraph.access.cases).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    VIEWER = "viewer"
    ANALYST = "analyst"
    ADMIN = "admin"


class Action(StrEnum):
    READ = "read"                      # search, entity, evidence, document, path views and exports
    RUN_SAVED_QUERY = "run_saved_query"
    DECIDE = "decide"                  # analyst decisions: merge, split, alias
    UPLOAD = "upload"                  # documents through the dashboard or the API
    INGEST = "ingest"
    CONSOLE = "console"                # the ad-hoc Cypher console
    MANAGE_USERS = "manage_users"
    MANAGE_CASES = "manage_cases"
    READ_AUDIT = "read_audit"


_VIEWER = frozenset({Action.READ, Action.RUN_SAVED_QUERY})
_ANALYST = _VIEWER | {Action.DECIDE, Action.UPLOAD, Action.INGEST}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: _VIEWER,
    Role.ANALYST: _ANALYST,
    Role.ADMIN: frozenset(Action),
}


class HasRole(Protocol):
    @property
    def role(self) -> Role: ...

    @property
    def disabled(self) -> bool: ...


def can(user: HasRole | None, action: Action) -> bool:
    """Whether `user` may perform `action`: nobody and a disabled user may do nothing."""
    if user is None or user.disabled:
        return False
    return action in ROLE_ACTIONS[user.role]


def parse_role(text: str) -> Role:
    from casegraph.access.errors import AccessError

    try:
        return Role(text.strip().lower())
    except ValueError:
        raise AccessError(f"unknown role {text!r}: one of {', '.join(r.value for r in Role)}") from None
