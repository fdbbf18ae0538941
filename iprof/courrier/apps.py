from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourrierConfig(AppConfig):
    name = "iprof.courrier"
    label = "courrier"
    verbose_name = _("Courrier")
