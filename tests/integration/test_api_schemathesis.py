"""Property-based run of the OpenAPI spec (schemathesis + Hypothesis) against the app on the real
Neo4j holding the case graph: whatever valid or invalid request it generates, the API answers
without a server error, and its answers match the documented schemas.

Bounded to stay near a minute on two shared cores: few examples per operation, no deadline, the
NLP models loaded once before the first generated request. Uploads are only queued as jobs (no job worker runs here),
so a generated upload answers at once whatever its bytes."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from casegraph.core.settings import Settings
from dashboard.api import create_api, openapi_spec
from tests.factories.api import api_settings
from tests.factories.query_case import write_case_graph

MAX_EXAMPLES = 12


@pytest.fixture(scope="module", autouse=True)
def models_loaded():
    """The NLP models loaded before the generated requests: the first /api/ner call would load
    them inside a request, past the client's read timeout on a busy machine."""
    from dashboard.api.ner import recognise

    recognise("Detective Carlos Mendez met Dana Price. Анна Иванова приехала в Москву.")


@pytest.fixture()
def api_app(graph_db, tmp_path):
    write_case_graph(graph_db)
    return create_api(api_settings(graph_db, tmp_path), worker=False)


# The spec does not depend on the settings; the calls go to the app on the test database.
schema = schemathesis.openapi.from_dict(openapi_spec(Settings()))


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, api_app):
    case.call_and_validate(app=api_app, checks=[not_a_server_error, response_schema_conformance])
