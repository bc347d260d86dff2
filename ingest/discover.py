"""PATH… arguments (files, folders, globs) → the files to ingest."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

TEMP_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download", ".swp")
QUARANTINE_DIR = "quarantine"


def is_candidate(path: Path) -> bool:
    """Hidden files, editor locks and half-downloaded files are never documents."""
    name = path.name
    return not (name.startswith((".", "~$")) or name.endswith(TEMP_SUFFIXES) or name.endswith("~"))


@dataclass
class Discovered:
    files: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _walk(folder: Path, recursive: bool) -> Iterable[Path]:
    if not recursive:
        yield from (p for p in folder.iterdir() if not p.is_dir() or p.is_symlink())
        return
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != QUARANTINE_DIR)
        yield from (Path(root) / f for f in files)


def discover(paths: Iterable[str | Path], recursive: bool = False) -> Discovered:
    out = Discovered()
    seen: set[Path] = set()

    def add(p: Path) -> None:
        p = p.absolute()
        if p not in seen and is_candidate(p):
            seen.add(p)
            out.files.append(p)

    for arg in paths:
        arg = str(arg)
        path = Path(arg).expanduser()
        if path.is_dir():
            for p in _walk(path, recursive):
                add(p)
        elif path.exists() or path.is_symlink():
            add(path)
        elif glob.has_magic(arg):
            matches = sorted(glob.glob(os.path.expanduser(arg), recursive=True))
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    for p in _walk(mp, recursive):
                        add(p)
                else:
                    add(mp)
            if not matches:
                out.missing.append(arg)
        else:
            out.missing.append(arg)
    out.files.sort()
    return out
