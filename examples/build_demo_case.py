#!/usr/bin/env python3
"""Build the binary documents of the demo case (PDF, DOCX, PNG scans, e-mails with attachments)
from the text sources in `examples/demo_case/sources/`, and check `EXPECTED.json` against the texts.

    .venv/bin/python examples/build_demo_case.py            # (re)build; writes only files whose bytes changed
    .venv/bin/python examples/build_demo_case.py --check    # build in memory; fail if a file on disk differs
    .venv/bin/python examples/build_demo_case.py --verify   # also read the outputs back with pdftotext/tesseract

The textual documents (TXT, Markdown, HTML, CSV, plain EML) are committed as they are in
`examples/demo_case/documents/`; this script only writes the binary ones next to them. Output is
deterministic: reportlab runs in `invariant` mode, DOCX packages get fixed timestamps and metadata,
PNG scans use a seeded noise pattern, and MIME boundaries are fixed. Bytes are identical from run to
run with the same reportlab, python-docx, Pillow and FreeType versions (a different FreeType may
rasterise the PNG glyphs slightly differently).

Source markup (one line = one paragraph; prose paragraphs are single long lines):
    @title: / @author: / @header: / @footer:   document metadata (first lines)
    # Heading, ## Subheading, - bullet, | table | row |  (a `| --- |` row marks the row above as header)
    **bold** inline, and a line `<<<page>>>` for a page break.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import random
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import typer

CASE_DIR = Path(__file__).resolve().parent / "demo_case"
SOURCES = CASE_DIR / "sources"
DOCUMENTS = CASE_DIR / "documents"
EXPECTED = CASE_DIR / "EXPECTED.json"
MEMBER_SEPARATOR = "!/"  # how ingestion names a file inside an e-mail: "mail.eml!/report.pdf"
FIXED_TIME = datetime(2024, 4, 15, 9, 0, 0)  # DOCX core properties: the day the case went public
PAGE_BREAK = "<<<page>>>"
DOCX_MIME = "vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Attachment:
    filename: str
    source: str
    kind: str  # "pdf" | "docx"


@dataclass(frozen=True)
class Target:
    output: str
    source: str
    kind: str  # "pdf" | "docx" | "png" | "eml"
    attachment: Attachment | None = None
    mono: bool = False  # PNG: typewriter/ledger layout in a monospaced font


TARGETS: tuple[Target, ...] = (
    Target("03_lab_report_LAB-24-00417.pdf", "03_lab_report_LAB-24-00417.txt", "pdf"),
    Target("12_victim_interview_whitfield.docx", "12_victim_interview_whitfield.txt", "docx"),
    Target("13_witness_statement_delgado_scan.png", "13_witness_statement_delgado_scan.txt", "png"),
    Target("16_email_alvarez_to_hollis_lab_report.eml", "16_email_alvarez_to_hollis_lab_report.eml", "eml",
           Attachment("LAB-24-01206_lab_report.pdf", "16a_lab_report_LAB-24-01206.txt", "pdf")),
    Target("17_search_warrant_affidavit.pdf", "17_search_warrant_affidavit.txt", "pdf"),
    Target("20_arrest_report_mendez.docx", "20_arrest_report_mendez.txt", "docx"),
    Target("21_arrest_report_ortiz.docx", "21_arrest_report_ortiz.txt", "docx"),
    Target("22_arrest_report_reyes.docx", "22_arrest_report_reyes.txt", "docx"),
    Target("24_ledger_page_scan.png", "24_ledger_page_scan.txt", "png", mono=True),
    Target("25_evidence_log.docx", "25_evidence_log.txt", "docx"),
    Target("28_interview_notes_price.docx", "28_interview_notes_price.txt", "docx"),
    Target("29_interview_notes_doyle.docx", "29_interview_notes_doyle.txt", "docx"),
    Target("30_interview_notes_greene_proffer.docx", "30_interview_notes_greene_proffer.txt", "docx"),
    Target("31_lab_report_LAB-24-01288.pdf", "31_lab_report_LAB-24-01288.txt", "pdf"),
    Target("32_firearms_report_FA-24-0093.pdf", "32_firearms_report_FA-24-0093.txt", "pdf"),
    Target("33_financial_analysis_kessler.pdf", "33_financial_analysis_kessler.txt", "pdf"),
    Target("34_email_hollis_cooperation_draft.eml", "34_email_hollis_cooperation_draft.eml", "eml",
           Attachment("Greene_cooperation_agreement_DRAFT.docx", "34a_cooperation_agreement_draft_greene.txt", "docx")),
    Target("35_indictment_24-CR-0412.pdf", "35_indictment_24-CR-0412.txt", "pdf"),
)


# ---------------------------------------------------------------------------------------------- markup


@dataclass
class Block:
    kind: str  # h1 | h2 | p | li | table | page
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    header: bool = False


@dataclass
class Source:
    meta: dict[str, str]
    blocks: list[Block]


def parse_source(text: str) -> Source:
    meta: dict[str, str] = {}
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not blocks and (m := re.match(r"@(\w+):\s*(.*)", line)):
            meta[m.group(1)] = m.group(2)
        elif line == PAGE_BREAK:
            blocks.append(Block("page"))
        elif line.startswith("## "):
            blocks.append(Block("h2", line[3:]))
        elif line.startswith("# "):
            blocks.append(Block("h1", line[2:]))
        elif line.startswith("- "):
            blocks.append(Block("li", line[2:]))
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not (blocks and blocks[-1].kind == "table"):
                blocks.append(Block("table"))
            table = blocks[-1]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                table.header = True
            else:
                table.rows.append(cells)
        else:
            blocks.append(Block("p", line))
    return Source(meta, blocks)


def runs(text: str) -> list[tuple[str, bool]]:
    """`a **b** c` → [("a ", False), ("b", True), (" c", False)]."""
    parts = text.split("**")
    return [(part, i % 2 == 1) for i, part in enumerate(parts) if part]


def plain_text(source: Source) -> str:
    """What a reader (and ingestion) sees in the rendered document, for checking EXPECTED.json."""
    lines = [source.meta.get("header", ""), source.meta.get("footer", "")]
    for b in source.blocks:
        if b.kind == "table":
            lines.extend(" ".join(row) for row in b.rows)
        elif b.kind != "page":
            lines.append(b.text.replace("**", ""))
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------------------------- PDF


def render_pdf(source: Source) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName="Times-Roman", fontSize=11, leading=14,
                          spaceAfter=6, alignment=TA_LEFT)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11, spaceAfter=0)
    h1 = ParagraphStyle("h1", parent=styles["Title"], fontName="Helvetica-Bold", fontSize=16, spaceAfter=10)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontName="Helvetica-Bold", fontSize=12, spaceBefore=8)

    def markup(text: str) -> str:
        return "".join(f"<b>{html.escape(t, quote=False)}</b>" if bold else html.escape(t, quote=False)
                       for t, bold in runs(text))

    story: list = []
    for b in source.blocks:
        if b.kind == "h1":
            story.append(Paragraph(markup(b.text), h1))
        elif b.kind == "h2":
            story.append(Paragraph(markup(b.text), h2))
        elif b.kind == "p":
            story.append(Paragraph(markup(b.text), body))
        elif b.kind == "li":
            story.append(Paragraph(markup(b.text), body, bulletText="\u2022"))
        elif b.kind == "page":
            story.append(PageBreak())
        elif b.kind == "table":
            width = 6.5 * inch
            ncols = max(len(r) for r in b.rows)
            col_widths = [width * 0.3, width * 0.7] if ncols == 2 and not b.header else [width / ncols] * ncols
            data = [[Paragraph(markup(f"**{c}**" if b.header and i == 0 else c), cell) for c in row]
                    for i, row in enumerate(b.rows)]
            table = Table(data, colWidths=col_widths, hAlign="LEFT")
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
            if b.header:
                style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")))
            table.setStyle(TableStyle(style))
            story.extend([table, Spacer(1, 8)])

    header, footer = source.meta.get("header", ""), source.meta.get("footer", "")

    def decorate(canvas, doc) -> None:  # noqa: ANN001 - reportlab's callback signature
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(doc.leftMargin, LETTER[1] - 0.55 * inch, header)
        canvas.drawString(doc.leftMargin, 0.5 * inch, footer)
        canvas.drawRightString(LETTER[0] - doc.rightMargin, 0.5 * inch, f"Page {doc.page}")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=0.9 * inch,
                            bottomMargin=0.9 * inch, title=source.meta.get("title", ""),
                            author=source.meta.get("author", ""), creator="casegraph demo case builder",
                            invariant=1)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------- DOCX


def normalise_zip(data: bytes) -> bytes:
    """python-docx stamps every ZIP entry with the current time: rewrite them with a fixed one."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_docx(source: Source) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    props = doc.core_properties
    props.title = source.meta.get("title", "")
    props.author = props.last_modified_by = source.meta.get("author", "")
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    section = doc.sections[0]
    if header := source.meta.get("header"):
        section.header.paragraphs[0].text = header
    if footer := source.meta.get("footer"):
        section.footer.paragraphs[0].text = footer

    def add_runs(paragraph, text: str, bold: bool = False) -> None:  # noqa: ANN001
        for t, b in runs(text):
            paragraph.add_run(t).bold = b or bold

    for b in source.blocks:
        if b.kind in ("h1", "h2"):
            doc.add_heading(b.text.replace("**", ""), level=1 if b.kind == "h1" else 2)
        elif b.kind == "p":
            add_runs(doc.add_paragraph(), b.text)
        elif b.kind == "li":
            add_runs(doc.add_paragraph(style="List Bullet"), b.text)
        elif b.kind == "page":
            doc.add_page_break()
        elif b.kind == "table":
            ncols = max(len(r) for r in b.rows)
            table = doc.add_table(rows=len(b.rows), cols=ncols)
            table.style = "Table Grid"
            for i, row in enumerate(b.rows):
                for j, text in enumerate(row):
                    para = table.cell(i, j).paragraphs[0]
                    add_runs(para, text, bold=(b.header and i == 0) or (not b.header and ncols == 2 and j == 0))
                    for run in para.runs:
                        run.font.size = Pt(9)
            doc.add_paragraph()
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue())


