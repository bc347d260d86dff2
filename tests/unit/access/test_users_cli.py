"""`casegraph users …` against a real store file (chosen by CASEGRAPH_ACCESS_DB / CASEGRAPH_WORK_DIR)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from casegraph.access import AccessError, LoginRefused, Role, audit, cases, open_path, tokens, users
from casegraph.cli.users import app as users_cli
from casegraph.core import settings as settings_module

runner = CliRunner()
PASSWORD = "a long enough passphrase"


@pytest.fixture()
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEGRAPH_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.delenv("CASEGRAPH_ACCESS_DB", raising=False)
    settings_module.get_settings.cache_clear()
    yield open_path(tmp_path / "work" / "access.db")  # the default place: <work_dir>/access.db
    settings_module.get_settings.cache_clear()


def test_add_grant_list_token_disable(env):
    store = env
    added = runner.invoke(users_cli, ["add", "vera", "--role", "viewer", "--password-stdin"], input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert users.authenticate(store, "vera", PASSWORD).role is Role.VIEWER
    assert runner.invoke(users_cli, ["grant", "vera", "case-a"]).exit_code == 0
    assert cases.readable_cases(store, users.get(store, "vera")) == ["case-a"]
    listing = runner.invoke(users_cli, ["list"])
    assert "vera" in listing.output and "viewer" in listing.output and "case-a" in listing.output

    issued = runner.invoke(users_cli, ["token", "vera", "--label", "script"])
    secret = issued.stdout.strip()
    assert issued.exit_code == 0 and tokens.resolve(store, secret).name == "vera"
    assert secret not in runner.invoke(users_cli, ["tokens"]).output  # listed, never shown again

    assert runner.invoke(users_cli, ["disable", "vera"]).exit_code == 0
    assert tokens.resolve(store, secret) is None
    with pytest.raises(LoginRefused):
        users.authenticate(store, "vera", PASSWORD)
    assert runner.invoke(users_cli, ["revoke", "vera", "case-a"]).exit_code == 0
    assert cases.granted_cases(store, users.get(store, "vera")) == []
    # Every change is in the audit trail, as the shell user.
    trail = audit.entries(store)
    assert [e.action for e in trail] == ["user_admin", "case_grant", "token_issue", "user_admin", "case_grant"]
    assert all(e.user.startswith("cli:") for e in trail) and audit.verify(store).ok


def test_prompted_password_and_bad_input(env):
    prompted = runner.invoke(users_cli, ["add", "anna", "--role", "analyst"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    assert PASSWORD not in prompted.output  # hidden input
    weak = runner.invoke(users_cli, ["add", "bob", "--password-stdin"], input="short\n")
    assert isinstance(weak.exception, AccessError) and "at least 12" in str(weak.exception)
    role = runner.invoke(users_cli, ["add", "bob", "--role", "boss", "--password-stdin"], input=PASSWORD + "\n")
    assert isinstance(role.exception, AccessError) and "unknown role" in str(role.exception)
    changed = runner.invoke(users_cli, ["passwd", "anna", "--password-stdin"], input="another long passphrase\n")
    assert changed.exit_code == 0
    assert users.authenticate(env, "anna", "another long passphrase").name == "anna"


def test_ensure_admin_generates_keeps_and_prints_the_login(env, tmp_path):
    first = runner.invoke(users_cli, ["ensure-admin"])
    assert first.exit_code == 0 and first.output.startswith("dashboard login: admin / ")
    password = first.output.split(" / ", 1)[1].strip()
    kept = tmp_path / "work" / "admin-password"
    assert kept.read_text().strip() == password and kept.stat().st_mode & 0o077 == 0
    assert users.authenticate(env, "admin", password).role is Role.ADMIN
    again = runner.invoke(users_cli, ["ensure-admin"])
    assert again.output == first.output  # same admin, same password: not a second one
    runner.invoke(users_cli, ["passwd", "admin", "--password-stdin"], input="the admin's own passphrase\n")
    changed = runner.invoke(users_cli, ["ensure-admin"])
    assert password not in changed.output and "password changed" in changed.output
