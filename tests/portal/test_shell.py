"""The portal's shell and pages for youths: one brand with an accessible colour, the icon and
manifest, the tab bar, 我的, the home page and the question lists (pages and API)."""

import io
import json

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image

from portal import branding
from portal.models import Notice
from portal.presenters import excerpt
from portal.templatetags.shell import author_names
from qa import services
from qa.models import Question, Reply
from reporting.models import PostVisit
from tests import factories
from tests.qa.helpers import alliance

PHONE = "13812345678"
ID_CARD = "110101199003071234"


def _answered(tree, title, body="", *, by=None):
    """A question on gd answered by ``by`` (an expert of 人社局's alliance by default)."""
    with schema_context("gd"):
        question = services.ask_question(
            asker=tree["youth"], title=title, body=body, category="career"
        )
        services.answer(question=question, author=by or question.assignee, body="先咨询人社局。")
        question.refresh_from_db()
        return question


@pytest.fixture
def gd_alliance(tree):
    return alliance("gd", tree["gd_expert"], category="career", name="就业创业服务联盟")


# ---------------------------------------------------------------- the brand


@pytest.mark.parametrize(
    ("display_name", "name", "title"),
    [
        ("青年之声 · 广东", "共青团广东省委", "青年之声 · 广东"),
        ("青年之声-深圳", "共青团深圳市委", "青年之声 · 深圳"),
        ("青年之声广州", "共青团广州市委", "青年之声 · 广州"),
        ("北京青年", "共青团北京市委", "青年之声 · 北京青年"),
        ("", "共青团四川省委", "青年之声 · 共青团四川省委"),
        ("青年之声", "共青团中央", "青年之声 · 共青团中央"),
    ],
)
def test_every_portal_is_titled_with_the_one_brand(display_name, name, title):
    committee = type("C", (), {"display_name": display_name, "name": name})()
    assert branding.portal_title(committee) == title
    assert branding.portal_title(None) == "青年之声"


@pytest.mark.parametrize("colour", ["#0a6ebd", "#c8161d", "#1f2328", "#000000"])
def test_a_colour_that_reaches_aa_on_white_is_kept(colour):
    assert branding.contrast(colour) >= 4.5
    assert branding.text_colour(colour) == colour


@pytest.mark.parametrize("colour", ["#ffd400", "#00c853", "#ffffff", "#ff9800", "#4fc3f7"])
def test_a_light_colour_is_darkened_until_it_reaches_aa(colour):
    assert branding.contrast(colour) < 4.5
    darker = branding.text_colour(colour)
    assert branding.contrast(darker) >= 4.5
    # Darkened just enough: one step lighter would fail.
    assert branding.luminance(darker) <= branding.luminance(colour)


def test_contrast_is_the_wcag_ratio():
    assert branding.contrast("#000000") == pytest.approx(21.0)
    assert branding.contrast("#ffffff") == pytest.approx(1.0)
    assert branding.contrast("#767676") == pytest.approx(4.54, abs=0.01)


def test_a_portal_page_carries_the_brand_the_icon_and_the_manifest(tree, web):
    gd = tree.gd
    gd.primary_colour, gd.display_name = "#ffd400", "广东"
    gd.save()
    page = web("gd").get("/questions/").content.decode()
    assert "<title>青年之声 · 广东</title>" in page
    darker = branding.text_colour("#ffd400")
    assert f"--brand: {darker};" in page and "--brand-raw: #ffd400;" in page
    assert 'rel="icon"' in page and 'href="/favicon.png"' in page
    assert 'rel="manifest" href="/manifest.webmanifest"' in page


@pytest.mark.parametrize("size", [32, 192, 512])
def test_the_favicon_is_a_png_of_the_size_asked(tree, web, size):
    response = web("gd").get("/favicon.png", {"size": size})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        assert (image.format, image.size) == ("PNG", (size, size))


def test_the_favicon_is_drawn_from_the_logo(tree, web):
    tree.gd.logo.save("gd.png", factories_logo(), save=True)
    response = web("gd").get("/favicon.png", {"size": 192})
    with Image.open(io.BytesIO(response.content)) as image:
        # The logo is solid green: so is the icon's middle.
        assert image.convert("RGB").getpixel((96, 96)) == (0, 128, 0)


