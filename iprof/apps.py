from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IProfConfig(AppConfig):
    name = "iprof"
    verbose_name = _("Portail I-Prof")

    def ready(self) -> None:
        from lib.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self)
