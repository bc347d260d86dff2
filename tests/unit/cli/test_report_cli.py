"""`casegraph report resolution` on the package's hand-written mentions: the command prints what
the evaluator computes (no test data read from tests/)."""

from __future__ import annotations

from typer.testing import CliRunner

from casegraph.cli.main import app
from casegraph.eval.datasets import RESOLUTION_MENTIONS
from casegraph.eval.resolution import score_fixture


def test_report_resolution_prints_the_scores_and_the_errors() -> None:
    scores, errors = score_fixture(RESOLUTION_MENTIONS, use_kb=False)
    assert scores.mentions > 50 and 0.5 < scores.b3_f1 < 1.0  # a real score, not a trivial one
    result = CliRunner().invoke(app, ["report", "resolution", "--no-kb", "--errors"])
    assert result.exit_code == 0, result.output
    assert f"({scores.mentions} mentions, {scores.entities} entities)" in " ".join(result.output.split())
    pairwise = next(ln for ln in result.output.splitlines() if "pairwise" in ln)
    assert [c.strip() for c in pairwise.strip("│ ").split("│")] == [
        "pairwise", f"{scores.pairwise_p:.3f}", f"{scores.pairwise_r:.3f}", f"{scores.pairwise_f1:.3f}"]
    assert errors and all(line in result.output for line in errors)
