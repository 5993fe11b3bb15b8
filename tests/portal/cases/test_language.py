"""portal.cases.language: a case keeps the language it was submitted in; the citizen's emails
are written in it whoever sends them, and the receipt PDF follows the page that asks for it.

Every test freezes time. The English emails and the English receipt are checked against the
Indonesian interface words of tests/portal/test_english_pages.py, once what is shown as written
(the decree's wording, the agency's names, what staff and citizens wrote) is left out.
"""

import re
import subprocess
import threading
import uuid
from datetime import datetime
from html.parser import HTMLParser
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import translation

import portal.pdf
from complaints import actions as complaint_actions
from complaints.admin import OtherChannelForm
from complaints.models import Complaint, ComplaintStatus, Tier
from portal.cases import access
from portal.cases.language import explanation, supported
from portal.models import OutboundEmail
from services.models import Agency, RequestStatus, ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from services.requests.admin import WalkInForm
from tests.factories import APPLICANT, PDF, complaint_officer, documents_for, staff_member
from tests.portal.test_english_pages import WORD, VisibleText

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")  # 5 Hari Kerja
# Thu 27 Mar 2025 10:00 WIB: 5 working days fall on Mon 14 Apr 16:00 (Nyepi and Lebaran).
THU_BEFORE_LEBARAN = datetime(2025, 3, 27, 10, 0, tzinfo=WIB)
# Mon 3 Nov 2025 09:00 WIB: an ordinary working week.
MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=WIB)


class Refusing:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("550 relay denied")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def standard() -> ServiceStandard:
    return ServiceStandard.objects.select_related("agency").get(
        agency__slug=SERVICE[0], slug=SERVICE[1]
    )


def request_form(std, **overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti Aminah",
        "nik": "3514045507880002",
        "phone": "0812-3456-7890",
        "email": "siti@contoh.id",
        "organisation": "",
        "message": "",
        "consent": "on",
    }
    data.update({f"dokumen_{pk}": upload for pk, upload in documents_for(std).items()})
    return data | overrides


def complaint_form():
    agency = Agency.objects.get(slug="musi-banyuasin")
    return {
        "submission_key": str(uuid.uuid4()),
        "agency": agency.pk,
        "standard": agency.services.get(slug="konsultasi").pk,
        "request_number": "",
        "shortfall": "Konsultasi dijanjikan hari itu, saya diminta datang lagi minggu depan.",
        "loss": "",
        "remedy": "Konsultasi dilayani sesuai standar.",
        "complainant_name": "Ahmad",
        "phone": "0812 1111 2222",
        "email": "ahmad@contoh.id",
        "address": "",
        "consent": "on",
    }


def submit_request(client, capture):
    url = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})
    with capture(execute=True):
        response = client.post(url, request_form(standard()))
    assert response.status_code == 302
    return ServiceRequest.objects.get()


def submit_complaint(client, capture):
    with capture(execute=True):
        response = client.post(reverse("complaints:create"), complaint_form())
    assert response.status_code == 302
    return Complaint.objects.get()


def as_written(case) -> list[str]:
    """What an English email shows as it was written: decree, agency, staff and citizen."""
    agency = case.agency
    texts = [agency.name, agency.address, agency.short_name]
    if case.standard is not None:
        texts.append(case.standard.name)
        texts += case.standard.items.filter(component="product").values_list("text", flat=True)
    texts += case.events.exclude(note="").values_list("note", flat=True)
    for field in ("product_note", "answer"):
        texts.append(getattr(case, field, ""))
    if case.due_rule.get("stage"):
        texts.append(case.due_rule["stage"])
    return sorted((t for t in texts if t), key=len, reverse=True)


def indonesian_words(text: str, *, leaving_out=()) -> list[str]:
    text = re.sub(r"\s+", " ", text)
    for written in leaving_out:
        text = text.replace(re.sub(r"\s+", " ", written), " ")
    text = re.sub(r"https?://\S+", " ", text)  # the tracking link's path is /lacak/ in any language
    return sorted({m.group(0) for m in WORD.finditer(text)})


