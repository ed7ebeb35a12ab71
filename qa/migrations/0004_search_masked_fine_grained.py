"""The search words of every question rebuilt: the search-mode cut (the parts of compounds
too), each word at its character's position, the title weighted above the details, all taken
from the text with personal data masked (``qa.indexing``)."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from qa.indexing import rebuild as rebuild_search

    rebuild_search(apps.get_model("qa", "Question"), schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("qa", "0003_timeline_shipped"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
