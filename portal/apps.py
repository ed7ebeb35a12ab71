from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from core.notifications import unread_count

        from . import mine

        mine.register(
            mine.Section(
                key="notifications",
                title=_("My notifications"),
                url_name="core:notifications",
                order=80,
                count=lambda request: unread_count(request.user),
            )
        )
        mine.register(
            mine.Section(key="profile", title=_("My profile"), url_name="core:profile", order=90)
        )
