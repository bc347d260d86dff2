"""What every parser returns, and the options they share (picklable: they travel to workers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from casegraph.core.models import PageSpan
from casegraph.core.settings import Settings

MB = 1024 * 1024


def too_large(size: int, limit: int) -> str:
    """The one-line reason for a file (or archive member) over `CASEGRAPH_MAX_FILE_MB`."""
    return f"file is {size / MB:.1f} MB, over the {limit / MB:.0f} MB limit (CASEGRAPH_MAX_FILE_MB)"


@dataclass(frozen=True)
class ParseOptions:
    max_file_bytes: int = 100 * MB
    archive_max_total_bytes: int = 500 * MB
    archive_max_members: int = 2000
    archive_max_depth: int = 3
    pdf_passwords: tuple[str, ...] = ()
    ocr_languages: str = "eng+rus"
    ocr_dpi: int = 300
    ocr_timeout: float = 300.0
    soffice_timeout: float = 180.0

    @classmethod
    def from_settings(cls, settings: Settings) -> ParseOptions:
        return cls(
            max_file_bytes=int(settings.max_file_mb * MB),
            archive_max_total_bytes=int(settings.archive_max_total_mb * MB),
            archive_max_members=settings.archive_max_members,
            pdf_passwords=tuple(settings.pdf_passwords),
            ocr_languages=settings.ocr_languages,
        )


@dataclass
class Child:
    """An e-mail attachment or archive member: its bytes, or why they could not be read."""

    name: str
    data: bytes | None = None
    error: str | None = None


@dataclass
class Parsed:
    text: str
    pages: list[PageSpan]
    page_count: int
    title: str | None = None
    known_entities: list[tuple[str, str]] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    ocr_pages: int = 0
