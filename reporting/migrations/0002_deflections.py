"""The figures count the answers youths took instead of asking again (deflections)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="dailyfigures",
            name="deflected",
            field=models.PositiveIntegerField(default=0),
        )
    ]
