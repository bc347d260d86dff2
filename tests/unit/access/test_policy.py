"""The role table: what each role may do, and nothing for a disabled user or nobody."""

from __future__ import annotations

from casegraph.access import ROLE_ACTIONS, Action, Role, User, can


def test_viewer_reads_only():
    viewer = User("v", Role.VIEWER)
    assert can(viewer, Action.READ) and can(viewer, Action.RUN_SAVED_QUERY)
    for action in (Action.DECIDE, Action.UPLOAD, Action.INGEST, Action.CONSOLE, Action.MANAGE_USERS,
                   Action.MANAGE_CASES, Action.READ_AUDIT):
        assert not can(viewer, action), action


def test_analyst_decides_and_uploads_but_does_not_administer():
    analyst = User("a", Role.ANALYST)
    assert all(can(analyst, a) for a in (Action.READ, Action.DECIDE, Action.UPLOAD, Action.INGEST))
    assert not any(can(analyst, a) for a in (Action.CONSOLE, Action.MANAGE_USERS, Action.MANAGE_CASES))


def test_admin_may_do_everything_and_roles_nest():
    assert all(can(User("r", Role.ADMIN), a) for a in Action)
    assert ROLE_ACTIONS[Role.VIEWER] < ROLE_ACTIONS[Role.ANALYST] < ROLE_ACTIONS[Role.ADMIN]


def test_disabled_user_and_nobody_may_do_nothing():
    assert not any(can(User("r", Role.ADMIN, disabled=True), a) for a in Action)
    assert not any(can(None, a) for a in Action)
