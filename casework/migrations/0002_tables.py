"""The tables taken over from the question app get casework's names."""

from django.db import migrations

MOVED = ["LocalTerm", "Deadline", "LocalCategory", "Team", "RoutingRule", "ReplyTemplate", "Member"]


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("qa", "0009_casework"),
    ]

    operations = [migrations.AlterModelTable(name=name, table=None) for name in MOVED]
