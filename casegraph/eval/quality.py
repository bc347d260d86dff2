"""casegraph's quality figures in one report: `casegraph report quality` and `docs/QUALITY.md`.

- `ner`: NER P/R/F1 per label on LitBank (CC-BY 4.0) and `nlp/corpus/test.jsonl` (`casegraph.eval.ner`);
- `realcases`: NER per label on the realcases dev and test splits, base and trained pipelines
  (`casegraph.eval.realcases`);
- `relations`: typed relations P/R/F1 per predicate on the realcases dev split, with gold and with
  predicted entities (`casegraph.eval.relations`);
- `coref`: MUC, B³, CEAF-e and CoNLL F1 on LitBank coreference (`casegraph.eval.coref`);
- `ru`: Russian NER P/R/F1 per type on the factRuEval-2016 devset, MIT (`casegraph.eval.russian`);
- `resolution`: entity-resolution P/R and the key network on the demo case (`casegraph.eval.demo_case`), and
  the resolver alone on the hand-written mentions of `casegraph/eval/data/` (`casegraph.eval.resolution`).

The demo case is ingested into a throw-away Neo4j (`graph.server.temporary_server`): the report never
touches the configured graph. Every table carries the command that reproduces it. Evaluation data
lives outside the checkout (`settings.eval_data_dir`, `CASEGRAPH_EVAL_DATA`, default `../shared/data`;
the demo case is `settings.demo_case_dir`, see `casegraph.eval.datasets`); a part whose data is absent is
skipped with the reason. The P/R/F1 arithmetic of every table is `casegraph.eval.scoring`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from casegraph.core.settings import Settings, get_settings
from casegraph.core.tables import ReportTable, machine_facts
from casegraph.eval import datasets
from casegraph.eval.demo_case import Expected, GraphSnapshot, check_network, score_resolution

log = logging.getLogger(__name__)

PARTS = ("ner", "realcases", "relations", "coref", "ru", "resolution")
DEFAULT_MODELS = ("en_core_web_md",)

CITATIONS = [
    "**LitBank** — David Bamman, Sejal Popat and Sheng Shen, *An annotated dataset of literary entities*, "
    "NAACL 2019; David Bamman, Olivia Lewke and Anya Mansoor, *An annotated dataset of coreference in "
    "English literature*, LREC 2020. 100 public-domain novels, ~2,000 words each (80 in the copy used "
    "here). Licence: CC-BY 4.0 (creativecommons.org/licenses/by/4.0).",
    "**factRuEval-2016** — Starostin et al., *FactRuEval 2016: evaluation of named entity recognition "
    "and fact extraction systems for Russian*, Dialogue 2016. Russian news and analytics, devset. "
    "Licence: MIT.",
    "**realcases** (`../shared/data/realcases`) — 119 press releases of the U.S. Department of Justice and its "
    "offices (FBI, DEA, ATF, ICE/HSI, U.S. Marshals, Treasury), public domain (17 U.S.C. § 105), annotated by hand "
    "with casegraph's labels; split by document (nlp/training/realcases.py).",
    "**Operation Riptide** (`examples/demo_case`) and `nlp/corpus/test.jsonl` — written for this project; "
    "every person and organisation in them is invented.",
]


Table = ReportTable  # the report's tables: title, command, columns, rows, notes


@dataclass
class QualityReport:
    tables: list[Table] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    limit: int | None = None
    data_dir: Path | None = None  # settings.eval_data_dir the tables were computed on
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))


def _limit_arg(limit: int | None) -> str:
    return f" --limit {limit}" if limit else ""


def _f(x: float) -> str:
    return f"{x:.3f}"


# ------------------------------------------------------------------------------------ NER


def ner_tables(limit: int | None = None, models: Iterable[str] = DEFAULT_MODELS, settings: Settings | None = None,
               ) -> tuple[list[Table], list[str]]:
    """NER P/R/F1 per label on LitBank (proper names) and on the project's held-out gold sentences."""
    from casegraph.eval.ner import TABLE_COLUMNS, evaluate
    from nlp.loader import add_casegraph_components, load_base
    from nlp.training.formats import read_annotations

    litbank = datasets.litbank(settings)
    sets: list[tuple[str, Path, str]] = [
        ("LitBank, proper names (PER/GPE/LOC/FAC/ORG)", litbank, str(litbank)),
        ("casegraph gold sentences (nlp/corpus/test.jsonl, held out)", datasets.GOLD_SENTENCES,
         "nlp/corpus/test.jsonl"),
    ]
    tables, skipped = [], []
    for model in models:
        nlp = add_casegraph_components(load_base(model), coref=None)
        for title, path, shown in sets:
            if not path.exists():
                skipped.append(f"NER on {title}: {path} not found")
                continue
            items = read_annotations([path])[:limit]
            started = time.perf_counter()
            report = evaluate(nlp, items, model=model, data=[shown])
            tables.append(Table(
                title=f"NER — {title} — {model} + casegraph ruler",
                command=f"casegraph nlp evaluate --data {shown} --model {model}{_limit_arg(limit)}",
                columns=TABLE_COLUMNS,
                rows=report.table_rows(),
                notes=[f"{report.documents} documents, {report.words:,} words; exact span and label, "
                       "partial = overlapping span with the same label."],
                seconds=time.perf_counter() - started,
            ))
    return tables, skipped


