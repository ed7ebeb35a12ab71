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


@pytest.mark.parametrize("code", ["gd", None])
def test_every_operation_documents_its_errors_in_the_one_shape(tree, api, code):
    schema = api(code).get("/api/v1/schema/?format=json").json()
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    detail = schema["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            documented = set(responses)
            assert {"400", "401", "405"} <= documented, (method, path)
            if "{" in path or method != "get":
                assert "404" in documented, (method, path)
            if method != "get":
                assert {"403", "409", "429"} <= documented, (method, path)
            if "requestBody" in operation:
                assert {"413", "415"} <= documented, (method, path)
            if code is not None:
                assert "403" in documented, (method, path)  # a suspended portal refuses all
            for status in documented - {"200", "201", "202", "204"}:
                content = responses[status]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/Error"}, (method, path, status)
