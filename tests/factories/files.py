"""Small container files built in memory for drop tests."""

from __future__ import annotations

import io
import zipfile


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A ZIP archive (also the container of DOCX/XLSX/ODT) holding `members`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()
