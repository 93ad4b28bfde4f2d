"""Property-based API testing: schemathesis generates requests from /api/openapi.json.

Every generated request must get a documented, schema-conforming response and never a 5xx.
(The operations are driven with plain hypothesis, not schemathesis's pytest plugin, which does
not load under this pytest version.)
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conftest import hashing_app

EXAMPLES_PER_OPERATION = 40


def test_api_conforms_to_its_openapi_document(built_instance):

    app = hashing_app(built_instance)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:
            response = case.call()
            assert response.status_code < 500, (case.path, response.text[:300])
            case.validate_response(response)

        check()
