"""OCR with Debian's tesseract-ocr (through pytesseract): images, and PDF pages rendered by poppler's
`pdftoppm`."""

from __future__ import annotations

import io
import logging
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from ingest.errors import BadFileError, one_line
from ingest.parsers.base import Parsed, ParseOptions
from ingest.text import TextBuilder, unwrap

log = logging.getLogger(__name__)


@cache
def _installed_languages() -> frozenset[str]:
    import pytesseract

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise BadFileError("OCR unavailable: tesseract is not installed (apt install tesseract-ocr)") from exc


def ocr_languages(wanted: str) -> str:
    installed = _installed_languages()
    usable = [lang for lang in wanted.split("+") if lang in installed]
    if not usable:
        raise BadFileError(f"OCR unavailable: tesseract has no data for {wanted} (installed: "
                           f"{', '.join(sorted(installed - {'osd'})) or 'none'})")
    return "+".join(usable)


def ocr_image(image: object, options: ParseOptions) -> list[str]:
    """Paragraphs tesseract reads in one image."""
    import pytesseract

    try:
        text = pytesseract.image_to_string(image, lang=ocr_languages(options.ocr_languages),
                                           timeout=options.ocr_timeout)
    except pytesseract.TesseractError as exc:
        raise BadFileError(f"OCR failed: {one_line(exc)}") from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise BadFileError(f"OCR took longer than {options.ocr_timeout:.0f} s on one page") from exc
    return [b for para in text.split("\n\n") if (b := unwrap(para))]


def parse_image(data: bytes, options: ParseOptions) -> Parsed:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
        builder = TextBuilder()
        frames = 0
        for frames, frame in enumerate(ImageSequence.Iterator(image), start=1):
            for block in ocr_image(frame.convert("L"), options):
                builder.add(block, frames)
    except Image.DecompressionBombError as exc:
        raise BadFileError(f"image too large to OCR safely ({one_line(exc)})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise BadFileError(f"corrupt image: {one_line(exc)}") from exc
    builder.page_count = frames
    return Parsed(text=builder.text(), pages=builder.pages, page_count=frames, ocr_pages=frames)


def ocr_pdf_pages(data: bytes, pages: list[int], password: str, options: ParseOptions) -> dict[int, list[str]]:
    """OCR the given 1-based pages of a PDF (those without a text layer)."""
    from PIL import Image

    out: dict[int, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="casegraph-ocr-") as tmp:
        pdf = Path(tmp) / "in.pdf"
        pdf.write_bytes(data)
        for page in pages:
            cmd = ["pdftoppm", "-r", str(options.ocr_dpi), "-gray", "-png", "-f", str(page), "-l", str(page)]
            if password:
                cmd += ["-upw", password]
            prefix = Path(tmp) / f"p{page}"
            try:
                subprocess.run([*cmd, str(pdf), str(prefix)], check=True, capture_output=True,
                               timeout=options.ocr_timeout)
            except FileNotFoundError as exc:
                raise BadFileError("OCR unavailable: pdftoppm is not installed (apt install poppler-utils)") from exc
            except subprocess.TimeoutExpired as exc:
                raise BadFileError(f"PDF page {page} took longer than {exc.timeout:.0f} s to render for OCR") from exc
            except subprocess.CalledProcessError as exc:
                detail = exc.stderr.decode(errors="replace").strip().splitlines()
                raise BadFileError(f"corrupt PDF: page {page} cannot be rendered for OCR "
                                   f"({detail[-1] if detail else exc.returncode})") from exc
            rendered = sorted(Path(tmp).glob(f"p{page}*.png"))
            if not rendered:
                continue
            with Image.open(rendered[0]) as image:
                out[page] = ocr_image(image, options)
            rendered[0].unlink()
    log.debug("OCR of %d PDF page(s)", len(pages))
    return out
