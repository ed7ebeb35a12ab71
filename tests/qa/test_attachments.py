"""Attachments (photos of ID cards, contracts) go only to the asker and the staff handling the
question: the committee's admins and cadres, its assignee and its team's members. Everyone
else who may open the question — other staff of the committee, other committees' staff, readers
from above (a province admin, the central admin, the central auditor) — sees how many there
are, and the file is 403 to them; pages and API alike."""

import io

import pytest
from django_tenants.utils import schema_context
from PIL import Image

from core.models import User
from qa import presenters
from qa.models import Question

from .helpers import alliance

ASK = {
    "title": "签了劳动合同公司不给社保怎么办",
    "body": "合同照片在附件里，身份证也拍了",
    "category": "career",
}


def png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(data, "PNG")
    data.seek(0)
    data.name = "合同.png"
    return data


@pytest.fixture
def asked(tree, api) -> tuple[int, int]:
    """A public question routed to the career alliance (Guangdong's expert), with one image."""
    alliance("gd", tree["gd_expert"])
    made = api("gd", tree["youth"]).post(
        "/api/v1/questions/", {**ASK, "attachments": [png()]}, format="multipart"
    )
    assert made.status_code == 201, made.content
    with schema_context("gd"):
        question = Question.objects.get()
        assert question.state == Question.State.ROUTED and question.team is not None
        return question.pk, question.attachments.get().pk


HANDLERS = ["youth", "gd_cadre", "gd_admin", "gd_expert"]  # the asker, then the staff on it
WITHHELD = ["gd_org", "gz_cadre", "bj_cadre", "bj_admin", "central_admin", "auditor"]


@pytest.mark.parametrize("who", HANDLERS + WITHHELD)
def test_the_file_goes_to_the_asker_and_the_handling_staff_only(tree, api, web, asked, who):
    pk, image = asked
    url = f"/api/v1/questions/{pk}/attachments/{image}/"
    answer = api("gd", tree[who]).get(url)
    page = web("gd", tree[who]).get(f"/questions/{pk}/attachments/{image}/")
    if who in HANDLERS:
        assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
        assert page.status_code == 200 and page["Content-Type"] == "image/png"
    else:
        assert answer.status_code == 403, answer.content
        assert answer.json()["error"]["code"] == "permission_denied"
        assert page.status_code == 403 and "image" not in page["Content-Type"]


@pytest.mark.parametrize("who", HANDLERS + WITHHELD)
def test_the_question_lists_its_files_or_only_how_many(tree, api, asked, who):
    pk, image = asked
    body = api("gd", tree[who]).get(f"/api/v1/questions/{pk}/").json()
    assert body["attachment_count"] == 1
    if who in HANDLERS:
        assert body["attachments"] == [
            {"id": image, "url": f"/api/v1/questions/{pk}/attachments/{image}/"}
        ]
    else:
        assert body["attachments"] == []


def test_nobody_signed_in_gets_no_file(tree, api, web, asked):
    pk, image = asked
    assert api("gd").get(f"/api/v1/questions/{pk}/attachments/{image}/").status_code == 401
    assert api("gd").get(f"/api/v1/questions/{pk}/").json()["attachments"] == []
    page = web("gd").get(f"/questions/{pk}/attachments/{image}/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_a_province_admin_reading_a_city_below_sees_only_the_count(tree, api, web):
    alliance("gd-gz", tree["gz_cadre"])
    made = api("gd-gz", tree["youth"]).post(
        "/api/v1/questions/", {**ASK, "attachments": [png()]}, format="multipart"
    )
    assert made.status_code == 201, made.content
    with schema_context("gd_gz"):
        question = Question.objects.get()
        image = question.attachments.get().pk
    admin = api("gd-gz", tree["gd_admin"])
    assert admin.get(f"/api/v1/questions/{question.pk}/").json()["attachment_count"] == 1
    url = f"/api/v1/questions/{question.pk}/attachments/{image}/"
    assert admin.get(url).status_code == 403
    assert api("gd-gz", tree["gz_cadre"]).get(url).status_code == 200
    handling = web("gd-gz", tree["gd_admin"]).get(f"/workbench/questions/{question.pk}/")
    assert handling.status_code == 200
    text = handling.content.decode()
    assert "仅提问人和承办人员可查看" in text and f"/attachments/{image}/" not in text


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("auditor", "/questions/{pk}/"),
        ("auditor", "/workbench/questions/{pk}/"),
        ("gd_org", "/workbench/questions/{pk}/"),
        ("gd_cadre", "/workbench/questions/{pk}/"),
        ("youth", "/questions/{pk}/"),
    ],
)
def test_pages_show_the_files_or_how_many(tree, web, asked, who, path):
    pk, image = asked
    page = web("gd", tree[who]).get(path.format(pk=pk))
    assert page.status_code == 200
    text = page.content.decode()
    if who in HANDLERS:
        assert f"/questions/{pk}/attachments/{image}/" in text
        assert "仅提问人和承办人员可查看" not in text
    else:
        assert f"/attachments/{image}/" not in text
        assert "有 1 个附件，仅提问人和承办人员可查看。" in text


def test_one_selector_decides_the_rights(tree, asked):
    from core import access

    pk, _image = asked
    with schema_context("gd"):
        question = Question.objects.get(pk=pk)
        rights = {
            who: presenters.rights_over(
                question,
                user=User.objects.get(pk=tree[who].pk),
                grant=access.access_to(tree[who], tree.gd),
            )
            for who in HANDLERS + WITHHELD
        }
    assert {who for who, r in rights.items() if r.sees_attachments} == set(HANDLERS)
    assert {who for who, r in rights.items() if r.sees_personal_data} == {
        "youth",
        "gd_cadre",
        "gd_admin",
        "gd_expert",
        "gd_org",
    }
    assert {who for who, r in rights.items() if r.reads_from_above} == {
        "central_admin",
        "auditor",
    }
