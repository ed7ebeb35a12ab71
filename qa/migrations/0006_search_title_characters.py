"""The search words of every question rebuilt with the title's characters as words of their
own (weight D), which the similarity service finds paraphrases by (``qa.indexing``)."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from qa.indexing import rebuild as rebuild_search

    rebuild_search(apps.get_model("qa", "Question"), schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("qa", "0005_notes_reply_templates"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
