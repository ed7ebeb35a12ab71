"""Small helpers shared by the account, role and page tests."""

import re

from core import sms

ANON = "anonymous"
# Every account of the ``tree`` fixture, and no account at all.
WHO = [
    ANON,
    "youth",
    "gd_cadre",
    "gd_expert",
    "gd_org",
    "gd_admin",
    "central_admin",
    "auditor",
    "bj_admin",
    "bj_cadre",
    "gz_cadre",
]

_CODE = re.compile(r"(?<![0-9])([0-9]{6})(?![0-9])")


def last_code(phone: str) -> str:
    """The six-digit code of the newest SMS, which must have gone to ``phone``."""
    assert sms.outbox, "no SMS was sent"
    message = sms.outbox[-1]
    assert message.phone == phone, f"the last SMS went to {message.phone}, not {phone}"
    found = _CODE.findall(message.text)
    assert len(found) == 1, message.text
    return found[0]


def assert_error(response, status: int, code: str) -> dict:
    """Check the status and the one error shape {"error": {"code", "message", ...}}."""
    assert response.status_code == status, response.content
    body = response.json()
    assert list(body) == ["error"], body
    error = body["error"]
    assert {"code", "message"} <= set(error), error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"].strip(), error
    return error
