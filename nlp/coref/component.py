"""The `casegraph_coref` spaCy component: coreference clusters on `Doc._.coref_clusters`.

`Doc._.coref_clusters` is a list of clusters, each a list of `(start_char, end_char)` spans in
the document text with the head mention first (the fullest name), the rest in text order.
`Doc._.coref_backend` records which backend made them, so that mentions taken from a cluster can
carry `source: coref`. Add it after NER (it reads `doc.ents` and the parse):

    nlp.add_pipe("casegraph_coref", config={"backend": "rules"})
    # or, from the settings: add_coref(nlp)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Literal

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from casegraph.core.settings import Settings, get_settings
from nlp.coref.rules import RuleConfig, RuleCoref, TokenSpan

Backend = Literal["rules", "fastcoref", "none"]
CharSpan = tuple[int, int]

if not Doc.has_extension("coref_clusters"):
    Doc.set_extension("coref_clusters", default=None)
if not Doc.has_extension("coref_backend"):
    Doc.set_extension("coref_backend", default=None)


@Language.factory(
    "casegraph_coref",
    default_config={
        "backend": "rules",
        "model": None,
        "architecture": "fcoref",
        "device": "cpu",
        "threads": None,
        "max_tokens_in_batch": 10000,
        "window_tokens": 2000,
        "overlap_sentences": 2,
        "max_sentence_distance": 3,
    },
    assigns=["doc._.coref_clusters", "doc._.coref_backend"],
)
def make_coref(
    nlp: Language,
    name: str,
    backend: Backend,
    model: str | None,
    architecture: Literal["fcoref", "lingmess"],
    device: str,
    threads: int | None,
    max_tokens_in_batch: int,
    window_tokens: int,
    overlap_sentences: int,
    max_sentence_distance: int,
) -> CorefComponent:
    return CorefComponent(
        nlp,
        name,
        backend=backend,
        model=model,
        architecture=architecture,
        device=device,
        threads=threads,
        max_tokens_in_batch=max_tokens_in_batch,
        window_tokens=window_tokens,
        overlap_sentences=overlap_sentences,
        max_sentence_distance=max_sentence_distance,
    )


class CorefComponent:
    def __init__(self, nlp: Language, name: str = "casegraph_coref", backend: Backend = "rules", **opts: Any):
        if backend not in ("rules", "fastcoref", "none"):
            raise ValueError(f"unknown coref backend {backend!r}: rules, fastcoref or none")
        self.name = name
        self.backend = backend
        self.rules = RuleCoref(RuleConfig(max_sentence_distance=opts.get("max_sentence_distance", 3)))
        self.fast = None
        if backend == "fastcoref":
            from nlp.coref.fast import FastCorefBackend

            self.fast = FastCorefBackend(
                nlp,
                opts.get("model"),
                architecture=opts.get("architecture", "fcoref"),
                device=opts.get("device", "cpu"),
                threads=opts.get("threads"),
                max_tokens_in_batch=opts.get("max_tokens_in_batch", 10000),
                window_tokens=opts.get("window_tokens", 2000),
                overlap_sentences=opts.get("overlap_sentences", 2),
            )

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc], batch_size=1)))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 8) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            if self.backend == "fastcoref":
                assert self.fast is not None
                found = [order_heads(d, c) for d, c in zip(batch, self.fast.predict(batch), strict=True)]
            elif self.backend == "rules":
                found = [self.rules.resolve(doc) for doc in batch]
            else:
                found = [[] for _ in batch]
            for doc, clusters in zip(batch, found, strict=True):
                doc._.coref_clusters = [to_char_spans(doc, c) for c in clusters]
                doc._.coref_backend = self.backend
                yield doc


def order_heads(doc: Doc, clusters: list[list[TokenSpan]]) -> list[list[TokenSpan]]:
    """Put each neural cluster's head first: the longest span covering a named entity, else the
    first mention (the rule backend orders its own clusters)."""
    ent_tokens = {i for ent in doc.ents for i in range(ent.start, ent.end)}

    def rank(span: TokenSpan) -> tuple[int, int]:
        named = sum(1 for i in range(*span) if i in ent_tokens)
        return (named, -span[0])

    out = []
    for cluster in clusters:
        spans = sorted(set(cluster))
        head = max(spans, key=rank)
        out.append([head] + [s for s in spans if s != head])
    return out


def to_char_spans(doc: Doc, cluster: list[TokenSpan]) -> list[CharSpan]:
    return [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for s, e in cluster]


def cluster_spans(doc: Doc) -> list[list[Span]]:
    """`Doc._.coref_clusters` as spaCy spans (head first)."""
    out = []
    for cluster in doc._.coref_clusters or []:
        spans = [doc.char_span(s, e, alignment_mode="expand") for s, e in cluster]
        out.append([s for s in spans if s is not None])
    return out


def add_coref(nlp: Language, settings: Settings | None = None, **config: Any) -> CorefComponent:
    """Add `casegraph_coref` last, configured from the settings (`coref_backend`, `coref_model`)."""
    settings = settings or get_settings()
    cfg = {"backend": settings.coref_backend, "model": settings.coref_model} | config
    component = nlp.add_pipe("casegraph_coref", name="coref", config=cfg, last=True)
    assert isinstance(component, CorefComponent)
    return component
