from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal.login import signals

        signals.connect()


class PortalAdminConfig(AdminConfig):
    """The admin, on the portal's site: its sign-in asks for the second factor when required."""

    default_site = "portal.login.site.StaffAdminSite"
