"""The picture challenge (图形验证码) asked of a client address after many failures from it.

A campus or a mobile carrier puts thousands of people behind one address, so failures from an
address never lock it: past a limit, every attempt from it must first answer a challenge, and
the right answer lets a person through. The challenges are django-simple-captcha's stores (a
table in the public schema, so any portal checks a challenge made on another) and its picture
view; the sums are drawn with ``secrets`` (the library's picture view reseeds ``random`` with
the key, which anyone can read in the address, so ``random`` would make the next sum guessable).
"""

import secrets
from dataclasses import dataclass

from captcha.helpers import captcha_image_url
from captcha.models import CaptchaStore
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ratelimit
from .errors import ServiceError


@dataclass(frozen=True)
class Answer:
    key: str
    text: str


@dataclass(frozen=True)
class Challenge:
    key: str
    image_url: str


def arithmetic_challenge() -> tuple[str, str]:
    """A small sum or product to work out: what the picture shows, and its answer."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    operator = secrets.choice("+-×")
    if operator == "-" and a < b:
        a, b = b, a
    result = {"+": a + b, "-": a - b, "×": a * b}[operator]
    return f"{a}{operator}{b}=", str(result)


def issue() -> Challenge:
    """A new challenge, answerable once within ``CAPTCHA_TIMEOUT`` minutes (expired ones are
    removed meanwhile)."""
    CaptchaStore.objects.filter(expiration__lte=timezone.now()).delete()
    key = CaptchaStore.generate_key()
    return Challenge(key=key, image_url=captcha_image_url(key))


def is_needed(counter: str, limit: int) -> bool:
    return ratelimit.count(counter) >= limit


def check(answer: Answer | None) -> None:
    """Raise ``ServiceError`` unless ``answer`` is right. A challenge is spent by any answer,
    right or wrong, so each picture allows one guess."""
    if answer is None or not answer.key or not answer.text.strip():
        raise ServiceError(
            "challenge_required",
            _("Too many failed attempts from your network: answer the picture challenge first."),
            field="challenge",
            status=429,
        )
    store = CaptchaStore.objects.filter(
        hashkey=answer.key[:40], expiration__gt=timezone.now()
    ).first()
    if store is not None:
        store.delete()
    if store is None or store.response != answer.text.strip().lower():
        raise ServiceError(
            "challenge_invalid",
            _("The answer to the picture challenge is not right; try the new one."),
            field="challenge",
        )


def demand(*, counter: str, limit: int, answer: Answer | None) -> None:
    """Check ``answer`` when ``counter`` has reached ``limit``; otherwise nothing is asked."""
    if is_needed(counter, limit):
        check(answer)
