"""When a youth was reminded of a booking."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("homes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