# ---------------------------------------------------------------------------------------------- PNG


def find_font(names: tuple[str, ...]) -> str:
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"):
        for name in names:
            hits = sorted(root.rglob(name)) if root.is_dir() else []
            if hits:
                return str(hits[0])
    raise SystemExit(f"no font found among {names}: install fonts-dejavu-core (apt) to build the PNG scans")


def render_png(text: str, seed: str, mono: bool) -> bytes:
    """A page at 200 dpi that looks photocopied: off-white paper, grey speckles, a dark scanner edge
    and a slight skew — but still clean enough for tesseract."""
    from PIL import Image, ImageDraw, ImageFont

    width, height, margin = 1700, 2200, 130
    font_file = find_font(("DejaVuSansMono.ttf", "LiberationMono-Regular.ttf") if mono
                          else ("DejaVuSerif.ttf", "LiberationSerif-Regular.ttf"))
    font = ImageFont.truetype(font_file, 30 if mono else 34)
    bold = ImageFont.truetype(find_font(("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf")), 36)
    page = Image.new("L", (width, height), 246)
    draw = ImageDraw.Draw(page)
    rng = random.Random(seed)
    for _ in range(5000):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.point((x, y), fill=rng.randrange(170, 225))
    y = margin
    lines = text.splitlines()
    for n, line in enumerate(lines):
        is_title = n < (1 if mono else 2)
        f = bold if is_title else font
        for piece in wrap(line, f, width - 2 * margin) if line else [""]:
            draw.text((margin, y), piece, font=f, fill=28)
            y += int(f.size * 1.45)
        if is_title and n == (0 if mono else 1):
            draw.line((margin, y + 4, width - margin, y + 4), fill=60, width=3)
            y += 18
    draw.rectangle((0, 0, 14, height), fill=90)  # the scanner lid's shadow along the left edge
    page = page.rotate(0.35, resample=Image.Resampling.BICUBIC, fillcolor=246)
    buf = io.BytesIO()
    page.save(buf, format="PNG", dpi=(200, 200))
    return buf.getvalue()


