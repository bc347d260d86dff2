"""casegraph NLP: documents → sentences, typed entity mentions and relations (`DocumentResult`).

    from nlp import analyze, analyze_many, load_pipeline

Imports are lazy so that `casegraph --help` (which imports `casegraph.cli.nlp`) does not load spaCy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["analyze", "analyze_many", "load_pipeline"]


def __getattr__(name: str) -> Any:
    if name in ("analyze", "analyze_many"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "load_pipeline":
        from .loader import load_pipeline

        return load_pipeline
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
