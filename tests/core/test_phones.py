import pytest
from django.core.exceptions import ValidationError

from core import services
from core.models import User
from core.phones import normalise_phone
from tests import factories

from .helpers import assert_error


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        " 13800138000 ",
        "138 0013 8000",
        "138-0013-8000",
        "+8613800138000",
        "+86 138 0013 8000",
        "+86-138-0013-8000",
        "(+86) 138 0013 8000",
        "008613800138000",
        "0086 138 0013 8000",
        "8613800138000",
        "86 13800138000",
        "１３８００１３８０００",  # full-width digits, as a Chinese input method types them
        "＋８６　１３８　００１３　８０００",  # full-width plus sign and ideographic spaces
    ],
)
def test_valid_forms_become_the_eleven_digits(raw):
    assert normalise_phone(raw) == "13800138000"


@pytest.mark.parametrize("number", ["13012345678", "15912345678", "17700000000", "19999999999"])
def test_every_mainland_mobile_range_is_accepted(number):
    assert normalise_phone(number) == number


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "   ",
        "1380013800",  # ten digits
        "138001380001",  # twelve digits
        "12800138000",  # no mobile range starts with 12
        "11800138000",
        "23800138000",  # does not start with 1
        "02012345678",  # a landline
        "+85213800138000",  # Hong Kong prefix
        "+113800138000",
        "+86 1380013800",  # prefix with too few digits
        "0086138001380000",  # prefix with too many digits
        "861380013800",  # a twelve-digit number is not "86" plus a mobile number
        "1380013800a",
        "138.0013.8000",
        "13٨00138000",  # Arabic-Indic digit: not a number one can dial here
        "1380013800０0",  # twelve digits once the full-width one counts
    ],
)
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(ValidationError) as refused:
        normalise_phone(raw)
    assert refused.value.code == "invalid_phone"


def test_an_account_is_stored_under_the_normalised_number(db):
    user = User.objects.create_user("+86 139-0000-1111", factories.PASSWORD)
    assert user.phone == "13900001111"
    assert user.masked_phone == "139****1111"
    assert services.account_by_phone("0086 13900001111") == user
    assert services.account_by_phone("１３９００００１１１１") == user


def test_the_same_number_in_another_script_is_not_a_second_account(db, api):
    User.objects.create_user("13900002222", factories.PASSWORD)
    # Written with a full-width digit the number is still the same number: already taken.
    answer = api(None).post("/api/v1/auth/codes/", {"phone": "1390000２222"}, format="json")
    assert_error(answer, 400, "phone_taken")


def test_the_api_refuses_an_invalid_number_with_a_field_error(db, api):
    error = assert_error(
        api(None).post("/api/v1/auth/codes/", {"phone": "12345"}, format="json"),
        400,
        "invalid_phone",
    )
    assert list(error["fields"]) == ["phone"]
