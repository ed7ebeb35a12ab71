"""The hand-judged sets of bench/paraphrases.tsv and bench/search_queries.tsv (no database):
their headers, their titles found exactly in the shipped corpus, and their sizes."""

import csv
from collections import Counter

from bench import judgements
from franchise.classifier import shipped_corpus
from franchise.standards import CATEGORIES

CODES = {code for code, *_ in CATEGORIES}
# The benchmark's own ways of varying a title (bench/qa_archive.py): a paraphrase is other words.
TEMPLATES = (
    "请问", "求助：", "急！", "想问一下，", "有没有人知道",
    "，谢谢", "，在线等", "，求建议", "，怎么办",
)  # fmt: skip


def _header(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _corpus():
    return {example.title: example for example in shipped_corpus()}


def test_the_files_have_their_headers():
    assert _header(judgements.PARAPHRASES) == ["category", "paraphrase", "restates"]
    assert _header(judgements.SEARCH_QUERIES) == ["query", "grade2", "grade1"]


def test_each_paraphrase_restates_a_corpus_title_of_its_category_in_other_words():
    corpus = _corpus()
    cases = judgements.paraphrases()
    missing = [c.restates for c in cases if c.restates not in corpus]
    assert not missing
    assert all(corpus[c.restates].category == c.category for c in cases)
    copied = [c.text for c in cases if c.text in c.restates]
    assert not copied
    assert not [c.text for c in cases if c.text in corpus]  # never a training title
    assert not [c.text for c in cases if any(t in c.text for t in TEMPLATES)]
    assert all(8 <= len(c.text) <= 40 for c in cases)
    assert max(Counter(c.restates for c in cases).values()) <= 2
    assert len({c.text for c in cases}) == len(cases)


def test_the_paraphrases_cover_every_category():
    per_category = Counter(c.category for c in judgements.paraphrases())
    assert sum(per_category.values()) >= 150
    assert set(per_category) == CODES
    assert min(per_category.values()) >= 12


def test_every_graded_title_is_a_corpus_title_graded_once():
    corpus = _corpus()
    for case in judgements.search_queries():
        graded = case.grade2 + case.grade1
        assert case.grade2, case.query
        assert len(case.grade2) <= 15, case.query
        assert [t for t in graded if t not in corpus] == [], case.query
        assert len(set(graded)) == len(graded), case.query


def test_the_queries_are_one_or_two_words_as_typed():
    cases = judgements.search_queries()
    kinds = Counter(case.words for case in cases)
    assert set(kinds) == {1, 2}
    assert kinds[1] >= 60 and kinds[2] >= 30
    assert all(" ".join(case.query.split()) == case.query for case in cases)
    assert len({case.query for case in cases}) == len(cases)
    titles = list(_corpus())
    frequent = [c.query for c in cases if c.words == 1 and sum(c.query in t for t in titles) >= 5]
    assert len(frequent) >= 25


def test_a_stored_title_is_graded_digits_and_templates_aside():
    case = judgements.SearchQuery("献血 间隔", ("献血间隔多久才能再献",), ("献血证有什么用",))
    assert case.grade("请问献血间隔多久才能再献，谢谢") == 2
    assert case.grade("献血证有什么用（广州）") == 1
    assert case.grade("第一次献血，需要注意什么") == 0
    paraphrase = judgements.Paraphrase("health", "十六岁了还能长高不", "16岁还能长个吗")
    assert paraphrase.is_restated_by("求助：17岁还能长个吗")
    assert not paraphrase.is_restated_by("每天跳绳一千个真的能长高吗")
