"""A copied event names its origin, so that applying a message again copies nothing twice."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="origin",
            field=models.CharField(blank=True, db_default="", default="", max_length=100),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.UniqueConstraint(
                condition=models.Q(("origin", ""), _negated=True),
                fields=("origin",),
                name="one_copy_per_origin",
            ),
        ),
    ]
