from django.core.management.base import BaseCommand, CommandError

from core.errors import ServiceError
from tenants import services
from tenants.models import Committee


class Command(BaseCommand):
    help = "Onboard a League committee: schema, domain, branding and first admin, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("code", help="short code, also the subdomain: gd, gd-gz")
        parser.add_argument("name")
        parser.add_argument("--level", required=True, choices=Committee.Level.values)
        parser.add_argument("--parent", help="code of the parent committee")
        parser.add_argument("--admin-phone", required=True)
        parser.add_argument("--admin-name", default="")
        parser.add_argument("--admin-password")
        parser.add_argument("--display-name", default="")
        parser.add_argument("--colour", default="#c8161d")
        parser.add_argument("--slogan", default="")
        parser.add_argument("--status", default="active", choices=Committee.Status.values)

    def handle(self, *args, **o):
        parent = None
        if o["parent"]:
            parent = Committee.objects.filter(code=o["parent"]).first()
            if parent is None:
                raise CommandError(f"no committee with code {o['parent']}")
        try:
            committee = services.provision_committee(
                code=o["code"],
                name=o["name"],
                level=o["level"],
                parent=parent,
                admin_phone=o["admin_phone"],
                admin_name=o["admin_name"],
                admin_password=o["admin_password"],
                display_name=o["display_name"],
                primary_colour=o["colour"],
                slogan=o["slogan"],
                status=o["status"],
            )
        except ServiceError as exc:
            raise CommandError(f"{exc.field or exc.code}: {exc.message}") from exc
        domain = committee.get_primary_domain()
        self.stdout.write(self.style.SUCCESS(f"{committee.name} is served at {domain.domain}"))
