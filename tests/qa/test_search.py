"""Searching the archive and suggesting similar questions: fine-grained index, coarse query,
title and phrase first, masked text only, a minimum relevance for suggestions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from qa import indexing, selectors, services
from qa.models import Question

PHONE, ID_CARD = "13812345678", "440106199001011234"


def _archived(tree, title, body="", *, days_ago: int = 0) -> Question:
    with schema_context("gd"):
        question = services.ask_question(asker=tree["youth"], title=title, body=body)
        Question.objects.filter(pk=question.pk).update(
            state=Question.State.ANSWERED, created_at=timezone.now() - timedelta(days=days_ago)
        )
    return question


def _search(text: str) -> list[int]:
    with schema_context("gd"):
        return [q.pk for q in selectors.search_archive(text)]


def _similar(title: str, body: str = "") -> list[int]:
    with schema_context("gd"):
        return [q.pk for q in selectors.similar_questions(title, body)]


def test_a_word_inside_a_compound_finds_the_question(tree):
    insurance = _archived(tree, "医疗保险怎么报销", "在外地读书")
    league = _archived(tree, "团组织关系怎么转接")
    assert _search("保险") == [insurance.pk]
    assert _search("医疗保险") == [insurance.pk]
    assert _search("组织") == [league.pk]
    assert _search("组织 关系") == [league.pk]


def test_title_phrase_beats_title_words_beats_details_phrase_beats_scattered_words(tree):
    scattered = _archived(tree, "报销需要什么", "医疗费用和商业保险有关吗", days_ago=0)
    details = _archived(tree, "看病花了很多钱", "想知道保险报销的流程", days_ago=1)
    title_words = _archived(tree, "报销的时候保险公司不认", days_ago=2)
    title_phrase = _archived(tree, "保险报销被拒绝了", days_ago=3)
    assert _search("保险报销") == [title_phrase.pk, title_words.pk, details.pk, scattered.pk]


def test_the_newest_comes_first_among_equals(tree):
    older = _archived(tree, "考研复试怎么准备", days_ago=5)
    newer = _archived(tree, "考研复试怎么准备", days_ago=1)
    assert _search("考研 复试") == [newer.pk, older.pk]


def test_function_words_are_left_out_of_a_search(tree):
    found = _archived(tree, "团员证丢失补办", "毕业前发现团员证不见了")
    assert _search("我的团员证丢了怎么办啊") == [found.pk]
    assert _search("怎么") == []  # nothing but function words: nothing to look for


def test_when_nothing_has_every_word_the_questions_with_most_of_them_come(tree):
    both = _archived(tree, "实习期间工资被拖欠", "公司说试用期不发工资")
    one = _archived(tree, "实习证明怎么开")
    _archived(tree, "考研复试怎么准备")
    assert _search("实习 工资 仲裁") == [both.pk, one.pk]  # two of three words, then one
    assert _search("工资 仲裁") == [both.pk]
    assert set(_search("实习 仲裁")) == {both.pk, one.pk}


def test_a_number_hidden_on_the_public_page_is_not_found_by_search(tree, api, web):
    question = _archived(tree, "被中介骗了押金", f"中介电话{PHONE}，我的身份证号{ID_CARD}被拿走了")
    assert _search("押金") == [question.pk]
    for secret in (PHONE, ID_CARD, "１３８１２３４５６７８", "+86 13812345678"):
        assert _search(secret) == []
        for client in (api("gd"), api("gd", tree["bj_cadre"]), api("gd", tree["youth"])):
            answer = client.get("/api/v1/questions/", {"q": secret})
            assert answer.status_code == 200
            assert answer.json()["count"] == 0
        page = web("gd").get("/questions/", {"q": secret}).content.decode()
        assert f"/questions/{question.pk}/" not in page
    # What the public page shows may be searched for.
    shown = web("gd").get(f"/questions/{question.pk}/").content.decode()
    assert "138****5678" in shown
    assert _search("5678") == [question.pk]


def test_the_archive_page_marks_the_words_found_and_escapes_the_rest(tree, web):
    _archived(tree, "<b>医疗保险</b>怎么报销")
    page = web("gd").get("/questions/", {"q": "保险 报销"}).content.decode()
    assert "&lt;b&gt;医疗<mark>保险</mark>&lt;/b&gt;怎么<mark>报销</mark>" in page
    assert "<b>医疗" not in page


def test_the_archive_page_marks_words_of_the_same_meaning_too(tree, web):
    _archived(tree, "大学生医疗保险怎么报销")
    page = web("gd").get("/questions/", {"q": "医保"}).content.decode()
    assert "大学生<mark>医疗保险</mark>怎么报销" in page


def test_the_api_search_is_the_pages_search(tree, api):
    first = _archived(tree, "保险报销被拒绝了", days_ago=1)
    second = _archived(tree, "看病花了很多钱", "想知道保险报销的流程")
    for client in (api("gd"), api("gd", tree["bj_cadre"])):
        found = client.get("/api/v1/questions/", {"q": "保险报销"}).json()
        assert [q["id"] for q in found["results"]] == [first.pk, second.pk]
    with schema_context("bj"):
        assert not Question.objects.exists()
    assert api("bj").get("/api/v1/questions/", {"q": "保险报销"}).json()["count"] == 0


def test_similar_questions_need_enough_words_in_common(tree):
    alike = _archived(tree, "实习单位拖欠工资怎么办", "实习三个月没发工资")
    half = _archived(tree, "工资一直被拖欠")
    _archived(tree, "实习证明怎么开")  # one word of four: not related
    _archived(tree, "怎么申请入团")
    assert _similar("实习单位工资被拖欠怎么维权") == [alike.pk, half.pk]
    assert _similar("考研复试怎么准备") == []


def test_similar_questions_take_the_details_when_the_title_says_little(tree):
    found = _archived(tree, "医疗保险怎么报销", "在外地读书看病")
    assert _similar("请问", "医保 外地 看病 报销") == [found.pk]
    assert _similar("", "") == []


def test_similar_questions_are_found_by_masked_text_only(tree, api):
    question = _archived(tree, "中介押金不退", f"中介的电话是{PHONE}")
    assert _similar(f"中介 {PHONE}") == [question.pk]  # by 中介, not by the number
    assert _similar(PHONE) == []
    for client in (api("gd"), api("gd", tree["bj_cadre"])):
        assert client.get("/api/v1/questions/similar/", {"title": PHONE}).json() == []


def test_the_search_words_are_rebuilt_from_masked_text(tree):
    question = _archived(tree, "医疗保险怎么报销", f"电话{PHONE}")
    with schema_context("gd"):
        Question.objects.filter(pk=question.pk).update(search=None)
        assert indexing.rebuild(Question, connection) == 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT search::text FROM qa_question WHERE id = %s", [question.pk])
            stored = cursor.fetchone()[0]
    assert "'保险':3A" in stored and "'医疗保险':1A" in stored
    assert PHONE not in stored and "'138'" in stored
    assert _search("保险") == [question.pk]


@pytest.mark.parametrize("text", ["", "，！？", "   "])
def test_a_search_of_nothing_but_punctuation_finds_nothing(tree, text):
    _archived(tree, "考研复试怎么准备")
    assert _search(text) == []
