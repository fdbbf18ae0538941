from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lib.audit"
    label = "audit"
    verbose_name = _("journal")
    default_auto_field = "django.db.models.BigAutoField"
