"""Personal data is masked in every public representation of a question and its answers."""

from django_tenants.utils import schema_context

from core.models import Notification
from core.notifications import text_of
from qa import services

from .helpers import alliance

PHONE, ID_CARD, EMAIL = "13812345678", "440106199001011234", "li.qing@example.com"
TEXT = f"我的电话{PHONE}，身份证{ID_CARD}，邮箱{EMAIL}"


def leaks(text: str) -> list[str]:
    return [secret for secret in (PHONE, ID_CARD, EMAIL) if secret in text]


def test_nothing_personal_is_shown_to_the_public(tree, api, web):
    alliance("gd", tree["gd_expert"])
    with schema_context("gd"):
        waiting = services.ask_question(
            asker=tree["youth"], title=f"求职被骗 {PHONE}", body=TEXT, category="career"
        )
        answered = services.ask_question(
            asker=tree["youth"], title=f"培训费 {PHONE}", body=TEXT, category="career"
        )
        services.answer(
            question=answered, author=tree["gd_expert"], body=f"请联系我 {PHONE} 或 {EMAIL}"
        )
    public, stranger = api("gd"), api("gd", tree["bj_cadre"])
    shown = []
    for client in (public, stranger):
        shown += [
            client.get("/api/v1/questions/").content.decode(),
            client.get("/api/v1/questions/open/").content.decode(),
            client.get("/api/v1/questions/", {"q": "培训费"}).content.decode(),
            client.get("/api/v1/questions/similar/", {"title": "培训费"}).content.decode(),
            client.get(f"/api/v1/questions/{answered.pk}/").content.decode(),
            client.get(f"/api/v1/questions/{waiting.pk}/").content.decode(),
        ]
    for path in (
        "/questions/",
        "/questions/?open=1",
        f"/questions/{answered.pk}/",
        f"/questions/{waiting.pk}/",
    ):
        shown.append(web("gd").get(path).content.decode())
    shown += [text_of(n) for n in Notification.objects.all()]
    assert "138****5678" in shown[0] and "138****5678" in shown[1]  # masked, still there
    for page in shown:
        assert leaks(page) == [], page[:300]
    # …while the asker and the staff handling it read what was written.
    mine = api("gd", tree["youth"]).get(f"/api/v1/questions/{answered.pk}/").json()
    assert set(leaks(mine["body"])) == {PHONE, ID_CARD, EMAIL}
    handler = (
        web("gd", tree["gd_expert"]).get(f"/workbench/questions/{answered.pk}/").content.decode()
    )
    assert set(leaks(handler)) == {PHONE, ID_CARD, EMAIL}
