"""Complaint figures for the public performance pages (registered in portal.cases.registry).

Per agency, a row per tier (in the tiers' order, unclassified last) of the complaints received
in the period: how many, how many answered, how many answered at or before the deadline of the
tier they were last classified in (counted from the original receipt: that is `due_at`).
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, Tier

UNCLASSIFIED = ""


def complaint_figures(*, agency_ids, since, until, now) -> dict[int, list[dict]]:
    complaints = Complaint.objects.filter(received_at__gte=since, received_at__lt=until)
    if agency_ids is not None:
        complaints = complaints.filter(agency_id__in=agency_ids)
    rows = (
        complaints.order_by()
        .values("agency_id", "tier")
        .annotate(
            received=Count("*"),
            answered=Count("answered_at"),  # the answered ones (read from the index alone)
            on_time=Count("answered_at", filter=Q(answered_at__lte=F("due_at"))),
        )
    )
    found: dict[int, dict[str, dict]] = {}
    for row in rows:
        found.setdefault(row["agency_id"], {})[row["tier"]] = row
    order = [*Tier.choices, (UNCLASSIFIED, _("Belum diklasifikasi"))]
    figures: dict[int, list[dict]] = {}
    for agency_id, tiers in found.items():
        figures[agency_id] = [
            {
                "tier": value,
                "label": str(label),
                "received": tiers[value]["received"],
                "answered": tiers[value]["answered"],
                "on_time": tiers[value]["on_time"],
            }
            for value, label in order
            if value in tiers
        ]
    return figures
