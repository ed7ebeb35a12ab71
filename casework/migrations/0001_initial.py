"""Teams, members, routing rules, deadlines, local sub-categories and terms and reply
templates move from the question app to casework, which every domain shares: here they are
taken over as they are (same tables, renamed in 0002); the supervision board is rebuilt for
any kind of item, its question items copied."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("qa", "0008_timeline_events"),
        ("franchise", "0004_synonyms"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LocalTerm",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("term", models.CharField(max_length=50, unique=True, verbose_name="term")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "qa_localterm",
                        "ordering": ["term"],
                    },
                ),
                migrations.CreateModel(
                    name="Deadline",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "first_response_s",
                            models.PositiveIntegerField(verbose_name="first response within (s)"),
                        ),
                        (
                            "resolution_s",
                            models.PositiveIntegerField(verbose_name="resolution within (s)"),
                        ),
                        (
                            "category",
                            models.OneToOneField(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="franchise.category",
                                verbose_name="standard category",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "qa_deadline",
                        "ordering": ["category_id"],
                    },
                ),
                migrations.CreateModel(
                    name="LocalCategory",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.SlugField(max_length=32, unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=30, verbose_name="name")),
                        ("is_active", models.BooleanField(default=True, verbose_name="in use")),
                        (
                            "standard",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="franchise.category",
                                verbose_name="standard category",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "qa_localcategory",
                        "verbose_name": "local sub-category",
                        "ordering": ["standard_id", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="Team",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=60, unique=True, verbose_name="name")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("alliance", "Service alliance"),
                                    ("department", "Department"),
                                ],
                                default="alliance",
                                max_length=16,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "description",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="description"
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        (
                            "supervisor",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="supervisor",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "qa_team",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="RoutingRule",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "strategy",
                            models.CharField(
                                choices=[
                                    ("queue", "Members claim from the queue"),
                                    ("least_loaded", "Least loaded member"),
                                    ("round_robin", "Round robin"),
                                ],
                                default="least_loaded",
                                max_length=16,
                                verbose_name="strategy",
                            ),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="franchise.category",
                                verbose_name="standard category",
                            ),
                        ),
                        (
                            "local_category",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="casework.localcategory",
                                verbose_name="local sub-category",
                            ),
                        ),
                        (
                            "team",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="rules",
                                to="casework.team",
                                verbose_name="team",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "qa_routingrule",
                        "ordering": ["id"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("local_category__isnull", True)),
                                fields=("category",),
                                name="one_rule_per_category",
                            ),
                            models.UniqueConstraint(
                                fields=("local_category",), name="one_rule_per_local_category"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("category__isnull", False),
                                    ("local_category__isnull", False),
                                    _connector="OR",
                                ),
                                name="rule_names_a_category",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ReplyTemplate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=40, verbose_name="title")),
                        ("body", models.TextField(max_length=5000, verbose_name="text")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "team",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reply_templates",
                                to="casework.team",
                                verbose_name="team",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "qa_replytemplate",
                        "ordering": ["team_id", "title"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("team", "title"), name="reply_template_title_once"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Member",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("cadre", "League cadre"),
                                    ("expert", "Expert"),
                                    ("organisation", "Social organisation"),
                                    ("government", "Government department"),
                                ],
                                max_length=16,
                                verbose_name="answers as",
                            ),
                        ),
                        (
                            "organisation",
                            models.CharField(
                                blank=True, max_length=100, verbose_name="organisation"
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        ("last_assigned_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "team",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="members",
                                to="casework.team",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "qa_member",
                        "ordering": ["team_id", "id"],
                        "constraints": [
                            models.UniqueConstraint(fields=("team", "user"), name="member_once")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="CalendarAmendment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(unique=True, verbose_name="date")),
                (
                    "kind",
                    models.CharField(
                        choices=[("off", "Day off"), ("work", "Working day")],
                        max_length=8,
                        verbose_name="kind",
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=40, verbose_name="name")),
            ],
            options={
                "verbose_name": "calendar amendment",
                "ordering": ["date"],
            },
        ),
        migrations.CreateModel(
            name="SupervisionItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("committee_code", models.CharField(max_length=64)),
                ("committee_name", models.CharField(max_length=100)),
                ("subject_type", models.CharField(default="qa.question", max_length=32)),
                ("subject_id", models.BigIntegerField()),
                ("link", models.CharField(blank=True, max_length=200)),
                ("title", models.CharField(max_length=100)),
                ("category", models.CharField(max_length=16)),
                ("team", models.CharField(blank=True, max_length=60)),
                ("level", models.PositiveSmallIntegerField(default=1)),
                ("via", models.CharField(blank=True, max_length=64)),
                ("escalated_at", models.DateTimeField()),
                ("due_at", models.DateTimeField(blank=True, null=True)),
                ("forwarded_to", models.CharField(blank=True, max_length=64)),
                ("urge_count", models.PositiveIntegerField(default=0)),
                ("last_urged_at", models.DateTimeField(blank=True, null=True)),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["resolved_at", "-escalated_at"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("forwarded_to", ""), ("resolved_at__isnull", True)),
                        fields=["due_at"],
                        name="board_item_due",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("committee_code", "subject_type", "subject_id"),
                        name="one_board_item_per_subject",
                    )
                ],
            },
        ),
        migrations.RunSQL(
            """
            INSERT INTO casework_supervisionitem
                (committee_code, committee_name, subject_type, subject_id, link, title, category,
                 team, level, via, escalated_at, due_at, forwarded_to, urge_count, resolved_at)
            SELECT committee_code, committee_name, 'qa.question', question_id,
                   '/workbench/questions/' || question_id || '/', title, category, team, 1, '',
                   escalated_at, NULL, '', 0, resolved_at
            FROM qa_supervisionitem ORDER BY id
            """,
            migrations.RunSQL.noop,
        ),
    ]
