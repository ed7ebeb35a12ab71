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
        "gd-sz": "共青团深圳市委",
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


def youth_home(code: str, *staff: User, name: str = "天河青年之家", places: int = 5, **slot):
    """A youth home of committee ``code`` with one service (up to four places a booking) and
    a slot tomorrow at 10:00 with ``places`` places; returns the slot. ``slot`` sets more
    of the slot's fields (``taken``, ``starts_at``)."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tenants.utils import schema_context

    from homes import services as homes
    from homes.models import Slot

    tomorrow = timezone.localtime() + timedelta(days=1)
    starts_at = tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)
    with schema_context(code.replace("-", "_")):
        home = homes.open_home(
            name=name,
            address="广州市天河区体育西路1号",
            district="天河区",
            latitude="23.135000",
            longitude="113.325000",
            staff=staff,
        )
        service = homes.add_service(home=home, name="自习室", category="study", group_max=4)
        starts_at = slot.pop("starts_at", starts_at)
        ends_at = slot.pop("ends_at", starts_at + timedelta(hours=2))
        return Slot.objects.create(
            service=service, capacity=places, starts_at=starts_at, ends_at=ends_at, **slot
        )


def activity(code: str, by: User, *, places: int = 10, **fields):
    """An activity of committee ``code`` published by ``by`` (a cadre of it), starting
    tomorrow at 14:00 for three hours at 广州市天河区体育中心, registration open from now."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tenants.utils import schema_context

    from activities import services as activities

    tomorrow = timezone.localtime() + timedelta(days=1)
    starts_at = fields.pop(
        "starts_at", tomorrow.replace(hour=14, minute=0, second=0, microsecond=0)
    )
    values = {
        "title": "青春志愿行 · 城市定向赛",
        "description": "以队为单位完成城市定向任务，结束后分享照片。",
        "category": "volunteer",
        "place": "广州市天河区体育中心",
        "latitude": "23.138000",
        "longitude": "113.326000",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "registration_opens_at": timezone.now() - timedelta(minutes=1),
        "capacity": places,
        **fields,
    }
    with schema_context(code.replace("-", "_")):
        return activities.publish(actor=by, **values)
