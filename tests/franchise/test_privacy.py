import pytest

from franchise.privacy import has_personal_data, mask_personal_data


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我的电话13812345678，请回电", "我的电话138****5678，请回电"),
        ("手机 138 1234 5678", "手机 138****5678"),
        ("+86 13812345678", "138****5678"),
        ("全角１３８１２３４５６７８", "全角138****5678"),
        ("身份证号440106199001011234", "身份证号4401**********1234"),
        ("身份证44010620001231123X在这", "身份证4401**********123X在这"),
        ("卡号 6222 0202 0011 2233 445", "卡号 6222***********3445"),
        ("卡号6222020200112233", "卡号6222********2233"),
        ("发邮件到 xiaoqing.li@example.com 谢谢", "发邮件到 x***@example.com 谢谢"),
    ],
)
def test_personal_data_is_masked(text, masked):
    assert mask_personal_data(text) == masked
    assert has_personal_data(text)


@pytest.mark.parametrize(
    "text",
    ["2026年高考600分能上什么学校", "订单号12345", "工资拖欠了3个月共15000元", "", "热线12355"],
)
def test_ordinary_numbers_are_left_alone(text):
    assert mask_personal_data(text) == text
    assert not has_personal_data(text)
