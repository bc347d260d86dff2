"""Errors of the access layer, each a one-line message for the user."""

from __future__ import annotations

from casegraph.core.errors import CasegraphError


class AccessError(CasegraphError):
    """Bad input to the access store: an unknown user, a weak password, a bad role."""

    exit_code = 2


class LoginRefused(CasegraphError):
    """Wrong name or password, a disabled user, or a locked name. The message never says which
    of the first three it was, so a login form does not tell who has an account."""

    exit_code = 5


class LoginLocked(LoginRefused):
    pass


class Forbidden(CasegraphError):
    """The user's role does not allow the action."""

    exit_code = 6


class AuthConfigError(CasegraphError):
    exit_code = 4
