"""The `casegraph ingest` command line without a database: routing to the default command, option
checking, and how PATH… arguments (files, folders, globs) expand."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from casegraph.cli.ingest import app
from ingest.discover import discover

runner = CliRunner()


def test_paths_go_to_the_default_command():
    help_text = runner.invoke(app, ["--help"]).output
    assert "watch" in help_text and "status" in help_text
    # `casegraph ingest --schedule … PATH` reaches `run`, which rejects the schedule before any work.
    result = runner.invoke(app, ["--schedule", "every blue moon", "somewhere"])
    assert result.exit_code == 2
    assert "cannot read schedule" in result.output
    assert runner.invoke(app, ["--workers", "0", "x"]).exit_code == 2


def test_discover_files_folders_globs(tmp_path: Path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / "~$lock.docx").write_text("lock")
    (tmp_path / "download.pdf.part").write_text("partial")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.txt").write_text("c")
    (tmp_path / "quarantine").mkdir()
    (tmp_path / "quarantine" / "bad.pdf").write_text("bad")

    flat = discover([tmp_path])
    assert [p.name for p in flat.files] == ["a.pdf", "b.txt"]
    deep = discover([tmp_path], recursive=True)
    assert [p.relative_to(tmp_path).as_posix() for p in deep.files] == ["a.pdf", "b.txt", "sub/c.txt"]
    globbed = discover([str(tmp_path / "**" / "*.txt")])
    assert sorted(p.name for p in globbed.files) == ["b.txt", "c.txt"]
    both = discover([tmp_path / "a.pdf", str(tmp_path / "*.pdf"), tmp_path / "missing.doc"])
    assert [p.name for p in both.files] == ["a.pdf"]
    assert both.missing == [str(tmp_path / "missing.doc")]
