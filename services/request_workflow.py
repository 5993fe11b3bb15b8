"""The rules of a request's life: which status may follow which, and what each step does to
the clock.

Pure: no ORM, no clock. A request is received (diterima), verified (diverifikasi), processed
(diproses) and closed as done (selesai) or rejected (ditolak). Staff may return it to the
applicant for missing documents (dikembalikan) from any open status: that stops the clock,
keeping the working time that remained until the due moment. Only the applicant's
resubmission (or staff recording documents brought to the counter) takes it back to
diterima, which restarts the clock with that remaining time. A closed request stays closed.
"""

from __future__ import annotations

from services.models.requests import RequestStatus as S

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.VERIFIED, S.RETURNED, S.REJECTED),
    S.VERIFIED: (S.IN_PROGRESS, S.RETURNED, S.REJECTED),
    S.IN_PROGRESS: (S.DONE, S.RETURNED, S.REJECTED),
    S.RETURNED: (S.RECEIVED, S.REJECTED),
    S.DONE: (),
    S.REJECTED: (),
}
CLOSED = (S.DONE, S.REJECTED)


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, ())


def pauses(from_status: str, to_status: str) -> bool:
    return to_status == S.RETURNED and from_status != S.RETURNED


def resumes(from_status: str, to_status: str) -> bool:
    return from_status == S.RETURNED and to_status == S.RECEIVED
