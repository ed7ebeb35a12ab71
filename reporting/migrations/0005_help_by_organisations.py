"""Help cases handled by League and by social organisations, in the figures."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_help_case_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyfigures",
            name="help_by_league_orgs",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="help_by_social_orgs",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
