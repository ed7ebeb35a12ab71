"""The similarity service's contract: scores from 0 to 1, best first, nothing under the
minimum, one committee's texts only (or the committees asked for), words weighed by their
rarity among the committee's texts, the committee's words of the same meaning applied."""

from datetime import timedelta

import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context

from franchise import services as standards
from qa import selectors, services
from qa.models import Question
from similarity import service as similarity
from similarity import statistics
from similarity.models import SourceCount, WordCount

SOURCE = selectors.SIMILAR_SOURCE


def _archived(tree, title: str, body: str = "", *, code: str = "gd") -> int:
    youth = tree["youth"]
    with schema_context(code):
        question = services.ask_question(asker=youth, title=title, body=body)
        Question.objects.filter(pk=question.pk).update(state=Question.State.ANSWERED)
    return question.pk


def _similar(text: str, *, code: str = "gd", **options) -> list[similarity.Match]:
    with schema_context(code):
        return similarity.similar(SOURCE, text, **options)


def test_scores_are_ordered_and_none_is_under_the_minimum(tree):
    best = _archived(tree, "实习单位拖欠工资怎么办", "实习三个月没发工资")
    near = _archived(tree, "工资被拖欠不发怎么办")
    _archived(tree, "怎么申请入团")
    found = _similar("实习单位工资被拖欠怎么维权")
    assert [m.pk for m in found][:2] == [best, near]
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)
    assert all(similarity.MINIMUM <= s <= 1 for s in scores)
    # A higher minimum keeps only what scores at least that.
    strict = _similar("实习单位工资被拖欠怎么维权", minimum=scores[0])
    assert [m.pk for m in strict] == [best]
    assert _similar("考研复试怎么准备") == []
    assert _similar("怎么办") == []  # nothing but filler words


def test_the_same_text_is_a_duplicate_and_can_be_left_out(tree):
    asked = _archived(tree, "团员证丢了怎么补办")
    found = _similar("团员证丢了怎么补办")
    assert found[0].pk == asked and found[0].is_duplicate
    assert found[0].score >= similarity.DUPLICATE
    assert _similar("团员证丢了怎么补办", exclude=[asked]) == []


def test_only_the_committees_own_texts_are_found(tree):
    _archived(tree, "团员证丢了怎么补办", code="bj")
    assert _similar("团员证丢了怎么补办") == []
    ours = _archived(tree, "团员证丢了怎么补办")
    assert [m.pk for m in _similar("团员证丢了怎么补办")] == [ours]
    across = similarity.similar_across(["gd", "bj"], SOURCE, "团员证丢了怎么补办")
    assert sorted(m.schema for m in across) == ["bj", "gd"]
    assert all(m.is_duplicate for m in across)


def test_titles_written_nearly_alike_are_shown_once(tree):
    _archived(tree, "团员证丢了怎么补办")
    _archived(tree, "请问团员证丢了怎么补办，谢谢")
    other = _archived(tree, "团员证上的照片能换吗")
    found = _similar("团员证丢了怎么补办", minimum=0.0)
    assert len(found) == 2 and found[1].pk == other


def test_a_rare_word_in_common_weighs_more_than_a_common_one(tree):
    with schema_context("gd"):
        youth = tree["youth"]
        Question.objects.bulk_create(
            Question(
                asker=youth,
                title=f"实习第{n}周的总结怎么写",
                category_id="career",
                is_public=True,
                state=Question.State.ANSWERED,
                search=services.search_vector(f"实习第{n}周的总结怎么写", ""),
            )
            for n in range(40)
        )
    deposit = _archived(tree, "押金怎么要回")
    common = _archived(tree, "实习怎么找")
    # Before any count every word weighs the same: the newer of the two comes first.
    assert [m.pk for m in _similar("实习 押金")][:2] == [common, deposit]
    with schema_context("gd"):
        statistics.recount(similarity.source(SOURCE))
        assert WordCount.objects.get(source=SOURCE, kind="word", word="实习").texts == 41
        assert WordCount.objects.get(source=SOURCE, kind="character", word="习").texts == 41
        # A word in one text is not kept: it weighs as rare as a word never seen.
        assert not WordCount.objects.filter(source=SOURCE, word="押金").exists()
    similarity.forget()  # each process reads the counts again within a minute
    assert [m.pk for m in _similar("实习 押金")][0] == deposit


def test_a_paraphrase_sharing_no_word_is_found_by_its_characters(tree):
    licence = _archived(tree, "驾驶证快到期了去哪里换")
    _archived(tree, "身份证快到期了去哪里换")
    found = _similar("驾照到期换证")
    assert found and found[0].pk == licence


def test_the_committees_words_of_the_same_meaning_apply_to_similarity_and_search(tree):
    asked = _archived(tree, "社会保障卡丢了怎么补办")
    with schema_context("gd"):
        assert not list(selectors.search_archive("社卡"))
    standards.set_local(tree.gd, [["社卡", "社会保障卡"]], author=tree["gd_admin"])
    with schema_context("gd"):
        assert [q.pk for q in selectors.search_archive("社卡")] == [asked]
    ours = _similar("社卡不见了")
    assert [m.pk for m in ours][:1] == [asked]
    # Another province's list is not changed by it: there only the characters are shared.
    _archived(tree, "社会保障卡丢了怎么补办", code="bj")
    with schema_context("bj"):
        assert not list(selectors.search_archive("社卡"))
    theirs = _similar("社卡不见了", code="bj", minimum=0.0)
    assert theirs[0].score < ours[0].score


def test_the_words_are_counted_again_only_when_due(tree):
    _archived(tree, "团员证丢了怎么补办")
    every = {source.name: 0 for source in similarity.sources()}  # help cases too: none yet
    with schema_context("gd"):
        assert statistics.recount_due() == {**every, SOURCE: 1}
        assert statistics.recount_due() == {}
        with time_machine.travel(timezone.now() + timedelta(hours=25)):
            assert statistics.recount_due() == {**every, SOURCE: 1}
        assert SourceCount.objects.get(source=SOURCE).texts == 1
