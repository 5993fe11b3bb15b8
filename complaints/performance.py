"""Complaint figures for the public performance pages (supplied to services.performance.figures
from complaints/apps.py).

Per agency, a row per tier (in the tiers' order, unclassified last) of the complaints received
on the period's days (the agency's local days): how many, how many answered, how many answered
at or before the deadline of the tier they were last classified in (counted from the original
receipt: that is `due_at`), how many triaged (first classified or rejected) and how many of
those within the triage deadline (the light tier's time from receipt, `triage_due_at`).
Read from the per-day counts (complaints.counts), kept exact by every write to a complaint.
"""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from complaints.models import ComplaintDayCount, Tier

UNCLASSIFIED = ""


FIGURES = ("received", "answered", "on_time", "triaged", "triaged_on_time")


def complaint_figures(*, agency_ids, start, end, now) -> dict[int, list[dict]]:
    counts = ComplaintDayCount.objects.filter(day__gte=start, day__lte=end)
    if agency_ids is not None:
        counts = counts.filter(agency_id__in=agency_ids)
    rows = (
        counts.order_by()
        .values("agency_id", "tier")
        .annotate(**{name: Sum(name) for name in FIGURES})
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
                **{name: tiers[value][name] for name in FIGURES},
            }
            for value, label in order
            if value in tiers
        ]
    return figures
