"""Hot topics (热点关注) chosen by rise, not size: a term against its usual rate at this week's
number of questions, phrases in place of the words they account for, never function words
(the demo platform's list included)."""

from datetime import timedelta

import pytest
import rjieba
import time_machine
from django.core.management import call_command
from django.utils import timezone

from franchise.text import QUERY_STOP_WORDS
from reporting import selectors, shipping, tables
from reporting.scope import Scope
from reporting.selectors import Period, listed_terms, local_day_now, rise
from tenants.models import Committee

from .helpers import ask

# Every week before this one: three questions about the school, none about online loans.
SCHOOL = ["学校宿舍没有空调", "学校要求买教材", "学校食堂饭菜太贵"]
LOANS = "网贷逾期被催收"
# jieba's tags of what a hot topic never is: pronouns, adverbs, numerals.
NEVER = ("r", "d", "m")


def _ask_school_weeks(youth, code="gd-gz") -> None:
    for weeks_ago in range(1, selectors.USUAL_WEEKS + 1):
        with time_machine.travel(timezone.now() - timedelta(days=7 * weeks_ago + 1)):
            for title in SCHOOL:
                ask(code, youth, title=title, body="", category="study")


@pytest.fixture
def rising(tree):
    """Four weeks of school questions; this week twice as many of them, and four about
    online loans in the rights category, in Guangzhou; shipped."""
    _ask_school_weeks(tree["youth"])
    for title in SCHOOL * 2:
        ask("gd-gz", tree["youth"], title=title, body="", category="study")
    for _ in range(4):
        ask("gd-gz", tree["youth"], title=LOANS, body="", category="rights")
    shipping.ship_all()
    return tree


def _results(api, user, **params):
    response = api(None, user).get("/api/v1/reports/topics/", params)
    assert response.status_code == 200
    return response.json()["results"]


def test_a_rising_term_outranks_an_always_common_one(rising, api):
    for node in ("central", "gd", "gd-gz"):
        found = _results(api, rising["central_admin"], node=node)
        terms = [row["term"] for row in found]
        assert terms == ["催收", "网贷", "学校"], node
        school, loans = found[2], found[1]
        assert school["this_week"] > loans["this_week"]  # more asked, yet below
        # 12 of the 12 questions before were about the school; this week's 10 would give 10.
        assert (school["this_week"], school["last_week"], school["usual"]) == (6, 3, 10.0)
        assert school["rise"] == round((6 + 3) / (10 + 3), 2) < 1
        assert (loans["this_week"], loans["last_week"], loans["usual"]) == (4, 0, 0.0)
        assert loans["rise"] == round(7 / 3, 2)


def test_a_busier_week_does_not_raise_every_term(tree, api):
    """This week as many questions of each kind as in a usual week, and twice as many in
    all: the usual count follows the week's volume, the rise stays at one."""
    _ask_school_weeks(tree["youth"], code="gd")
    for title in SCHOOL * 2:
        ask("gd", tree["youth"], title=title, body="", category="study")
    shipping.ship_all()
    school = {row["term"]: row for row in _results(api, tree["central_admin"])}["学校"]
    assert (school["this_week"], school["usual"], school["rise"]) == (6, 6.0, 1.0)


def test_hot_topics_per_category_use_that_category_alone(rising, api):
    rights = _results(api, rising["central_admin"], category="rights")
    assert [row["term"] for row in rights] == ["催收", "网贷"]
    study = _results(api, rising["central_admin"], category="study")
    assert [row["term"] for row in study] == ["学校"]
    assert study[0]["usual"] == 6.0  # study's 6 this week against its 12 before


def test_a_phrase_that_has_most_of_a_words_questions_replaces_it(tree, api):
    for _ in range(3):
        ask("gd", tree["youth"], title="实习单位拖欠工资怎么办", body="", category="rights")
    ask("gd", tree["youth"], title="工资太低想辞职", body="", category="career")
    ask("gd", tree["youth"], title="第一份工资怎么存", body="", category="career")
    shipping.ship_all()
    found = {row["term"]: row for row in _results(api, tree["central_admin"])}
    # 拖欠工资 has all of 拖欠's questions and 3 of 工资's 5 (60%): listed once, without the
    # space, in the place of both. 实习单位 has all of 实习's and 单位's; 单位拖欠, between
    # the two, is not listed as well.
    assert found["拖欠工资"]["words"] == ["拖欠", "工资"] and found["拖欠工资"]["this_week"] == 3
    assert found["实习单位"]["this_week"] == 3
    assert not {"拖欠", "工资", "实习", "单位", "拖欠 工资", "单位拖欠"} & set(found)
    assert sorted(found) == ["实习单位", "拖欠工资"]