def wrap(line: str, font, max_width: int) -> list[str]:  # noqa: ANN001
    words, out, current = line.split(" "), [], ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if font.getlength(trial) <= max_width or not current:
            current = trial
        else:
            out.append(current)
            current = word
    out.append(current)
    return out


# ---------------------------------------------------------------------------------------------- EML


def split_eml(text: str) -> tuple[list[tuple[str, str]], str]:
    head, _, body = text.partition("\n\n")
    headers: list[tuple[str, str]] = []
    for line in head.splitlines():
        if line[:1].isspace() and headers:
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
        else:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
    return headers, body


def render_eml(source_text: str, attachment_name: str, attachment: bytes, attachment_kind: str, seed: str) -> bytes:
    headers, body = split_eml(source_text)
    msg = MIMEMultipart("mixed", boundary=f"=_casegraph_demo_{hashlib.sha1(seed.encode()).hexdigest()[:16]}")
    content_type = msg["Content-Type"]
    del msg["Content-Type"], msg["MIME-Version"]  # re-added below, after the source's headers, as mailers do
    for name, value in headers:
        if name.lower() not in {"mime-version", "content-type", "content-transfer-encoding"}:
            msg[name] = value
    msg["MIME-Version"] = "1.0"
    msg["Content-Type"] = content_type
    charset = "us-ascii" if body.isascii() else "utf-8"
    msg.attach(MIMEText(body, "plain", charset))
    part = MIMEApplication(attachment, _subtype="pdf" if attachment_kind == "pdf" else DOCX_MIME)
    part.add_header("Content-Disposition", "attachment", filename=attachment_name)
    msg.attach(part)
    return msg.as_bytes()


