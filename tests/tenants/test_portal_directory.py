"""The directory of portals: every committee found by name or through the tree, over the API
on every domain and on the public landing page."""

import pytest

from tenants.models import Committee
from tests import factories


@pytest.fixture
def cities(tree):
    """Two more cities under Guangdong, one of them with a county below, and a suspended one."""
    sz = factories.committee("gd-sz", level="city", parent=tree.gd)
    factories.committee("gd-sz-ns", level="county", parent=sz)
    gone = factories.committee("gd-zh", level="city", parent=tree.gd)
    Committee.objects.filter(pk=gone.pk).update(status="suspended")
    return tree


def codes(body) -> list[str]:
    return [entry["code"] for entry in body["results"]]


@pytest.mark.parametrize("domain", [None, "gd", "bj"])
def test_the_tree_opens_branch_by_branch_for_anyone_on_every_domain(cities, api, domain):
    client = api(domain)
    roots = client.get("/api/v1/directory/")
    assert roots.status_code == 200
    assert codes(roots.json()) == ["central"]
    assert roots.json()["results"][0]["has_children"] is True
    provinces = client.get("/api/v1/directory/?parent=central").json()
    assert codes(provinces) == ["bj", "gd"]
    cities_of_gd = client.get("/api/v1/directory/?parent=gd").json()
    assert codes(cities_of_gd) == ["gd-gz", "gd-sz"]  # the suspended city is left out
    gz, sz = cities_of_gd["results"]
    assert (gz["has_children"], sz["has_children"]) == (False, True)
    assert gz["name"] == "共青团广州市委" and gz["parent"] == "gd" and gz["level"] == "city"
    assert gz["portal"] == "//gd-gz.localhost/"


def test_search_by_name_or_code_pages_and_ranks_higher_committees_first(cities, api):
    client = api(None)
    assert codes(client.get("/api/v1/directory/?q=广州").json()) == ["gd-gz"]
    assert codes(client.get("/api/v1/directory/?q=gd-s").json()) == ["gd-sz", "gd-sz-ns"]
    found = client.get("/api/v1/directory/?q=共青团").json()
    assert codes(found) == ["central", "bj", "gd", "gd-gz", "gd-sz", "gd-sz-ns"]
    paged = client.get("/api/v1/directory/?q=共青团&page_size=2&page=2").json()
    assert codes(paged) == codes(found)[2:4]
    assert found["results"][-1]["parent_name"] != ""
    assert client.get("/api/v1/directory/?q=火星").json()["count"] == 0


def test_search_among_thousands_of_committees_is_paged(tree, api):
    central = tree.central
    Committee.objects.bulk_create(
        [
            Committee(
                code=f"x{n}",
                schema_name=f"x{n}",
                name=f"共青团测试{n}县委",
                level="county",
                parent=central,
                path=f"{central.path}x{n}/",
            )
            for n in range(3000)
        ]
    )
    first = api("gd").get("/api/v1/directory/?q=测试&page_size=100").json()
    assert first["count"] == 3000 and len(first["results"]) == 100 and first["next"]
    branch = api("gd").get("/api/v1/directory/?parent=central").json()
    assert branch["count"] == 3002 and len(branch["results"]) == 20


@pytest.mark.parametrize(
    "query",
    ["?parent=GD", "?parent=gd;drop", "?q=" + "长" * 51, "?page_size=101", "?page=٣"],
)
def test_bad_input_is_refused_in_the_error_shape(tree, api, query):
    response = api("gd").get("/api/v1/directory/" + query)
    assert response.status_code == 400
    assert response.json()["error"]["code"]


def test_the_landing_page_finds_a_portal_by_name_and_through_the_tree(cities, web):
    page = web(None).get("/")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="finder-tree"' in text
    # The root with the provinces open below it; a branch opens by link without script.
    assert 'data-testid="portal-central"' in text and 'data-testid="portal-gd"' in text
    assert 'href="?parent=gd"' in text and 'data-testid="portal-gd-gz"' not in text
    branch = web(None).get("/?parent=gd").content.decode()
    assert 'href="//gd-gz.localhost/"' in branch and "gd-zh" not in branch
    found = web(None).get("/?q=gd-s").content.decode()
    assert 'data-testid="portal-gd-sz"' in found and 'data-testid="portal-gd-sz-ns"' in found
    assert 'data-testid="portal-gd"' not in found
    assert "没有这个名称的团委。" in web(None).get("/?q=火星").content.decode()
    assert "finder.js" in text and "<script>" not in text
    assert web(None).get("/?parent=GD").status_code == 400
