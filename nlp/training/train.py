"""`casegraph nlp train`: fine-tune the base pipeline's NER on analyst annotations.

Resumes from the base model (every component sourced from it; all but `ner` frozen, so the
tagger, parser and lemmatizer are untouched), adds the new labels, and rehearses the base labels
(see `convert`). The result is a normal spaCy pipeline directory — `spacy.load(out)` works, and
`CASEGRAPH_SPACY_MODEL=out` selects it — with `training.json` describing the run.
"""

from __future__ import annotations

import io
import logging
import shutil
import time
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel

from casegraph.core.errors import CasegraphError

from .convert import split, to_docbin
from .formats import AnnotatedText
from .realcases import read_any

log = logging.getLogger(__name__)

TEMPLATE = Path(__file__).with_name("ner.cfg")
# Unannotated general English, annotated by the base model and mixed into training (rehearsal).
REHEARSAL_TEXT = Path(__file__).resolve().parent.parent / "corpus" / "rehearsal.txt"
MODEL_NAME = "casegraph_ner"


class TrainingError(CasegraphError):
    exit_code = 2


class TrainReport(BaseModel):
    out: str
    base: str
    data: list[str]
    train_docs: int
    rehearsal_docs: int
    dev_docs: int
    gold_labels: list[str]
    rehearsal_spans: int
    misaligned_spans: int
    epochs: int
    seconds: float
    dev_scores: dict[str, Any]


def build_config(base_path: Path, base: Any, epochs: int, seed: int, train: Path, dev: Path) -> Any:
    """The complete training config: the template's training blocks, components sourced from base."""
    from thinc.api import Config

    config = Config().from_disk(TEMPLATE, interpolate=False)
    names = list(base.component_names)
    config["nlp"] = {
        "lang": base.lang,
        "pipeline": names,
        "disabled": list(base.disabled),
        "batch_size": 256,
        "before_creation": None,
        "after_creation": None,
        "after_pipeline_creation": None,
        "tokenizer": base.config["nlp"]["tokenizer"],
        "vectors": base.config["nlp"].get("vectors", {"@vectors": "spacy.Vectors.v1"}),
    }
    config["components"] = {name: {"source": str(base_path)} for name in names}
    config["training"]["frozen_components"] = [n for n in names if n != "ner"]
    config["training"]["max_epochs"] = epochs
    config["system"]["seed"] = seed
    config["paths"]["train"] = str(train)
    config["paths"]["dev"] = str(dev)
    config["paths"]["base"] = str(base_path)
    has_vectors = base.vocab.vectors.shape[0] > 0
    config["paths"]["vectors"] = str(base_path) if has_vectors else None
    return config