# ---------------------------------------------------------------------------------------------- build


def render(kind: str, source_name: str, seed: str, mono: bool = False) -> bytes:
    text = (SOURCES / source_name).read_text(encoding="utf-8")
    if kind == "pdf":
        return render_pdf(parse_source(text))
    if kind == "docx":
        return render_docx(parse_source(text))
    if kind == "png":
        return render_png(text, seed, mono)
    raise ValueError(f"unknown kind {kind}")


def build_target(t: Target) -> bytes:
    if t.kind != "eml":
        return render(t.kind, t.source, t.output, t.mono)
    assert t.attachment is not None
    data = render(t.attachment.kind, t.attachment.source, t.attachment.filename)
    text = (SOURCES / t.source).read_text(encoding="utf-8")
    return render_eml(text, t.attachment.filename, data, t.attachment.kind, t.output)


def build(check: bool) -> list[tuple[str, str, int]]:
    """(file, status, bytes) for every target; writes only when the bytes changed (or never, in check)."""
    DOCUMENTS.mkdir(parents=True, exist_ok=True)
    report = []
    for t in TARGETS:
        data = build_target(t)
        path = DOCUMENTS / t.output
        old = path.read_bytes() if path.exists() else None
        if old == data:
            status = "unchanged"
        elif check:
            status = "MISSING" if old is None else "DIFFERS"
        else:
            path.write_bytes(data)
            status = "written"
        report.append((t.output, status, len(data)))
    return report


# ---------------------------------------------------------------------------------------------- EXPECTED.json


