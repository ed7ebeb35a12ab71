from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0013_standard_scores"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaignfigures",
            name="answers_disliked",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="campaignfigures",
            name="answers_helpful",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="campaignfigures",
            name="likes",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="campaignfigures",
            name="roasts",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="answers_disliked",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="answers_helpful",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="likes",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="roasts",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
