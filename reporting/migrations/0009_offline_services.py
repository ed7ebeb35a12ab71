"""Offline services (O2O): youths sent from a question or help case to a youth home, and
what became of it, in the figures."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0008_home_consultations"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyfigures",
            name=name,
            field=models.PositiveIntegerField(default=0),
        )
        for name in ("o2o_referrals", "o2o_booked", "o2o_served", "o2o_no_shows")
    ]
