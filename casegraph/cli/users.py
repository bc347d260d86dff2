"""`casegraph users …`: accounts, roles, case grants and API tokens in the access store
(settings.access_db_path). Whoever runs these has shell access, so they act as an admin; each
change is written to the audit trail as `cli:<login name>`."""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from casegraph.access.store import AccessStore

app = typer.Typer(no_args_is_help=True)

ROLE = typer.Option("viewer", "--role", help="viewer (reads), analyst (+ decisions, uploads), admin (+ users, "
                                             "cases, Cypher console).")
PASSWORD_STDIN = typer.Option(False, "--password-stdin", help="Read the password from the first line of stdin.")


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _store() -> AccessStore:
    from casegraph.access import open_store
    from casegraph.core.settings import get_settings

    return open_store(get_settings())


def _audit(action: str, targets: list[str], **params: object) -> None:
    from casegraph.access import audit

    audit.record(_store(), user=_actor(), action=action, targets=targets, params=params, client="cli")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@app.command()
def add(name: str, role: str = ROLE, password_stdin: bool = PASSWORD_STDIN) -> None:
    """Create a user (the password is prompted for, twice, unless --password-stdin)."""
    from casegraph.access import users
    from casegraph.access.policy import parse_role

    parsed = parse_role(role)
    user = users.add(_store(), name, parsed, _password(password_stdin))
    _audit("user_admin", [user.name], change="add", role=parsed.value)
    typer.echo(f"user {user.name} added ({parsed.value})")


@app.command()
def passwd(name: str, password_stdin: bool = PASSWORD_STDIN) -> None:
    """Set a new password (the user's open dashboard sessions end)."""
    from casegraph.access import users

    users.set_password(_store(), name, _password(password_stdin))
    _audit("user_admin", [name], change="passwd")
    typer.echo(f"password of {name} changed")


@app.command()
def role(name: str, new_role: str = typer.Argument(..., metavar="ROLE", help="viewer, analyst or admin.")) -> None:
    """Change a user's role."""
    from casegraph.access import users
    from casegraph.access.policy import parse_role

    parsed = parse_role(new_role)
    users.set_role(_store(), name, parsed)
    _audit("user_admin", [name], change="role", role=parsed.value)
    typer.echo(f"{name} is now {parsed.value}")


@app.command()
def disable(name: str) -> None:
    """Disable a user: their sessions end and their API tokens stop working."""
    from casegraph.access import users

    users.set_disabled(_store(), name, True)
    _audit("user_admin", [name], change="disable")
    typer.echo(f"user {name} disabled")


@app.command()
def enable(name: str) -> None:
    """Enable a disabled user again (their old tokens stay revoked)."""
    from casegraph.access import users

    users.set_disabled(_store(), name, False)
    _audit("user_admin", [name], change="enable")
    typer.echo(f"user {name} enabled")


@app.command("list")
def list_() -> None:
    """Users, their roles and the cases each may read."""
    from casegraph.access import cases, users

    store = _store()
    table = Table("name", "role", "status", "cases")
    for u in users.all_users(store):
        readable = "(all)" if u.role.value == "admin" else ", ".join(cases.granted_cases(store, u))
        table.add_row(u.name, u.role.value, "disabled" if u.disabled else "active", readable)
    Console().print(table)


@app.command()
def grant(name: str, case: str) -> None:
    """Let NAME read CASE."""
    from casegraph.access import cases

    cases.grant(_store(), name, case)
    _audit("case_grant", [name, case], change="grant")
    typer.echo(f"{name} may read case {case!r}")


@app.command()
def revoke(name: str, case: str) -> None:
    """Take CASE from NAME."""
    from casegraph.access import cases

    removed = cases.revoke(_store(), name, case)
    _audit("case_grant", [name, case], change="revoke", removed=removed)
    typer.echo(f"{name} may no longer read case {case!r}" if removed else f"{name} had no grant for {case!r}")


@app.command()
def token(name: str, label: str = typer.Option("", help="What the token is for (shown in `users tokens`).")) -> None:
    """Issue an API token for NAME and print it, once: it is stored only as a hash."""
    from casegraph.access import tokens

    secret = tokens.issue(_store(), name, label)
    _audit("token_issue", [name], label=label)
    typer.echo(secret)
    typer.echo(f"(API token of {name}: send it as `Authorization: Bearer TOKEN`; it is not shown again)", err=True)


@app.command("tokens")
def list_tokens(name: str | None = typer.Argument(None, help="Only this user's tokens.")) -> None:
    """API tokens (never their secrets): id, owner, label, last use."""
    from casegraph.access import tokens

    table = Table("id", "user", "label", "created", "last used", "status")
    for t in tokens.list_tokens(_store(), name):
        table.add_row(str(t.id), t.user, t.label, t.created[:19], (t.last_used or "")[:19],
                      "revoked" if t.revoked else "live")
    Console().print(table)


@app.command("revoke-token")
def revoke_token(token_id: int) -> None:
    """Revoke the API token with this id (see `users tokens`)."""
    from casegraph.access import tokens

    revoked = tokens.revoke(_store(), token_id)
    _audit("token_issue", [str(token_id)], change="revoke", revoked=revoked)
    typer.echo(f"token {token_id} revoked" if revoked else f"no live token {token_id}")


@app.command("ensure-admin")
def ensure_admin() -> None:
    """The demo's admin: created with a generated password on first use; prints the login."""
    from casegraph.access.config import ensure_admin as ensure
    from casegraph.core.settings import get_settings

    login = ensure(get_settings(), _store())
    if login.created:
        _audit("user_admin", [login.name], change="ensure-admin")
    if login.password is not None:
        typer.echo(f"dashboard login: {login.name} / {login.password}")
    else:
        typer.echo(f"dashboard login: {login.name} (password changed since it was generated: "
                   f"`casegraph users passwd {login.name}` sets a new one)")
