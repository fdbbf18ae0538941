from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourrierConfig(AppConfig):
    name = "iprof.courrier"
    label = "courrier"
    verbose_name = _("Courrier")

    def ready(self) -> None:
        from iprof.courrier.selectors import register_builtin_selectors

        register_builtin_selectors()
