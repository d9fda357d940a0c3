"""schemathesis against the OpenAPI schema, in process: generated requests (valid and not)
with the token of a commune manager who has data; no answer may be a server error, and every
answer must match the schema (status, content type, body). Bounded to stay quick."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.sweep_world import populate

EXAMPLES = 12


# The schema is read from the application itself (no database needed for it).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
# A NUL character is refused by the site's edge middleware before the API (plain text 400,
# xaso.web.middleware); the API's own answers are what is checked here.
schema.config.generation.update(allow_x00=False)


@pytest.fixture
def data(world):
    """The world, and the application called in process as Django's test client calls it:
    without closing the database connection at the end of each request (on PostgreSQL that
    would end the test's transaction)."""
    populate(world)
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield world
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, data):
    case.call_and_validate(
        # identity: the in-process transport does not undo the site's gzip
        headers={
            "Authorization": f"Bearer {data.tokens['commune']}",
            "Accept-Encoding": "identity",
        },
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
