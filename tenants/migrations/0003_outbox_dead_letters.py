import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # The outbox keeps every message ever sent: its indexes are built without holding up
    # the services that send meanwhile.
    atomic = False

    dependencies = [
        ("tenants", "0002_outboxmessage"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="dead_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="discarded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        AddIndexConcurrently(
            model_name="outboxmessage",
            index=models.Index(
                condition=models.Q(("delivered_at__isnull", True), ("discarded_at__isnull", True)),
                fields=["receiver", "id"],
                name="outbox_heads",
            ),
        ),
        AddIndexConcurrently(
            model_name="outboxmessage",
            index=models.Index(
                condition=models.Q(
                    ("dead_at__isnull", True),
                    ("delivered_at__isnull", True),
                    ("discarded_at__isnull", True),
                ),
                fields=["id"],
                name="outbox_waiting",
            ),
        ),
        AddIndexConcurrently(
            model_name="outboxmessage",
            index=models.Index(
                condition=models.Q(
                    ("dead_at__isnull", False),
                    ("delivered_at__isnull", True),
                    ("discarded_at__isnull", True),
                ),
                fields=["id"],
                name="outbox_dead",
            ),
        ),
        RemoveIndexConcurrently(model_name="outboxmessage", name="outbox_pending"),
        migrations.CreateModel(
            name="OutboxAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("retry", "Retried"), ("discard", "Discarded")], max_length=16
                    ),
                ),
                ("reason", models.TextField(blank=True)),
                ("attempts", models.PositiveIntegerField()),
                ("last_error", models.TextField(blank=True)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "message",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="tenants.outboxmessage",
                    ),
                ),
            ],
            options={"ordering": ["-id"]},
        ),
    ]