# ------------------------------------------------------------------------------------ coreference


def coref_table(limit: int | None = None, settings: Settings | None = None) -> Table:
    from casegraph.eval.coref import SETTINGS, evaluate, score_cells

    started = time.perf_counter()
    results = evaluate(datasets.litbank_coref(settings), limit)
    rows = []
    for setting, s in results.items():
        *cells, conll = score_cells(s)
        rows.append([SETTINGS.get(setting, setting), str(s.documents), *cells, f"**{conll}**"])
    return Table(
        title="Coreference — LitBank (rules backend, en_core_web_md)",
        command=f"casegraph report coref{_limit_arg(limit)}",
        columns=["mentions", "docs", "MUC P / R / F1", "B³ P / R / F1", "CEAF-e P / R / F1", "CoNLL F1"],
        rows=rows,
        notes=["CoNLL-2012 scorer (micro-averaged); singletons removed unless stated."],
        seconds=time.perf_counter() - started,
    )


# ------------------------------------------------------------------------------------ Russian


def russian_table(limit: int | None = None, settings: Settings | None = None) -> Table:
    from casegraph.eval.russian import evaluate

    report = evaluate(datasets.factrueval_devset(settings), limit)
    data = report.as_dict()
    rows = []
    for name, _counts in report.rows():
        row = data[name]
        assert isinstance(row, dict)
        ex, pa = row["exact"], row["partial"]
        rows.append([name, *(_f(ex[k]) for k in ("precision", "recall", "f1")), _f(pa["f1"]),
                     str(row["gold"]), str(row["predicted"])])
    return Table(
        title="Russian NER — factRuEval-2016 devset (natasha + casegraph rules)",
        command=f"casegraph report russian{_limit_arg(limit)}",
        columns=["type", "P", "R", "F1", "partial F1", "gold", "predicted"],
        rows=rows,
        notes=[f"{report.documents} documents; LocOrg spans scored as Location."],
        seconds=report.seconds,
    )


# ------------------------------------------------------------------------------------ resolution


def demo_files(limit: int | None = None, case_dir: Path | None = None) -> list[Path]:
    folder = datasets.demo_documents(case_dir)
    if not folder.is_dir():
        raise datasets.EvalDataError(f"demo case documents not found at {folder}",
                                     hint="run from the checkout or set CASEGRAPH_DEMO_CASE_DIR (or pass --demo-case)")
    files = sorted(p for p in folder.iterdir() if p.is_file())
    return files[:limit] if limit else files


