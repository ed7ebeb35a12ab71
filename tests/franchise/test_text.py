from franchise.text import (
    any_of,
    as_document,
    as_tsvector,
    every,
    phrase,
    query_words,
    search_words,
    words,
    written_forms,
)


def test_words_drop_punctuation_of_both_widths_and_spaces():
    assert words("团组织关系，怎么转接？！") == ["团组织", "关系", "怎么", "转接"]
    assert words("考研 or 考公...\t求助!!") == ["考研", "or", "考公", "求助"]


def test_full_width_letters_and_digits_become_ascii_lower_case():
    assert words("ＡＢＣ１２３") == ["abc123"]


def test_a_document_joins_the_words_of_every_part():
    assert as_document("找工作", "", "简历怎么写") == "找 工作 简历 怎么 写"
    assert as_document("", "") == ""


def test_the_search_cut_gives_the_parts_of_a_compound_at_their_characters():
    assert search_words("医疗保险，报销") == [
        ("医疗", 1),
        ("保险", 3),
        ("医疗保险", 1),
        ("报销", 6),
    ]


def test_a_guessed_word_is_also_indexed_and_searched_by_its_pieces():
    assert search_words("想打九价") == [("想", 1), ("打九价", 2), ("打", 2), ("九", 3), ("价", 4)]
    assert every(["九价", "疫苗"]) == "('九价' | '九' <1> '价') & '疫苗'"
    assert any_of(["考公"], "A") == (
        "('考公':A | '考':A <1> '公':A | '公务员':A | '公务员考试':A | '公务员':A <3> '考试':A)"
    )
    # …and without a filler character jieba glued to it.
    assert any_of(["考公好"]).startswith("('考公好' | '考' <1> '公' <1> '好' | '考公' | ")


def test_a_search_word_also_finds_the_words_of_the_same_meaning():
    assert every(["团员证", "不见"]) == (
        "('团员证' | '团证' | '团' <1> '证') & "
        "('不见' | '丢' | '丢失' | '弄丢' | '弄' <1> '丢' | '遗失')"
    )
    assert any_of(["医疗保险"]) == "('医疗保险' | '医保')"
    assert written_forms(["医保", "考公好"]) == [
        "医保",
        "医疗保险",
        "考公好",
        "考公",
        "公务员",
        "公务员考试",
    ]


def test_a_query_that_spells_out_an_entry_of_several_words_is_read_as_that_entry():
    assert query_words("公务员考试怎么报名") == ["公务员考试", "报名"]
    assert "'考公'" in any_of(query_words("公务员考试"))


def test_a_tsvector_weights_each_part_and_keeps_them_apart():
    assert as_tsvector([("医疗保险", "A"), ("报销", "B")]) == (
        "'医疗':1A '保险':3A '医疗保险':1A '报销':105B"
    )
    assert as_tsvector([("it's a\\b", "A")]) == "'it':1A 's':4A 'a':6A 'b':8A"
    assert as_tsvector([("", "A")]) == ""


def test_a_phrase_is_as_far_apart_as_each_word_is_long():
    assert phrase(["医疗保险", "报销"]) == "'医疗保险' <4> '报销'"
    assert phrase(["保险", "报销"], "A") == "'保险':A <2> '报销':A"
    assert phrase(["it's", "a\\b"]) == "'it''s' <4> 'a\\\\b'"  # quoted for tsquery input


def test_a_search_leaves_out_function_words():
    assert query_words("我的团员证丢了怎么办啊") == ["团员证", "丢"]
    assert query_words("请问怎么办") == []
    assert query_words("考研 考研") == ["考研"]
