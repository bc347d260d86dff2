"""Russian custom-type phrase lists (drugs, weapons, crimes) matched on lemmas.

Each `<type>.txt` beside this file lists phrases for the entity type `<TYPE>` of
casegraph/core/domain.toml, one per line in dictionary form, optionally `phrase => canonical`. Russian
inflects every noun and adjective, so a phrase matches when each of its words shares a pymorphy2
lemma with the text's word at that position: "пистолетом Макарова" and "пистолета Макарова"
both match "пистолет Макарова".
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from razdel import tokenize

from casegraph.core.domain import load_domain
from nlp.russian_morph import morph

log = logging.getLogger(__name__)

PATTERNS_DIR = Path(__file__).resolve().parent
# razdel sometimes keeps a trailing comma on a Latin token ("Glock-17,"): lemmas ignore it.
_EDGE_PUNCT = ",.;:!?«»\"'()[]"
_MODEL_NUMBER = re.compile(r"(\w+)-\d+")
# Letters a word shares with its dictionary form (suppletive forms like "люди"/"человек" aside).
PREFIX = 3


class PatternMatch(NamedTuple):
    start: int
    end: int
    type: str
    canonical: str


@dataclass(frozen=True)
class Phrase:
    type: str
    canonical: str
    lemmas: tuple[frozenset[str], ...]


@lru_cache(maxsize=50_000)
def lemmas(word: str) -> frozenset[str]:
    """Every dictionary form `word` may be an inflection of (lower case, ё as е), and the word
    itself, so unknown words and codes ("ак-47") still match literally. A make with a model
    number ("Glock-17") also matches the make."""
    word = word.lower().replace("ё", "е")
    if not any(ch.isalpha() for ch in word):
        return frozenset({word})
    forms = {p.normal_form.replace("ё", "е") for p in morph().parse(word)} | {word}
    model = _MODEL_NUMBER.fullmatch(word)
    if model:
        forms |= lemmas(model.group(1))
    return frozenset(forms)


def _trimmed(words: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Tokens with edge punctuation trimmed. Punctuation tokens stay, so that no phrase matches
    across a full stop or a comma."""
    out = []
    for start, end, word in words:
        core = word.strip(_EDGE_PUNCT)
        if core:
            begin = start + word.index(core)
            out.append((begin, begin + len(core), core))
        else:
            out.append((start, end, word))
    return out


def _words(text: str) -> list[tuple[int, int, str]]:
    return _trimmed((t.start, t.stop, t.text) for t in tokenize(text))


def _parse_line(line: str, entity_type: str) -> Phrase | None:
    line = line.split("#", 1)[0].strip()
    if not line:
        return None
    phrase, _, canonical = (part.strip() for part in line.partition("=>"))
    words = [w for _, _, w in _words(phrase) if w.strip(_EDGE_PUNCT)]
    if not words:
        return None
    return Phrase(type=entity_type, canonical=canonical or phrase, lemmas=tuple(lemmas(w) for w in words))


@lru_cache(maxsize=4)
def load_phrases(directory: Path = PATTERNS_DIR) -> tuple[Phrase, ...]:
    domain = load_domain()
    phrases: list[Phrase] = []
    for path in sorted(directory.glob("*.txt")):
        entity_type = domain.entity_type(path.stem.upper()).name  # a list for an unknown type fails loudly
        for line in path.read_text(encoding="utf-8").splitlines():
            phrase = _parse_line(line, entity_type)
            if phrase:
                phrases.append(phrase)
    log.debug("loaded %d Russian phrases from %s", len(phrases), directory)
    return tuple(phrases)


@lru_cache(maxsize=4)
def _index(directory: Path = PATTERNS_DIR) -> dict[str, list[Phrase]]:
    by_first: dict[str, list[Phrase]] = defaultdict(list)
    for phrase in load_phrases(directory):
        for lemma in phrase.lemmas[0]:
            by_first[lemma].append(phrase)
    for candidates in by_first.values():
        candidates.sort(key=lambda p: -len(p.lemmas))
    return dict(by_first)


def _prefix(word: str) -> str:
    return word[:PREFIX].lower().replace("ё", "е")


@lru_cache(maxsize=4)
def _first_prefixes(directory: Path = PATTERNS_DIR) -> frozenset[str]:
    """Opening letters of every phrase's first word. Russian inflects at the end of a word, so
    a word whose opening letters are not here cannot start a match."""
    return frozenset(_prefix(lemma) for phrase in load_phrases(directory) for lemma in phrase.lemmas[0])


def match_phrases(
    text: str, words: Sequence[tuple[int, int, str]] | None = None, directory: Path = PATTERNS_DIR
) -> list[PatternMatch]:
    """Non-overlapping phrase matches in `text`, longest first at each position.

    `words` are (start, end, text) tokens of `text` when the caller already has them."""
    tokens = _words(text) if words is None else _trimmed(words)
    index = _index(directory)
    prefixes = _first_prefixes(directory)

    @cache
    def token_lemmas(i: int) -> frozenset[str]:
        return lemmas(tokens[i][2])

    matches: list[PatternMatch] = []
    i = 0
    while i < len(tokens):
        best: Phrase | None = None
        if _prefix(tokens[i][2]) not in prefixes:  # skip the morphological analysis of most words
            i += 1
            continue
        for lemma in token_lemmas(i):
            for phrase in index.get(lemma, ()):
                n = len(phrase.lemmas)
                if best is not None and n <= len(best.lemmas):
                    break
                if i + n <= len(tokens) and all(phrase.lemmas[k] & token_lemmas(i + k) for k in range(1, n)):
                    best = phrase
                    break
        if best is None:
            i += 1
            continue
        n = len(best.lemmas)
        start, end = tokens[i][0], tokens[i + n - 1][1]
        matches.append(PatternMatch(start, end, best.type, best.canonical))
        i += n
    return matches
