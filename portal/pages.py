"""Site-wide pages of the portal itself."""

from django.conf import settings
from django.shortcuts import render


def privacy(request):
    """The privacy policy, with the retention period read from the settings."""
    days = settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS
    years = days // 365 if days % 365 == 0 else None
    return render(
        request, "portal/privacy.html", {"retention_days": days, "retention_years": years}
    )
