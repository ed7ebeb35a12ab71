"""Every API error, whatever raised it, has one shape: {"error": {"code", "message", ...}}."""

from .helpers import assert_error


def test_validation_errors_name_their_fields(tree, api):
    error = assert_error(api("gd").post("/api/v1/auth/token/", {}, format="json"), 400, "invalid")
    assert set(error["fields"]) == {"phone", "password"}
    assert error["message"].startswith("phone")


def test_an_unknown_api_path_and_a_wrong_method(tree, api):
    assert_error(api("gd").get("/api/v1/nothing-here/"), 404, "not_found")
    assert_error(api(None).get("/api/v1/nothing-here/"), 404, "not_found")
    assert_error(api("gd").get("/api/v1/auth/token/"), 405, "method_not_allowed")
    assert_error(api("gd", tree["youth"]).put("/api/v1/me/", {}), 405, "method_not_allowed")


def test_a_malformed_body_is_a_parse_error(tree, api):
    answer = api("gd").post("/api/v1/auth/token/", "{not json", content_type="application/json")
    assert_error(answer, 400, "parse_error")


def test_portal_routing_errors_have_the_same_shape(tree, api):
    assert_error(api("nowhere").get("/api/v1/me/"), 404, "unknown_portal")


def test_service_refusals_carry_their_field(tree, api):
    error = assert_error(
        api("gd").post("/api/v1/auth/codes/", {"phone": tree["youth"].phone}, format="json"),
        400,
        "phone_taken",
    )
    assert list(error["fields"]) == ["phone"]
    assert error["fields"]["phone"] == [error["message"]]
