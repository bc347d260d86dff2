"""The default spaCy model, chosen by measurement: `casegraph nlp choose-default` scores base+ruler
and trained+ruler on realcases dev and records the winner in `<work_dir>/models/default_model.json`.

`default_model()` is what the loader uses when CASEGRAPH_SPACY_MODEL is not set explicitly: the
recorded choice when its pipeline still exists, else the settings' default (the base model). An
explicit setting always wins, so an analyst can pin a model.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from casegraph.core.settings import get_settings

log = logging.getLogger(__name__)

CHOICE_FILE = "default_model.json"
ENV = "CASEGRAPH_SPACY_MODEL"


def choice_path(work_dir: Path | None = None) -> Path:
    return Path(work_dir or get_settings().work_dir) / "models" / CHOICE_FILE


def record_choice(choice: dict[str, Any], work_dir: Path | None = None) -> Path:
    path = choice_path(work_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(choice, indent=2), encoding="utf-8")
    _mark_meta(choice)
    log.info("default model: %s (dev micro F1 %s)", choice["model"], choice.get("dev_micro_f1"))
    return path


def _mark_meta(choice: dict[str, Any]) -> None:
    """Also note the decision in the trained pipeline's meta.json (when the winner is a directory)."""
    meta = Path(choice["model"]) / "meta.json"
    if meta.is_file():
        data = json.loads(meta.read_text(encoding="utf-8"))
        data.setdefault("casegraph", {})["default_choice"] = choice
        meta.write_text(json.dumps(data, indent=2), encoding="utf-8")


def recorded_choice(work_dir: Path | None = None) -> str | None:
    """The recorded default when its pipeline is still there."""
    path = choice_path(work_dir)
    if not path.is_file():
        return None
    try:
        model = str(json.loads(path.read_text(encoding="utf-8"))["model"])
    except (ValueError, KeyError):
        log.warning("%s is not a model choice: ignored", path)
        return None
    if ("/" in model or model.startswith(".")) and not (Path(model) / "config.cfg").is_file():
        log.warning("the chosen default model %s is missing: using the base pipeline", model)
        return None
    return model


def default_model() -> str:
    """CASEGRAPH_SPACY_MODEL when set, else the recorded choice, else the settings' default."""
    settings = get_settings()
    if ENV in os.environ or "spacy_model" in settings.model_fields_set:
        return settings.spacy_model
    return recorded_choice() or settings.spacy_model
