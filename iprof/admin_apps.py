from django.contrib.admin.apps import AdminConfig


class IProfAdminConfig(AdminConfig):
    """The Django admin with the staff home of iprof.admin_site: every @admin.register lands on it."""

    default_site = "iprof.admin_site.IProfAdminSite"
