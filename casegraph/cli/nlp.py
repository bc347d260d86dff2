"""`casegraph nlp …`: train, evaluate, pre-annotate, analyze. Thin: the work is in nlp.training
and nlp.pipeline; heavy imports happen inside the commands so `casegraph --help` stays fast."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="NER: train, evaluate, pre-annotate, analyze.", no_args_is_help=True)

Files = Annotated[list[Path], typer.Argument(exists=True, help="Input files.")]
Model = Annotated[
    str | None,
    typer.Option("--model", "-m", help="spaCy model name or trained pipeline dir (default: settings)."),
]


@app.command()
def train(
    data: Annotated[
        list[Path],
        typer.Option("--data", "-d", exists=True, help="Annotations: Label Studio JSON/JSON-MIN or spaCy JSONL."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the trained pipeline.")],
    base: Annotated[str | None, typer.Option(help="Base model to fine-tune (default: settings).")] = None,
    epochs: Annotated[int, typer.Option(min=1, help="Training epochs.")] = 15,
    dev_fraction: Annotated[float, typer.Option(min=0.0, max=0.9, help="Share of examples held out.")] = 0.2,
    seed: Annotated[int, typer.Option(help="Random seed (split and training).")] = 0,
    rehearse: Annotated[bool, typer.Option(help="Keep base labels alive with base-model annotations.")] = True,
) -> None:
    """Fine-tune the NER on annotations; writes a loadable pipeline to OUT."""
    from nlp.training.train import train as run

    report = run(
        data,
        out,
        base_model=base,
        epochs=epochs,
        dev_fraction=dev_fraction,
        seed=seed,
        rehearse=rehearse,
        log_to=sys.stderr,
    )
    typer.echo(report.model_dump_json(indent=2))
    typer.echo(f"use it with: CASEGRAPH_SPACY_MODEL={out}", err=True)


@app.command()
def evaluate(
    data: Annotated[
        list[Path],
        typer.Option("--data", "-d", exists=True, help="Gold data: JSONL, Label Studio JSON, or a LitBank dir."),
    ],
    model: Model = None,
    labels: Annotated[str | None, typer.Option(help="Comma-separated labels (default: those in the data).")] = None,
    ruler: Annotated[bool, typer.Option(help="Include casegraph's entity ruler and span trimming.")] = True,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report as JSON here.")] = None,
    split: Annotated[
        str | None, typer.Option(help="realcases data only: train, dev, test or all (default: all).")
    ] = None,
) -> None:
    """Precision/recall/F1 per label and micro (exact and partial overlap), and label confusion."""
    from casegraph.eval.ner import evaluate as run
    from casegraph.eval.realcases import select_split
    from nlp.loader import add_casegraph_components, load_base
    from nlp.training.realcases import read_any

    items = select_split(read_any(data), split)[:limit]
    nlp = load_base(model)
    if ruler:
        add_casegraph_components(nlp, coref=None)
    name = model or nlp.meta.get("name", "")
    wanted = [x.strip() for x in labels.split(",")] if labels else None
    report = run(nlp, items, model=name, data=[str(p) for p in data], labels=wanted)
    _print_report(report)
    if out:
        report.write(out)
        typer.echo(f"report written to {out}", err=True)


@app.command("choose-default")
def choose_default_cmd(
    candidates: Annotated[
        list[str] | None,
        typer.Option("--candidate", "-c", help="Model name or pipeline dir (repeat; default: base and trained)."),
    ] = None,
    data: Annotated[Path, typer.Option("--data", "-d", help="The realcases directory.")] = Path(
        "../shared/data/realcases"
    ),
) -> None:
    """Score each candidate + ruler on realcases dev; record the best as the default model."""
    from casegraph.core.settings import get_settings
    from casegraph.eval.realcases import choose_default, data_dir

    if data_dir(data) is None:
        typer.echo(f"no realcases data at {data}: the default stays the base pipeline", err=True)
        raise typer.Exit(0)
    trained = get_settings().work_dir / "models" / "casegraph_ner"
    names = candidates or ["en_core_web_md", str(trained)]
    if not candidates and not (trained / "config.cfg").is_file():
        typer.echo(f"no trained model at {trained}: the default is the base pipeline", err=True)
        names = names[:1]
    choice = choose_default(names, data)
    typer.echo(json.dumps(choice, indent=2))


def _print_report(report: object) -> None:
    from rich.console import Console
    from rich.table import Table

    from casegraph.eval.ner import NONE, EvalReport

    assert isinstance(report, EvalReport)
    console = Console()
    table = Table(title=f"{report.model}: {report.documents} docs, {report.words} words, {report.seconds:.1f}s")
    for col in ("label", "P", "R", "F1", "partial P", "partial R", "partial F1", "gold", "pred"):
        table.add_column(col, justify="left" if col == "label" else "right")
    rows = [(lab, report.exact[lab], report.partial[lab]) for lab in report.labels]
    rows.append(("micro", report.micro(), report.micro("partial")))
    for lab, ex, pa in rows:
        table.add_row(
            lab,
            f"{ex.precision:.3f}",
            f"{ex.recall:.3f}",
            f"{ex.f1:.3f}",
            f"{pa.precision:.3f}",
            f"{pa.recall:.3f}",
            f"{pa.f1:.3f}",
            str(ex.tp + ex.fn),
            str(ex.tp + ex.fp),
            style="bold" if lab == "micro" else None,
        )
    console.print(table)
    predicted = sorted({p for row in report.confusion.values() for p in row} - {NONE}) + [NONE]
    conf = Table(title="confusion: gold label (rows) → predicted label of the same/overlapping span")
    conf.add_column("gold")
    for p in predicted:
        conf.add_column(p, justify="right")
    for gold, row in report.confusion.items():
        conf.add_row(gold, *[str(row.get(p, "")) for p in predicted])
    console.print(conf)
    errors = Table(title="top missed (gold, not predicted) and spurious (predicted, not gold) surface forms")
    for col in ("label", "missed", "spurious"):
        errors.add_column(col)
    for lab in report.labels:
        def forms(rows: list[tuple[str, int]]) -> str:
            return "; ".join(f"{surface} ×{n}" for surface, n in rows[:5])

        errors.add_row(lab, forms(report.missed.get(lab, [])), forms(report.spurious.get(lab, [])))
    console.print(errors)


@app.command()
def preannotate(
    files: Files,
    out: Annotated[Path, typer.Option("--out", "-o", help="Label Studio tasks JSON to write.")],
    model: Model = None,
    by_paragraph: Annotated[bool, typer.Option(help="One task per paragraph of a .txt file.")] = False,
    config_out: Annotated[
        Path | None, typer.Option(help="Also write a Label Studio labelling config (XML) here.")
    ] = None,
) -> None:
    """Label Studio import tasks with the model's predictions (analysts only correct them)."""
    from nlp.loader import load_pipeline
    from nlp.training.formats import labelstudio_config
    from nlp.training.preannotate import preannotate as run
    from nlp.training.preannotate import read_texts

    tasks = run(load_pipeline(model, coref=False), read_texts(files, by_paragraph))
    out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    if config_out:
        config_out.write_text(labelstudio_config(), encoding="utf-8")
    n = sum(len(t["predictions"][0]["result"]) for t in tasks)
    typer.echo(f"{len(tasks)} tasks, {n} predicted spans → {out}", err=True)


