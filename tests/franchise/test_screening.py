import pytest

from franchise import screening
from franchise.models import SensitiveTerm


@pytest.fixture(autouse=True)
def _fresh_terms():
    screening.central_terms.forget()
    yield
    screening.central_terms.forget()


def test_central_terms_are_found_in_any_of_the_texts(db):
    assert screening.screen("正常的问题", "有人找我做刷单返利兼职") == ["刷单返利"]
    assert screening.screen("考研怎么复习") == []


def test_local_terms_add_to_the_central_list(db):
    assert screening.screen("本地黑中介骗押金", local_terms=["黑中介"]) == ["黑中介"]
    assert screening.screen("本地黑中介骗押金") == []


def test_matching_ignores_width_and_case_and_reports_each_term_once(db):
    SensitiveTerm.objects.create(term="VPN代理")
    screening.central_terms.forget()
    assert screening.screen("卖ｖｐｎ代理，vpn代理便宜") == ["VPN代理"]  # as the list spells it


def test_a_changed_central_list_is_picked_up(db):
    assert screening.screen("新的违禁词出现") == []
    SensitiveTerm.objects.create(term="违禁词")
    screening.central_terms._checked_at = 0.0  # as if RELOAD_EVERY_S had passed
    assert screening.screen("新的违禁词出现") == ["违禁词"]
