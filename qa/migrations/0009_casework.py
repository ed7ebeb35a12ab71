"""The casework models leave the question app (their tables stay, taken over by casework);
the old supervision board, copied into casework's, is dropped."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("qa", "0008_timeline_events"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="deadline",
                    name="category",
                ),
                migrations.RemoveField(
                    model_name="localcategory",
                    name="standard",
                ),
                migrations.RemoveField(
                    model_name="routingrule",
                    name="local_category",
                ),
                migrations.AlterField(
                    model_name="question",
                    name="local_category",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="casework.localcategory",
                    ),
                ),
                migrations.DeleteModel(
                    name="LocalTerm",
                ),
                migrations.RemoveField(
                    model_name="member",
                    name="team",
                ),
                migrations.RemoveField(
                    model_name="member",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="replytemplate",
                    name="team",
                ),
                migrations.RemoveField(
                    model_name="routingrule",
                    name="category",
                ),
                migrations.RemoveField(
                    model_name="routingrule",
                    name="team",
                ),
                migrations.RemoveField(
                    model_name="team",
                    name="supervisor",
                ),
                migrations.AlterField(
                    model_name="question",
                    name="team",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="questions",
                        to="casework.team",
                    ),
                ),
                migrations.DeleteModel(
                    name="Deadline",
                ),
                migrations.DeleteModel(
                    name="LocalCategory",
                ),
                migrations.DeleteModel(
                    name="Member",
                ),
                migrations.DeleteModel(
                    name="ReplyTemplate",
                ),
                migrations.DeleteModel(
                    name="RoutingRule",
                ),
                migrations.DeleteModel(
                    name="Team",
                ),
            ],
            database_operations=[],
        ),
        migrations.DeleteModel(
            name="SupervisionItem",
        ),
    ]
