from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiamConfig(AppConfig):
    name = "siam"
    verbose_name = _("SIAM — mutations")
