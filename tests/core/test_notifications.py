"""Notifications: stored in-app with an unread count, and handed to extra backends."""

from core import notifications, sms
from core.models import Notification


def test_notify_skips_repeats_and_nobody_and_counts_unread(tree):
    made = notifications.notify(
        [tree["youth"], tree["youth"].pk, None], "closed", committee=tree.gd, title="团费怎么交"
    )
    assert len(made) == 1
    assert notifications.unread_count(tree["youth"]) == 1
    assert notifications.text_of(made[0]).count("团费怎么交") == 1
    assert notifications.mark_read(tree["youth"], [made[0].pk]) == 1
    assert notifications.unread_count(tree["youth"]) == 0


def test_extra_backends_deliver_after_the_commit(
    tree, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_BACKENDS = [
        "core.notifications.InAppBackend",
        "core.notifications.SmsBackend",
    ]
    from core import tasks

    sent: list = []
    monkeypatch.setattr(tasks.deliver_notifications, "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        made = notifications.notify([tree["youth"]], "answered", title="团费怎么交")
    assert sent == [[made[0].pk]]  # nothing is sent before the change is committed
    assert notifications.deliver(sent[0]) == 1
    assert sms.outbox[-1].phone == tree["youth"].phone
    assert "团费怎么交" in sms.outbox[-1].text
    assert Notification.objects.get().read_at is None
