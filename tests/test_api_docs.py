import pytest


@pytest.mark.parametrize(
    ("code", "path"), [("gd", "/api/v1/notices/"), (None, "/api/v1/committees/")]
)
def test_each_domain_documents_its_own_api(tree, api, code, path):
    schema = api(code).get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    assert path in schema.json()["paths"]
    assert "/api/v1/auth/token/" in schema.json()["paths"]
    docs = api(code).get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()  # served locally


def test_api_errors_have_one_shape(tree, api):
    body = api("gd").post("/api/v1/notices/", {"title": "x"}, format="json").json()
    assert set(body["error"]) >= {"code", "message"}
    assert body["error"]["code"] == "not_authenticated"
