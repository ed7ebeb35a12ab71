from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharesConfig(AppConfig):
    """Share links (转发, 分享) to what portals publish, and how often they were opened."""

    name = "shares"
    verbose_name = _("Shares")
