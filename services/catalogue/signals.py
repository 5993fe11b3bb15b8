"""Cache invalidation only: calendar changes touch their agency; catalogue changes drop the
cached public pages."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from services.catalogue.models.agencies import Agency, AgencyClosure, OfficeHours


@receiver([post_save, post_delete], sender=AgencyClosure)
@receiver([post_save, post_delete], sender=OfficeHours)
def touch_agency(sender, instance, **kwargs):
    Agency.objects.filter(pk=instance.agency_id).update(updated_at=timezone.now())


def _catalogue_changed(sender, **kwargs):
    from portal.caching import bump_catalogue_version

    bump_catalogue_version()


def connect_catalogue_signals():
    """Any change to what public pages show drops every cached public page."""
    from django.apps import apps

    names = [
        "services.Agency",
        "services.Decree",
        "services.ComplaintChannel",
        "services.AgencyClosure",
        "services.OfficeHours",
        "services.ServiceStandard",
        "services.Requirement",
        "services.ProcedureGroup",
        "services.ProcedureStep",
        "services.TimeframeStage",
        "services.Regulation",
        "services.LegalReference",
        "services.ComponentItem",
        "services.StandardVersion",
    ]
    for name in names:
        model = apps.get_model(name)
        post_save.connect(_catalogue_changed, sender=model, dispatch_uid=f"cache-{name}")
        post_delete.connect(_catalogue_changed, sender=model, dispatch_uid=f"cache-{name}-del")
