"""The one Russian morphology library: pymorphy2, the one natasha requires (natasha's `MorphVocab`
subclasses its `MorphAnalyzer`, and yargy, a natasha dependency, patches it for Python 3.11 on
import). `morph()` is the plain analyser (phrase-list lemmas in `nlp.patterns_ru`, name inflection
in `nlp.russian`); `morph_vocab()` the same dictionary in natasha's wrapper, for natasha's normaliser.
"""

from __future__ import annotations

from functools import lru_cache

import yargy.morph  # noqa: F401  (pymorphy2_311_hotfix: pymorphy2 0.9 calls inspect.getargspec, gone in 3.11)
from natasha import MorphVocab
from natasha.morph.vocab import MorphForm
from pymorphy2.analyzer import MorphAnalyzer


def _dictionary() -> str:
    # Given directly: pymorphy2 otherwise finds it through pkg_resources, which setuptools ≥ 81 no longer ships.
    import pymorphy2_dicts_ru

    return str(pymorphy2_dicts_ru.get_path())


class _MorphVocab(MorphVocab):
    def __init__(self) -> None:
        MorphAnalyzer.__init__(self, path=_dictionary(), result_type=MorphForm)


@lru_cache(maxsize=1)
def morph() -> MorphAnalyzer:
    return MorphAnalyzer(path=_dictionary())


@lru_cache(maxsize=1)
def morph_vocab() -> MorphVocab:
    return _MorphVocab()
