"""Fuzz the ORUK API from its own OpenAPI document (schemathesis, through WSGI, no network)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from directory.oruk.openapi import paths

ORUK_PATHS = sorted(path for path in paths() if path.startswith("/api/oruk/"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("path", ORUK_PATHS)
def test_the_oruk_api_never_fails_and_conforms(app, path):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case):
        # Plain bodies: the test client does not undo Flask-Compress's encodings.
        case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

    fuzz()
