"""Pools of places and the youths waiting for them (候补)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Waiter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("pool_type", models.CharField(max_length=100)),
                ("pool_id", models.BigIntegerField()),
                ("places", models.PositiveSmallIntegerField(default=1)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("waiting", "waiting"),
                            ("offered", "offered a place"),
                            ("accepted", "accepted"),
                            ("expired", "offer expired"),
                            ("left", "left the waitlist"),
                        ],
                        default="waiting",
                        max_length=10,
                    ),
                ),
                ("offered_until", models.DateTimeField(blank=True, null=True)),
                ("data", models.JSONField(blank=True, default=dict)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
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
                "indexes": [
                    models.Index(
                        fields=["pool_type", "pool_id", "state", "id"], name="waiters_in_line"
                    ),
                    models.Index(
                        condition=models.Q(("state", "offered")),
                        fields=["offered_until"],
                        name="offers_running",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(
                            ("state", "waiting"), ("state", "offered"), _connector="OR"
                        ),
                        fields=("pool_type", "pool_id", "youth"),
                        name="one_place_in_line_per_youth",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("places__gte", 1)), name="waiter_wants_a_place"
                    ),
                ],
            },
        ),
    ]
