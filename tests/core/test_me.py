"""/api/v1/me/: the current account, its roles and what it may do on this portal."""

from core.models import User

from .helpers import assert_error


def test_me_lists_every_role_and_what_the_account_may_do_here(tree, api):
    body = api("gd-gz", tree["gd_admin"]).get("/api/v1/me/").json()
    account = body["account"]
    assert account["id"] == tree["gd_admin"].pk
    assert account["phone"] == tree["gd_admin"].phone  # one's own number, unmasked
    assert account["name"] == "gd-admin"
    assert account["roles"] == [
        {"committee": "gd", "committee_name": "青年之声 · 广东", "kind": "admin"}
    ]
    assert body["here"] == {"kinds": [], "can_read": True, "can_write": False}


def test_me_on_the_central_portal_and_on_the_console(tree, api):
    here = api("central", tree["auditor"]).get("/api/v1/me/").json()["here"]
    assert here == {"kinds": ["auditor"], "can_read": True, "can_write": False}
    here = api("central", tree["central_admin"]).get("/api/v1/me/").json()["here"]
    assert here == {"kinds": ["admin"], "can_read": True, "can_write": True}
    assert api(None, tree["central_admin"]).get("/api/v1/me/").json()["here"] is None


def test_me_patch_changes_the_name_only(tree, api):
    youth = tree["youth"]
    answer = api("gd", youth).patch(
        "/api/v1/me/", {"name": "新名字", "phone": "13999999999", "id": 1}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["name"] == "新名字"
    assert answer.json()["phone"] == youth.phone
    stored = User.objects.get(pk=youth.pk)
    assert (stored.name, stored.phone) == ("新名字", youth.phone)
    # The new name shows on every portal.
    assert api("bj", youth).get("/api/v1/me/").json()["account"]["name"] == "新名字"


def test_me_patch_refuses_a_name_that_is_too_long(tree, api):
    error = assert_error(
        api("gd", tree["youth"]).patch("/api/v1/me/", {"name": "长" * 51}, format="json"),
        400,
        "invalid",
    )
    assert list(error["fields"]) == ["name"]
    assert User.objects.get(pk=tree["youth"].pk).name == "小青"


def test_me_needs_an_account(tree, api):
    assert_error(api("gd").get("/api/v1/me/"), 401, "not_authenticated")
    assert_error(api("gd").patch("/api/v1/me/", {"name": "x"}), 401, "not_authenticated")


def test_me_by_session_on_the_portal(tree, web):
    answer = web("gd", tree["gd_cadre"]).get("/api/v1/me/")
    assert answer.status_code == 200
    assert answer.json()["here"]["kinds"] == ["cadre"]