def ingest_demo(base: Settings | None = None, limit: int | None = None) -> tuple[GraphSnapshot, float]:
    """The demo case (`base.demo_case_dir`) ingested into a throw-away Neo4j, read back; and the ingest time."""
    from casegraph.pipeline.runner import ingest_paths
    from graph.server import temporary_server

    base = base or get_settings()
    files = demo_files(limit, base.demo_case_dir)
    with temporary_server(base) as settings:
        started = time.perf_counter()
        report = ingest_paths(files, settings=settings, workers=1)
        seconds = time.perf_counter() - started
        if report.failed:
            log.warning("demo case: %d document(s) failed: %s", len(report.failed), report.failed[:3])
        return GraphSnapshot.read(settings), seconds


def resolution_tables(snapshot: GraphSnapshot, seconds: float, limit: int | None = None,
                      case_dir: Path | None = None) -> list[Table]:
    """Entity resolution and the key network on an ingested demo case."""
    expected = Expected.load(datasets.demo_expected(case_dir))
    everyone = score_resolution(snapshot, expected)
    key = score_resolution(snapshot, expected, key_only=True)
    rows = []
    for who, r in (("all people", everyone), ("key people", key)):
        s = r.scores
        rows.append([who, str(s.entities), str(s.mentions), _f(s.pairwise_p), _f(s.pairwise_r), _f(s.pairwise_f1),
                     _f(s.b3_p), _f(s.b3_r), _f(s.b3_f1)])
    errors = everyone.errors()
    command = f"casegraph report quality --only resolution{_limit_arg(limit)}"
    tables = [Table(
        title="Entity resolution — Operation Riptide demo case (person mentions → graph entities)",
        command=command + "   # the test: pytest tests/e2e/test_e2e_demo_case.py",
        columns=["people", "entities", "mentions", "pairwise P", "pairwise R", "pairwise F1", "B³ P", "B³ R", "B³ F1"],
        rows=rows,
        notes=[f"Ingested with `casegraph ingest` (1 worker) in {seconds:.0f} s. A mention's true person is the one "
               "whose EXPECTED.json surface form its text contains; coreference (pronoun) mentions are not scored.",
               f"Mentions not on their person's main entity: {len(errors)}"
               + (": " + "; ".join(errors[:8]) + ("; …" if len(errors) > 8 else "") if errors else ".")],
        seconds=seconds,
    )]
    checks = check_network(snapshot, expected)
    rows = []
    for c in checks:
        linked = [link for link in c.links if link.ok]
        rows.append([c.person, str(len(c.nodes)), c.node.key if c.node else "—", f"{len(linked)} / {len(c.links)}",
                     ", ".join(c.missing) or "—"])
    tables.append(Table(
        title="Demo network — key people as Person nodes, linked to their gang, drugs and weapons",
        command=command,
        columns=["person", "Person nodes", "key", "links with evidence", "missing"],
        rows=rows,
        notes=["A link is any RELATED edge (typed or co-occurrence) between the person's node and the gang, "
               "drug or weapon, with its evidence sentence."],
    ))
    return tables


def fixture_resolution_table() -> Table:
    from casegraph.eval.resolution import score_fixture

    scores, _errors = score_fixture(datasets.RESOLUTION_MENTIONS)
    return Table(
        title="Entity resolution — hand-written mentions (nlp.resolution rules alone)",
        command="casegraph report resolution",
        columns=["mentions", "entities", "pairwise P", "pairwise R", "pairwise F1", "B³ P", "B³ R", "B³ F1"],
        rows=[[str(scores.mentions), str(scores.entities), _f(scores.pairwise_p), _f(scores.pairwise_r),
               _f(scores.pairwise_f1), _f(scores.b3_p), _f(scores.b3_r), _f(scores.b3_f1)]],
        notes=["Surname, nickname, initials, inverted names, typos, accents, street names, a prior merge and split."],
    )


# ------------------------------------------------------------------------------------ the report


