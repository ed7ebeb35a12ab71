"""A youth may take an answered question's answer instead of asking it again (deflected)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("qa", "0006_search_title_characters"),
    ]

    operations = [
        migrations.AlterField(
            model_name="timelineevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("asked", "asked"),
                    ("held", "held for review"),
                    ("released", "released after review"),
                    ("rejected", "rejected after review"),
                    ("classified", "classified"),
                    ("routed", "routed"),
                    ("transferred_out", "transferred out"),
                    ("transferred_in", "transferred in"),
                    ("answered", "answered"),
                    ("solved", "solved"),
                    ("rated", "rated"),
                    ("reopened", "reopened"),
                    ("overdue", "overdue"),
                    ("escalated", "escalated"),
                    ("closed", "closed"),
                    ("assigned", "assigned"),
                    ("followed_up", "followed up"),
                    ("disliked", "answer marked unhelpful"),
                    ("deflected", "answer taken by another youth instead of asking"),
                ],
                max_length=20,
            ),
        ),
    ]
