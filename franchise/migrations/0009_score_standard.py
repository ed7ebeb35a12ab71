from django.db import migrations, models


def load(apps, schema_editor):
    from franchise.standards import install_score_standard

    install_score_standard(apps.get_model("franchise", "ScoreStandard"))


class Migration(migrations.Migration):
    dependencies = [
        ("franchise", "0008_campaigns_and_case_library"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScoreStandard",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField(unique=True, verbose_name="version")),
                ("effective_from", models.DateField(unique=True, verbose_name="in force from")),
                (
                    "answer_weight",
                    models.FloatField(verbose_name="weight of a rating of an answer"),
                ),
                (
                    "help_weight",
                    models.FloatField(verbose_name="weight of a rating of a help case"),
                ),
                (
                    "booking_weight",
                    models.FloatField(verbose_name="weight of a rating of a youth-home service"),
                ),
                (
                    "activity_weight",
                    models.FloatField(verbose_name="weight of a rating of an activity"),
                ),
                (
                    "prior_weight",
                    models.PositiveIntegerField(
                        help_text="A score is shrunk toward the national mean as if by this many ratings.",
                        verbose_name="ratings of prior weight",
                    ),
                ),
                (
                    "suspect_weight",
                    models.FloatField(
                        help_text="A rating from an account made in a burst, or from an address another rater of the same person used, counts this much of a rating (0 to 1) and is flagged.",
                        verbose_name="weight kept by a suspect rating",
                    ),
                ),
                (
                    "burst_accounts",
                    models.PositiveIntegerField(
                        help_text="This many raters of one person whose accounts were made close together.",
                        verbose_name="accounts that make a burst",
                    ),
                ),
                ("burst_window_s", models.PositiveIntegerField(verbose_name="burst window (s)")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            ],
            options={
                "verbose_name": "standard score standard",
                "verbose_name_plural": "standard score standards",
                "ordering": ["-effective_from"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("suspect_weight__gte", 0), ("suspect_weight__lte", 1)),
                        name="suspect_weight_is_a_share",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("activity_weight__gte", 0),
                            ("answer_weight__gte", 0),
                            ("booking_weight__gte", 0),
                            ("help_weight__gte", 0),
                        ),
                        name="score_weights_not_negative",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("burst_accounts__gte", 2)),
                        name="a_burst_is_two_or_more",
                    ),
                ],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
