"""Help cases moved between committees, in the figures."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_help_by_organisations"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyfigures",
            name="help_transferred_in",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="help_transferred_out",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
