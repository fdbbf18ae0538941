from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "dossier"
    verbose_name = _("Dossiers et référentiel")
