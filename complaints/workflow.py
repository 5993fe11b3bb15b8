"""The rules of a complaint's life (pure: no ORM, no clock).

A complaint is received (diterima) and is due for a first classification within the light
tier's time (3 working hours). Classifying it (diklasifikasi) sets the answer deadline from the
*original receipt* by the tier's time; reclassifying recomputes it from that same receipt, never
restarting the clock, and needs a reason. Staff handle it (ditangani) and answer it (dijawab);
the complainant then says whether the answer resolves it: yes closes it (selesai), no takes it
back to handling. A complaint can be rejected (ditolak) with a reason while it is open and not
yet answered.
"""

from complaints.models import ComplaintStatus as S

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.CLASSIFIED, S.REJECTED),
    S.CLASSIFIED: (S.HANDLING, S.ANSWERED, S.REJECTED),
    S.HANDLING: (S.ANSWERED, S.REJECTED),
    S.ANSWERED: (S.CLOSED, S.HANDLING),
    S.CLOSED: (),
    S.REJECTED: (),
}
# Statuses staff choose directly; the others follow from classify, answer and feedback.
MANUAL = (S.HANDLING, S.REJECTED, S.CLOSED)
CLASSIFIABLE = (S.RECEIVED, S.CLASSIFIED, S.HANDLING)


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, ())
