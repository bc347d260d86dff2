"""Evaluation on the realcases corpus (real annotated press releases; see nlp.training.realcases
for the markup, the fixed split by document and the corrections file).

`evaluate_split` scores one pipeline (the base model or a trained one, with casegraph's ruler and
context rules) on one split; `choose_default` scores the candidates on *dev* — never test — and
records the winner as the default model (nlp.model_choice).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from casegraph.core.errors import CasegraphError
from nlp.training.formats import AnnotatedText
from nlp.training.realcases import DEFAULT_DIR, SPLITS, is_realcases_dir, read_realcases

from .ner import EvalReport, evaluate

log = logging.getLogger(__name__)


class SplitError(CasegraphError):
    exit_code = 2


def select_split(items: list[AnnotatedText], split: str | None) -> list[AnnotatedText]:
    """Items of one realcases split; `None` keeps everything (and any non-realcases data)."""
    if split is None or split == "all":
        return items
    if split not in SPLITS:
        raise SplitError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)}")
    if not any("split" in it.meta for it in items):
        raise SplitError("--split applies to realcases data only (a directory of part*.md)")
    return [it for it in items if it.meta.get("split") == split]


def data_dir(directory: Path | None = None) -> Path | None:
    """The realcases directory when it exists (CI and local checkouts have ../shared/data)."""
    path = Path(directory) if directory else DEFAULT_DIR
    return path if is_realcases_dir(path) else None


def evaluate_split(model: str, split: str, directory: Path = DEFAULT_DIR, *, ruler: bool = True) -> EvalReport:
    from nlp.loader import add_casegraph_components, load_base

    items = read_realcases(directory, split)
    nlp = load_base(model)
    if ruler:
        add_casegraph_components(nlp, coref=None)
    return evaluate(nlp, items, model=model, data=[f"{directory} ({split})"])


def choose_default(
    candidates: list[str], directory: Path = DEFAULT_DIR, work_dir: Path | None = None
) -> dict[str, Any]:
    """Score each candidate (+ ruler) on realcases dev; record and return the best (micro F1).

    A candidate that cannot be loaded (e.g. the trained model was never built) is skipped with a
    notice; ties go to the earlier candidate, so list the base model first.
    """
    from nlp.loader import ModelNotFoundError
    from nlp.model_choice import record_choice

    scores: dict[str, float] = {}
    for model in candidates:
        try:
            report = evaluate_split(model, "dev", directory)
        except ModelNotFoundError as exc:
            log.warning("skipping %s: %s", model, exc)
            continue
        scores[model] = round(report.micro().f1, 4)
    if not scores:
        raise SplitError("no candidate model could be loaded")
    best = max(scores, key=lambda m: (scores[m], -candidates.index(m)))
    choice = {"model": best, "dev_micro_f1": scores, "data": str(directory)}
    record_choice(choice, work_dir)
    return choice


def candidate_models(work_dir: Path | None = None) -> list[str]:
    """The base model, and the trained pipeline when `make setup` built it."""
    from casegraph.core.settings import get_settings

    trained = Path(work_dir or get_settings().work_dir) / "models" / "casegraph_ner"
    return ["en_core_web_md", *([str(trained)] if (trained / "config.cfg").is_file() else [])]


def realcases_tables(directory: Path, models: list[str] | None = None) -> list[Any]:
    """Per-label dev and test tables for each pipeline (+ ruler), as `casegraph report quality` shows
    them. The test figures are reported, never used to choose."""
    import time

    from casegraph.core.tables import ReportTable

    tables = []
    for model in models or candidate_models():
        for split in ("dev", "test"):
            started = time.perf_counter()
            report = evaluate_split(model, split, directory)
            rows = []
            for label in [*report.labels, "micro"]:
                ex = report.micro() if label == "micro" else report.exact[label]
                pa = report.micro("partial") if label == "micro" else report.partial[label]
                rows.append([label, f"{ex.precision:.3f}", f"{ex.recall:.3f}", f"{ex.f1:.3f}", f"{pa.f1:.3f}",
                             str(ex.tp + ex.fn), str(ex.tp + ex.fp)])
            tables.append(ReportTable(
                title=f"NER — realcases {split} split — {Path(model).name} + casegraph ruler",
                command=f"casegraph nlp evaluate --data {directory} --split {split} --model {model}",
                columns=["label", "P", "R", "F1", "partial F1", "gold", "predicted"],
                rows=rows,
                notes=[f"{report.documents} documents, {report.words:,} words; exact span and label. Split by "
                       "SHA-256 of the document id (nlp/training/realcases.py); the trained model never saw "
                       "dev or test text, dev picked its epoch and the default pipeline."],
                seconds=time.perf_counter() - started,
            ))
    return tables
