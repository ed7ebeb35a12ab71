"""The central auditor is read-only everywhere: every route of a portal and of the console that
takes a write (found by walking the URL patterns, so that new ones are covered) refuses it with
403 — the error shape under /api/, the branded page elsewhere — and changes nothing; signing in
and out and its own profile stay open to it; anyone else is not refused by this rule."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django_tenants.utils import schema_context

from core import access
from core.models import AuditAccess, Role, User
from qa import services
from qa.models import Question, Reply

WRITES = ("post", "put", "patch", "delete")
SAMPLES = {"int": "1", "str": "gd", "slug": "gd", "path": "x.png", "uuid": "0" * 32}


def _sample(pattern) -> str:
    """A path that the pattern matches (its converters filled with samples)."""
    if isinstance(pattern, RoutePattern):
        return re.sub(
            r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "1"), str(pattern)
        )
    assert isinstance(pattern, RegexPattern)
    text = str(pattern).lstrip("^").rstrip("$").replace("\\.", ".")
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text)
    return text.replace("\\Z", "").replace("\\", "")


def routes(urlconf: str) -> list[tuple[str, str]]:
    """(view name, sample path) of every URL pattern of ``urlconf``."""
    found: list[tuple[str, str]] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + _sample(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((namespace + entry.name, "/" + prefix + _sample(entry.pattern)))

    walk(get_resolver(urlconf).url_patterns, "", "")
    return found


def written(tree) -> tuple:
    """Everything a write on Guangdong's portal or the console could change."""
    with schema_context("gd"):
        questions = list(Question.objects.values_list("pk", "state", "team_id", "category_id"))
        replies = Reply.objects.count()
    return (
        questions,
        replies,
        Role.objects.count(),
        User.objects.count(),
        list(User.objects.filter(pk=tree["auditor"].pk).values_list("name", "password")),
    )


@pytest.fixture
def question(tree):
    with schema_context("gd"):
        return services.ask_question(asker=tree["youth"], title="暑期兼职被拖欠工资", body="")


@pytest.mark.parametrize(
    ("code", "urlconf"), [("gd", "config.urls_tenant"), (None, "config.urls_public")]
)
def test_every_write_on_every_route_refuses_the_auditor(tree, question, web, api, code, urlconf):
    auditor, before = tree["auditor"], written(tree)
    page, client = web(code, auditor), api(code, auditor)
    refused = []
    for name, path in routes(urlconf):
        if name in access.READ_ONLY_MAY:
            continue
        path = path.replace("/1/", f"/{question.pk}/", 1) if code else path
        for method in WRITES:
            if path.startswith("/api/"):
                response = getattr(client, method)(path, {"body": "审计"}, format="json")
                assert response.status_code == 403, (method, path, response.content)
                assert response.json()["error"]["code"] == "read_only", (path, response.json())
            else:
                response = getattr(page, method)(path, {"action": "answer", "body": "审计"})
                assert response.status_code == 403, (method, path, response.status_code)
                assert "只能查看" in response.content.decode(), path  # the branded page
            refused.append((method, path))
    assert len(refused) >= (4 * 40 if code else 4 * 15), len(refused)
    assert written(tree) == before
    if code:  # each attempt on a portal is in its audit log
        tried = AuditAccess.objects.filter(user=auditor).exclude(method="GET")
        assert tried.count() == len(refused)


def test_the_auditor_cannot_ask_answer_follow_up_or_rate_on_a_portal(tree, question, web, api):
    auditor = tree["auditor"]
    with schema_context("gd"):
        mine = services.ask_question(asker=tree["youth"], title="考研调剂怎么弄", body="")
    client = api("gd", auditor)
    for path, body in (
        ("/api/v1/questions/", {"title": "审计员的提问", "body": ""}),
        (f"/api/v1/questions/{mine.pk}/answers/", {"body": "审计员来答"}),
        (f"/api/v1/questions/{mine.pk}/follow-ups/", {"body": "追问"}),
        (f"/api/v1/questions/{mine.pk}/rating/", {"stars": 5}),
        (f"/api/v1/questions/{mine.pk}/solve/", {}),
    ):
        response = client.post(path, body, format="json")
        assert response.status_code == 403, (path, response.content)
        assert response.json()["error"]["code"] == "read_only"
    page = web("gd", auditor)
    response = page.post("/questions/ask/", {"title": "审计员的提问", "body": "试试"})
    assert response.status_code == 403 and "只能查看" in response.content.decode()
    response = page.post(f"/questions/{mine.pk}/", {"action": "answer", "body": "审计员来答"})
    assert response.status_code == 403
    with schema_context("gd"):
        assert Question.objects.count() == 2 and not Reply.objects.exists()


def test_the_auditor_still_signs_in_and_out_and_keeps_its_own_profile(tree, web, api):
    auditor = tree["auditor"]
    auditor.set_password("Qingnian2026!")
    auditor.save()
    response = api("gd").post(
        "/api/v1/auth/token/", {"phone": auditor.phone, "password": "Qingnian2026!"}
    )
    assert response.status_code == 200, response.content
    token = response.json()["refresh"]
    assert api("gd", auditor).patch("/api/v1/me/", {"name": "审计处"}).status_code == 200
    refreshed = api("gd", auditor).post("/api/v1/auth/token/refresh/", {"refresh": token})
    assert refreshed.status_code == 200
    page = web("gd", auditor)
    assert page.post("/accounts/profile/", {"name": "审计处二"}).status_code in (200, 302)
    auditor.refresh_from_db()
    assert auditor.name == "审计处二"
    assert page.post("/accounts/logout/").status_code == 302


def test_other_accounts_are_not_refused_by_the_rule(tree, question, web, api):
    assert not access.is_read_only(tree["central_admin"])
    assert access.is_read_only(tree["auditor"])
    response = api("gd", tree["bj_cadre"]).post(
        "/api/v1/questions/", {"title": "北京团干部也是青年", "body": ""}, format="json"
    )
    assert response.status_code == 201, response.content
    response = api("gd", tree["youth"]).post(
        f"/api/v1/questions/{question.pk}/follow-ups/", {"body": "还有一个问题"}, format="json"
    )
    assert response.status_code == 200, response.content


def test_an_auditor_who_also_holds_a_staff_role_still_writes_nothing(tree, question, api):
    from core import services as accounts

    auditor = tree["auditor"]
    accounts.grant_role(user=auditor, committee=tree.gd, kind="cadre")
    auditor = User.objects.get(pk=auditor.pk)  # roles are read once per account object
    assert not access.access_to(auditor, tree.gd).can_write
    response = api("gd", auditor).post(f"/api/v1/questions/{question.pk}/claim/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only"
