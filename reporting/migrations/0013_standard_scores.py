import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0012_suggestion_figures"),
        ("tenants", "0003_outbox_dead_letters"),
    ]

    operations = [
        migrations.CreateModel(
            name="RatingFlag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("event_id", models.BigIntegerField()),
                ("rater_id", models.BigIntegerField()),
                ("reasons", models.JSONField(default=list)),
                ("flagged_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tenants.committee",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("committee", "event_id"), name="one_flag_a_rating"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="StandardScore",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("account", "Account"), ("team", "Team")], max_length=8
                    ),
                ),
                ("subject_id", models.BigIntegerField()),
                ("name", models.CharField(max_length=100)),
                ("ratings", models.PositiveIntegerField()),
                ("weight", models.FloatField()),
                ("mean", models.FloatField()),
                ("score", models.FloatField()),
                ("flagged", models.PositiveIntegerField(default=0)),
                ("terms", models.JSONField(default=dict)),
                ("standard_version", models.PositiveIntegerField()),
                ("computed_at", models.DateTimeField()),
                (
                    "committee",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tenants.committee",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["committee", "kind", "-score"], name="score_ranking")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("committee", "kind", "subject_id"), name="one_score_a_subject"
                    )
                ],
            },
        ),
    ]
