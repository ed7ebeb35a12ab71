from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FranchiseConfig(AppConfig):
    name = "franchise"
    verbose_name = _("Central standards")
