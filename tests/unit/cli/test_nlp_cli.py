"""`casegraph nlp analyze | convert | labelstudio-config` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from casegraph.cli.main import app as root_app
from casegraph.core.models import DocumentResult


def _runner() -> CliRunner:
    return CliRunner()


def test_analyze_prints_document_results(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Carlos Mendez, a member of the Latin Kings, sold heroin to Maria Lopez in Chicago.")
    result = _runner().invoke(root_app, ["nlp", "analyze", str(path), "--json"])
    assert result.exit_code == 0, result.output
    doc = DocumentResult.model_validate_json(result.stdout.strip().splitlines()[-1])
    assert doc.document.filename == "report.txt" and len(doc.document.id) == 64
    # The Latin Kings are in the seed knowledge base: the KB id is the key.
    assert ("person:carlos mendez", "member_of", "kb:gang_org:latin-kings") in {
        (r.source_key, r.predicate, r.target_key) for r in doc.relations
    }
    table = _runner().invoke(root_app, ["nlp", "analyze", str(path)])
    # "sold heroin to": the analyst set's `traffics` (issue 16 replaced the open verb predicates such as `sell_to`).
    assert table.exit_code == 0 and "traffics" in table.output


def test_convert_round_trips_labelstudio_and_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"text": "Mendez sold heroin.", "spans": [{"start": 12, "end": 18, "label": "DRUG"}]}))
    tasks = tmp_path / "tasks.json"
    back = tmp_path / "back.jsonl"
    runner = _runner()
    assert runner.invoke(root_app, ["nlp", "convert", str(src), "-o", str(tasks), "--to", "labelstudio"]).exit_code == 0
    (task,) = json.loads(tasks.read_text())
    assert task["annotations"][0]["result"][0]["value"]["text"] == "heroin"
    assert runner.invoke(root_app, ["nlp", "convert", str(tasks), "-o", str(back)]).exit_code == 0
    assert json.loads(back.read_text()) == {
        "text": "Mendez sold heroin.",
        "spans": [{"start": 12, "end": 18, "label": "DRUG"}],
    }


def test_labelstudio_config_lists_every_domain_type() -> None:
    from casegraph.core.domain import load_domain

    result = _runner().invoke(root_app, ["nlp", "labelstudio-config"])
    assert result.exit_code == 0
    for name in load_domain().types:
        assert f'<Label value="{name}"' in result.output
