"""Cache invalidation only: a change to an agency's calendar data touches the agency."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from services.models import Agency, AgencyClosure, OfficeHours


@receiver([post_save, post_delete], sender=AgencyClosure)
@receiver([post_save, post_delete], sender=OfficeHours)
def touch_agency(sender, instance, **kwargs):
    Agency.objects.filter(pk=instance.agency_id).update(updated_at=timezone.now())
