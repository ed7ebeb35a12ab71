"""Sending SMS through a pluggable backend (``settings.SMS_BACKEND``)."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    phone: str
    text: str


class BaseBackend:
    def send(self, message: Message) -> None:
        raise NotImplementedError


# Messages the console backend has "sent" in this process, newest last (read by tests).
outbox: list[Message] = []


class ConsoleBackend(BaseBackend):
    """Development: writes each message to the log instead of sending it."""

    def send(self, message: Message) -> None:
        outbox.append(message)
        del outbox[:-100]
        logger.warning("SMS to %s: %s", message.phone, message.text)


def send_sms(phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(Message(phone=phone, text=text))
