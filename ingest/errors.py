"""Why a file could not be ingested, as one line a user can act on."""

from __future__ import annotations

import re
from pathlib import Path

from casegraph.core.errors import CasegraphError


class BadFileError(Exception):
    """A file that cannot be ingested. `str(exc)` is the one-line reason shown to users and stored
    as the Document's `error`."""

    def __init__(self, reason: str):
        super().__init__(" ".join(reason.split()))  # one line, whatever the library said

    @property
    def reason(self) -> str:
        return str(self)


_OBJECT_REPR = re.compile(r"\s*<[\w.]+ object at 0x[0-9a-f]+>")


class ArchiveBombError(BadFileError):
    """Raised inside nested archives too: the whole top-level file is rejected, not one member."""


def one_line(exc: BaseException, limit: int = 200) -> str:
    """A library exception as one short line: its type when the message is empty."""
    text = " ".join(_OBJECT_REPR.sub("", str(exc)).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


class WorkDirError(CasegraphError):
    """The work directory (resolution snapshots, the KB) cannot be written: a disk that is full or
    mounted read-only. The run stops before anything is written to the graph."""

    def __init__(self, work_dir: Path, exc: BaseException):
        reason = getattr(exc, "strerror", None) or one_line(exc)
        super().__init__(f"cannot write to the work directory {work_dir} ({reason}): free some space or make it "
                         "writable, or point CASEGRAPH_WORK_DIR elsewhere")
