"""Committees and accounts for tests, built through the same services the product uses."""

import itertools

from core import services as accounts
from core.models import User
from tenants import services
from tenants.models import Committee

PASSWORD = "Qingnian2026!"
_numbers = itertools.count(1)


def phone() -> str:
    return f"1380{next(_numbers):07d}"


def account(*, name: str = "", password: str = PASSWORD) -> User:
    return User.objects.create_user(phone(), password, name=name)


def committee(code: str, *, level: str, parent: Committee | None = None, **extra) -> Committee:
    names = {
        "central": "共青团中央",
        "gd": "共青团广东省委",
        "gd-gz": "共青团广州市委",
        "bj": "共青团北京市委",
    }
    extra.setdefault("admin_phone", phone())
    extra.setdefault("admin_password", PASSWORD)
    return services.provision_committee(
        code=code, name=names.get(code, f"共青团{code}"), level=level, parent=parent, **extra
    )


def staff(committee: Committee, kind: str) -> User:
    user = account(name=f"{committee.code}-{kind}")
    accounts.grant_role(user=user, committee=committee, kind=kind)
    return user
