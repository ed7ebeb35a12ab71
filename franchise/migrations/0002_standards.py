from django.db import migrations


def load(apps, schema_editor):
    from franchise.standards import CATEGORIES, SENSITIVE_TERMS

    Category = apps.get_model("franchise", "Category")
    SensitiveTerm = apps.get_model("franchise", "SensitiveTerm")
    for position, (code, name, name_en, first_s, resolve_s) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "position": position,
                "first_response_s": first_s,
                "resolution_s": resolve_s,
            },
        )
    for term in SENSITIVE_TERMS:
        SensitiveTerm.objects.get_or_create(term=term)


class Migration(migrations.Migration):
    dependencies = [("franchise", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
