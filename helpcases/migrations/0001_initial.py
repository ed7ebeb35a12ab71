"""Help cases, their verifications, actions, co-signers, grouped questions and evaluations."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("casework", "0003_organisations"),
        ("franchise", "0005_calendar_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HelpCase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=100, verbose_name="what you need")),
                ("body", models.TextField(blank=True, verbose_name="details")),
                ("place", models.CharField(blank=True, max_length=200, verbose_name="where")),
                ("needed_by", models.DateField(blank=True, null=True, verbose_name="needed by")),
                (
                    "contact",
                    models.CharField(blank=True, max_length=100, verbose_name="how to reach you"),
                ),
                (
                    "is_public",
                    models.BooleanField(default=False, verbose_name="others may read the details"),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending_review", "Pending review"),
                            ("received", "Received"),
                            ("verifying", "Being verified"),
                            ("coordinating", "Being coordinated"),
                            ("resolved", "Resolved"),
                            ("unresolved", "Not resolved"),
                            ("reported", "Reported back"),
                            ("evaluated", "Evaluated"),
                            ("closed", "Closed"),
                            ("grouped", "Handled in a collective demand"),
                        ],
                        default="received",
                        max_length=16,
                    ),
                ),
                ("held_for", models.JSONField(blank=True, default=list)),
                ("is_collective", models.BooleanField(default=False)),
                ("question_id", models.BigIntegerField(blank=True, null=True)),
                ("respond_by", models.DateTimeField(blank=True, null=True)),
                ("resolve_by", models.DateTimeField(blank=True, null=True)),
                ("overdue_at", models.DateTimeField(blank=True, null=True)),
                ("escalated_at", models.DateTimeField(blank=True, null=True)),
                ("first_response_at", models.DateTimeField(blank=True, null=True)),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
                (
                    "outcome_reason",
                    models.CharField(
                        blank=True, max_length=500, verbose_name="why it could not be resolved"
                    ),
                ),
                ("report", models.TextField(blank=True, verbose_name="what was done")),
                ("reported_at", models.DateTimeField(blank=True, null=True)),
                ("round", models.PositiveSmallIntegerField(default=1)),
                (
                    "search",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "assignee",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="franchise.category",
                    ),
                ),
                (
                    "collective",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="grouped",
                        to="helpcases.helpcase",
                    ),
                ),
                (
                    "designated",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="casework.team",
                    ),
                ),
                (
                    "local_category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="casework.localcategory",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="%(app_label)s_%(class)s_items",
                        to="casework.team",
                    ),
                ),
                (
                    "youth",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="GroupedQuestion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("question_id", models.BigIntegerField(unique=True)),
                (
                    "asker",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="questions",
                        to="helpcases.helpcase",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Evaluation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round", models.PositiveSmallIntegerField()),
                ("stars", models.PositiveSmallIntegerField(verbose_name="stars")),
                ("is_real", models.BooleanField(verbose_name="the help really happened")),
                ("is_solved", models.BooleanField(verbose_name="it solved my problem")),
                ("comment", models.CharField(blank=True, max_length=500, verbose_name="comment")),
                (
                    "next",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Nothing more"),
                            ("reopen", "Reopen the case"),
                            ("escalate", "Take it to the committee above"),
                        ],
                        max_length=8,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "youth",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evaluations",
                        to="helpcases.helpcase",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.CreateModel(
            name="CoSigner",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "details",
                    models.CharField(
                        blank=True, max_length=500, verbose_name="your situation (optional)"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "youth",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cosigners",
                        to="helpcases.helpcase",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.CreateModel(
            name="Action",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "resource",
                    models.CharField(blank=True, max_length=100, verbose_name="resource engaged"),
                ),
                ("description", models.CharField(max_length=500, verbose_name="what will be done")),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="by")),
                ("done_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="casework.team",
                        verbose_name="organisation engaged",
                    ),
                ),
                (
                    "staff",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actions",
                        to="helpcases.helpcase",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.CreateModel(
            name="Verification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("visit", "Visit"),
                            ("call", "Phone call"),
                            ("documents", "Documents"),
                            ("other", "Other"),
                        ],
                        max_length=16,
                        verbose_name="how",
                    ),
                ),
                ("verified_on", models.DateField(verbose_name="when")),
                ("findings", models.TextField(max_length=2000, verbose_name="findings")),
                (
                    "verdict",
                    models.CharField(
                        choices=[
                            ("genuine", "Genuine"),
                            ("not_genuine", "Not genuine"),
                            ("needs_more", "Needs more information"),
                        ],
                        max_length=16,
                        verbose_name="verdict",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="verifications",
                        to="helpcases.helpcase",
                    ),
                ),
                (
                    "staff",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.AddIndex(
            model_name="helpcase",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search"], name="helpcase_search"
            ),
        ),
        migrations.AddIndex(
            model_name="helpcase",
            index=models.Index(fields=["state", "-created_at"], name="helpcase_state"),
        ),
        migrations.AddIndex(
            model_name="helpcase",
            index=models.Index(fields=["youth", "-created_at"], name="helpcase_youth"),
        ),
        migrations.AddIndex(
            model_name="helpcase",
            index=models.Index(fields=["team", "state"], name="helpcase_queue"),
        ),
        migrations.AddIndex(
            model_name="helpcase",
            index=models.Index(fields=["assignee", "state"], name="helpcase_assignee"),
        ),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.UniqueConstraint(
                fields=("case", "youth", "round"), name="evaluate_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.CheckConstraint(
                condition=models.Q(("stars__gte", 1), ("stars__lte", 5)), name="evaluation_stars"
            ),
        ),
        migrations.AddConstraint(
            model_name="cosigner",
            constraint=models.UniqueConstraint(fields=("case", "youth"), name="cosign_once"),
        ),
    ]
