"""Rule-based coreference: the offline default backend.

Three passes over the mentions of one parsed spaCy `Doc`:

1. names: repeated names cluster (titles, determiners and possessives stripped); a surname-only,
   first-name-only or initial-plus-surname mention joins the one full name in the document that
   it fits (gender from titles and first names must agree; two candidates: no merge);
2. role nouns: "the defendant" joins the person the document binds that role to ("Defendant
   Carlos Mendez", "Mendez, the defendant,", "Mendez was identified as the suspect") when exactly
   one person is bound to it; unbound repeats of a legal role cluster among themselves;
3. pronouns, in text order: he/she/it/they and their forms take the most salient compatible
   antecedent (number, gender, animacy) within a few sentences — salience after Lappin & Leass
   (1994): recency halved per sentence, subjects and objects weighted up — with the binding rule
   that a non-reflexive object pronoun is not its own clause's subject. First-person pronouns
   outside quotations are the narrator (in a report: the writing officer).

It needs a parsed `Doc` (tagger, parser, NER) for best results and degrades to names and
pronouns by distance without a parser.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from nlp.coref.mentions import Mention, TokenSpan, classify, detect, sentence_index
from nlp.coref.quotes import quote_mask
from nlp.coref.sieves import (
    Clusters,
    RuleConfig,
    link_names,
    link_pronouns,
    link_repeated_phrases,
    link_roles,
    link_speakers,
)

__all__ = ["RuleConfig", "RuleCoref", "TokenSpan"]


class RuleCoref:
    """The rule-based resolver. `resolve(doc)` returns clusters of token spans, head first.
    Mention detection is `nlp.coref.mentions`, the linking passes `nlp.coref.sieves`, quotations
    and their speakers `nlp.coref.quotes`."""

    def __init__(self, config: RuleConfig | None = None) -> None:
        self.config = config or RuleConfig()

    def resolve(self, doc: Doc, mentions: Iterable[TokenSpan] | None = None) -> list[list[TokenSpan]]:
        """Coreference clusters (two or more mentions) as token spans; the head mention first.

        `mentions` (token spans) replaces mention detection, e.g. gold mentions for evaluation.
        """
        sents = sentence_index(doc)
        quotes = quote_mask(doc)
        found = (
            detect(doc, sents, quotes)
            if mentions is None
            else [m for s in mentions if (m := classify(doc, s, sents, quotes))]
        )
        found.sort(key=lambda m: (m.start, -m.end))
        clusters = Clusters(found)
        link_names(self.config, found, clusters)
        link_repeated_phrases(found, clusters)
        if self.config.role_nouns:
            link_roles(doc, found, clusters)
        if doc.has_annotation("DEP"):
            link_speakers(doc, found, clusters, quotes)
        link_pronouns(self.config, doc, sents, found, clusters)
        out = []
        for members in clusters.groups():
            if len(members) < 2:
                continue
            ordered = [found[i] for i in members]
            head = _head_mention(ordered)
            out.append([head.span] + [m.span for m in ordered if m is not head])
        out.sort(key=lambda c: min(s for s, _ in c))
        return out


def _head_mention(mentions: list[Mention]) -> Mention:
    """The mention that names the entity best: the longest name, else the first nominal."""
    names = [m for m in mentions if m.kind == "name"]
    if names:
        return max(names, key=lambda m: (len(m.key), -m.start))
    nominals = [m for m in mentions if m.kind == "nominal"]
    return nominals[0] if nominals else mentions[0]
