from django.db import migrations


def load(apps, schema_editor):
    from franchise.standards import install

    install(apps.get_model("franchise", "Category"), apps.get_model("franchise", "SensitiveTerm"))


class Migration(migrations.Migration):
    dependencies = [("franchise", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
