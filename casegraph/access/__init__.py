"""Who may read and do what: users and roles, case grants, dashboard sessions, API tokens and the
tamper-evident audit trail, kept in a SQLite store outside the knowledge graph (docs/access.md).

Front ends use: `open_store(settings)`, `users.authenticate`, `tokens.resolve`, `sessions.load`,
`cases.readable_cases` (the `$cases` of every read query), `audit.authorize` / `audit.record`.
"""

from casegraph.access.errors import AccessError, AuthConfigError, Forbidden, LoginLocked, LoginRefused
from casegraph.access.policy import ROLE_ACTIONS, Action, Role, can
from casegraph.access.store import AccessStore, open_path, open_store
from casegraph.access.users import User

__all__ = ["ROLE_ACTIONS", "AccessError", "AccessStore", "Action", "AuthConfigError", "Forbidden", "LoginLocked",
           "LoginRefused", "Role", "User", "can", "open_path", "open_store"]
