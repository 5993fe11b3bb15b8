"""Information the complainant adds to an open complaint (complaint_add_information and the
tracking page): the history, the evidence download, the staff alert, and what is refused."""

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaints import actions
from complaints.models import ComplaintEvent, ComplaintEvidence
from portal.models import OutboundEmail
from tests.factories import PDF, make_complaint, staff_member

pytestmark = pytest.mark.django_db

# Thu 27 Mar 2025 15:00 WIB: triage due Tue 8 Apr 09:30 (Nyepi and Lebaran in between).
THURSDAY_15 = "2025-03-27T15:00:00+07:00"
ADDED = "Petugas loket bernama Budi; kejadiannya pukul 10.00."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(THURSDAY_15, tick=False) as traveller:
        yield traveller


def pdf(name="foto-ahmad-rahasia.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def opened(client, complaint):
    """The complainant's browser, having opened the complaint with its number and code."""
    url = reverse("cases:track_detail", args=[complaint.number])
    assert client.get(url + f"?kode={complaint.access_code}").status_code == 302
    return url


def stored_files(tmp_path):
    return sorted(p.name for p in (tmp_path / "private").rglob("*") if p.is_file())


def test_added_text_and_evidence_appear_in_history_and_are_downloadable(
    client, django_capture_on_commit_callbacks
):
    complaint = make_complaint(evidence=[pdf("bukti-awal.pdf")])
    url = opened(client, complaint)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"form": "tambahan", "tambahan-text": ADDED, "tambahan-upload": pdf()},
        )
    assert response.status_code == 302 and response["Location"] == url
    event = complaint.events.get(kind=ComplaintEvent.Kind.INFORMATION)
    assert event.note == ADDED and event.public and event.actor is None
    added = ComplaintEvidence.objects.get(pk=event.data["evidence"][0])
    assert added.complaint == complaint and added.original_name == "foto-ahmad-rahasia.pdf"
    html = client.get(url).content.decode()
    assert "Tambahan dari pengadu" in html and ADDED in html
    assert "Terima kasih, tambahan Anda tercatat" in html
    for item in complaint.evidence.all():
        link = reverse("complaints:track_evidence", args=[complaint.number, item.pk])
        assert link in html
        download = client.get(link)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
        assert download["Cache-Control"] == "private, no-store"


def test_tracking_shows_the_complaints_own_text_and_what_happens_next(client):
    complaint = make_complaint(
        shortfall="Antrean ditutup sebelum jam layanan berakhir.",
        loss="Dua kali datang.",
        remedy="Loket buka sesuai jam layanan.",
    )
    html = client.get(opened(client, complaint)).content.decode()
    assert "Antrean ditutup sebelum jam layanan berakhir." in html
    assert "Dua kali datang." in html and "Loket buka sesuai jam layanan." in html
    assert 'id="langkah-berikut"' in html
    assert "paling lambat Selasa, 8 April 2025 pukul 09.30 WIB" in html
    assert 'name="tambahan-text"' in html


