"""The relevance set of bench/relevance.tsv on a small archive (the shipped corpus, one
question each): at least 95% of its queries find an expected question on the first page."""

from django.db import connection
from django_tenants.utils import schema_context

from bench import judgements as relevance
from franchise.classifier import shipped_corpus
from qa import indexing, selectors
from qa.models import Question


def test_the_relevance_set_finds_its_questions_on_the_first_page(tree):
    with schema_context("gd"):
        Question.objects.bulk_create(
            Question(
                asker=tree["youth"],
                title=example.title,
                body=example.body,
                category_id=example.category,
                state=Question.State.ANSWERED,
            )
            for example in shipped_corpus()
        )
        indexing.rebuild(Question, connection)

        def first_page(text: str) -> list[str]:
            return [q.title for q in selectors.search_archive(text)[: relevance.PAGE]]

        cases = relevance.cases()
        recall = relevance.recall(first_page, cases)
    assert len(cases) >= 60
    assert {"subword", "two_words", "body", "colloquial"} <= {c.kind for c in cases}
    missed = [case.query for kind in recall.missed.values() for case in kind]
    assert recall.share() >= 0.95, missed


def test_a_query_that_expects_nothing_found_counts_as_missed():
    case = relevance.Case("two_words", "保险 报销", ("医疗保险怎么报销",))
    result = relevance.recall(lambda text: ["考研复试怎么准备", "医疗保险怎么报销2"], [case])
    assert result.share() == 1.0  # digits aside, the title is the expected one
    result = relevance.recall(lambda text: ["考研复试怎么准备"], [case])
    assert result.share() == 0.0 and result.missed == {"two_words": [case]}
