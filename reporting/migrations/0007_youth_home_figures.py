"""Youth homes in the figures: bookings, promotions, cancellations, check-ins, ratings."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0006_help_transfers"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyfigures",
            name="home_attended",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="home_bookings",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="home_cancellations",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="home_no_shows",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="home_not_as_described",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="home_promotions",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="home_rating_stars",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="home_ratings",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
