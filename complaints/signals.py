"""Cache invalidation only: a change to an agency's complaint tiers drops the cached pages."""

from django.db.models.signals import post_delete, post_save

from portal.caching import bump_catalogue_version


def _tiers_changed(sender, **kwargs):
    bump_catalogue_version()


def connect_catalogue_signals():
    from complaints.models import ComplaintTier

    post_save.connect(_tiers_changed, sender=ComplaintTier, dispatch_uid="cache-tiers")
    post_delete.connect(_tiers_changed, sender=ComplaintTier, dispatch_uid="cache-tiers-del")