def english_mail(message, case) -> list[str]:
    return indonesian_words(message.subject + "\n" + message.body, leaving_out=as_written(case))


def send_queued_in_a_fresh_thread() -> str:
    """`send_queued_mail` as cron runs it: in another thread, in the default language. It shares
    the test's database connection (the rows are in the test's transaction) and nothing else;
    returns the language that thread had."""
    connection = connections["default"]
    connection.inc_thread_sharing()
    seen = {}

    def run():
        connections["default"] = connection
        seen["language"] = translation.get_language()
        call_command("send_queued_mail", verbosity=0)

    try:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join()
    finally:
        connection.dec_thread_sharing()
    return seen["language"]


# --------------------------------------------------------------------------- the language


@pytest.mark.parametrize(
    ("code", "stored"),
    [
        ("en", "en"),
        ("en-us", "en"),  # a regional variant: its language
        ("EN-GB", "en"),
        ("id", "id"),
        ("fr", "id"),  # not offered: the default
        ("", "id"),
        (None, "id"),
    ],
)
def test_a_language_code_is_stored_as_one_of_the_sites_languages(code, stored):
    assert supported(code) == stored


def test_an_explanation_recorded_before_english_was_is_given_in_indonesian():
    assert explanation({"explain": "Aturan: 5 hari kerja."}, "en") == (
        "Aturan: 5 hari kerja.",
        "id",
    )
    both = {"explain": "Aturan: 5 hari kerja.", "explain_en": "Rule: 5 working days."}
    assert explanation(both, "en") == ("Rule: 5 working days.", "en")
    assert explanation(both, "id") == ("Aturan: 5 hari kerja.", "id")


def test_a_case_made_without_a_language_is_indonesian():
    with time_machine.travel(MONDAY, tick=False):
        case, _code = request_actions.request_submit(
            standard=standard(), applicant=APPLICANT, documents={}, now=MONDAY
        )
    assert case.language == "id"


@pytest.mark.parametrize("form", [WalkInForm, OtherChannelForm])
def test_the_counter_forms_offer_the_language_and_default_to_indonesian(form):
    field = form().fields["language"]
    assert field.initial == "id" and not field.required  # a form sent without it: Indonesian
    assert [value for value, _label in field.choices] == ["id", "en"]


# --------------------------------------------------------------------------- emails


def test_a_request_submitted_on_the_english_site_gets_an_english_receipt_email(
    english, django_capture_on_commit_callbacks
):
    with time_machine.travel(THU_BEFORE_LEBARAN, tick=False):
        case = submit_request(english, django_capture_on_commit_callbacks)
    assert case.language == "en"
    (message,) = mail.outbox
    assert message.subject == f"Receipt for request {case.number}"
    assert "Due by         : Monday, 14 April 2025 at 16:00 WIB" in message.body
    # How it was counted, in English: the national holidays by their English names.
    assert "Rule: 5 working days; the day of receipt is not counted" in message.body
    assert "Eid al-Fitr" in message.body and "(weekend)" in message.body
    assert english_mail(message, case) == []


def test_later_emails_of_an_english_request_stay_english_whoever_sends_them(
    english, settings, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        case = submit_request(english, django_capture_on_commit_callbacks)
        actor = staff_member(case.agency)
        settings.EMAIL_BACKEND = "tests.portal.cases.test_language.Refusing"
        with django_capture_on_commit_callbacks(execute=True):
            for status, note in [
                (RequestStatus.VERIFIED, "Berkas diperiksa."),
                (RequestStatus.RETURNED, "Lengkapi fotokopi KTP."),
            ]:
                request_actions.request_process(
                    request=case, actor=actor, now=MONDAY, to_status=status, note=note
                )
            request_actions.request_resubmit(
                request=case,
                documents=[SimpleUploadedFile("ktp.pdf", PDF, content_type="application/pdf")],
                note="Sudah saya lengkapi.",
                now=MONDAY,
            )
            for status in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS):
                request_actions.request_process(
                    request=case, actor=actor, now=MONDAY, to_status=status, note="Lanjut."
                )
            request_actions.request_process(
                request=case,
                actor=actor,
                now=MONDAY,
                to_status=RequestStatus.DONE,
                note="Selesai.",
                product_note="Diambil di loket 2.",
            )
        assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == 2
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        mail.outbox.clear()
        assert send_queued_in_a_fresh_thread() == "id"
    returned, done = mail.outbox
    case.refresh_from_db()
    assert returned.subject == f"Request {case.number} needs completing"
    assert "has been returned to you to complete:\n\nLengkapi fotokopi KTP." in returned.body
    assert done.subject == f"Request {case.number} completed"
    assert "Help us improve the service" in done.body
    assert english_mail(returned, case) == [] and english_mail(done, case) == []