def train(
    data: list[Path],
    out: Path,
    *,
    base_model: str | None = None,
    epochs: int = 15,
    dev_fraction: float = 0.2,
    seed: int = 0,
    rehearse: bool = True,
    rehearsal_text: list[Path] | None = None,
    log_to: IO[str] | None = None,
) -> TrainReport:
    """Train and save the pipeline to `out`; returns what was done and the dev scores."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as spacy_train
    from thinc.api import fix_random_seed

    from casegraph.core.settings import get_settings

    from ..loader import base_model_path, load_base

    started = time.perf_counter()
    base_name = base_model or get_settings().spacy_model
    base_path = Path(base_model_path(base_name))
    base = load_base(str(base_path))
    if "ner" not in base.pipe_names:
        raise TrainingError(f"{base_name} has no `ner` component to fine-tune")

    items = read_any(data)  # realcases directories keep their fixed split (see split_items)
    if not items:
        raise TrainingError("no annotated examples in " + ", ".join(map(str, data)))
    gold_labels = {s.label for it in items for s in it.spans}
    train_items, dev_items = split_items(items, dev_fraction, seed)
    if not dev_items:
        raise TrainingError("need at least two annotated examples (one for the dev set)")

    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    stats = {}
    rehearsal = read_rehearsal(rehearsal_text or [REHEARSAL_TEXT]) if rehearse else []
    for name, part in (("train", train_items), ("dev", dev_items)):
        docbin, stats[name] = to_docbin(part, base, gold_labels, rehearse=rehearse)
        if name == "train" and rehearsal:
            extra, extra_stats = to_docbin(rehearsal, base, set(), rehearse=True)
            docbin.merge(extra)
            stats[name].rehearsal_spans += extra_stats.rehearsal_spans
            for label, n in extra_stats.labels.items():
                stats[name].labels[label] = stats[name].labels.get(label, 0) + n
        docbin.to_disk(corpus / f"{name}.spacy")
    log.info(
        "train: %d docs (+%d rehearsal texts), dev: %d docs; gold labels %s; %d rehearsal spans",
        stats["train"].docs,
        len(rehearsal),
        stats["dev"].docs,
        sorted(gold_labels),
        stats["train"].rehearsal_spans,
    )

    config = build_config(base_path, base, epochs, seed, corpus / "train.spacy", corpus / "dev.spacy")
    fix_random_seed(seed)
    nlp = init_nlp(config, use_gpu=-1)
    for label in sorted(gold_labels | set(stats["train"].labels)):
        nlp.get_pipe("ner").add_label(label)  # type: ignore[attr-defined]
    runs = out / "runs"
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir(parents=True)
    stream = log_to or io.StringIO()
    spacy_train(nlp, runs, use_gpu=-1, stdout=stream, stderr=stream)

    best = _load_best(runs)
    scores = {k: v for k, v in (best.meta.get("performance") or {}).items() if k.startswith("ents")}
    best.meta.update(
        name=MODEL_NAME,
        version="0.1.0",
        description=f"casegraph NER fine-tuned from {base_name}",
        casegraph={"base": base_name, "gold_labels": sorted(gold_labels)},
    )
    _save(best, out)
    shutil.rmtree(runs, ignore_errors=True)
    report = TrainReport(
        out=str(out),
        base=base_name,
        data=[str(p) for p in data],
        train_docs=len(train_items),
        rehearsal_docs=len(rehearsal),
        dev_docs=len(dev_items),
        gold_labels=sorted(gold_labels),
        rehearsal_spans=stats["train"].rehearsal_spans,
        misaligned_spans=stats["train"].misaligned + stats["dev"].misaligned,
        epochs=epochs,
        seconds=round(time.perf_counter() - started, 1),
        dev_scores=scores,
    )
    (out / "training.json").write_text(report.model_dump_json(indent=2), encoding="utf-8")
    return report


def split_items(
    items: list[AnnotatedText], dev_fraction: float, seed: int
) -> tuple[list[AnnotatedText], list[AnnotatedText]]:
    """(train, dev). Items that carry a fixed split (realcases: `meta["split"]`) keep it — their
    test documents are never trained on nor used to pick the best epoch; the rest are split by hash."""
    fixed = [it for it in items if "split" in it.meta]
    train_items, dev_items = split([it for it in items if "split" not in it.meta], dev_fraction, seed)
    if fixed:
        dev_items = [it for it in fixed if it.meta["split"] == "dev"] or dev_items
        train_items = [*[it for it in fixed if it.meta["split"] == "train"], *train_items]
    return train_items, dev_items


def read_rehearsal(paths: list[Path]) -> list[AnnotatedText]:
    """One text per line; blank lines and lines starting with # are skipped."""
    return [
        AnnotatedText(text=line.strip())
        for path in paths
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _load_best(runs: Path) -> Any:
    import spacy

    for name in ("model-best", "model-last"):
        if (runs / name / "config.cfg").is_file():
            return spacy.load(runs / name)
    raise TrainingError(f"training wrote no model under {runs}")


def _save(nlp: Any, out: Path) -> None:
    """Write the pipeline into `out` (replacing an earlier one), keeping corpus/ and reports."""
    for name in [*nlp.component_names, "vocab", "tokenizer", "config.cfg", "meta.json"]:
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    nlp.to_disk(out)
