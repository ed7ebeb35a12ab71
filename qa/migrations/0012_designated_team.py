"""The team a youth asked a question of (a youth home's staff)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_organisations"),
        ("qa", "0011_origin_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="designated",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="casework.team",
            ),
        ),
    ]
