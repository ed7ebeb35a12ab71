"""Organisations (团内/团外) are teams with a public profile youths may designate."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0002_tables"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="team",
            name="categories",
            field=models.JSONField(blank=True, default=list, verbose_name="categories served"),
        ),
        migrations.AddField(
            model_name="team",
            name="contact",
            field=models.CharField(blank=True, max_length=100, verbose_name="public contact"),
        ),
        migrations.AddField(
            model_name="team",
            name="is_listed",
            field=models.BooleanField(default=False, verbose_name="youths may designate it"),
        ),
        migrations.AddField(
            model_name="team",
            name="sector",
            field=models.CharField(
                blank=True,
                choices=[("league", "League organisation"), ("social", "Social organisation")],
                max_length=8,
                verbose_name="inside or outside the League",
            ),
        ),
        migrations.AlterField(
            model_name="team",
            name="kind",
            field=models.CharField(
                choices=[
                    ("alliance", "Service alliance"),
                    ("department", "Department"),
                    ("organisation", "Organisation"),
                ],
                default="alliance",
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="team",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "organisation"),
                    models.Q(("is_listed", False), ("sector", "")),
                    _connector="OR",
                ),
                name="only_organisations_have_a_sector_or_a_listing",
            ),
        ),
        migrations.AddConstraint(
            model_name="team",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "organisation"), _negated=True),
                    models.Q(("sector", ""), _negated=True),
                    _connector="OR",
                ),
                name="an_organisation_is_inside_or_outside_the_league",
            ),
        ),
    ]
