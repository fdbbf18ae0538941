from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiamConfig(AppConfig):
    name = "siam"
    verbose_name = _("SIAM — mutations")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from lib.procedures import register_service
        from siam.models import Campagne
        from siam.portal import siam_services
        from siam.services.bareme.rules import default_rules_for_new_campagne

        register_service(siam_services)
        post_save.connect(default_rules_for_new_campagne, sender=Campagne, dispatch_uid="siam_bareme_default_rules")