def document_texts() -> dict[str, str]:
    """Every ingestible document (and e-mail attachment, named `mail.eml!/file`) → its readable text."""
    generated = {t.output: t for t in TARGETS}
    texts: dict[str, str] = {}
    for path in sorted(DOCUMENTS.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        t = generated.get(path.name)
        if t is None:
            raw = path.read_text(encoding="utf-8")
            if path.suffix == ".html":
                raw = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", raw, flags=re.S)
                raw = html.unescape(re.sub(r"<[^>]+>", " ", raw))
            texts[path.name] = raw
            continue
        src = (SOURCES / t.source).read_text(encoding="utf-8")
        if t.kind == "png":
            texts[path.name] = src
        elif t.kind == "eml":
            texts[path.name] = src
            assert t.attachment is not None
            att = (SOURCES / t.attachment.source).read_text(encoding="utf-8")
            texts[f"{path.name}{MEMBER_SEPARATOR}{t.attachment.filename}"] = plain_text(parse_source(att))
        else:
            texts[path.name] = plain_text(parse_source(src))
    return texts


def form_pattern(form: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)")


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_expected(texts: dict[str, str]) -> list[str]:
    """Problems with EXPECTED.json: a surface form that no document uses, a document list that does
    not match where the forms occur, or an evidence sentence that is not in its document."""
    if not EXPECTED.exists():
        return [f"{EXPECTED.name} is missing"]
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    problems: list[str] = []
    listed = {d["file"] for d in expected["documents"]}
    if listed != set(texts):
        problems.append(f"documents: listed but absent {sorted(listed - set(texts))}, "
                        f"present but unlisted {sorted(set(texts) - listed)}")
    flat = {name: normalise_space(text) for name, text in texts.items()}
    for section in ("people", "gangs", "weapons", "drugs", "organizations", "vehicles"):
        for entity in expected.get(section, []):
            label = f"{section}/{entity['canonical']}"
            forms = entity["surface_forms"]
            found = {name for name, text in flat.items() if any(form_pattern(f).search(text) for f in forms)}
            for f in forms:
                if not any(form_pattern(f).search(text) for text in flat.values()):
                    problems.append(f"{label}: surface form {f!r} occurs in no document")
            if "documents" in entity and set(entity["documents"]) != found:
                problems.append(f"{label}: documents listed {sorted(set(entity['documents']) - found)} lack its "
                                f"forms; {sorted(found - set(entity['documents']))} use them but are not listed")
    for link in expected.get("links", []):
        for ev in link["evidence"]:
            if ev["document"] not in flat or normalise_space(ev["sentence"]) not in flat[ev["document"]]:
                problems.append(f"link {link['source']} -{link['predicate']}-> {link['target']}: "
                                f"sentence not found in {ev['document']}: {ev['sentence']!r}")
    return problems


# ---------------------------------------------------------------------------------------------- verify


def verify_outputs() -> list[str]:
    """Read the generated files back the way ingestion will (pdftotext, python-docx, tesseract) and
    check that every surface form of EXPECTED.json that the source text uses comes out of the file."""
    import email

    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    forms = sorted({f for section in ("people", "gangs", "drugs", "weapons", "organizations", "vehicles")
                    for entity in expected.get(section, []) for f in entity["surface_forms"]})
    sources = {name: normalise_space(text) for name, text in document_texts().items()}
    tools = {name: shutil.which(name) for name in ("pdftotext", "tesseract")}
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for t in TARGETS:
            data = (DOCUMENTS / t.output).read_bytes()
            items = [(t.output, t.kind, data)]
            if t.attachment is not None:
                for part in email.message_from_bytes(data).walk():
                    if part.get_filename() == t.attachment.filename:
                        items.append((f"{t.output}{MEMBER_SEPARATOR}{t.attachment.filename}", t.attachment.kind,
                                      part.get_payload(decode=True)))
            for name, kind, blob in items:
                if kind == "eml":
                    continue
                read = extract(kind, blob, Path(tmp), tools)
                if read is None:
                    print(f"  skipped {name}: no reader for {kind} installed")
                    continue
                pages = f", {read.count(chr(12))} page(s)" if kind == "pdf" else ""
                text = normalise_space(read)
                wanted = [f for f in forms if form_pattern(f).search(sources[name])]
                missing = [f for f in wanted if not form_pattern(f).search(text)]
                print(f"  {name}: {len(text):,} chars read back{pages}; "
                      f"{len(wanted) - len(missing)}/{len(wanted)} entity forms found")
                if missing:
                    problems.append(f"{name}: not read back: {missing}")
    return problems


def extract(kind: str, data: bytes, tmp: Path, tools: dict[str, str | None]) -> str | None:
    if kind == "docx":
        from docx import Document

        doc = Document(io.BytesIO(data))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for table in doc.tables for row in table.rows for c in row.cells]
        parts += [p.text for s in doc.sections for p in (*s.header.paragraphs, *s.footer.paragraphs)]
        return "\n".join(parts)
    file = tmp / f"in.{kind}"
    file.write_bytes(data)
    if kind == "pdf" and tools["pdftotext"]:
        return subprocess.run([tools["pdftotext"], str(file), "-"], capture_output=True, check=True).stdout.decode()
    if kind == "png" and tools["tesseract"]:
        out = subprocess.run([tools["tesseract"], str(file), "-", "-l", "eng"], capture_output=True, check=True)
        return out.stdout.decode()
    return None


# ---------------------------------------------------------------------------------------------- main


app = typer.Typer(add_completion=False, help=__doc__.split("\n\n")[0])


@app.command()
def main(
    check: bool = typer.Option(False, "--check", help="Write nothing; fail if a generated file is stale."),
    verify: bool = typer.Option(False, "--verify", help="Read outputs back with pdftotext and tesseract."),
) -> None:
    """Build the demo case's binary documents and check EXPECTED.json (exit 1 when stale or wrong)."""
    started = time.perf_counter()
    try:
        report = build(check=check)
    except ImportError as exc:  # reportlab, python-docx and Pillow are the only third-party needs
        typer.echo(f"missing Python package: {exc.name} — install casegraph with its test extra "
                   "(reportlab, python-docx, pillow)", err=True)
        raise typer.Exit(2) from None
    for name, status, size in report:
        print(f"{status:>9}  {size:>8,} B  {DOCUMENTS.relative_to(CASE_DIR.parent.parent) / name}")
    stale = [name for name, status, _ in report if status in {"MISSING", "DIFFERS"}]
    texts = document_texts()
    problems = check_expected(texts)
    if verify:
        problems += verify_outputs()
    for p in problems:
        print(f"PROBLEM: {p}")
    written = sum(status == "written" for _, status, _ in report)
    print(f"{len(report)} generated files ({written} written), {len(texts)} documents in all "
          f"(attachments included); EXPECTED.json {'OK' if not problems else f'{len(problems)} problem(s)'}; "
          f"{time.perf_counter() - started:.1f} s")
    if stale:
        print(f"stale generated files: {', '.join(stale)} — run examples/build_demo_case.py")
    if stale or problems:
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
