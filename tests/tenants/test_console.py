def _codes_listed(page) -> set[str]:
    return {c.code for c in page.context["page"]}


def test_central_office_sees_every_committee(tree, web):
    for who in ("central_admin", "auditor"):
        page = web(None, tree[who]).get("/")
        assert _codes_listed(page) == {"central", "gd", "gd-gz", "bj"}
    assert web(None, tree["central_admin"]).get("/").context["can_manage"] is True
    assert web(None, tree["auditor"]).get("/").context["can_manage"] is False


def test_province_admin_sees_its_subtree_only(tree, web):
    browser = web(None, tree["gd_admin"])
    page = browser.get("/")
    assert _codes_listed(page) == {"gd", "gd-gz"}
    assert page.context["counts"]["active"] == 2
    assert browser.get("/committees/gd-gz/").status_code == 200
    assert browser.get("/committees/bj/").status_code == 403
    assert browser.get("/committees/new/").status_code == 403


def test_a_youth_gets_the_portal_finder(tree, web):
    page = web(None, tree["youth"]).get("/")
    assert "page" not in page.context
    (root,) = page.context["roots"]
    assert root.code == "central" and {c.code for c in root.below} == {"gd", "bj"}
    assert web(None, tree["youth"]).get("/committees/gd/").status_code == 403
    assert web(None).get("/committees/gd/").status_code == 302
