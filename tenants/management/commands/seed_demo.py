"""Seed the demo platform once; with --extra N also onboard N more committees (progress bar)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context
from tqdm import tqdm

from core import services as accounts
from core.models import Role, User
from tenants import demo, outbox, services
from tenants.models import Committee


def _admin(committee: Committee) -> User:
    return Role.objects.filter(committee=committee, kind="admin").select_related("user")[0].user


class Command(BaseCommand):
    help = "Create the demo committees and accounts (once) and print their logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--extra",
            type=int,
            default=0,
            help="also onboard this many county committees under the demo cities",
        )

    def handle(self, *args, extra: int = 0, **options):
        if not Committee.objects.filter(code="central").exists():
            self._seed()
        if extra:
            self._extra(extra)
        self._print_logins()

    def _seed(self) -> None:
        cities: dict[str, dict] = {}
        for index, (code, name, level, parent, display, colour, slogan) in enumerate(
            demo.COMMITTEES
        ):
            parent_obj = Committee.objects.get(code=parent) if parent else None
            committee = services.provision_committee(
                code=code,
                name=name,
                level=level,
                parent=parent_obj,
                admin_phone=demo.phone_for(index, 0),
                admin_name=f"{display}{demo.ROLES[0][1]}",
                admin_password=demo.PASSWORD,
                display_name=display,
                primary_colour=colour,
                slogan=slogan,
                logo=demo.logo_png(code, colour),
            )
            people = {
                kind: User.objects.create_user(
                    demo.phone_for(index, role), demo.PASSWORD, name=f"{display}{label}"
                )
                for role, (kind, label) in enumerate(demo.ROLES)
                if kind != "admin"
            }
            for kind in ("cadre", "expert"):
                accounts.grant_role(user=people[kind], committee=committee, kind=kind)
            with schema_context(committee.schema_name):
                demo.set_up_services(
                    cadre=people["cadre"], expert=people["expert"], asker=people["youth"]
                )
                demo.set_up_youth_home(code, staff=people["cadre"])
            if level == "city":
                cities[committee.schema_name] = people
        # The cities' homes meet the youth-home standard, checked by Guangdong's admin; the
        # provinces' own are left to record.
        for city in Committee.objects.filter(level="city").select_related("parent"):
            with schema_context(city.schema_name):
                demo.meet_home_standard(recorder=_admin(city), checker=_admin(city.parent))
        # The central office's campaign reaches every committee; each city publishes an
        # activity under it, after a demand survey.
        campaign = demo.launch_campaign(central_admin=_admin(Committee.objects.get(code="central")))
        outbox.deliver()
        for schema, people in cities.items():
            with schema_context(schema):
                demo.set_up_activity(
                    cadre=people["cadre"], youth=people["youth"], campaign=campaign.code
                )
        auditor = User.objects.create_user("13900009999", demo.PASSWORD, name="中央审计员")
        accounts.grant_role(
            user=auditor, committee=Committee.objects.get(code="central"), kind="auditor"
        )

    def _extra(self, count: int) -> None:
        cities = list(Committee.objects.filter(level="city"))
        start = Committee.objects.filter(level="county", code__contains="-x").count()
        for n in tqdm(range(start, start + count), desc="onboarding", unit="committee"):
            city = cities[n % len(cities)]
            services.provision_committee(
                code=f"{city.code}-x{n}",
                name=f"{city.name[:-2]}第{n}区团委",
                level="county",
                parent=city,
                admin_phone=f"137{n:08d}",
            )

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {demo.PASSWORD})"))
        site = f"{settings.BASE_DOMAIN}:{os.environ.get('PORT', '8000')}"
        for index, (code, _name, *_rest) in enumerate(demo.COMMITTEES):
            people = ", ".join(
                f"{label} {demo.phone_for(index, r)}" for r, (_kind, label) in enumerate(demo.ROLES)
            )
            self.stdout.write(f"  http://{code}.{site}/  {people}")
        self.stdout.write(f"  console http://{site}/  central auditor 13900009999")
