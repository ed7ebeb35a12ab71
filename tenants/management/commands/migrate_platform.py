"""Migrate everything: the public schema, the template new committees are built from, and
every committee's schema."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants import schema
from tenants.models import Committee


class Command(BaseCommand):
    help = "Migrate the public schema, the tenant template and every committee's schema."

    def handle(self, *args, verbosity: int = 1, **options):
        quiet = max(0, verbosity - 1)
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=quiet)
        # The template has no committee row, so migrate_schemas would skip it: without this,
        # committees onboarded after a deploy would miss the new tables and columns.
        schema.migrate_template(verbosity=quiet)
        count = Committee.objects.count()
        if count:
            options = {"executor": "multiprocessing"} if count > 50 else {}
            call_command(
                "migrate_schemas", tenant=True, interactive=False, verbosity=quiet, **options
            )
        self.stdout.write(f"Migrated the public schema, the template and {count} committee(s).")
