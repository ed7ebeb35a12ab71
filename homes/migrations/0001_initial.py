"""Youth homes, their services, schedules, slots and bookings."""

import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
from django.conf import settings
from django.db import migrations, models

import homes.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("casework", "0003_organisations"),
        ("franchise", "0005_calendar_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Service",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                (
                    "group_max",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(20),
                        ],
                        verbose_name="places one booking may take",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "category",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="franchise.category",
                    ),
                ),
            ],
            options={
                "verbose_name": "service",
            },
        ),
        migrations.CreateModel(
            name="Schedule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "weekday",
                    models.PositiveSmallIntegerField(
                        validators=[django.core.validators.MaxValueValidator(6)],
                        verbose_name="day of the week",
                    ),
                ),
                ("starts", models.TimeField(verbose_name="starts")),
                ("ends", models.TimeField(verbose_name="ends")),
                (
                    "capacity",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="places",
                    ),
                ),
                ("valid_from", models.DateField(verbose_name="from")),
                ("valid_until", models.DateField(blank=True, null=True, verbose_name="until")),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="schedules",
                        to="homes.service",
                    ),
                ),
            ],
            options={
                "verbose_name": "schedule",
            },
        ),
        migrations.CreateModel(
            name="Slot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("capacity", models.PositiveIntegerField(verbose_name="capacity")),
                ("taken", models.PositiveIntegerField(default=0)),
                ("held", models.PositiveIntegerField(default=0)),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                ("ends_at", models.DateTimeField(verbose_name="ends at")),
                ("is_cancelled", models.BooleanField(default=False)),
                (
                    "schedule",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="slots",
                        to="homes.schedule",
                    ),
                ),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="slots",
                        to="homes.service",
                    ),
                ),
            ],
            options={
                "verbose_name": "slot",
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Booking",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("places", models.PositiveSmallIntegerField(default=1)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("confirmed", "confirmed"),
                            ("attended", "checked in"),
                            ("cancelled", "cancelled"),
                            ("no_show", "did not come"),
                        ],
                        default="confirmed",
                        max_length=10,
                    ),
                ),
                (
                    "code",
                    models.CharField(default=homes.models.new_code, max_length=12, unique=True),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("cancelled_at", models.DateTimeField(blank=True, null=True)),
                ("checked_in_at", models.DateTimeField(blank=True, null=True)),
                (
                    "checked_in_by",
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
                    "youth",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "slot",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bookings",
                        to="homes.slot",
                    ),
                ),
            ],
            options={
                "verbose_name": "booking",
            },
        ),
        migrations.CreateModel(
            name="YouthHome",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=60, verbose_name="name")),
                ("address", models.CharField(max_length=200, verbose_name="address")),
                ("district", models.CharField(blank=True, max_length=50, verbose_name="district")),
                (
                    "latitude",
                    models.DecimalField(
                        decimal_places=6,
                        max_digits=9,
                        validators=[
                            django.core.validators.MinValueValidator(-90),
                            django.core.validators.MaxValueValidator(90),
                        ],
                        verbose_name="latitude",
                    ),
                ),
                (
                    "longitude",
                    models.DecimalField(
                        decimal_places=6,
                        max_digits=9,
                        validators=[
                            django.core.validators.MinValueValidator(-180),
                            django.core.validators.MaxValueValidator(180),
                        ],
                        verbose_name="longitude",
                    ),
                ),
                (
                    "opening_hours",
                    models.CharField(blank=True, max_length=200, verbose_name="opening hours"),
                ),
                ("contact", models.CharField(blank=True, max_length=100, verbose_name="contact")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("is_published", models.BooleanField(default=True, verbose_name="published")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "team",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="youth_home",
                        to="casework.team",
                    ),
                ),
            ],
            options={
                "verbose_name": "youth home",
            },
        ),
        migrations.AddField(
            model_name="service",
            name="home",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="services",
                to="homes.youthhome",
            ),
        ),
        migrations.AddConstraint(
            model_name="schedule",
            constraint=models.CheckConstraint(
                condition=models.Q(("weekday__lte", 6)), name="schedule_weekday"
            ),
        ),
        migrations.AddConstraint(
            model_name="schedule",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends__gt", models.F("starts"))), name="schedule_ends_after"
            ),
        ),
        migrations.AddConstraint(
            model_name="schedule",
            constraint=models.CheckConstraint(
                condition=models.Q(("capacity__gte", 1)), name="schedule_has_places"
            ),
        ),
        migrations.AddIndex(
            model_name="slot",
            index=models.Index(fields=["starts_at"], name="slots_by_start"),
        ),
        migrations.AddConstraint(
            model_name="slot",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "capacity__gte",
                        django.db.models.expressions.CombinedExpression(
                            models.F("taken"), "+", models.F("held")
                        ),
                    )
                ),
                name="homes_slot_within_capacity",
            ),
        ),
        migrations.AddConstraint(
            model_name="slot",
            constraint=models.UniqueConstraint(
                fields=("service", "starts_at"), name="one_slot_per_start"
            ),
        ),
        migrations.AddConstraint(
            model_name="slot",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))), name="slot_ends_after"
            ),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "confirmed"), ("state", "attended"), _connector="OR"),
                fields=("slot", "youth"),
                name="one_booking_per_youth_and_slot",
            ),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.CheckConstraint(
                condition=models.Q(("places__gte", 1)), name="booking_takes_a_place"
            ),
        ),
        migrations.AddIndex(
            model_name="youthhome",
            index=models.Index(fields=["latitude", "longitude"], name="homes_by_position"),
        ),
        migrations.AddConstraint(
            model_name="service",
            constraint=models.CheckConstraint(
                condition=models.Q(("group_max__gte", 1), ("group_max__lte", 20)),
                name="service_group_size",
            ),
        ),
    ]
