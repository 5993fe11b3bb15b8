from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Standar Pelayanan")

    def ready(self):
        from django.db.models.signals import post_migrate

        from services import signals

        signals.connect_catalogue_signals()
        from services.roles import ensure_roles

        # Run after every app so the permissions of later apps exist too.
        post_migrate.connect(ensure_roles, dispatch_uid="services.ensure_roles")
