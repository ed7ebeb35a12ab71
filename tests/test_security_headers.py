"""Every response carries a Content-Security-Policy that runs no inline script, and the
templates keep to it: scripts come from static files, data from json_script blocks."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize(
    ("code", "path"),
    [("gd", "/"), ("gd", "/questions/"), (None, "/"), ("gd", "/api/v1/portal/"), ("gd", "/nope/")],
)
def test_every_response_has_a_policy_without_inline_script(tree, web, code, path):
    response = web(code).get(path)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert set(policy["img-src"]) == {"'self'", "data:"}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_runs_inline_script():
    found = []
    for template in ROOT.glob("**/templates/**/*.html"):
        relative = str(template.relative_to(ROOT))
        if relative.startswith((".venv", ".local")):
            continue
        text = template.read_text()
        if INLINE_SCRIPT.search(text) or EVENT_HANDLER.search(text):
            found.append(relative)
    assert not found


def test_the_dashboard_and_the_api_docs_load_their_scripts_from_files(tree, web):
    dashboard = web(None, tree["central_admin"]).get("/reports/").content.decode()
    docs = web("gd").get("/api/v1/docs/").content.decode()
    for page in (dashboard, docs):
        scripts = re.findall(r"<script[^>]*>", page)
        assert scripts
        assert all("src=" in s or 'type="application/json"' in s for s in scripts), scripts
