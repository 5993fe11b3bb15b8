"""The rules of a request's life: which status may follow which, and what each step does to
the clock.

Pure: no ORM, no clock. A request is received (diterima), verified (diverifikasi), processed
(diproses) and closed as done (selesai) or rejected (ditolak). Staff may return it to the
applicant for missing documents (dikembalikan) from any open status: that stops the clock,
keeping the working time that remained until the due moment, or, when the due moment had
already passed, how late it was (a request returned late stays late: services.catalogue.deadlines).
Only the applicant's resubmission (or staff recording documents brought to the counter) takes
it back to diterima, which restarts the clock from there. A closed request stays closed.
The status sets below are the only definition of "open", "running" and "closed".
"""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from portal.cases.workflow import Workflow


class RequestStatus(TextChoices):
    RECEIVED = "diterima", _("Diterima")
    VERIFIED = "diverifikasi", _("Diverifikasi")
    IN_PROGRESS = "diproses", _("Diproses")
    RETURNED = "dikembalikan", _("Dikembalikan untuk dilengkapi")
    DONE = "selesai", _("Selesai")
    REJECTED = "ditolak", _("Ditolak")


S = RequestStatus

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.VERIFIED, S.RETURNED, S.REJECTED),
    S.VERIFIED: (S.IN_PROGRESS, S.RETURNED, S.REJECTED),
    S.IN_PROGRESS: (S.DONE, S.RETURNED, S.REJECTED),
    S.RETURNED: (S.RECEIVED, S.REJECTED),
    S.DONE: (),
    S.REJECTED: (),
}
# Statuses whose note is always shown to the applicant: they must know what to bring or why.
NOTE_ALWAYS_PUBLIC: tuple[str, ...] = (S.RETURNED, S.REJECTED)

WORKFLOW = Workflow(RequestStatus, TRANSITIONS, paused=(S.RETURNED,), resumes_to=S.RECEIVED)
CLOSED: tuple[str, ...] = WORKFLOW.closed
OPEN: tuple[str, ...] = WORKFLOW.open
PAUSED: tuple[str, ...] = WORKFLOW.paused
RUNNING: tuple[str, ...] = WORKFLOW.running
allowed = WORKFLOW.allowed
pauses = WORKFLOW.pauses
resumes = WORKFLOW.resumes


def completes(to_status: str) -> bool:
    return to_status == S.DONE
