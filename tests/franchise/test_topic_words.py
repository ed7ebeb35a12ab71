"""Hot topics' words: content words of a title by their part of speech, and the phrases of two
content words written together."""

import pytest
import rjieba

from franchise.text import (
    QUERY_STOP_WORDS,
    phrase_label,
    topic_phrases,
    topic_terms,
    topic_words,
)

# Parts of speech (jieba's tags) a topic word never has.
NEVER = ("r", "d", "m", "q", "p", "c", "u", "t", "f", "y", "x", "w")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("我一直总是找不到工作怎么办", ["工作"]),
        ("公司拖欠工资三个月了我们怎么办", ["公司", "拖欠", "工资"]),
        ("想问一下医保怎么报销", ["医保", "报销"]),
        ("我觉得压力很大不知道怎么办", ["压力"]),
        ("这个问题一直困扰我们三个月了", ["困扰"]),
        ("考研和考公哪个好", ["考研", "考公"]),
        ("失恋了心情很差怎么回事", ["失恋", "心情"]),
        ("应届生找工作被要求交培训费正常吗", ["应届生", "工作", "培训费"]),
        ("同时拿到两个offer，怎么拒一个", ["拿到", "offer"]),
    ],
)
def test_topic_words_are_the_content_words_of_real_titles(title, expected):
    assert topic_words(title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "我一直总是找不到工作怎么办",
        "这个问题一直困扰我们三个月了",
        "请问大家现在应该怎么办呢",
        "他们说三个月以后再来，是不是真的",
        "有没有人知道这个到底怎么回事啊",
        "每天晚上都睡不着，经常想很多",
        "2025年我们去了一次北京",
    ],
)
def test_topic_words_are_never_function_words(title):
    for word in topic_words(title):
        assert word not in QUERY_STOP_WORDS, word
        for part, tag in rjieba.tag(word):
            assert not tag.startswith(NEVER), (word, part, tag)
        assert len(word) >= 2 and not word.isdigit()


def test_light_verbs_question_phrases_and_glued_degree_words_are_left_out():
    assert topic_words("需要知道怎么办理吗") == []
    assert topic_words("觉得希望可以") == []
    assert topic_words("饭菜太贵，宿舍很小，到底怎么回事") == ["饭菜", "宿舍"]
    assert "有用吗" not in topic_words("考这个证书有用吗")
    assert topic_words("a股") == [] and topic_words("HR说的") == ["hr"]  # two Latin letters


def test_adjacent_content_words_make_phrases_and_words_apart_do_not():
    assert topic_phrases("学校宿舍没有空调") == ["学校 宿舍"]
    assert topic_phrases("实习工资被拖欠") == ["实习 工资"]  # 被 stands between
    assert topic_phrases("工资，拖欠") == []  # so does punctuation
    assert topic_phrases("宿舍WiFi密码") == ["宿舍 wifi", "wifi 密码"]


def test_a_dictionary_word_of_two_content_words_counts_as_those_two_written_together():
    # jieba reads 拖欠工资 as one word: it counts for 工资 as 工资被拖欠 does.
    assert topic_terms("单位拖欠工资怎么办") == [
        "单位",
        "拖欠",
        "工资",
        "单位 拖欠",
        "拖欠 工资",
    ]
    assert topic_words("劳动合同到期不续签")[:2] == ["劳动", "合同"]
    assert topic_words("大学生怎么办") == ["大学生"]  # 大学 + 生: 生 alone is no word


def test_a_phrase_is_shown_without_its_space_unless_between_latin_words():
    assert phrase_label("拖欠 工资") == "拖欠工资"
    assert phrase_label("wifi 密码") == "wifi密码"
    assert phrase_label("offer ai") == "offer ai"
    assert phrase_label("工资") == "工资"