def test_a_rejected_english_request_is_told_in_english(english, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False):
        case = submit_request(english, django_capture_on_commit_callbacks)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            request_actions.request_process(
                request=case,
                actor=staff_member(case.agency),
                now=MONDAY,
                to_status=RequestStatus.REJECTED,
                note="Bukan layanan kami.",
            )
    (message,) = mail.outbox
    assert message.subject == f"Request {case.number} rejected"
    assert "Reason: Bukan layanan kami." in message.body
    assert english_mail(message, case) == []


def test_a_complaint_made_on_the_english_site_is_answered_and_rejected_in_english(
    english, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        complaint = submit_complaint(english, django_capture_on_commit_callbacks)
        assert complaint.language == "en"
        (receipt,) = (m for m in mail.outbox if m.to == [complaint.email])
        officer = complaint_officer(complaint.agency)
        mail.outbox.clear()
        with translation.override("id"), django_capture_on_commit_callbacks(execute=True):
            complaint_actions.complaint_process(
                complaint=complaint, actor=officer, now=MONDAY, tier=Tier.NORMATIVE
            )
            complaint_actions.complaint_process(
                complaint=complaint, actor=officer, now=MONDAY, answer="Konsultasi dijadwalkan."
            )
        (answered,) = mail.outbox
    assert receipt.subject == f"Receipt for complaint {complaint.number}"
    assert "To be classified by: Monday, 3 November 2025 at 12:00 WIB" in receipt.body
    assert answered.subject == f"Answer to complaint {complaint.number}"
    assert "has been answered:\n\nKonsultasi dijadwalkan." in answered.body
    for message in (receipt, answered):
        assert english_mail(message, complaint) == []


def test_a_rejected_english_complaint_is_told_in_english(django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False):
        complaint, _code = complaint_actions.complaint_submit(
            agency=Agency.objects.get(slug="musi-banyuasin"),
            details={
                "shortfall": "Petugas tidak ada di tempat.",
                "remedy": "Dilayani sesuai jadwal.",
                "complainant_name": "Dewi",
                "phone": "+6281211112222",
                "email": "dewi@contoh.id",
            },
            evidence=[],
            now=MONDAY,
            language="en",
        )
        with django_capture_on_commit_callbacks(execute=True):
            complaint_actions.complaint_process(
                complaint=complaint,
                actor=complaint_officer(complaint.agency),
                now=MONDAY,
                to_status=ComplaintStatus.REJECTED,
                rejection_reason="bukan_kewenangan",
                note="Bukan kewenangan kami.",
            )
    (message,) = mail.outbox
    assert message.subject == f"Complaint {complaint.number} cannot be followed up"
    assert "cannot be followed up: Outside the agency's authority." in message.body
    assert english_mail(message, complaint) == []


def test_the_english_check_catches_an_indonesian_email(django_capture_on_commit_callbacks):
    """The same check fails on an Indonesian email (so it can fail at all)."""
    with time_machine.travel(MONDAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        case, _code = request_actions.request_submit(
            standard=standard(), applicant={**APPLICANT, "email": "b@contoh.id"}, documents={},
            now=MONDAY,
        )  # fmt: skip
    (message,) = mail.outbox
    assert len(english_mail(message, case)) > 5


# An Indonesian case's email reads exactly as it did before the emails could be English.
RETURNED_ID = """Yth. Budi,

Permohonan {number} (Pendataan Potensi dan Pengembangan Usaha) dikembalikan untuk dilengkapi:

Lengkapi KTP.

Waktu layanan dihentikan sampai dokumen dilengkapi. Unggah dokumen yang diminta di halaman lacak:
http://127.0.0.1:8000/lacak/{number}/
(gunakan nomor tanda terima dan kode akses dari tanda terima Anda)

Terima kasih,
Dinas Koperasi, Usaha Kecil dan Menengah Kabupaten Pasuruan
Portal Standar Pelayanan
"""

RECEIPT_ID = """Diterima       : Senin, 3 November 2025 pukul 09.00 WIB
Paling lambat   : Senin, 10 November 2025 pukul 16.00 WIB

Cara menghitung:
Aturan: 5 hari kerja; hari penerimaan tidak dihitung; jatuh tempo pada akhir jam layanan hari kerja terakhir.
Diterima Senin, 3 November 2025 pukul 09.00 WIB.
Hari kerja ke-1: Selasa, 4 November 2025.
Hari yang tidak dihitung: Sabtu, 8 November 2025 (akhir pekan); Minggu, 9 November 2025 (akhir pekan).
Jatuh tempo: Senin, 10 November 2025 pukul 16.00 WIB.

Simpan nomor dan kode akses ini."""  # noqa: E501


def test_an_indonesian_cases_emails_are_unchanged_even_when_sent_from_an_english_page(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.portal.cases.test_language.Refusing"
    with time_machine.travel(MONDAY, tick=False):
        case, _code = request_actions.request_submit(
            standard=standard(), applicant={**APPLICANT, "email": "b@contoh.id"}, documents={},
            now=MONDAY,
        )  # fmt: skip
        actor = staff_member(case.agency)
        for status, note in [
            (RequestStatus.VERIFIED, "Diperiksa."),
            (RequestStatus.RETURNED, "Lengkapi KTP."),
        ]:
            request_actions.request_process(
                request=case, actor=actor, now=MONDAY, to_status=status, note=note
            )
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        with translation.override("en"):  # whatever the sending thread speaks
            call_command("send_queued_mail", verbosity=0)
    receipt, returned = mail.outbox
    assert receipt.subject == f"Tanda terima permohonan {case.number}"
    assert RECEIPT_ID in receipt.body
    assert returned.subject == f"Permohonan {case.number} perlu dilengkapi"
    assert returned.body == RETURNED_ID.format(number=case.number) + "\n"


def test_a_counter_request_can_be_given_english_emails(django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        case, _code = request_actions.request_submit(
            standard=standard(),
            applicant={**APPLICANT, "email": "b@contoh.id"},
            documents={},
            now=MONDAY,
            channel="loket",
            actor=staff_member(standard().agency),
            language="en",
        )
    (message,) = mail.outbox
    assert case.language == "en" and message.subject.startswith("Receipt for request")


# --------------------------------------------------------------------------- the receipt PDF


@pytest.fixture
def rendered(monkeypatch):
    """The HTML of each PDF rendered, beside the real rendering."""
    pages: list[str] = []
    real = portal.pdf.render_pdf

    def record(html, **kwargs):
        pages.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(portal.pdf, "render_pdf", record)
    return pages


def pdftotext(data: bytes) -> str:
    run = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return run.stdout.decode()


class AsWritten(HTMLParser):
    """The texts of the elements marked lang="id" or translate="no": shown as written."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: whether it is inside a marked one
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VisibleText.VOID:
            return
        attrs = dict(attrs)
        marked = tag != "html" and (
            attrs.get("lang", "").startswith("id") or attrs.get("translate") == "no"
        )
        inside = bool(self.stack) and self.stack[-1]
        if marked and not inside:
            self.texts.append("")
        self.stack.append(marked or inside)

    def handle_endtag(self, tag):
        if tag not in VisibleText.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1]:
            self.texts[-1] += data


def written_texts(html: str) -> list[str]:
    parser = AsWritten()
    parser.feed(html)
    texts = [t.strip() for t in parser.texts if t.strip()]
    # The letterhead prints the agency's names in capitals.
    return sorted({*texts, *(t.upper() for t in texts)}, key=len, reverse=True)


def open_receipt(client, case, code, url_name):
    session = client.session
    access.grant(SimpleNamespace(session=session), case.number, code)
    session.save()
    response = client.get(reverse(url_name, args=[case.number]))
    assert response.status_code == 200
    return pdftotext(response.content)


@pytest.mark.slow
def test_the_receipt_pdf_follows_the_language_of_the_page(client, settings, rendered):
    with time_machine.travel(THU_BEFORE_LEBARAN, tick=False):
        std = ServiceStandard.objects.get(
            agency__slug="kalimantan-barat", slug="penilaian-kesehatan-pengawasan-koperasi"
        )
        case, code = request_actions.request_submit(
            standard=std, applicant=APPLICANT, documents={}, now=THU_BEFORE_LEBARAN
        )  # an Indonesian case: the receipt still follows the page
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = open_receipt(client, case, code, "services:request_receipt_pdf")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
        indonesian = open_receipt(client, case, code, "services:request_receipt_pdf")
    flat = " ".join(english.split())
    assert "REQUEST RECEIPT" in flat and "TANDA TERIMA" not in flat
    assert "Due by Thursday, 10 April 2025 at 16:00 WIB" in flat
    assert "Eid al-Fitr" in flat and "Page 1 of" in flat
    assert std.name in flat  # the decree's wording as decreed
    assert '<html lang="en">' in rendered[0]
    assert indonesian_words(english, leaving_out=written_texts(rendered[0])) == []
    flat = " ".join(indonesian.split())
    assert "TANDA TERIMA PERMOHONAN" in flat and "Halaman 1 dari" in flat
    assert "Paling lambat Kamis, 10 April 2025 pukul 16.00 WIB" in flat
    assert len(indonesian_words(indonesian, leaving_out=written_texts(rendered[1]))) > 5


@pytest.mark.slow
def test_the_complaint_receipt_pdf_in_english(english, rendered):
    with time_machine.travel(MONDAY, tick=False):
        complaint, code = complaint_actions.complaint_submit(
            agency=Agency.objects.get(slug="kalimantan-barat"),
            details={
                "shortfall": "Petugas tidak ada di tempat.",
                "remedy": "Dilayani sesuai jadwal.",
                "complainant_name": "Dewi",
                "phone": "+6281211112222",
            },
            evidence=[],
            now=MONDAY,
            submission_key=uuid.uuid4(),
        )
        text = open_receipt(english, complaint, code, "complaints:receipt_pdf")
    flat = " ".join(text.split())
    assert "COMPLAINT RECEIPT" in flat and "Classification due by" in flat
    assert indonesian_words(text, leaving_out=written_texts(rendered[0])) == []


def test_a_receipt_of_a_case_recorded_before_english_explanations_marks_it_indonesian(
    english, rendered, monkeypatch
):
    monkeypatch.setattr(portal.pdf, "render_pdf", lambda html, **kw: rendered.append(html) or PDF)
    with time_machine.travel(MONDAY, tick=False):
        case, code = request_actions.request_submit(
            standard=standard(), applicant=APPLICANT, documents={}, now=MONDAY
        )
        rule = {k: v for k, v in case.due_rule.items() if k != "explain_en"}
        ServiceRequest.objects.filter(pk=case.pk).update(due_rule=rule)
        session = english.session
        access.grant(SimpleNamespace(session=session), case.number, code)
        session.save()
        english.get(reverse("services:request_receipt_pdf", args=[case.number]))
    (html,) = rendered
    assert '<td class="explain" lang="id">Aturan: 5 hari kerja' in html


def test_the_receipt_page_says_how_the_due_moment_was_counted_in_the_pages_language(
    english, settings, django_capture_on_commit_callbacks
):
    with time_machine.travel(THU_BEFORE_LEBARAN, tick=False):
        case = submit_request(english, django_capture_on_commit_callbacks)
        url = reverse("services:request_receipt", args=[case.number])
        page = english.get(url).content.decode()
        assert '<pre class="explain" lang="en">Rule: 5 working days' in page
        assert "Eid al-Fitr" in page
        english.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
        page = english.get(url).content.decode()
    assert '<pre class="explain" lang="id">Aturan: 5 hari kerja' in page
