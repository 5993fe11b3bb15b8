"""The rules of a complaint's life (pure: no ORM, no clock).

A complaint is received (diterima) and is due for a first classification within the light
tier's time (3 working hours). Classifying it (diklasifikasi) sets the answer deadline from the
*original receipt* by the tier's time; reclassifying recomputes it from that same receipt, never
restarting the clock, and needs a reason. Staff handle it (ditangani) and answer it (dijawab);
the complainant then says whether the answer resolves it: yes closes it (selesai), no takes it
back to handling. A complaint can be rejected (ditolak) with a reason while it is open and not
yet answered. The tiers, their default deadlines and the status sets are defined here only.
"""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from portal.cases.workflow import Workflow


class ComplaintStatus(TextChoices):
    RECEIVED = "diterima", _("Diterima")
    CLASSIFIED = "diklasifikasi", _("Diklasifikasi")
    HANDLING = "ditangani", _("Ditangani")
    ANSWERED = "dijawab", _("Dijawab")
    CLOSED = "selesai", _("Selesai")
    REJECTED = "ditolak", _("Ditolak")


class Tier(TextChoices):
    LIGHT = "light", _("Pengaduan ringan")
    NORMATIVE = "normative", _("Pengaduan bersifat normatif")
    NON_SUPERVISORY = "non_supervisory", _("Pengaduan tidak berkadar pengawasan")
    SUPERVISORY = "supervisory", _("Pengaduan berkadar pengawasan dan memerlukan pemeriksaan")


# The response deadline of each tier when an agency has not set its own (docs/domain.md).
DEFAULT_TIER_DURATIONS: dict[str, str] = {
    Tier.LIGHT: "3 jam",
    Tier.NORMATIVE: "5 hari kerja",
    Tier.NON_SUPERVISORY: "14 hari kerja",
    Tier.SUPERVISORY: "60 hari kerja",
}
TRIAGE_TIER = Tier.LIGHT  # a new complaint must be classified within this tier's time

S = ComplaintStatus

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.CLASSIFIED, S.REJECTED),
    S.CLASSIFIED: (S.HANDLING, S.ANSWERED, S.REJECTED),
    S.HANDLING: (S.ANSWERED, S.REJECTED),
    S.ANSWERED: (S.CLOSED, S.HANDLING),
    S.CLOSED: (),
    S.REJECTED: (),
}
WORKFLOW = Workflow(ComplaintStatus, TRANSITIONS)
CLOSED: tuple[str, ...] = WORKFLOW.closed
OPEN: tuple[str, ...] = WORKFLOW.open
# Waiting for triage or for an answer: the clock is ticking.
RUNNING: tuple[str, ...] = (S.RECEIVED, S.CLASSIFIED, S.HANDLING)
# Statuses staff choose directly; the others follow from classify, answer and feedback.
MANUAL = (S.HANDLING, S.REJECTED, S.CLOSED)
CLASSIFIABLE = RUNNING
allowed = WORKFLOW.allowed
