"""A complaint's personal data after the retention period (portal.cases.retention).

Removed: the complainant's name, phone, email and address, the complaint's and the answer's
text, the evidence files, their names and checksums, and the notes of the history. Kept:
number, SP4N-LAPOR! reference, channel, confidentiality flag, tier, statuses, receipt,
deadlines with their derivation, answer and closure times, whether it was resolved, and every
history line's time, kind, statuses and actor.
"""

from complaints.models import Complaint, ComplaintEvent
from portal.cases.retention import REMOVED, StoredName, files_of


def complaint_anonymise(complaint: Complaint) -> list[StoredName]:
    evidence = list(complaint.evidence.all())
    stored = files_of(item.file for item in evidence)
    complaint.complainant_name = REMOVED
    complaint.phone = ""
    complaint.email = ""
    complaint.address = ""
    complaint.shortfall = REMOVED
    complaint.loss = ""
    complaint.remedy = REMOVED
    complaint.answer = ""
    complaint.save()
    for item in evidence:
        item.file = ""
        item.original_name = REMOVED
        item.sha256 = ""
        item.save(update_fields=["file", "original_name", "sha256"])
    ComplaintEvent.objects.filter(complaint=complaint).exclude(note="").update(note="")
    return stored