@app.command("labelstudio-config")
def labelstudio_config_cmd() -> None:
    """Print a Label Studio labelling config with every entity type of casegraph/core/domain.toml."""
    from nlp.training.formats import labelstudio_config

    typer.echo(labelstudio_config(), nl=False)


@app.command()
def convert(
    files: Files,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file (.jsonl or .json).")],
    to: Annotated[str, typer.Option(help="jsonl (spaCy JSONL) or labelstudio (tasks with annotations).")] = "jsonl",
) -> None:
    """Convert annotations (Label Studio, JSONL, LitBank dir) to spaCy JSONL or Label Studio tasks."""
    from nlp.training.formats import labelstudio_task, read_annotations, write_jsonl

    items = read_annotations(files)
    if to == "jsonl":
        write_jsonl(items, out)
    elif to == "labelstudio":
        out.write_text(json.dumps([labelstudio_task(i) for i in items], ensure_ascii=False, indent=1), "utf-8")
    else:
        raise typer.BadParameter("--to must be jsonl or labelstudio")
    typer.echo(f"{len(items)} examples, {sum(len(i.spans) for i in items)} spans → {out}", err=True)


@app.command()
def analyze(
    files: Files,
    model: Model = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print DocumentResult JSON, one per line.")] = False,
) -> None:
    """Run the full pipeline on text files: entities and relations per document."""
    from rich.console import Console
    from rich.table import Table

    from casegraph.core.models import DocumentRecord, PageSpan, ParsedDocument
    from nlp.loader import load_pipeline
    from nlp.pipeline import analyze_many

    docs = []
    for path in files:
        raw = path.read_bytes()
        text = raw.decode("utf-8", errors="replace")
        record = DocumentRecord(
            id=hashlib.sha256(raw).hexdigest(), path=str(path.resolve()), filename=path.name, size=len(raw)
        )
        docs.append(ParsedDocument(document=record, text=text, pages=[PageSpan(page=1, start=0, end=len(text))]))
    console = Console()
    for result in analyze_many(docs, nlp=load_pipeline(model)):
        if as_json:
            typer.echo(result.model_dump_json())
            continue
        table = Table(title=f"{result.document.filename}: {len(result.sentences)} sentences")
        for col in ("type", "name", "key", "mentions", "sources", "aliases"):
            table.add_column(col)
        for e in sorted(result.entities, key=lambda e: (e.type, e.name)):
            sources = ",".join(sorted({m.source for m in e.mentions}))
            table.add_row(e.type, e.name, e.key, str(len(e.mentions)), sources, ", ".join(e.aliases))
        console.print(table)
        rels = Table(title="typed relations (co-occurrence omitted)")
        for col in ("source", "predicate", "target", "sentence", "confidence"):
            rels.add_column(col)
        for r in result.relations:
            if r.predicate != "co_occurs_with":
                rels.add_row(r.source_key, r.predicate, r.target_key, str(r.sentence_idx), f"{r.confidence:.2f}")
        console.print(rels)


