from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IProfConfig(AppConfig):
    name = "iprof"
    verbose_name = _("Portail I-Prof")

    def ready(self) -> None:
        from iprof.shell import clear_shell_fragments
        from lib.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self)
        # the shell's shared fragments quote settings: a test's override_settings must not show stale ones
        setting_changed.connect(clear_shell_fragments, dispatch_uid="iprof-shell-fragments")