def build_report(parts: Iterable[str] = PARTS, limit: int | None = None, models: Iterable[str] = DEFAULT_MODELS,
                 progress: Callable[[str], None] | None = None, settings: Settings | None = None) -> QualityReport:
    """The tables of `parts`, on the data `settings` points at (eval_data_dir, demo_case_dir)."""
    settings = settings or get_settings()
    wanted = list(parts)
    unknown = set(wanted) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown part(s) {sorted(unknown)}: choose from {', '.join(PARTS)}")
    report = QualityReport(limit=limit, data_dir=settings.eval_data_dir)
    say = progress or (lambda _msg: None)
    if "ner" in wanted:
        say("NER: LitBank and the gold sentences")
        tables, skipped = ner_tables(limit, models, settings)
        report.tables += tables
        report.skipped += skipped
    if "realcases" in wanted or "relations" in wanted:
        from casegraph.eval.realcases import data_dir, realcases_tables
        from casegraph.eval.relations import relation_tables

        where = settings.eval_data_dir / "realcases"
        realcases = data_dir(where)
        # (part, what it says while running, what it says when the data is missing, its table builder)
        on_realcases: list[tuple[str, str, str, Callable[..., list[Any]]]] = [
            ("realcases", "NER: realcases dev and test, base and trained pipelines", "NER on realcases",
             realcases_tables),
            ("relations", "typed relations: realcases dev, gold and predicted entities", "relations on realcases",
             relation_tables),
        ]
        for part, doing, what, tables_of in on_realcases:
            if part not in wanted:
                continue
            if realcases is None:
                report.skipped.append(f"{what}: {where} not found")
                continue
            say(doing)
            report.tables += tables_of(realcases)
    if "coref" in wanted:
        if datasets.litbank_coref(settings).is_dir():
            say("coreference: LitBank")
            report.tables.append(coref_table(limit, settings))
        else:
            report.skipped.append(f"coreference: {datasets.litbank_coref(settings)} not found")
    if "ru" in wanted:
        if datasets.factrueval_devset(settings).is_dir():
            say("Russian NER: factRuEval-2016")
            report.tables.append(russian_table(limit, settings))
        else:
            report.skipped.append(f"Russian NER: {datasets.factrueval_devset(settings)} not found")
    if "resolution" in wanted:
        say("entity resolution: ingesting the demo case into a throw-away Neo4j")
        snapshot, seconds = ingest_demo(settings, limit=limit)
        report.tables += resolution_tables(snapshot, seconds, limit, settings.demo_case_dir)
        report.tables.append(fixture_resolution_table())
    return report


def render(report: QualityReport, console: object | None = None) -> None:
    from rich.console import Console

    out = console if isinstance(console, Console) else Console()
    for t in report.tables:
        out.print(t.rich())
    for line in report.skipped:
        out.print(f"[yellow]skipped[/yellow] {line}", highlight=False)


def to_markdown(report: QualityReport) -> str:
    facts = machine_facts(report.generated)
    lines = [
        "# casegraph quality report",
        "",
        "<!-- Generated by `casegraph report quality`: edit casegraph/eval/quality.py, not this file. -->",
        "",
        f"Generated {facts['date']} on {facts['cpu']}, {facts['memory']} memory, {facts['os']}, "
        f"Python {facts['python']}"
        + (f", at most {report.limit} documents per data set." if report.limit else ", full data sets."),
        "The whole report: `casegraph report quality` (`--limit N` for a quick look, `--only ner,coref,ru,resolution` "
        "for some parts). Each table below names the command that reproduces it"
        + (f", run where `CASEGRAPH_EVAL_DATA` is `{report.data_dir}`." if report.data_dir else "."),
        "",
    ]
    for t in report.tables:
        lines += t.markdown()
    if report.skipped:
        lines += ["## Skipped", ""] + [f"- {s}" for s in report.skipped] + [""]
    lines += ["## Data", ""] + [f"- {c}" for c in CITATIONS] + [""]
    return "\n".join(lines)


def write_markdown(report: QualityReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_markdown(report), encoding="utf-8")
    return path
