import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def load(apps, schema_editor):
    from franchise.standards import install_assessment_standard

    install_assessment_standard(apps.get_model("franchise", "AssessmentStandard"))


class Migration(migrations.Migration):
    dependencies = [
        ("franchise", "0009_score_standard"),
        ("tenants", "0003_outbox_dead_letters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AssessmentStandard",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField(verbose_name="version")),
                ("effective_from", models.DateField(verbose_name="in force from")),
                ("weights", models.JSONField(default=dict, verbose_name="weights")),
                (
                    "latitude",
                    models.FloatField(
                        default=0.5,
                        help_text="A province's weight may differ from the central one by this share of it.",
                        verbose_name="latitude of a province",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                (
                    "saved_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="saved at"
                    ),
                ),
                (
                    "node",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: the central standard.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tenants.committee",
                        verbose_name="for the subtree of",
                    ),
                ),
                (
                    "saved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="saved by",
                    ),
                ),
            ],
            options={
                "verbose_name": "assessment standard",
                "verbose_name_plural": "assessment standards",
                "ordering": ["-effective_from"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("node", "version"), name="one_version_a_node", nulls_distinct=False
                    ),
                    models.UniqueConstraint(
                        fields=("node", "effective_from"),
                        name="one_start_a_node",
                        nulls_distinct=False,
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("latitude__gte", 0), ("latitude__lte", 1)),
                        name="latitude_is_a_share",
                    ),
                ],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
