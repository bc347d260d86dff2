"""casegraph's shared core and application shell.

- `casegraph.core`: settings, errors, the typed contracts and the domain schema every layer uses;
- `casegraph.pipeline`: the orchestration that runs ingest → nlp → graph (runner, workers, watch, ledger);
- `casegraph.eval`: one scorer and every evaluator, the quality report;
- `casegraph.bench`: the benchmarks behind `casegraph bench …`;
- `casegraph.cli`: the `casegraph` command, one module per command group.
"""
