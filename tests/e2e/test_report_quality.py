"""`casegraph report quality` end to end with small limits: real models, real LitBank and
factRuEval-2016 documents, the Markdown report written and every table backed by its command.
(The demo-case resolution tables are checked in tests/e2e/test_e2e_demo_case.py, on its ingest.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from casegraph.eval.datasets import factrueval_devset, litbank
from casegraph.eval.quality import PARTS

LITBANK, FACTRUEVAL = litbank(), factrueval_devset()

CASEGRAPH = Path(sys.executable).parent / "casegraph"
NUMBER = re.compile(r"^\*{0,2}\d+(\.\d+)?\*{0,2}$|^\d+\.\d / \d+\.\d / \d+\.\d$")


def _sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^## ", markdown, flags=re.MULTILINE)
    return {p.splitlines()[0]: p for p in parts[1:]}


def _rows(section: str) -> list[list[str]]:
    lines = [ln for ln in section.splitlines() if ln.startswith("| ")]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]  # past header and rule


@pytest.mark.skipif(not LITBANK.is_dir() or not FACTRUEVAL.is_dir(),
                    reason="evaluation data (../shared/data: LitBank, factRuEval-2016) is not present")
def test_quality_report_with_small_limits_writes_markdown(tmp_path: Path) -> None:
    out = tmp_path / "QUALITY.md"
    run = subprocess.run([str(CASEGRAPH), "report", "quality", "--limit", "2", "--only", "ner,coref,ru",
                          "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"wrote {out}" in run.stdout.replace("\n", "")
    sections = _sections(out.read_text(encoding="utf-8"))
    titles = list(sections)
    assert any(t.startswith("NER — LitBank") for t in titles), titles
    assert any(t.startswith("NER — casegraph gold sentences") for t in titles), titles
    assert any(t.startswith("Coreference — LitBank") for t in titles), titles
    assert any(t.startswith("Russian NER — factRuEval-2016") for t in titles), titles
    for title, body in sections.items():
        if title == "Data":
            assert "CC-BY 4.0" in body and "MIT" in body
            continue
        command = re.search(r"```\n(.+)\n```", body)
        assert command and "--limit 2" in command.group(1), f"{title}: no command to reproduce it"
        rows = _rows(body)
        assert rows, f"{title}: no table"
        for row in rows:
            assert all(NUMBER.match(cell) for cell in row[1:]), f"{title}: {row}"
        if title.startswith(("NER", "Russian")):
            micro = next(r for r in rows if r[0] == "micro")
            assert 0.0 < float(micro[3]) <= 1.0, f"{title}: micro F1 {micro}"
    # The same tables are printed.
    assert "Coreference — LitBank" in run.stdout
    assert "$ casegraph report russian --limit 2" in run.stdout


def test_an_unknown_part_is_refused() -> None:
    run = subprocess.run([str(CASEGRAPH), "report", "quality", "--only", "ner,sentiment", "--no-write"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    message = " ".join(run.stderr.replace("│", " ").split())  # rich boxes and wraps the message
    assert f"unknown part(s) sentiment; choose from {', '.join(PARTS)}" in message
    assert {"ner", "coref", "ru", "resolution"} <= set(PARTS)
