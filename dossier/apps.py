from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "dossier"
    verbose_name = _("Dossiers et référentiel")

    def ready(self) -> None:
        from dossier.courrier import register_courrier_hooks

        register_courrier_hooks()
