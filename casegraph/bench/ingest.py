"""`casegraph bench ingest`: speed of the parsing stage on generated 2-page text PDFs, side by side
with raw pdfminer.six text extraction of the same files.

The parsing stage is what a worker does before NLP: read the bytes, hash them, detect the type,
extract the text with page spans. Both sides run in one process on the same files, best of
`ROUNDS` rounds each (the machine may be shared). Corpus size: `casegraph bench ingest --docs N`
(or `CASEGRAPH_BENCH_INGEST_DOCS`, default 200). The corpus generator needs reportlab (the `bench`
extra).
"""

from __future__ import annotations

import random
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from casegraph.core.errors import CasegraphError
from casegraph.core.tables import ReportTable

ROUNDS = 3
TARGET_RATIO = 0.60
_SENTENCE = ("officer observed the suspect vehicle parked near a warehouse on Main Street where Carlos Mendez met "
             "Dana Price and handed over a package of methamphetamine before both drove away in a blue Honda "
             "Civic registered to Sureños associate Luis Ortega according to witness statements taken at the "
             "Riverside precinct on Tuesday")
_WORDS = _SENTENCE.split(" ")


def write_pdf(path: Path, pages: Sequence[Sequence[str]], title: str | None = None,
              encrypt: str | None = None) -> Path:
    """A text PDF with one page per entry of `pages` (paragraphs, wrapped to the page width)."""
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas
    except ImportError as exc:
        raise CasegraphError("reportlab is not installed (it writes the generated PDFs)",
                             hint="install the bench extra: pip install 'casegraph[bench]'") from exc

    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=True)
    if title:
        c.setTitle(title)
    for paragraphs in pages:
        text = c.beginText(56, 780)
        text.setFont("Helvetica", 11)
        for para in paragraphs:
            for line in textwrap.wrap(para, 95):
                text.textLine(line)
            text.textLine("")
        c.drawText(text)
        c.showPage()
    c.save()
    return path


def make_corpus(directory: Path, n: int, seed: int = 7, paragraphs: int = 10) -> list[Path]:
    """`n` two-page police-report-like PDFs of `paragraphs` × 45 words a page."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        pages = [[" ".join(rng.choice(_WORDS) for _ in range(45)).capitalize() + "." for _ in range(paragraphs)]
                 for _ in range(2)]
        out.append(write_pdf(directory / f"report-{i:04d}.pdf", pages, title=f"Report {i}"))
    return out


def _best_of(fn: Callable[[Path], int], files: list[Path]) -> tuple[float, int]:
    best, pages = float("inf"), 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        pages = sum(fn(f) for f in files)
        best = min(best, time.perf_counter() - start)
    return best, pages


def raw_pdfminer(path: Path) -> int:
    from pdfminer.high_level import extract_text

    return extract_text(str(path)).count("\f")


def parsing_stage(path: Path) -> int:
    from ingest.documents import extract
    from ingest.parsers import ParseOptions

    result = extract(str(path), path.read_bytes(), ParseOptions())
    if result.failed:
        raise RuntimeError(f"{path}: {result.failed[0].error}")
    return result.pages


def measure(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="casegraph-bench-ingest-") as tmp:
        files = make_corpus(Path(tmp), n)
        for f in files[:3]:  # warm imports and caches on both sides
            raw_pdfminer(f), parsing_stage(f)
        raw_s, raw_pages = _best_of(raw_pdfminer, files)
        ours_s, our_pages = _best_of(parsing_stage, files)
    return {"docs": n, "pages": our_pages, "raw_pages": raw_pages,
            "raw_docs_min": 60 * n / raw_s, "raw_pages_s": raw_pages / raw_s,
            "ours_docs_min": 60 * n / ours_s, "ours_pages_s": our_pages / ours_s, "ratio": raw_s / ours_s}


def run(docs: int = 200) -> list[ReportTable]:
    r = measure(docs)
    verdict = "meets" if r["ratio"] >= TARGET_RATIO else "MISSES"
    return [ReportTable(
        title=f"Ingest parsing stage: {docs} generated 2-page text PDFs, one process, best of {ROUNDS}",
        command=f"casegraph bench ingest --docs {docs}",
        columns=["extractor", "documents/min", "pages/s"],
        rows=[["raw pdfminer.six extract_text", f"{r['raw_docs_min']:,.0f}", f"{r['raw_pages_s']:,.1f}"],
              ["casegraph parsing stage", f"{r['ours_docs_min']:,.0f}", f"{r['ours_pages_s']:,.1f}"]],
        notes=[f"Ratio parsing stage / raw pdfminer: **{r['ratio']:.0%}** ({verdict} the {TARGET_RATIO:.0%} target)."],
    )]
