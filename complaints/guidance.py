"""What happens next on a complaint's tracking page: one sentence per status.

Pure: no ORM, no clock. Each sentence says what the agency does now and what the complainant
should do, with the due moment where the status has one: the classification deadline while
the complaint waits for triage (the light tier's time from receipt), the answer deadline of its
tier once classified. The caller formats the moment in the agency's time zone and passes it in;
an empty text gives the sentence without it. Every status of ComplaintStatus has a sentence
here (tests/complaints/test_guidance.py holds that).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from complaints.workflow import ComplaintStatus
from portal.cases import guidance

S = ComplaintStatus

# status -> (sentence with the due moment, sentence when there is none)
NEXT_STEPS: dict[str, tuple[str, str]] = {
    S.RECEIVED: (
        gettext_noop(
            "Petugas mengklasifikasi pengaduan Anda dalam batas pengaduan ringan, paling lambat "
            "%(due)s. Anda tidak perlu melakukan apa pun; keterangan atau bukti baru dapat Anda "
            "tambahkan di bawah ini."
        ),
        gettext_noop(
            "Petugas mengklasifikasi pengaduan Anda dalam batas pengaduan ringan. Anda tidak "
            "perlu melakukan apa pun; keterangan atau bukti baru dapat Anda tambahkan di bawah "
            "ini."
        ),
    ),
    S.CLASSIFIED: (
        gettext_noop(
            "Pengaduan Anda sudah diklasifikasi dan diteruskan kepada petugas yang "
            "menanganinya; jawabannya paling lambat %(due)s. Anda tidak perlu melakukan apa "
            "pun; keterangan atau bukti baru dapat Anda tambahkan di bawah ini."
        ),
        gettext_noop(
            "Pengaduan Anda sudah diklasifikasi dan diteruskan kepada petugas yang "
            "menanganinya. Anda tidak perlu melakukan apa pun; keterangan atau bukti baru dapat "
            "Anda tambahkan di bawah ini."
        ),
    ),
    S.HANDLING: (
        gettext_noop(
            "Petugas sedang menangani pengaduan Anda; jawabannya paling lambat %(due)s. Anda "
            "tidak perlu melakukan apa pun; keterangan atau bukti baru dapat Anda tambahkan di "
            "bawah ini."
        ),
        gettext_noop(
            "Petugas sedang menangani pengaduan Anda. Anda tidak perlu melakukan apa pun; "
            "keterangan atau bukti baru dapat Anda tambahkan di bawah ini."
        ),
    ),
    S.ANSWERED: (
        gettext_noop(
            "Petugas telah menjawab pengaduan Anda. Bacalah jawabannya dan sampaikan apakah "
            "jawaban itu menuntaskan pengaduan Anda."
        ),
    )
    * 2,
    S.CLOSED: (
        gettext_noop(
            "Pengaduan Anda selesai ditangani. Anda tidak perlu melakukan apa pun lagi; bila "
            "masalahnya muncul kembali, ajukan pengaduan baru."
        ),
    )
    * 2,
    S.REJECTED: (
        gettext_noop(
            "Pengaduan Anda tidak dapat ditindaklanjuti; alasannya tertulis di riwayat di bawah "
            "ini. Bila Anda tidak setuju, Anda dapat menyampaikannya melalui SP4N-LAPOR!."
        ),
    )
    * 2,
}


def next_step(status: str, *, due: str = "") -> str:
    """The sentence for `status`, in the active language, with `due` filled in."""
    return guidance.next_step(NEXT_STEPS, status, due=due)