def factories_logo():
    from django.core.files.base import ContentFile

    out = io.BytesIO()
    Image.new("RGB", (64, 64), (0, 128, 0)).save(out, format="PNG")
    return ContentFile(out.getvalue(), name="gd.png")


@pytest.mark.parametrize("size", ["7", "１９２", "abc", "192\u0000"])
def test_an_icon_size_not_offered_is_a_400(tree, web, size):
    assert web("gd").get("/favicon.png", {"size": size}).status_code == 400


def test_the_manifest_names_the_portal_and_its_colour(tree, web):
    response = web("gd").get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "青年之声 · 广东" and manifest["short_name"] == "广东"
    assert manifest["theme_color"] == "#0a6ebd" and manifest["start_url"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    console = json.loads(web(None).get("/manifest.webmanifest").content)
    assert console["name"] == "青年之声"


# ---------------------------------------------------------------- the tab bar


TABBED = {
    "/": "home",
    "/notices/": "home",
    "/questions/": "qa",
    "/questions/ask/": "ask",
    "/questions/mine/": "me",
    "/me/": "me",
    "/notifications/": "me",
    "/accounts/profile/": "me",
}


@pytest.mark.parametrize(("path", "tab"), TABBED.items())
def test_every_portal_page_has_the_tab_bar_with_its_tab_current(tree, web, path, tab):
    page = web("gd", tree["youth"]).get(path).content.decode()
    assert page.count('data-testid="tabbar"') == 1
    for name in ("home", "qa", "ask", "me"):
        assert f'data-testid="tabbar-{name}"' in page
    assert f'data-testid="tabbar-{tab}" class="current" aria-current="page"' in page
    assert page.count('aria-current="page"') == 1


def test_a_question_and_the_sign_in_pages_have_the_tab_bar(tree, web, gd_alliance):
    question = _answered(tree, "实习工资怎么要")
    for path in (f"/questions/{question.pk}/", "/accounts/login/", "/accounts/register/"):
        assert 'data-testid="tabbar"' in web("gd").get(path).content.decode(), path


def test_the_workbench_dashboards_and_console_have_no_tab_bar(tree, web):
    cadre = web("gd", tree["gd_cadre"])
    for path in ("/workbench/", "/workbench/questions/", "/reports/"):
        assert 'data-testid="tabbar"' not in cadre.get(path).content.decode(), path
    console = web(None, tree["central_admin"]).get("/").content.decode()
    assert 'data-testid="tabbar"' not in console


# ---------------------------------------------------------------- 我的


def test_mine_invites_a_visitor_to_sign_in(tree, web):
    page = web("gd").get("/me/")
    assert page.status_code == 200
    assert 'data-testid="me-visitor"' in page.content.decode()
    assert "/accounts/login/?next=/me/" in page.content.decode()


def test_mine_gathers_my_questions_notifications_and_profile(tree, web, gd_alliance):
    _answered(tree, "实习工资怎么要")
    page = web("gd", tree["youth"]).get("/me/").content.decode()
    assert page.index('data-testid="mine-questions"') < page.index(
        'data-testid="mine-notifications"'
    )
    assert 'href="/questions/mine/"' in page and 'href="/notifications/"' in page
    assert 'href="/accounts/profile/"' in page
    assert "实习工资怎么要" in page  # the latest of my questions
    assert tree["youth"].masked_phone in page and tree["youth"].phone not in page


def test_the_mine_api_needs_an_account(tree, api):
    response = api("gd").get("/api/v1/mine/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_mine_api_counts_what_is_mine_on_this_portal(tree, api, gd_alliance):
    _answered(tree, "实习工资怎么要")
    body = api("gd", tree["youth"]).get("/api/v1/mine/").json()
    sections = {s["key"]: s for s in body["sections"]}
    assert list(sections) == [
        "questions",
        "help",
        "bookings",
        "activities",
        "notifications",
        "suggestions",
        "profile",
    ]
    assert sections["activities"]["url"] == "/activities/mine/"
    assert (sections["suggestions"]["url"], sections["suggestions"]["count"]) == ("/roast/", 0)
    assert sections["questions"]["count"] == 1
    assert sections["questions"]["latest"][0]["title"] == "实习工资怎么要"
    assert sections["questions"]["url"] == "/questions/mine/"
    assert sections["notifications"]["count"] >= 1  # routed, answered
    assert body["phone"] == tree["youth"].masked_phone
    # Another committee's portal holds none of the questions asked on gd.
    elsewhere = api("bj", tree["youth"]).get("/api/v1/mine/").json()
    assert {s["key"]: s for s in elsewhere["sections"]}["questions"]["count"] == 0
    # Staff of another committee see their own, nothing of the youth's.
    other = api("gd", tree["bj_cadre"]).get("/api/v1/mine/").json()
    assert {s["key"]: s for s in other["sections"]}["questions"]["count"] == 0
    assert other["name"] == tree["bj_cadre"].name


# ---------------------------------------------------------------- the home page


def test_the_home_page_has_a_search_box_to_the_archive(tree, web):
    page = web("gd").get("/").content.decode()
    assert 'action="/questions/"' in page and 'name="q"' in page
    assert 'data-testid="home-search"' in page


def test_the_home_shows_hot_and_recent_questions_notices_and_alliances(
    tree, web, gd_alliance, time_machine
):
    time_machine.move_to("2026-03-02 10:00 +08:00", tick=False)
    first = _answered(tree, "第一个问题")
    time_machine.move_to("2026-03-02 11:00 +08:00", tick=False)
    _answered(tree, "第二个问题")
    with schema_context("gd"):
        Notice.objects.create(
            author=tree["gd_cadre"],
            title="团课通知",
            body="周五",
            is_published=True,
            published_at=timezone.now(),
        )
        Notice.objects.create(author=tree["gd_cadre"], title="未发布", body="x")
    # The first is the more visited: hot first, though the second is the more recent.
    for visitor in ("a", "b", "c"):
        PostVisit.objects.create(
            committee=tree.gd,
            post_type="question",
            post_id=first.pk,
            category="career",
            visitor=visitor,
            day=timezone.localdate(),
        )
    response = web("gd").get("/")
    hot = [item.title for item in response.context["hot"]]
    recent = [item.title for item in response.context["recent"]]
    assert hot == ["第一个问题", "第二个问题"]
    assert recent == ["第二个问题", "第一个问题"]
    page = response.content.decode()
    assert "团课通知" in page and "未发布" not in page
    assert "就业创业服务联盟" in page


def test_hot_questions_count_only_recent_visits(tree, web, gd_alliance, time_machine):
    time_machine.move_to("2026-03-02 10:00 +08:00", tick=False)
    old, new = _answered(tree, "旧的热门"), _answered(tree, "新的热门")
    with schema_context("gd"):
        Reply.objects.create(
            question=new, author=tree["gd_expert"], author_kind="expert", body="再补充一点。"
        )
    day = timezone.localdate()
    for n in range(5):
        PostVisit.objects.create(
            committee=tree.gd,
            post_type="question",
            post_id=old.pk,
            category="career",
            visitor=str(n),
            day=day.replace(month=1),
        )
    hot = [item.title for item in web("gd").get("/").context["hot"]]
    assert hot == ["新的热门", "旧的热门"]  # no visit this month: the most answered first


def test_the_home_api_is_open_and_shows_this_portal_only(tree, api, gd_alliance):
    _answered(tree, f"工资拖欠{PHONE}怎么办", f"身份证{ID_CARD}被扣")
    body = api("gd").get("/api/v1/home/").json()
    assert set(body) == {"hot", "recent", "notices", "alliances"}
    item = body["recent"][0]
    assert item["title"] == "工资拖欠138****5678怎么办"
    assert ID_CARD not in item["excerpt"] and "身份证" in item["excerpt"]
    assert (item["answered_by"], item["answer_count"]) == ("人社局", 1)
    assert body["alliances"][0]["name"] == "就业创业服务联盟"
    assert body["alliances"][0]["members"] == 1
    elsewhere = api("bj", tree["youth"]).get("/api/v1/home/").json()
    assert elsewhere["recent"] == [] and elsewhere["alliances"] == []


# ---------------------------------------------------------------- question lists


def test_a_list_shows_date_organisation_answer_count_and_a_masked_excerpt(tree, web, gd_alliance):
    question = _answered(tree, "实习单位不发工资", f"我的电话{PHONE}，已经两个月没发了" + "啊" * 80)
    with schema_context("gd"):
        services.answer(question=question, author=tree["gd_cadre"], body="再补充：可以申请仲裁。")
        Reply.objects.create(
            question=question,
            author=tree["gd_cadre"],
            author_kind="cadre",
            body="held",
            state=Reply.State.PENDING_REVIEW,
        )
    page = web("gd").get("/questions/").content.decode()
    assert 'data-testid="question-item"' in page
    assert "人社局" in page and "2 条答复" in page
    assert "138****5678" in page and PHONE not in page
    assert question.first_answered_at.astimezone().strftime("%Y-%m-%d") in page
    # The asker's own list shows the text as written.
    mine = web("gd", tree["youth"]).get("/questions/mine/").content.decode()
    assert PHONE in mine and 'data-testid="state"' in mine


def test_an_excerpt_is_cut_on_one_line():
    assert excerpt("短") == "短"
    assert excerpt("一\n二  三") == "一 二 三"
    cut = excerpt("字" * 100)
    assert len(cut) == 60 and cut.endswith("…")


def test_a_number_cut_by_the_excerpt_is_still_masked(tree, gd_alliance):
    from portal.presenters import question_item
    from qa.selectors import archive, with_list_facts

    # The number straddles the cut: masking comes first.
    question = _answered(tree, "问题", "字" * 52 + PHONE)
    with schema_context("gd"):
        item = question_item(with_list_facts(archive()).get(pk=question.pk))
    assert "1381" not in item.excerpt and "138" in item.excerpt


# ---------------------------------------------------------------- one question


class _Reply:
    def __init__(self, organisation, author):
        self.organisation, self.author = organisation, author


@pytest.mark.parametrize(
    ("organisation", "author", "names"),
    [
        ("人社局", "王老师", ["人社局", "王老师"]),
        ("青年之声 · 广东", "青年之声 · 广东团干部", ["青年之声 · 广东团干部"]),
        ("广东团省委青年发展部", "青年发展部", ["广东团省委青年发展部"]),
        ("", "王老师", ["王老师"]),
        ("人社局", "", ["人社局"]),
    ],
)
def test_an_answer_names_its_author_once(organisation, author, names):
    assert author_names(_Reply(organisation, author)) == names


def test_the_answer_author_line_is_above_the_text(tree, web, gd_alliance):
    expert = tree["gd_expert"]
    expert.name = "王老师"
    expert.save()
    question = _answered(tree, "实习工资怎么要")
    page = web("gd").get(f"/questions/{question.pk}/").content.decode()
    answers = page[page.index('data-testid="answers"') :]
    assert answers.index('data-testid="reply-by"') < answers.index("先咨询人社局。")
    by = answers[answers.index('data-testid="reply-by"') : answers.index("先咨询人社局。")]
    assert by.count("王老师") == 1 and by.count("人社局") == 1
    assert "专家" in by


def test_a_peer_answer_shows_no_name(tree, web, gd_alliance):
    question = _answered(tree, "实习工资怎么要")
    peer = factories.account(name="热心同学")
    with schema_context("gd"):
        services.answer(question=question, author=peer, body="我也遇到过。")
        assert Question.objects.get(pk=question.pk).state == Question.State.ANSWERED
    page = web("gd").get(f"/questions/{question.pk}/").content.decode()
    assert "我也遇到过。" in page and "热心同学" not in page


def test_the_list_apis_give_what_the_lists_show(tree, api, gd_alliance):
    question = _answered(tree, "实习单位不发工资", f"我的电话{PHONE}，已经两个月没发了")
    for query in ({}, {"category": "career"}):
        body = api("gd").get("/api/v1/questions/", query).json()
        assert body["results"], (query, body)
        item = body["results"][0]
        assert item["id"] == question.pk
        assert (item["answered_by"], item["answer_count"]) == ("人社局", 1)
        assert item["excerpt"] == "我的电话138****5678，已经两个月没发了"
        assert item["first_answered_at"]
    mine = api("gd", tree["youth"]).get("/api/v1/questions/mine/").json()["results"][0]
    assert PHONE in mine["excerpt"] and mine["answer_count"] == 1
    assert api("gd").get("/api/v1/questions/mine/").status_code == 401
    assert api("bj", tree["youth"]).get("/api/v1/questions/").json()["results"] == []
    assert api("bj", tree["youth"]).get("/api/v1/questions/mine/").json()["results"] == []
