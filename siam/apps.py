from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiamConfig(AppConfig):
    name = "siam"
    verbose_name = _("SIAM — mutations")

    def ready(self) -> None:
        from iprof.services import register_service
        from siam.portal import siam_services

        register_service(siam_services)
