"""A question's team is casework's field now (``casework.models.Handled``); the table stays as
it is."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_organisations"),
        ("qa", "0009_casework"),
    ]

    operations = [
        migrations.AlterField(
            model_name="question",
            name="team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="%(app_label)s_%(class)s_items",
                to="casework.team",
            ),
        ),
    ]
