"""Where the evaluation data is. Nothing here reads the checkout's tests/ or examples/ by a path
relative to this file, so an installed casegraph evaluates the same way an editable one does:

- the shared, external data sets (LitBank, factRuEval-2016, realcases) are under
  `settings.eval_data_dir` (`CASEGRAPH_EVAL_DATA`, default `../shared/data` from the working directory);
- the demo case (documents and EXPECTED.json) is `settings.demo_case_dir` (`CASEGRAPH_DEMO_CASE_DIR`);
- data written for the evaluators ships with the package: `casegraph/eval/data/`, and the held-out
  NER sentences in `nlp/corpus/`.
"""

from __future__ import annotations

from pathlib import Path

import nlp.corpus
from casegraph.core.errors import CasegraphError, ExitCode
from casegraph.core.settings import Settings, get_settings

PACKAGE_DATA = Path(__file__).parent / "data"
# Hand-written mentions with their true entities (surnames, nicknames, typos, a merge and a split).
RESOLUTION_MENTIONS = PACKAGE_DATA / "resolution_mentions.json"
GOLD_SENTENCES = Path(nlp.corpus.__file__).parent / "test.jsonl"


def shared_data(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).eval_data_dir


def litbank(settings: Settings | None = None) -> Path:
    return shared_data(settings) / "litbank"


def litbank_coref(settings: Settings | None = None) -> Path:
    return litbank(settings) / "coref"


def factrueval_devset(settings: Settings | None = None) -> Path:
    return shared_data(settings) / "factrueval-2016" / "devset"


def realcases(settings: Settings | None = None) -> Path:
    return shared_data(settings) / "realcases"


def demo_case(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).demo_case_dir


def demo_documents(case_dir: Path | None = None) -> Path:
    return (case_dir or demo_case()) / "documents"


def demo_expected(case_dir: Path | None = None) -> Path:
    return (case_dir or demo_case()) / "EXPECTED.json"


class EvalDataError(CasegraphError):
    """Evaluation data that is not where it was looked for."""

    exit_code = ExitCode.USAGE
    hint = ("point CASEGRAPH_EVAL_DATA at the directory holding litbank/ and factrueval-2016/ "
            "(or pass --data)")
