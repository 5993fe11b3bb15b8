"""A request's personal data after the retention period (portal.cases.retention).

Removed: the applicant's name, NIK, phone, email, organisation and message, the product's
note and file, the documents' files, names and checksums, and the notes of the history.
Kept: number, standard, channel, statuses, receipt, deadlines with their derivation, pauses,
closure, and every history line's time, kind, statuses and actor.
"""

from portal.cases.retention import REMOVED, StoredName, files_of
from services.requests.models import RequestEvent, ServiceRequest


def request_anonymise(request: ServiceRequest) -> list[StoredName]:
    documents = list(request.documents.all())
    stored = files_of([request.product, *(d.file for d in documents)])
    request.applicant_name = REMOVED
    request.nik = ""
    request.phone = ""
    request.email = ""
    request.organisation = ""
    request.message = ""
    request.product_note = ""
    request.product_name = ""
    request.product = ""
    request.save()
    for document in documents:
        document.file = ""
        document.original_name = REMOVED
        document.sha256 = ""
        document.save(update_fields=["file", "original_name", "sha256"])
    RequestEvent.objects.filter(request=request).exclude(note="").update(note="")
    return stored
