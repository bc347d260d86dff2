"""Word processor documents: DOCX through unstructured; DOC, RTF and ODT through LibreOffice
headless, converted to PDF so that their page numbers are the ones LibreOffice lays out."""

from __future__ import annotations

import atexit
import io
import logging
import os
import shutil
import subprocess
import tempfile
from functools import cache
from multiprocessing.util import Finalize
from pathlib import Path

from ingest.detect import OLE_MAGIC
from ingest.errors import BadFileError, one_line
from ingest.parsers.base import Parsed, ParseOptions
from ingest.parsers.elements import from_elements
from ingest.parsers.pdf import parse_pdf

log = logging.getLogger(__name__)


def _check_not_encrypted(data: bytes, what: str) -> None:
    """Password-protected Office files are OLE containers holding an `EncryptedPackage` stream (OOXML)
    or a Word stream with the encryption flag set (DOC)."""
    if not data.startswith(OLE_MAGIC):
        return
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("EncryptedPackage"):
                raise BadFileError(f"encrypted {what}: password-protected Office document")
            if ole.exists("WordDocument"):
                header = ole.openstream("WordDocument").read(12)
                if len(header) >= 12 and int.from_bytes(header[10:12], "little") & 0x0100:
                    raise BadFileError(f"encrypted {what}: password-protected Word document")
    except OSError as exc:
        raise BadFileError(f"corrupt {what}: {one_line(exc)}") from exc


def parse_docx(data: bytes, options: ParseOptions) -> Parsed:
    _check_not_encrypted(data, "DOCX")
    from ingest.offline import prepare_unstructured

    prepare_unstructured()
    from unstructured.partition.docx import partition_docx

    try:
        elements = partition_docx(file=io.BytesIO(data))
    except Exception as exc:  # python-docx raises anything from KeyError to lxml errors on damage
        raise BadFileError(f"corrupt DOCX: {one_line(exc)}") from exc
    return from_elements(elements)


def _soffice() -> str:
    for name in ("soffice", "libreoffice"):
        if path := shutil.which(name):
            return path
    raise BadFileError("LibreOffice is not installed (apt install libreoffice-writer-nogui)")


@cache
def _profile_dir() -> Path:
    """One LibreOffice profile per process (parallel workers sharing one block each other), removed
    when the process ends: worker processes skip `atexit`, hence the multiprocessing finalizer too."""
    path = Path(tempfile.mkdtemp(prefix=f"casegraph-lo-{os.getpid()}-"))
    atexit.register(shutil.rmtree, path, True)
    Finalize(None, shutil.rmtree, args=(path, True), exitpriority=10)
    return path


def convert_with_libreoffice(data: bytes, suffix: str, target: str, timeout: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix="casegraph-lo-") as tmp:
        src = Path(tmp) / f"document{suffix}"
        src.write_bytes(data)
        cmd = [_soffice(), "--headless", "--norestore", "--nolockcheck",
               f"-env:UserInstallation={_profile_dir().as_uri()}",
               "--convert-to", target, "--outdir", tmp, str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise BadFileError(f"LibreOffice took longer than {timeout:.0f} s to convert the file") from exc
        out = Path(tmp) / f"document.{target}"
        if not out.exists() or out.stat().st_size == 0:
            detail = (proc.stderr or proc.stdout).decode(errors="replace").strip().splitlines()
            detail = [d for d in detail if "javaldx" not in d]
            raise BadFileError(f"corrupt {suffix[1:].upper()}: LibreOffice could not read it"
                               + (f" ({detail[-1]})" if detail else ""))
        return out.read_bytes()


def parse_via_libreoffice(data: bytes, kind: str, options: ParseOptions) -> Parsed:
    _check_not_encrypted(data, kind.upper())
    pdf = convert_with_libreoffice(data, f".{kind}", "pdf", options.soffice_timeout)
    parsed = parse_pdf(pdf, options)
    parsed.title = None  # LibreOffice's PDF title is its temporary file name
    return parsed
