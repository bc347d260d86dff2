"""ZIP archives, read in memory with caps on member count, total expanded size and nesting depth
(archive bombs), each member becoming its own document."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from ingest.errors import ArchiveBombError, BadFileError, one_line
from ingest.parsers.base import MB, Child, Parsed, ParseOptions, too_large

SKIPPED_PREFIXES = ("__MACOSX/",)


@dataclass
class Budget:
    """Expanded bytes left to all archives of one top-level file together (nested ones included)."""

    bytes_left: int


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    out = io.BytesIO()
    with zf.open(info) as member:
        while chunk := member.read(1024 * 1024):
            out.write(chunk)
            if out.tell() > cap:
                raise ArchiveBombError(f"archive bomb: {info.filename} expands past the "
                                   f"{cap / MB:.0f} MB left under the archive limit")
    return out.getvalue()


def parse_zip(data: bytes, options: ParseOptions, budget: Budget | None = None) -> Parsed:
    budget = budget or Budget(options.archive_max_total_bytes)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zf.infolist() if not i.is_dir() and not i.filename.startswith(SKIPPED_PREFIXES)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise BadFileError(f"corrupt ZIP archive: {one_line(exc)}") from exc
    if len(infos) > options.archive_max_members:
        raise ArchiveBombError(f"archive bomb: {len(infos)} members, over the limit of {options.archive_max_members} "
                           "(CASEGRAPH_ARCHIVE_MAX_MEMBERS)")
    declared = sum(i.file_size for i in infos)
    if declared > budget.bytes_left:
        raise ArchiveBombError(f"archive bomb: members expand to {declared / MB:.0f} MB, over the "
                           f"{options.archive_max_total_bytes / MB:.0f} MB limit (CASEGRAPH_ARCHIVE_MAX_TOTAL_MB)")
    children: list[Child] = []
    with zf:
        for info in infos:
            name = info.filename
            if info.flag_bits & 0x1:
                children.append(Child(name=name, error="encrypted archive member: password-protected ZIP entry"))
                continue
            if info.file_size > options.max_file_bytes:
                children.append(Child(name=name, error=too_large(info.file_size, options.max_file_bytes)))
                continue
            try:
                # Headers can lie about sizes: the real expansion is counted as it is read.
                payload = _read_capped(zf, info, budget.bytes_left)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
                children.append(Child(name=name, error=f"corrupt archive member: {one_line(exc)}"))
                continue
            budget.bytes_left -= len(payload)
            children.append(Child(name=name, data=payload))
    return Parsed(text="", pages=[], page_count=0, children=children)
