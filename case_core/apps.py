from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseCoreConfig(AppConfig):
    name = "case_core"
    verbose_name = _("Case file")