@app.command("evaluate-relations")
def evaluate_relations_cmd(
    data: Annotated[Path, typer.Option("--data", "-d", help="The realcases directory.")] = Path(
        "../shared/data/realcases"
    ),
    split: Annotated[str, typer.Option(help="train, dev, test or all (tune on dev, never on test).")] = "dev",
    model: Model = None,
    mode: Annotated[
        list[str] | None,
        typer.Option("--mode", help="gold (the gold entity spans: relation extraction alone) and/or predicted "
                                    "(end to end); default both."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report as JSON here.")] = None,
) -> None:
    """Typed relations on realcases: precision, recall, F1 per predicate and micro."""
    from casegraph.eval.relations import MODES, evaluate_relations, format_report
    from nlp.loader import load_pipeline
    from nlp.training.formats import AnnotationError

    modes = mode or list(MODES)
    bad = [m for m in modes if m not in MODES]
    if bad:
        typer.echo(f"unknown mode {bad[0]!r}: choose gold or predicted", err=True)
        raise typer.Exit(2)
    try:
        chosen = [m for m in MODES if m in modes]
        report = evaluate_relations(data, split, nlp=load_pipeline(model, linking=False), modes=chosen)
    except AnnotationError as exc:
        typer.echo(f"cannot evaluate relations: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(format_report(report))
    if out:
        out.write_text(json.dumps(report.as_dict(), indent=2), encoding="utf-8")
        typer.echo(f"report written to {out}", err=True)
