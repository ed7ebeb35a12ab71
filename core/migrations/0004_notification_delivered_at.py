from django.db import migrations, models


def mark_past_delivered(apps, schema_editor):
    """Notifications made before delivery was recorded are not sent again."""
    Notification = apps.get_model("core", "Notification")
    Notification.objects.filter(delivered_at=None).update(delivered_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_auditaccess"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="delivered_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_past_delivered, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("delivered_at", None)),
                fields=["id"],
                name="notification_undelivered",
            ),
        ),
    ]
