"""Questions youths ask youth homes, in the figures."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0007_youth_home_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyfigures",
            name="home_consultations",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
