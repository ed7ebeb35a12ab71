from django.core.management.base import BaseCommand
from tqdm import tqdm

from reporting import shipping


class Command(BaseCommand):
    help = "Recount the central rollup's figures from every committee's timeline and visits."

    def handle(self, *args, **options):
        def progress(committees):
            return tqdm(committees, desc="committees", unit="", disable=options["verbosity"] < 1)

        counted = shipping.rebuild(progress=progress)
        self.stdout.write(f"{counted} records counted.")
