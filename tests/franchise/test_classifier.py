import pytest

from franchise import classifier
from franchise.models import Category, ClassifierModel, TrainingExample

CODES = {"study", "career", "mental", "rights", "romance", "health", "league", "volunteer", "other"}


@pytest.fixture
def fresh_model(db):
    """Each test trains and stores its own model (inside its rolled-back transaction)."""
    classifier.current.forget()
    yield
    classifier.current.forget()


def test_the_standard_codes_are_seeded(db):
    assert set(Category.objects.values_list("code", flat=True)) == CODES


def test_the_shipped_corpus_covers_every_code_and_splits_the_same_way_each_time():
    corpus = classifier.shipped_corpus()
    assert {e.category for e in corpus} == CODES
    training, held_out = classifier.split(corpus)
    assert set(training).isdisjoint(held_out)
    assert len(training) + len(held_out) == len(corpus)
    assert 0.1 < len(held_out) / len(corpus) < 0.3
    assert classifier.split(corpus) == (training, held_out)


@pytest.mark.parametrize(("code", "host"), [("gd", "gd.localhost"), ("bj", "bj.localhost")])
def test_classify_answers_the_documented_shape_on_every_portal(tree, api, fresh_model, code, host):
    answer = api(code).post(
        "/api/v1/questions/classify/",
        {"title": "公司拖欠了我三个月工资怎么办", "body": "老板一直说下个月发"},
        format="json",
    )
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"category", "confidence", "alternatives"}
    assert body["category"] == "rights"
    assert 0 <= body["confidence"] <= 1
    ranked = [body["confidence"], *(a["confidence"] for a in body["alternatives"])]
    assert ranked == sorted(ranked, reverse=True)
    assert body["category"] not in {a["category"] for a in body["alternatives"]}
    assert {a["category"] for a in body["alternatives"]} <= CODES


def test_classify_takes_a_body_without_title_and_refuses_neither(tree, api, fresh_model):
    only_body = api("gd").post(
        "/api/v1/questions/classify/",
        {"title": "", "body": "我想入团，需要什么条件，找哪个团支部申请"},
        format="json",
    )
    assert only_body.status_code == 200
    assert only_body.json()["category"] == "league"
    empty = api("gd").post("/api/v1/questions/classify/", {"title": " ", "body": ""}, format="json")
    assert empty.status_code == 400
    assert empty.json()["error"]["code"] == "invalid"
    assert "title" in empty.json()["error"]["fields"]


def test_staff_corrections_teach_the_next_model(db, fresh_model):
    before = classifier.suggest("咕噜咕噜星人")
    assert before.category != "romance" or before.confidence < 0.5
    for n in range(6):
        TrainingExample.objects.create(
            title=f"咕噜咕噜星人{n}号", body="", category_id="romance", committee_code="gd"
        )
    stored = classifier.retrain()
    assert stored.corrections == 6
    assert 0.0 < stored.held_out_accuracy <= 1.0
    classifier.current.forget()
    assert classifier.suggest("咕噜咕噜星人").category == "romance"


def test_each_process_moves_to_a_newer_model(db, fresh_model):
    first = classifier.current.get()
    assert classifier.current.get() is first  # cached
    newer = classifier.retrain()
    classifier.current._checked_at = 0.0  # as if RELOAD_EVERY_S had passed
    assert classifier.current.get() is not first
    assert classifier.current._pk == newer.pk == ClassifierModel.objects.latest().pk
