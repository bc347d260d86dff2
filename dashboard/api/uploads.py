"""POST /api/documents: store an upload durably in the drop folder; a job ingests it later
(`casegraph.pipeline.jobs`), so the request never waits for parsing or NLP.

Files land in `<data_dir>/uploads/<sha256>/<filename>`: the content hash keeps two uploads of
the same name apart and makes a repeated upload a no-op (the ledger sees the same id at the same
path). A file is written under a `.part` name and renamed when complete, so
`casegraph ingest watch <data_dir>/uploads` never picks up half a file; an upload that Neo4j was
down for stays there and is ingested by the next `casegraph ingest <data_dir>/uploads -r`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from casegraph.core.settings import Settings
from dashboard.api.errors import ApiError

log = logging.getLogger(__name__)

UPLOADS = "uploads"
MAX_NAME = 150
_UNSAFE = re.compile(r"[^\w.\- ()\[\]+,@=]")
CHUNK = 1 << 20


def upload_dir(settings: Settings) -> Path:
    return (settings.data_dir / UPLOADS).absolute()


def safe_filename(name: str | None) -> str:
    """The last component of a client's file name, without characters a shell or another OS
    would trip on, no leading dot (hidden files are not ingested) and at most MAX_NAME long."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _UNSAFE.sub("_", base).strip(" ._")
    if not base:
        return "upload"
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        ext = ext[:20] if dot and stem else ""
        base = base[: MAX_NAME - len(ext) - 1].rstrip(" .") + ("." + ext if ext else "")
    return base


def save_upload(source: BinaryIO, filename: str | None, settings: Settings) -> tuple[str, Path]:
    """Copy the upload into the drop folder while hashing it: (sha256, final path)."""
    root = upload_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    name = safe_filename(filename)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            while block := source.read(CHUNK):
                digest.update(block)
                size += len(block)
                out.write(block)
            # On disk before the API answers 202: an accepted upload survives a crash.
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise ApiError(400, "empty_file", f"{name!r} is empty: there is nothing to ingest")
        doc_id = digest.hexdigest()
        final = root / doc_id / name
        final.parent.mkdir(exist_ok=True)
        if final.exists():
            tmp.unlink()
        else:
            tmp.replace(final)
        return doc_id, final
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
