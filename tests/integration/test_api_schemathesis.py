"""Property-based run of the OpenAPI spec (schemathesis + Hypothesis) against the app on the real
Neo4j holding the case graph: whatever valid or invalid request it generates, the API answers
without a server error, and its answers match the documented schemas.

Bounded to stay near a minute on two shared cores: few examples per operation, no deadline
(the first NER request loads spaCy, the first upload starts an ingest worker)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from casegraph.core.settings import Settings
from dashboard.api import create_api, openapi_spec
from tests.api_helpers import api_settings, write_case_graph

MAX_EXAMPLES = 12


@pytest.fixture()
def api_app(graph_db, tmp_path):
    write_case_graph(graph_db)
    app = create_api(api_settings(graph_db, tmp_path))
    yield app
    app.state.uploads.close()  # the ingest worker started by generated uploads


# The spec does not depend on the settings; the calls go to the app on the test database.
schema = schemathesis.openapi.from_dict(openapi_spec(Settings()))


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, api_app):
    case.call_and_validate(app=api_app, checks=[not_a_server_error, response_schema_conformance])
