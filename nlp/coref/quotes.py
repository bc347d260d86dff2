"""Quotations for rule coreference: which tokens are inside quotes, and who speaks each quote
("…," Mendez said): the speaker is the subject of a speech verb next to it."""

from __future__ import annotations

from spacy.tokens import Doc

from nlp.coref.lexicon import words
from nlp.coref.mentions import SUBJECT_DEPS

_SPEAKER_REACH = 12
_SPEECH_VERBS = words(
    "say ask reply cry answer exclaim shout whisper tell continue add remark observe declare "
    "state explain murmur return repeat mutter respond insist admit call scream yell sigh "
    "suggest demand inquire enquire report write testify claim announce"
)


def quote_runs(quotes: list[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, inside in enumerate(quotes + [False]):
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            runs.append((start, i))
            start = None
    return runs


def speaker(doc: Doc, qs: int, qe: int, quotes: list[bool], by_head: dict[int, int]) -> int | None:
    """The mention index of whoever speaks the quotation doc[qs:qe], from a nearby speech verb."""
    after = range(qe, min(qe + _SPEAKER_REACH, len(doc)))
    before = range(qs - 1, max(qs - _SPEAKER_REACH, 0) - 1, -1)
    for window in (after, before):
        for j in window:
            tok = doc[j]
            if quotes[j] or (window is after and tok.is_sent_start and j > qe + 1):
                break
            if tok.lemma_.lower() in _SPEECH_VERBS and tok.pos_ in {"VERB", "AUX"}:
                subj = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
                if subj is not None and subj.i in by_head:
                    return by_head[subj.i]
                break
    return None


def quote_mask(doc: Doc) -> list[bool]:
    """Whether each token lies inside double quotation marks (quote tokens themselves: no)."""
    inside = False
    out = []
    for tok in doc:
        text = tok.text
        if text in {"“", "``"}:
            inside = True
            out.append(False)
        elif text in {"”", "''"}:
            inside = False
            out.append(False)
        elif text == '"':
            inside = not inside
            out.append(False)
        else:
            out.append(inside)
        if tok.is_sent_end and tok.i + 1 < len(doc) and "\n\n" in tok.whitespace_ + doc[tok.i + 1].text:
            inside = False  # an unclosed quote does not run past a paragraph
    return out
