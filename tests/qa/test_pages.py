from django_tenants.utils import schema_context

from qa import services
from qa.models import Question

PHONE = "13812345678"


def _archived(tree, title, body=""):
    with schema_context("gd"):
        question = services.ask_question(asker=tree["youth"], title=title, body=body)
        Question.objects.filter(pk=question.pk).update(state=Question.State.ANSWERED)
    return question


def test_asking_needs_a_login(tree, web):
    page = web("gd").get("/questions/ask/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")


def test_a_youth_asks_on_the_page_and_lands_on_the_question(tree, web):
    browser = web("gd", tree["youth"])
    assert browser.get("/questions/ask/").status_code == 200
    sent = browser.post(
        "/questions/ask/", {"title": "毕业后团组织关系怎么转", "body": "", "is_public": "on"}
    )
    assert sent.status_code == 302
    with schema_context("gd"):
        question = Question.objects.get()
    assert sent["Location"] == f"/questions/{question.pk}/"
    page = browser.get(sent["Location"]).content.decode()
    assert "毕业后团组织关系怎么转" in page and 'data-testid="timeline"' in page
    assert question.category_id == "league"
    mine = browser.get("/questions/mine/").content.decode()
    assert "毕业后团组织关系怎么转" in mine


def test_the_ask_page_shows_a_refusal_on_its_field(tree, web):
    page = web("gd", tree["youth"]).post("/questions/ask/", {"title": " ", "body": "x"})
    assert page.status_code == 200
    assert page.context["form"].errors["title"]


def test_the_archive_page_searches_and_masks(tree, web):
    _archived(tree, f"工资拖欠找谁{PHONE}")
    _archived(tree, "考研复试怎么准备")
    page = web("gd").get("/questions/", {"q": "工资"}).content.decode()
    assert "<mark>工资</mark>拖欠找谁" in page and "考研复试" not in page
    assert PHONE not in page and "138****5678" in page


def test_the_question_page_masks_for_the_public_only(tree, web):
    question = _archived(tree, "实习没发工资", f"请联系{PHONE}")
    public = web("gd").get(f"/questions/{question.pk}/").content.decode()
    assert PHONE not in public and "138****5678" in public
    staff = web("gd", tree["gd_cadre"]).get(f"/questions/{question.pk}/").content.decode()
    assert PHONE in staff
    assert web("bj", tree["bj_admin"]).get(f"/questions/{question.pk}/").status_code == 404
