"""A property-based fuzzer (schemathesis) over both OpenAPI schemas, the console's and a
portal's, through the WSGI application: with no account, a youth's token and a staff token,
every operation gets generated valid and invalid input and must never answer a server error,
and every answer must be one the schema documents (status, content type and body, the error
shape included). Derandomized and bounded, so that it is stable and fits the suite's time."""

from dataclasses import dataclass, field

import pytest
import schemathesis
from django.db import connection
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as fuzz_settings
from hypothesis.errors import Unsatisfiable
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from qa import services as qa
from tenants import services
from tenants.models import Committee

from .conftest import build_tree, host

pytestmark = pytest.mark.slow

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation, identity and mode: about a minute for both schemas on two cores.
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}


@dataclass
class Findings:
    failures: list[str] = field(default_factory=list)
    calls: int = 0


@pytest.fixture
def platform(transactional_db):
    """The committee tree with a few questions, committed: each generated request is a
    request of its own, as on a running platform. Every committee is removed after, those
    the fuzzer onboarded too."""
    tree = build_tree()
    from django_tenants.utils import tenant_context

    with tenant_context(tree.gd):
        for title in ("团组织关系转接怎么办理", "考研复试需要准备什么"):
            question = qa.ask_question(asker=tree["youth"], title=title, body="请问")
            qa.answer(question=question, author=tree["gd_cadre"], body="可以这样办理")
        qa.ask_question(asker=tree["youth"], title="实习单位不签劳动合同怎么办")
    try:
        yield tree
    finally:
        connection.set_schema_to_public()  # the last request left its portal's schema
        for committee in Committee.objects.order_by("-path"):
            services.remove_committee(committee=committee)


def _token(user) -> dict:
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


def _fuzzer(operation, mode, examples: int, base_url: str, headers: dict, findings: Findings):
    @given(case=operation.as_strategy(generation_mode=mode))
    @fuzz_settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        findings.calls += 1
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    return run


def fuzz(code: str | None, identities: dict[str, dict]) -> Findings:
    base_url = f"http://{host(code)}"
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", application, base_url=base_url
    )
    findings = Findings()
    for result in schema.get_all_operations():
        operation = result.ok()
        for who, headers in identities.items():
            for mode, examples in EXAMPLES.items():
                try:
                    _fuzzer(operation, mode, examples, base_url, headers, findings)()
                except Unsatisfiable:
                    pass  # nothing to get wrong: no parameters and no body
                # Every operation is tried and every failure reported (schemathesis groups its
                # failures in a BaseExceptionGroup).
                except (Exception, BaseExceptionGroup) as failure:
                    findings.failures.append(
                        f"{operation.label} as {who} ({mode.value}):\n{failure}"
                    )
    return findings


def _assert_clean(findings: Findings) -> None:
    assert findings.calls > 100
    assert not findings.failures, "\n\n".join(findings.failures)


def test_a_portals_api_gives_no_server_error_and_keeps_its_schema(platform):
    identities = {
        "anonymous": {},
        "youth": _token(platform["youth"]),
        "admin": _token(platform["gd_admin"]),
    }
    _assert_clean(fuzz("gd", identities))


def test_the_consoles_api_gives_no_server_error_and_keeps_its_schema(platform):
    identities = {
        "anonymous": {},
        "youth": _token(platform["youth"]),
        "central admin": _token(platform["central_admin"]),
    }
    _assert_clean(fuzz(None, identities))