def test_a_phrase_under_the_share_leaves_its_words_standing():
    counts = {"工资": 5, "拖欠": 2, "拖欠 工资": 2, "学校": 4, "学校 食堂": 3, "食堂": 3}
    # 拖欠工资 has 2 of 工资's 5 (40%) but all of 拖欠's: it replaces 拖欠, not 工资.
    # 学校食堂 has 3 of 学校's 4 (75%) and all of 食堂's: it replaces both.
    assert listed_terms(counts) == {"工资", "拖欠 工资", "学校 食堂"}
    assert listed_terms({"工资": 5, "拖欠": 5, "拖欠 工资": 2}) == {"工资", "拖欠"}
    # A chain of words from one title: the dictionary's phrase first, then what is left.
    chain = {"实习": 3, "单位": 3, "拖欠": 3, "工资": 3}
    chain.update({"实习 单位": 3, "单位 拖欠": 3, "拖欠 工资": 3})
    assert listed_terms(chain) == {"实习 单位", "拖欠 工资"}
    # Two phrases of one word, each in the place of its other word, are both listed.
    shared = {"工资": 9, "拖欠": 3, "拖欠 工资": 3, "待遇": 3, "工资 待遇": 3}
    assert listed_terms(shared) == {"工资", "拖欠 工资", "工资 待遇"}


def test_a_term_seen_a_few_times_is_not_infinitely_up():
    assert rise(3, 0.0) == 2.0 and rise(30, 0.0) == 11.0
    assert rise(10, 10.0) == 1.0 and rise(6, 10.0) < 1


def test_a_term_needs_three_questions_this_week(tree, api, web):
    for _ in range(2):
        ask("gd", tree["youth"], title=LOANS, body="", category="rights")
    shipping.ship_all()
    assert _results(api, tree["central_admin"]) == []
    page = web(None, tree["central_admin"]).get("/reports/").content.decode()
    assert "本周没有被问到 3 次以上的词语。" in page and 'data-testid="topics"' not in page
    ask("gd", tree["youth"], title=LOANS, body="", category="rights")
    shipping.ship_all()
    assert [row["term"] for row in _results(api, tree["central_admin"])] == ["催收", "网贷"]


def test_the_console_table_and_its_export_show_usual_and_rise(rising, web):
    browser = web(None, rising["central_admin"])
    page = browser.get("/reports/").content.decode()
    assert 'data-testid="topics"' in page
    for text in ("往常", "升幅", "×2.3", "×0.7", "网贷", "本周被问到至少 3 次的词语"):
        assert text in page, text
    csv = browser.get("/reports/export/topics.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0] == "词语,本周,上周,往常,升幅"
    assert csv.splitlines()[3] == "学校,6,3,10.0,0.69"


def test_the_table_reads_the_scope_of_the_viewer(rising):
    period = Period.last(30)
    scope = Scope(node=rising.gd, top=rising.central, period=period, level=None, sort="index")
    title, headers, rows = tables.topics(scope)
    assert len(headers) == 5 and [row[0] for row in rows] == ["催收", "网贷", "学校"]


def test_who_may_read_hot_topics(rising, api):
    url = "/api/v1/reports/topics/"
    assert api(None).get(url).status_code == 401
    assert api(None, rising["youth"]).get(url).status_code == 403
    assert api("gd", rising["bj_admin"]).get(url).status_code == 403
    assert api(None, rising["bj_admin"]).get(url, {"node": "gd"}).status_code == 403
    mine = api("gd", rising["gd_admin"]).get(url).json()["results"]
    assert [row["term"] for row in mine] == ["催收", "网贷", "学校"]
    refused = api(None, rising["central_admin"]).get(url, {"category": "nope"})
    assert refused.status_code == 400
    assert set(refused.json()["error"]) >= {"code", "message", "fields"}
    assert "category" in refused.json()["error"]["fields"]
    bad_day = api(None, rising["central_admin"]).get(url, {"end": "2026-13-01"})
    assert bad_day.status_code == 400 and "end" in bad_day.json()["error"]["fields"]


@pytest.mark.slow
def test_the_demo_platforms_hot_topics_are_free_of_function_words(db):
    call_command("seed_demo")
    shipping.ship_all()
    nation = Committee.objects.get(code="central")
    for node in (nation, Committee.objects.get(code="gd")):
        found = selectors.hot_topics(node, today=local_day_now())
        assert found, node.code
        for topic in found:
            assert topic.label not in QUERY_STOP_WORDS
            for word in topic.words:
                assert word not in QUERY_STOP_WORDS, word
                for part, tag in rjieba.tag(word):
                    assert not tag.startswith(NEVER), (topic.label, part, tag)
    shown = [topic.label for topic in selectors.hot_topics(nation, today=local_day_now())]
    print("demo hot topics:", shown)
    assert "拖欠工资" in shown and "怎么办" not in shown
