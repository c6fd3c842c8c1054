"""Schemathesis over the OpenAPI spec: no input the spec allows makes the API answer 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from policykg.api.app import routed_app
from tests.conftest import LiveServer

# The spec does not depend on the store, so it is read from the routes alone; the calls go to the
# live app (real FalkorDB with the samples) over HTTP.
schema = schemathesis.openapi.from_dict(routed_app().openapi())


@pytest.mark.slow  # 25 examples of every route: about 10 s
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case, live_api: LiveServer) -> None:
    case.call_and_validate(base_url=live_api.url, checks=[not_a_server_error], timeout=30)
