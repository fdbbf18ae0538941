from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "dossier"
    verbose_name = _("Dossiers et référentiel")

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from dossier.courrier import register_courrier_hooks
        from dossier.views.dossier_page import forget_texts

        register_courrier_hooks()
        setting_changed.connect(forget_texts, dispatch_uid="dossier-page-texts")
