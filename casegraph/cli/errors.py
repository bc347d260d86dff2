"""How a `casegraph` command ends: no traceback reaches a user.

- a `CasegraphError` (what the code knows can go wrong): one line on stderr, what happened and what
  to do, and the error's exit code;
- a usage error (bad argument or option): one line and the command's `--help`, exit code 2;
- a settings value that does not validate: one line naming the variable, exit code 4;
- Ctrl-C / SIGTERM: "interrupted", exit code 130;
- anything else is a bug: one line "error: unexpected …; details in <log file>", exit code 70, and
  the traceback written to `<work_dir>/logs/casegraph.log` (rotating); `--debug` also prints it.

The exit codes are `casegraph.core.errors.ExitCode` (listed in docs/operations.md).
"""

from __future__ import annotations

import getpass
import logging
import sys
import tempfile
import traceback
from collections.abc import Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError

# typer carries its own copy of click (typer._click, pinned with typer in pyproject.toml): its
# exceptions, not the click package's, are what a typer command raises.
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

from casegraph.core.errors import CasegraphError, ExitCode

LOG_NAME = "casegraph.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
_crash_log = logging.getLogger("casegraph.crash")


def log_path() -> Path:
    """`<work_dir>/logs/casegraph.log`; the work dir from the settings when they load."""
    try:
        from casegraph.core.settings import get_settings

        work_dir = get_settings().work_dir
    except Exception:  # the settings themselves may be what failed
        work_dir = Path(".casegraph")
    return work_dir / "logs" / LOG_NAME


def _handler(path: Path) -> RotatingFileHandler:
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    return handler


def record(exc: BaseException, argv: Sequence[str]) -> Path | None:
    """Append the traceback of `exc` to the log file; the file written, or None when none could be.
    A work dir that cannot be written falls back to the system temp dir."""
    candidates = [log_path(), Path(tempfile.gettempdir()) / f"casegraph-{getpass.getuser()}.log"]
    for path in candidates:
        try:
            handler = _handler(path)
        except OSError:
            continue
        _crash_log.addHandler(handler)
        _crash_log.propagate = False
        try:
            _crash_log.error("casegraph %s failed", " ".join(argv), exc_info=(type(exc), exc, exc.__traceback__))
        finally:
            _crash_log.removeHandler(handler)
            handler.close()
        return path
    return None


def _say(line: str) -> None:
    typer.secho(line, fg=typer.colors.RED, err=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _settings_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "?"
    name = where if where.isupper() else f"CASEGRAPH_{where.upper()}"
    return f"invalid setting {name}: {first.get('msg', exc)}"


def run(command: Any, argv: Sequence[str], prog_name: str = "casegraph") -> int:
    """Run the click command on `argv` and turn every way it can end into an exit code."""
    try:
        rv = command.main(args=list(argv), prog_name=prog_name, standalone_mode=False)
        return rv if isinstance(rv, int) else ExitCode.OK
    except NoArgsIsHelpError as exc:  # `casegraph report`: the group's help, as click shows it
        from typer import rich_utils

        rich_utils.rich_format_error(exc)
        return exc.exit_code
    except UsageError as exc:
        hint = f"; see '{exc.ctx.command_path} --help'" if exc.ctx else ""
        _say(f"error: {_one_line(exc.format_message()).rstrip('.')}{hint}")
        return exc.exit_code
    except ClickException as exc:  # e.g. a file option that cannot be opened
        _say(f"error: {_one_line(exc.format_message())}")
        return exc.exit_code
    except typer.Abort:  # Ctrl-C at a prompt, EOF
        _say("interrupted")
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        _say("interrupted")
        return ExitCode.INTERRUPTED
    except CasegraphError as exc:
        if state.debug:
            traceback.print_exception(exc)
        _say(f"error: {exc.user_message()}")
        return int(exc.exit_code)
    except ValidationError as exc:
        if exc.title != "Settings":
            return _unexpected(exc, argv)
        _say(f"error: {_settings_message(exc)}; fix it in the environment or .env")
        return ExitCode.SETUP
    except SystemExit as exc:  # sys.exit() inside a command: keep its code
        code = exc.code
        return code if isinstance(code, int) else (ExitCode.OK if code is None else ExitCode.FAILED)
    except Exception as exc:
        return _unexpected(exc, argv)


def _unexpected(exc: BaseException, argv: Sequence[str]) -> int:
    path = record(exc, argv)
    if state.debug:
        traceback.print_exception(exc)
    what = _one_line(f"{type(exc).__name__}: {exc}")[:300]
    where = f"details in {path.resolve()}" if path else "run again with --debug for the details"
    _say(f"error: unexpected {what}; {where}")
    return ExitCode.UNEXPECTED


class _State:
    """Set by the root callback (`casegraph --debug …`) before any sub-command runs."""

    debug = False


state = _State()


def main_exit(command: Any, argv: Sequence[str] | None = None) -> None:
    import os

    args = list(sys.argv[1:] if argv is None else argv)
    state.debug = os.environ.get("CASEGRAPH_DEBUG", "") not in ("", "0")
    sys.exit(run(command, args))
