"""What happens next on a request's tracking page: one sentence per status.

Pure: no ORM, no clock. Each sentence says what the agency does now and what the applicant
should do, with the due moment where the status has one (the caller formats it in the agency's
time zone and passes it in; an empty text means the service sets no deadline). A returned
request has no due moment: its clock is stopped until the documents arrive. Every status of
RequestStatus has a sentence here (tests/services/requests/test_guidance.py holds that).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from portal.cases import guidance
from services.requests.workflow import RequestStatus

S = RequestStatus

# status -> (sentence with the due moment, sentence when there is none)
NEXT_STEPS: dict[str, tuple[str, str]] = {
    S.RECEIVED: (
        gettext_noop(
            "Petugas memeriksa kelengkapan permohonan Anda. Anda tidak perlu melakukan apa "
            "pun; hasilnya paling lambat %(due)s."
        ),
        gettext_noop(
            "Petugas memeriksa kelengkapan permohonan Anda. Anda tidak perlu melakukan apa "
            "pun; layanan ini tidak mempunyai batas waktu tertentu."
        ),
    ),
    S.VERIFIED: (
        gettext_noop(
            "Persyaratan Anda lengkap dan petugas mulai memproses permohonan. Anda tidak perlu "
            "melakukan apa pun; selesai paling lambat %(due)s."
        ),
        gettext_noop(
            "Persyaratan Anda lengkap dan petugas mulai memproses permohonan. Anda tidak perlu "
            "melakukan apa pun; layanan ini tidak mempunyai batas waktu tertentu."
        ),
    ),
    S.IN_PROGRESS: (
        gettext_noop(
            "Petugas sedang mengerjakan produk layanan Anda. Anda tidak perlu melakukan apa "
            "pun; selesai paling lambat %(due)s."
        ),
        gettext_noop(
            "Petugas sedang mengerjakan produk layanan Anda. Anda tidak perlu melakukan apa "
            "pun; layanan ini tidak mempunyai batas waktu tertentu."
        ),
    ),
    S.RETURNED: (
        gettext_noop(
            "Permohonan dikembalikan karena dokumen belum lengkap dan waktu layanan dihentikan. "
            "Unggah dokumen yang diminta di bawah ini; waktu layanan berjalan lagi setelah "
            "dokumen diterima."
        ),
    )
    * 2,
    S.DONE: (
        gettext_noop(
            "Permohonan Anda selesai. Ambil atau unduh produk layanan Anda seperti tertera di "
            "bawah ini."
        ),
    )
    * 2,
    S.REJECTED: (
        gettext_noop(
            "Permohonan Anda ditolak; alasannya tertulis di riwayat di bawah ini. Bila Anda "
            "tidak setuju, Anda dapat mengajukan pengaduan."
        ),
    )
    * 2,
}


def next_step(status: str, *, due: str = "") -> str:
    """The sentence for `status`, in the active language, with `due` filled in."""
    return guidance.next_step(NEXT_STEPS, status, due=due)
