"""Errors users see as one clear line, and the exit codes of the `casegraph` command.

A `CasegraphError` says what happened and, where it can, what to do (`hint`); the CLI prints it as
one line on stderr and exits with its `exit_code`. Anything else that escapes a command is a bug:
the CLI prints one line naming the log file that holds the traceback (casegraph/cli/errors.py).
docs/operations.md lists the codes.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # the command ran, but part of its work failed (a document, a check) or a known error
    USAGE = 2  # a bad argument, option or input file
    NEO4J_UNAVAILABLE = 3  # Neo4j does not answer, or refuses the credentials
    SETUP = 4  # configuration or installation: a setting, a password, a missing program
    LOGIN_REFUSED = 5
    FORBIDDEN = 6
    UNEXPECTED = 70  # a bug (EX_SOFTWARE of sysexits.h): the traceback is in the log file
    INTERRUPTED = 130  # Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)


class CasegraphError(Exception):
    exit_code: int = ExitCode.FAILED
    hint: str | None = None  # what to do about it, when the message alone does not say

    def __init__(self, message: str = "", hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def user_message(self) -> str:
        """The one line a user reads: what happened; what to do."""
        message = " ".join(str(self).split()) or type(self).__name__
        return f"{message}; {self.hint}" if self.hint and self.hint not in message else message


class Neo4jUnavailableError(CasegraphError):
    exit_code = ExitCode.NEO4J_UNAVAILABLE


class Neo4jSetupError(CasegraphError):
    exit_code = ExitCode.SETUP
