"""Hot topics count phrases of two words too ("拖欠 工资"): room for them in the term."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_deflections")]

    operations = [
        migrations.AlterField(
            model_name="topiccount", name="term", field=models.CharField(max_length=64)
        )
    ]
