"""Coreference: the `casegraph_coref` spaCy component and its backends (rules, fastcoref)."""

from nlp.coref.component import CorefComponent, add_coref, cluster_spans, make_coref
from nlp.coref.rules import RuleConfig, RuleCoref

__all__ = ["CorefComponent", "RuleConfig", "RuleCoref", "add_coref", "cluster_spans", "make_coref"]
