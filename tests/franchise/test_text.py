from franchise.text import as_document, words


def test_words_drop_punctuation_of_both_widths_and_spaces():
    assert words("团组织关系，怎么转接？！") == ["团组织", "关系", "怎么", "转接"]
    assert words("考研 or 考公...\t求助!!") == ["考研", "or", "考公", "求助"]


def test_full_width_letters_and_digits_become_ascii_lower_case():
    assert words("ＡＢＣ１２３") == ["abc123"]


def test_a_document_joins_the_words_of_every_part():
    assert as_document("找工作", "", "简历怎么写") == "找 工作 简历 怎么 写"
    assert as_document("", "") == ""
