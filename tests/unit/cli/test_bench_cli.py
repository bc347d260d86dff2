"""`casegraph bench …` writes docs/BENCHMARKS.md: each benchmark its own section, with the command
that produced it and the machine it ran on; rerunning one keeps the others' sections."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from casegraph.bench.report import HEADER, section, sections
from casegraph.cli.main import app
from casegraph.core.tables import ReportTable


def test_bench_ingest_writes_its_section_and_keeps_the_others(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    other = ReportTable(title="an earlier graph run", command="casegraph bench graph --docs 10",
                        columns=["figure", "value"], rows=[["ratio", "0.50"]])
    out.write_text(HEADER + "\n" + section("graph", other.command, [other]), encoding="utf-8")

    result = CliRunner().invoke(app, ["bench", "ingest", "--docs", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    found = sections(text)
    assert list(found) == ["graph", "ingest"]  # the order of `casegraph bench all`
    assert "an earlier graph run" in found["graph"]
    ingest = found["ingest"]
    assert "## `casegraph bench ingest --docs 3`" in ingest
    assert re.search(r"Measured \d{4}-\d\d-\d\d \d\d:\d\d UTC; cpu: .+ logical cores; memory: ", ingest)
    rows = [ln for ln in ingest.splitlines() if ln.startswith("| ") and "---" not in ln][1:]
    assert [r.split("|")[1].strip() for r in rows] == ["raw pdfminer.six extract_text", "casegraph parsing stage"]
    assert all(float(r.split("|")[2].replace(",", "")) > 0 for r in rows)  # documents/min measured
    assert re.search(r"Ratio parsing stage / raw pdfminer: \*\*\d+%\*\*", ingest)

    again = CliRunner().invoke(app, ["bench", "ingest", "--docs", "2", "--out", str(out)])
    assert again.exit_code == 0, again.output
    text = out.read_text(encoding="utf-8")
    assert text.count("<!-- bench:ingest -->") == 1 and "--docs 2`" in text and "--docs 3`" not in text
    assert "an earlier graph run" in text


def test_no_write_leaves_the_file_alone(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    result = CliRunner().invoke(app, ["bench", "ingest", "--docs", "1", "--out", str(out), "--no-write"])
    assert result.exit_code == 0, result.output
    assert "casegraph parsing stage" in result.output
    assert not out.exists()