def test_evidence_of_another_complaint_or_without_access_is_404(client):
    mine = make_complaint(evidence=[pdf()])
    other = make_complaint(evidence=[pdf()])
    opened(client, mine)
    theirs = other.evidence.get()
    assert (
        client.get(reverse("complaints:track_evidence", args=[mine.number, theirs.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("complaints:track_evidence", args=[other.number, theirs.pk])).status_code
        == 404
    )
    own = mine.evidence.get()
    fresh = client.__class__()
    assert (
        fresh.get(reverse("complaints:track_evidence", args=[mine.number, own.pk])).status_code
        == 404
    )


def test_staff_are_alerted_without_a_confidential_complainants_identity(
    django_capture_on_commit_callbacks,
):
    complaint = make_complaint(confidential=True, address="Jalan Merdeka 1, Sekayu")
    staff_member(complaint.agency, email="petugas@muba.go.id")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.complaint_add_information(
            complaint=complaint, text=ADDED, upload=pdf(), now=timezone.now()
        )
    row = OutboundEmail.objects.get(composer=actions.MAIL_STAFF_INFORMATION)
    assert row.sent_at is not None
    (message,) = mail.outbox
    assert message.to == ["petugas@muba.go.id"] and complaint.number in message.subject
    body = message.body
    assert ADDED in body and "Dirahasiakan" in body and "1 berkas" in body
    for secret in ("Ahmad Rahasia", "ahmad@contoh.id", "+6281211112222", "Jalan Merdeka"):
        assert secret not in body and secret not in message.subject
    assert "foto-ahmad-rahasia" not in body  # an uploader's file name can carry their name


@pytest.mark.parametrize("how", ["rejected", "closed"])
def test_a_closed_complaint_refuses_additions(client, how, tmp_path):
    complaint = make_complaint()
    officer = staff_member(complaint.agency)
    if how == "rejected":
        actions.complaint_process(
            complaint=complaint,
            to_status="ditolak",
            rejection_reason="duplikat",
            note="Sama dengan pengaduan sebelumnya.",
            actor=officer,
            now=timezone.now(),
        )
    else:
        actions.complaint_process(
            complaint=complaint, tier="light", answer="Sudah.", actor=officer, now=timezone.now()
        )
        actions.complaint_feedback(complaint=complaint, resolved=True, note="", now=timezone.now())
    before = stored_files(tmp_path)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        actions.complaint_add_information(
            complaint=complaint, text=ADDED, upload=pdf(), now=timezone.now()
        )
    assert not complaint.events.filter(kind=ComplaintEvent.Kind.INFORMATION).exists()
    assert stored_files(tmp_path) == before
    url = opened(client, complaint)
    html = client.get(url).content.decode()
    assert 'name="tambahan-text"' not in html
    client.post(url, {"form": "tambahan", "tambahan-text": ADDED})
    assert not complaint.events.filter(kind=ComplaintEvent.Kind.INFORMATION).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"tambahan-text": "   "}, "Tulis keterangan tambahan atau lampirkan bukti."),
        ({"tambahan-text": "x" * 2001}, "2000"),
        (
            {
                "tambahan-text": ADDED,
                "tambahan-upload": SimpleUploadedFile("a.pdf", b"bukan pdf"),
            },
            "bukan PDF, JPEG atau PNG",
        ),
    ],
    ids=["empty", "too-long", "not-a-pdf"],
)
def test_nothing_is_written_on_invalid_input(client, tmp_path, data, message):
    complaint = make_complaint()
    staff_member(complaint.agency, email="petugas@muba.go.id")
    url = opened(client, complaint)
    events, emails = complaint.events.count(), OutboundEmail.objects.count()
    response = client.post(url, {"form": "tambahan", **data})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    if data["tambahan-text"].strip() and len(data["tambahan-text"]) <= 2000:
        assert ADDED in html  # what was typed is kept
    assert complaint.events.count() == events and OutboundEmail.objects.count() == emails
    assert ComplaintEvidence.objects.count() == 0 and stored_files(tmp_path) == []


def test_the_action_refuses_an_empty_addition_and_discards_the_file_on_failure(
    tmp_path, monkeypatch
):
    complaint = make_complaint()
    with pytest.raises(ValidationError):
        actions.complaint_add_information(
            complaint=complaint, text=" ", upload=None, now=timezone.now()
        )

    def broken(*args, **kwargs):
        raise RuntimeError("mail queue down")

    staff_member(complaint.agency, email="petugas@muba.go.id")
    monkeypatch.setattr(actions.mail, "queue", broken)
    with pytest.raises(RuntimeError):
        actions.complaint_add_information(
            complaint=complaint, text=ADDED, upload=pdf(), now=timezone.now()
        )
    assert ComplaintEvidence.objects.count() == 0 and stored_files(tmp_path) == []
    assert not complaint.events.filter(kind=ComplaintEvent.Kind.INFORMATION).exists()


def test_feedback_on_the_answer_still_works_beside_the_information_form(client):
    complaint = make_complaint()
    officer = staff_member(complaint.agency)
    actions.complaint_process(
        complaint=complaint, tier="light", answer="Sudah.", actor=officer, now=timezone.now()
    )
    url = opened(client, complaint)
    html = client.get(url).content.decode()
    assert 'name="resolved"' in html and 'name="tambahan-text"' in html
    response = client.post(url, {"form": "tanggapan", "resolved": "ya", "note": ""})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "selesai"
