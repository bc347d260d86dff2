"""Typed relations of the analyst set from press-release style sentences (written for these tests),
through the real pipeline and the shipped pattern files; and the pattern files' validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from casegraph.core.domain import load_domain
from casegraph.core.models import DocumentRecord, DocumentResult, ParsedDocument
from nlp.loader import load_pipeline
from nlp.pipeline import analyze
from nlp.relations.rules import DependencyRule, PathRule, RelationPatternError, load_rules


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(coref=False, linking=False)


def run(nlp: Language, text: str) -> DocumentResult:
    record = DocumentRecord(id="rel", path="rel.txt", filename="rel.txt")
    return analyze(ParsedDocument(document=record, text=text), nlp=nlp)


def typed(result: DocumentResult) -> set[tuple[str, str, str]]:
    names = {e.key: e.name for e in result.entities}
    co = load_domain().co_occurrence
    return {(names[r.source_key], r.predicate, names[r.target_key]) for r in result.relations if r.predicate != co}


RULES: list[PathRule | DependencyRule] = [*load_rules().paths, *load_rules().dependencies]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_rule_proves_its_example(nlp: Language, rule: PathRule | DependencyRule) -> None:
    found = typed(run(nlp, rule.example.text))
    pair = (rule.example.head, rule.example.tail)
    assert any((h, t) == pair or (rule.predicate in ("associate_of", "rival_of") and (t, h) == pair)
               for h, p, t in found if p == rule.predicate), found


def test_a_list_of_defendants_gives_one_edge_each_and_the_stage(nlp: Language) -> None:
    result = run(nlp, "Andre Miles, Luis Baca and Tomas Reyes were convicted of racketeering conspiracy.")
    charged = [r for r in result.relations if r.predicate == "charged_with"]
    assert len(charged) == 3
    assert {r.stage for r in charged} == {"convicted"}
    assert all(r.extractor and r.extractor.startswith("path:") for r in charged)


def test_titles_place_each_official_at_their_own_agency(nlp: Language) -> None:
    found = typed(run(nlp, "The case was announced by Chief Dana Whitfield of the Ridgeford Police Department, "
                           "Special Agent Omar Haddad of the Federal Bureau of Investigation and Sheriff Tom Bell."))
    works = {(h, t) for h, p, t in found if p == "works_for"}
    assert ("Dana Whitfield", "Ridgeford Police Department") in works
    assert ("Omar Haddad", "Federal Bureau of Investigation") in works
    assert ("Dana Whitfield", "Federal Bureau of Investigation") not in works


def test_an_official_announcing_a_charge_is_not_charged(nlp: Language) -> None:
    found = typed(run(nlp, "U.S. Attorney Karen Holt said that Tomas Reyes was charged with carjacking."))
    charged = {h for h, p, _t in found if p == "charged_with"}
    assert "Tomas Reyes" in charged and "Karen Holt" not in charged


def test_the_victim_is_the_tail_of_killed(nlp: Language) -> None:
    found = typed(run(nlp, "Prosecutors said Rico Vance shot and killed Andre Miles in 2019."))
    assert ("Rico Vance", "killed", "Andre Miles") in found
    assert ("Andre Miles", "killed", "Rico Vance") not in found


def test_no_edge_outside_its_endpoint_types(nlp: Language) -> None:
    domain = load_domain()
    result = run(nlp, "Rico Vance, 41, of Fresno, a leader of the Red Cobras gang, was sentenced for "
                      "trafficking fentanyl and cocaine with Andre Miles, an agent of the DEA said.")
    types = {e.key: e.type for e in result.entities}
    for r in result.relations:
        assert r.predicate in domain.relations or r.predicate == domain.co_occurrence
        assert domain.relation_allowed(r.predicate, types[r.source_key], types[r.target_key]), r


# ------------------------------------------------------------------------------------ validation
def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "x.toml").write_text(text, encoding="utf-8")
    return tmp_path


GOOD_RULE = ('id = "r1"\ncues = ["member"]\nconfidence = 0.8\nexample = "A, a member of B"\n'
             'example_head = "A"\nexample_tail = "B"\n')


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('predicate = "sold_to"\n', "not in the relation set"),
        ('predicate = "member_of"\n[[path]]\n' + GOOD_RULE + 'colour = "red"\n', "unknown keys"),
        ('predicate = "member_of"\n[[path]]\n' + GOOD_RULE.replace("0.8", "3"), "confidence"),
        ('predicate = "member_of"\n[[path]]\n' + GOOD_RULE.replace('example_tail = "B"', 'example_tail = "Z"'),
         "not in the example"),
        ('predicate = "member_of"\n[[path]]\n' + GOOD_RULE + 'tails = ["DRUG"]\n', "do not fit"),
        ('predicate = "member_of"\n[[path]]\n' + GOOD_RULE + '[[path]]\n' + GOOD_RULE, "used twice"),
        ('predicate = "member_of"\n[[dependency]]\n' + GOOD_RULE.replace('cues = ["member"]\n', "")
         + 'pattern = [{RIGHT_ID = "head", RIGHT_ATTRS = {NOPE = 1}}, {RIGHT_ID = "tail"}]\n', "spaCy rejects"),
        ('predicate = "charged_with"\n[stages]\ncharge = "suspected"\n', "stages"),
        ("predicate = [", "not TOML"),
    ],
)
def test_bad_pattern_files_fail_with_file_and_rule(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RelationPatternError, match=message):
        load_rules(write(tmp_path, text))


def test_dependency_rules_fire_on_their_examples(nlp: Language) -> None:
    from nlp.relations import typed_relations
    from nlp.relations.rules import RuleSet

    assert load_rules().dependencies
    for rule in load_rules().dependencies:
        alone = RuleSet(paths=(), dependencies=(rule,))  # the rule by itself, no path rule to outrank it
        doc = nlp(rule.example.text)
        ents = list(doc.ents)
        for sent in doc.sents:
            mentions = [e for e in ents if sent.start <= e.start and e.end <= sent.end]
            found = {(mentions[r.source].text, r.predicate, mentions[r.target].text)
                     for r in typed_relations(sent, mentions, rules=alone) if r.extractor == f"dependency:{rule.id}"}
            if found:
                break
        assert (rule.example.head, rule.predicate, rule.example.tail) in found, rule.id
