"""The fastcoref backend: neural coreference with `FCoref` (or `LingMessCoref`).

Needs the optional extra `casegraph[coref]` (torch, transformers<5, fastcoref). The model comes
from a local directory (`CASEGRAPH_COREF_MODEL=/models/f-coref`) or, only when the machine can
reach the Hugging Face hub, a hub id such as `biu-nlp/f-coref`; casegraph never picks a hub id
by itself. The already loaded spaCy `Language` is handed to fastcoref so that it never tries to
download `en_core_web_sm`, and documents go in pre-tokenised (spaCy's tokens), so clusters come
back as token spans that map exactly onto the `Doc`.

Long documents are cut into windows of whole sentences that overlap by a few sentences;
clusters of neighbouring windows that share a mention are joined.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from spacy.language import Language
from spacy.tokens import Doc

from casegraph.core.errors import CasegraphError

log = logging.getLogger(__name__)

TokenSpan = tuple[int, int]
Architecture = Literal["fcoref", "lingmess"]


@dataclass(frozen=True)
class Window:
    """A slice of a document sent to the model: its non-space tokens and their doc indices."""

    doc_index: int
    tokens: list[int]

    def words(self, doc: Doc) -> list[str]:
        return [doc[i].text for i in self.tokens]


def windows(doc: Doc, max_tokens: int, overlap_sentences: int) -> list[list[int]]:
    """Token indices (whitespace tokens left out) of overlapping windows of whole sentences.

    A sentence longer than `max_tokens` is cut on its own; consecutive windows share the last
    `overlap_sentences` sentences of the earlier one so that a cluster can be followed across.
    """
    sents: list[list[int]] = []
    for sent in doc.sents if doc.has_annotation("SENT_START") or doc.has_annotation("DEP") else [doc[:]]:
        ids = [t.i for t in sent if not t.is_space]
        for k in range(0, len(ids), max_tokens):
            if ids[k : k + max_tokens]:
                sents.append(ids[k : k + max_tokens])
    out: list[list[int]] = []
    start = 0
    while start < len(sents):
        end, size = start, 0
        while end < len(sents) and (size + len(sents[end]) <= max_tokens or end == start):
            size += len(sents[end])
            end += 1
        out.append([i for s in sents[start:end] for i in s])
        if end >= len(sents):
            break
        start = max(end - overlap_sentences, start + 1)
    return out


def merge_window_clusters(clusters: Sequence[Sequence[TokenSpan]]) -> list[list[TokenSpan]]:
    """Join clusters that share a mention (the same span seen in two overlapping windows)."""
    parent: dict[TokenSpan, TokenSpan] = {}

    def find(x: TokenSpan) -> TokenSpan:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for cluster in clusters:
        for span in cluster:
            parent.setdefault(span, span)
        for span in cluster[1:]:
            a, b = find(cluster[0]), find(span)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[TokenSpan, list[TokenSpan]] = {}
    for span in parent:
        groups.setdefault(find(span), []).append(span)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def import_fastcoref() -> Any:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import fastcoref
        import torch  # noqa: F401
    except ImportError as exc:
        raise CasegraphError(
            f"coref backend 'fastcoref' needs the optional extra: pip install 'casegraph[coref]' (missing: {exc.name})"
        ) from exc
    # fastcoref calls logging.basicConfig() on import; give the root logger back as it was.
    for h in root.handlers:
        if h not in handlers:
            root.removeHandler(h)
    root.setLevel(level)
    # It logs every batch at INFO and `datasets` draws a progress bar per call: pipeline noise.
    logging.getLogger("fastcoref").setLevel(logging.WARNING)
    import datasets

    datasets.disable_progress_bars()
    return fastcoref


def resolve_model_source(model: str | None) -> str:
    """A local model directory (checked) or an explicit hub id; never a silent default."""
    if not model:
        raise CasegraphError(
            "coref backend 'fastcoref' needs a model: set CASEGRAPH_COREF_MODEL to a local directory "
            "(config.json, weights, tokenizer) or, where the Hugging Face hub is reachable, to a hub id "
            "such as biu-nlp/f-coref"
        )
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise CasegraphError(f"coref model directory {path} has no config.json")
        return str(path.resolve())
    if path.exists() or model.startswith((".", "/", "~")) or model.count("/") != 1:
        raise CasegraphError(f"coref model {model!r} is neither a model directory nor a hub id (owner/name)")
    log.warning("coref model %s is a hub id: fastcoref will fetch it from the Hugging Face hub", model)
    return model


class FastCorefBackend:
    """Runs FCoref/LingMessCoref on spaCy docs; `predict(docs)` → token-span clusters per doc."""

    def __init__(
        self,
        nlp: Language,
        model: str | None,
        architecture: Architecture = "fcoref",
        device: str = "cpu",
        threads: int | None = None,
        max_tokens_in_batch: int = 10000,
        window_tokens: int = 2000,
        overlap_sentences: int = 2,
    ) -> None:
        fastcoref = import_fastcoref()
        import torch

        self.threads = threads or min(4, os.cpu_count() or 1)
        # Intra-op threads only: torch ignores a second set_num_interop_threads call.
        torch.set_num_threads(self.threads)
        source = resolve_model_source(model)
        cls = {"fcoref": fastcoref.FCoref, "lingmess": fastcoref.LingMessCoref}[architecture]
        # A loaded Language, never a name: a name makes fastcoref download en_core_web_sm.
        self.model = cls(model_name_or_path=source, device=device, nlp=nlp, enable_progress_bar=False)
        max_doc_len = getattr(self.model, "max_doc_len", None)
        # Words become ~1.3 sub-words; stay inside the model's own document limit.
        self.window_tokens = min(window_tokens, int(max_doc_len / 1.5)) if max_doc_len else window_tokens
        self.max_tokens_in_batch = max_tokens_in_batch
        self.overlap_sentences = overlap_sentences
        self.calls = 0  # predict() calls made, for tests and benchmarks

    def predict(self, docs: Sequence[Doc]) -> list[list[list[TokenSpan]]]:
        jobs = [
            Window(n, ids)
            for n, doc in enumerate(docs)
            for ids in windows(doc, self.window_tokens, self.overlap_sentences)
        ]
        per_doc: list[list[list[TokenSpan]]] = [[] for _ in docs]
        if not jobs:
            return per_doc
        self.calls += 1
        results = self.model.predict(
            texts=[job.words(docs[job.doc_index]) for job in jobs],
            is_split_into_words=True,
            max_tokens_in_batch=self.max_tokens_in_batch,
        )
        # fastcoref drops texts over its max_doc_len; match results by their index, not position.
        for res in results:
            job = jobs[res.text_idx]
            clusters = []
            for cluster in res.get_clusters(as_strings=False):
                spans = [
                    (job.tokens[s], job.tokens[e - 1] + 1)
                    for s, e in (m for m in cluster if m is not None)
                    if 0 <= s < e <= len(job.tokens)
                ]
                if len(spans) > 1:
                    clusters.append(spans)
            per_doc[job.doc_index].extend(clusters)
        return [merge_window_clusters(c) for c in per_doc]
