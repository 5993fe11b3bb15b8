"""services.requests.actions: submission, the staff's one workflow action, endings, recomputing.

Every test freezes time; deadlines are counted in Pasuruan's calendar (WIB).
"""

import itertools
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.utils import timezone

from portal.cases.codes import code_matches
from portal.models import OutboundEmail
from services.catalogue.deadlines import DueRule
from services.models import (
    AgencyClosure,
    OfficeHours,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    ServiceStandard,
)
from services.requests import actions as request_actions
from tests.factories import (
    APPLICANT,
    ApplicantFactory,
    default_standard,
    make_request,
    staff_member,
)
from tests.pdfs import PDF

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")  # 5 Hari Kerja
# Mon 3 Nov 2025 09:00 WIB: an ordinary working week with no holiday.
MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=WIB)
# Mon 3 Mar 2025 09:00 WIB; 5 working days -> Mon 10 Mar 16:00.
MONDAY_9 = "2025-03-03T09:00:00+07:00"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def standard(**changes) -> ServiceStandard:
    std = ServiceStandard.objects.select_related("agency").get(
        agency__slug=SERVICE[0], slug=SERVICE[1]
    )
    if changes:
        ServiceStandard.objects.filter(pk=std.pk).update(**changes)
        std.refresh_from_db()
    return std


def submit(std=None, *, now=MONDAY, email="", **kwargs):
    std = std or standard()
    return request_actions.request_submit(
        standard=std,
        applicant={**APPLICANT, "email": email},
        documents={},
        now=now,
        submission_key=kwargs.pop("submission_key", uuid.uuid4()),
        **kwargs,
    )


def pdf(name="produk.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def stored_files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def snapshot(case, root):
    case = ServiceRequest.objects.get(pk=case.pk)
    row = model_to_dict(case, exclude=["product"])
    return row, case.product.name, list(case.events.values_list("kind", "note")), stored_files(root)


# ----------------------------------------------------------------- one action, all or nothing

ASSIGNEES = ["keep", "colleague", "stranger"]
PRODUCTS = ["none", "pdf", "exe"]
STATUSES = ["", RequestStatus.VERIFIED, RequestStatus.DONE]  # from diterima: allowed, not
NOTES = ["", "Berkas lengkap."]


@pytest.mark.parametrize(
    ("assignee", "product", "to_status", "note"),
    list(itertools.product(ASSIGNEES, PRODUCTS, STATUSES, NOTES)),
)
def test_a_workflow_step_is_applied_whole_or_not_at_all(media, assignee, product, to_status, note):
    case, _code = submit()
    agency = case.agency
    actor = staff_member(agency)
    people = {
        "keep": request_actions.KEEP,
        "colleague": staff_member(agency),
        "stranger": staff_member(ServiceStandard.objects.exclude(agency=agency).first().agency),
    }
    uploads = {
        "none": None,
        "pdf": pdf(),
        "exe": SimpleUploadedFile("produk.pdf", b"MZ\x90\x00 not a pdf"),
    }
    valid = (
        assignee != "stranger"
        and product != "exe"
        and to_status != RequestStatus.DONE  # not allowed from diterima
        and (not to_status or note)
        and (assignee != "keep" or product != "none" or to_status or note)
    )
    before = snapshot(case, media)
    kwargs = dict(
        request=case,
        actor=actor,
        now=MONDAY.replace(hour=11),
        to_status=to_status,
        note=note,
        assignee=people[assignee],
        product=uploads[product],
    )
    if not valid:
        with pytest.raises(ValidationError):
            request_actions.request_process(**kwargs)
        assert snapshot(case, media) == before  # nothing saved, no history, no file left
        return
    request_actions.request_process(**kwargs)
    case.refresh_from_db()
    kinds = list(case.events.values_list("kind", flat=True))
    assert case.status == (to_status or RequestStatus.RECEIVED)
    assert (case.assignee == people[assignee]) if assignee == "colleague" else case.assignee is None
    assert (RequestEvent.Kind.ASSIGNED in kinds) == (assignee == "colleague")
    assert (RequestEvent.Kind.PRODUCT in kinds) == (product == "pdf")
    assert bool(case.product) == (product == "pdf")


def test_the_half_saved_case_changes_nothing(media):
    """A new assignee and a status change with a blank note: an error, and no assignee saved,
    no "assigned" history entry, no product file left on disk."""
    case, _code = submit()
    colleague = staff_member(case.agency)
    before = snapshot(case, media)
    with pytest.raises(ValidationError) as error:
        request_actions.request_process(
            request=case,
            actor=staff_member(case.agency),
            now=MONDAY,
            to_status=RequestStatus.VERIFIED,
            note="  ",
            assignee=colleague,
            product=pdf(),
        )
    assert "note" in error.value.error_dict
    assert snapshot(case, media) == before
    assert not case.events.filter(kind=RequestEvent.Kind.ASSIGNED).exists()


def test_a_replaced_product_is_deleted_after_the_commit(media, django_capture_on_commit_callbacks):
    case, _code = submit()
    actor = staff_member(case.agency)
    request_actions.request_process(request=case, actor=actor, now=MONDAY, product=pdf("a.pdf"))
    first = ServiceRequest.objects.get(pk=case.pk).product.name
    with django_capture_on_commit_callbacks(execute=True):
        request_actions.request_process(request=case, actor=actor, now=MONDAY, product=pdf("b.pdf"))
    second = ServiceRequest.objects.get(pk=case.pk).product.name
    assert first != second
    assert stored_files(media) == [f"private/{second}"]


def test_nothing_to_do_is_an_error():
    case, _code = submit()
    with pytest.raises(ValidationError, match="Tidak ada perubahan"):
        request_actions.request_process(request=case, actor=None, now=MONDAY)


# ----------------------------------------------------------------- notes and their audience


def test_a_staff_note_is_internal_unless_shown(client):
    case, code = submit()
    actor = staff_member(case.agency)
    request_actions.request_process(request=case, actor=actor, now=MONDAY, note="Intern saja.")
    request_actions.request_process(
        request=case, actor=actor, now=MONDAY, note="Untuk pemohon.", public=True
    )
    internal, shown = case.events.filter(kind=RequestEvent.Kind.NOTE).order_by("pk")
    assert (internal.public, shown.public) == (False, True)
    page = client.get(f"/lacak/{case.number}/?kode={code}", follow=True).content.decode()
    assert "Untuk pemohon." in page and "Intern saja." not in page


def test_an_internal_status_note_hides_the_note_not_the_status(client):
    case, code = submit()
    request_actions.request_process(
        request=case,
        actor=staff_member(case.agency),
        now=MONDAY,
        to_status=RequestStatus.VERIFIED,
        note="Dicek oleh Pak Joko.",
    )
    page = client.get(f"/lacak/{case.number}/?kode={code}", follow=True).content.decode()
    assert "Diverifikasi" in page and "Pak Joko" not in page


def test_the_note_of_a_return_is_always_shown_to_the_applicant():
    case, _code = submit()
    request_actions.request_process(
        request=case,
        actor=staff_member(case.agency),
        now=MONDAY,
        to_status=RequestStatus.RETURNED,
        note="Lampirkan akta pendirian.",
        public=False,
    )
    assert case.events.get(kind=RequestEvent.Kind.STATUS).public is True


# ----------------------------------------------------------------- correct endings


def advance(case, actor, *statuses):
    for status in statuses:
        request_actions.request_process(
            request=case, actor=actor, now=MONDAY, to_status=status, note=f"Ke {status}."
        )


def test_a_document_product_is_required_to_complete(media):
    case, _code = submit(standard(product_is_document=True))
    actor = staff_member(case.agency)
    advance(case, actor, RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS)
    with pytest.raises(ValidationError) as error:
        request_actions.request_process(
            request=case, actor=actor, now=MONDAY, to_status=RequestStatus.DONE, note="Selesai."
        )
    assert "product" in error.value.error_dict
    assert ServiceRequest.objects.get(pk=case.pk).status == RequestStatus.IN_PROGRESS
    request_actions.request_process(
        request=case,
        actor=actor,
        now=MONDAY,
        to_status=RequestStatus.DONE,
        note="Selesai.",
        product=pdf("rekomendasi.pdf"),
        product_note="Asli dapat diambil di loket 2.",
    )
    case.refresh_from_db()
    assert case.status == RequestStatus.DONE and case.product and case.closed_at == MONDAY


def test_a_service_product_records_what_was_given(client):
    case, code = submit(standard(product_is_document=False))
    actor = staff_member(case.agency)
    advance(case, actor, RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS)
    with pytest.raises(ValidationError) as error:
        request_actions.request_process(
            request=case, actor=actor, now=MONDAY, to_status=RequestStatus.DONE, note="Selesai."
        )
    assert "product_note" in error.value.error_dict
    request_actions.request_process(
        request=case,
        actor=actor,
        now=MONDAY,
        to_status=RequestStatus.DONE,
        note="Selesai.",
        product_note="Konsultasi tatap muka 3 November, 45 menit, dengan Bidang UMKM.",
    )
    page = client.get(f"/lacak/{case.number}/?kode={code}", follow=True).content.decode()
    assert "Konsultasi tatap muka 3 November" in page
    assert case.agency.address.split()[0] in page  # where: the agency's address


def test_the_completion_email_says_what_to_collect_and_where(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, _code = submit(standard(product_is_document=True), email="siti@contoh.id")
    actor = staff_member(case.agency)
    advance(case, actor, RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_actions.request_process(
            request=case,
            actor=actor,
            now=MONDAY,
            to_status=RequestStatus.DONE,
            note="Permohonan selesai.",
            product=pdf("surat.pdf"),
            product_note="Asli diambil di loket 2 pada jam layanan.",
        )
    (message,) = mail.outbox
    assert "selesai" in message.subject
    assert "surat.pdf" in message.body and "Asli diambil di loket 2" in message.body
    assert case.agency.address in message.body
    assert "Online Data System" in message.body  # the standard's product


# ----------------------------------------------------------------- mail never fails a submission


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("550 relay denied")


def test_a_refusing_mail_server_queues_the_email_for_later(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.services.requests.test_actions.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        case, code = submit(email="siti@contoh.id")
    assert ServiceRequest.objects.filter(pk=case.pk).exists() and code
    row = OutboundEmail.objects.get()
    assert row.sent_at is None and row.attempts == 1 and "ConnectionRefusedError" in row.last_error
    assert code not in str(row.params)  # the code is never stored with the email

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.management import call_command

    call_command("send_queued_mail", verbosity=0)
    row.refresh_from_db()
    (message,) = mail.outbox
    assert row.sent_at is not None and code in message.body  # the same code, derived again


def test_a_form_sent_again_gets_the_same_request_and_code_only_from_the_same_browser():
    key = uuid.uuid4()
    first, code = submit(submission_key=key, binding="b" * 64)
    again, code_again = submit(submission_key=key, binding="b" * 64)
    assert again.pk == first.pk and code_again == code
    assert code_matches(first.access_hash, code)
    elsewhere, no_code = submit(submission_key=key, binding="c" * 64)
    assert elsewhere.pk == first.pk and no_code is None
    assert ServiceRequest.objects.count() == 1


def test_walk_in_codes_are_unguessable_and_distinct():
    a, code_a = submit(submission_key=None, channel="loket")
    b, code_b = submit(submission_key=None, channel="loket")
    assert code_a != code_b and len(code_a) == 19  # XXXX-XXXX-XXXX-XXXX
    assert not code_matches(a.access_hash, code_b)


# ----------------------------------------------------------------- deadlines after a closure


def test_a_paused_and_resumed_request_moves_with_a_new_closure():
    """Received Mon 3 Nov 09:00 (5 working days: due Mon 10 Nov 16:00); returned Tue 4 Nov
    09:00 and resumed Wed 5 Nov 09:00, one working day later: due Tue 11 Nov 16:00. A closure
    on Fri 7 Nov then pushes it one working day later, to Wed 12 Nov, like any other request."""
    case, _code = submit()
    actor = staff_member(case.agency)
    tue = datetime(2025, 11, 4, 9, 0, tzinfo=WIB)
    wed = datetime(2025, 11, 5, 9, 0, tzinfo=WIB)
    request_actions.request_process(
        request=case, actor=actor, now=tue, to_status=RequestStatus.RETURNED, note="Lengkapi."
    )
    request_actions.request_process(
        request=case, actor=actor, now=wed, to_status=RequestStatus.RECEIVED, note="Lengkap."
    )
    case.refresh_from_db()
    due_before = case.due_at
    friday = datetime(2025, 11, 7).date()
    AgencyClosure.objects.create(agency=case.agency, date=friday, reason="Banjir")
    with time_machine.travel(wed, tick=False):
        changed = request_actions.requests_recompute_deadlines(
            agency=case.agency, actor=actor, now=wed, reason="Kantor tutup karena banjir."
        )
    case.refresh_from_db()
    assert changed == 1
    assert case.due_at.astimezone(WIB) > due_before.astimezone(WIB)
    assert case.due_at.astimezone(WIB).date() == datetime(2025, 11, 12).date()
    assert case.events.filter(kind=RequestEvent.Kind.DEADLINE).count() == 1


def test_a_request_paused_now_gets_its_remaining_time_again():
    """Received Mon 3 Nov 09:00, returned Wed 5 Nov 09:00. A closure recorded afterwards for
    Tue 4 Nov (the office was in fact closed) moves the due moment at receipt a day later, so
    one more working day (the agency's own length) remains when the clock restarts."""
    case, _code = submit()
    actor = staff_member(case.agency)
    wed = datetime(2025, 11, 5, 9, 0, tzinfo=WIB)
    request_actions.request_process(
        request=case, actor=actor, now=wed, to_status=RequestStatus.RETURNED, note="Lengkapi."
    )
    case.refresh_from_db()
    before = case.remaining_seconds
    tuesday = datetime(2025, 11, 4).date()
    AgencyClosure.objects.create(agency=case.agency, date=tuesday, reason="Listrik padam")
    request_actions.requests_recompute_deadlines(
        agency=case.agency, actor=actor, now=wed, reason="Kantor tutup 4 November."
    )
    case.refresh_from_db()
    assert case.remaining_seconds == before + 27_000  # 7.5 office hours
    assert case.status == RequestStatus.RETURNED


def test_remaining_time_in_words_uses_the_agencys_own_hours(client):
    """An agency open 08:00-14:00 Monday to Friday has 6-hour working days: a request
    returned with 3 such days left says "3 hari kerja", not 2 days and 3 hours."""
    std = standard()
    for weekday in range(5):
        OfficeHours.objects.create(
            agency=std.agency, weekday=weekday, opens="08:00", closes="14:00", reason="Uji"
        )
    case, code = submit(std)  # Mon 09:00: due Mon 10 Nov 14:00
    wed = datetime(2025, 11, 5, 14, 0, tzinfo=WIB)  # end of Wednesday: Thu, Fri, Mon left
    request_actions.request_process(
        request=case,
        actor=staff_member(std.agency),
        now=wed,
        to_status=RequestStatus.RETURNED,
        note="Lengkapi.",
    )
    case.refresh_from_db()
    assert case.remaining_seconds == 3 * 6 * 3600
    page = client.get(f"/lacak/{case.number}/?kode={code}", follow=True).content.decode()
    assert "3 hari kerja" in page and "detik" not in page


def test_the_tracking_history_says_the_time_left_in_words(client):
    """Returned Tue 4 Nov 09:00 with Tue 09:00 -> Mon 10 Nov 16:00 left (4 days 6 hours of
    7.5-hour days), resumed Wed: the history says it in words, in either language."""
    case, code = submit()
    actor = staff_member(case.agency)
    tue = datetime(2025, 11, 4, 9, 0, tzinfo=WIB)
    wed = datetime(2025, 11, 5, 9, 0, tzinfo=WIB)
    request_actions.request_process(
        request=case, actor=actor, now=tue, to_status=RequestStatus.RETURNED, note="Lengkapi."
    )
    request_actions.request_process(
        request=case, actor=actor, now=wed, to_status=RequestStatus.RECEIVED, note="Lengkap."
    )
    url = f"/lacak/{case.number}/"
    client.get(f"{url}?kode={code}")
    page = client.get(url).content.decode()
    assert "sisa 4 hari kerja lebih 6 jam" in page and "detik" not in page
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "4 working days and 6 hours left" in english


def test_history_stored_with_seconds_is_shown_in_words(client):
    case, code = submit()
    RequestEvent.objects.create(
        request=case,
        kind=RequestEvent.Kind.RESUMED,
        at=MONDAY,
        note="Waktu dilanjutkan; sisa 108000 detik kerja. Jatuh tempo baru: x",
        data={"new_due": "2025-11-10T16:00:00+07:00"},
    )
    client.get(f"/lacak/{case.number}/?kode={code}")
    page = client.get(f"/lacak/{case.number}/").content.decode()
    assert "4 hari kerja" in page and "108000" not in page


# ----------------------------------------------------------------- checks and recomputing


@time_machine.travel(MONDAY_9, tick=False)
def test_a_form_sent_twice_is_stored_once_and_its_second_files_are_removed(media):
    """The copy is found under the agency's numbering lock (where a copy sent at the same
    moment is found once the first has committed): the same request and code come back, and
    the documents the second copy had already written are deleted again."""
    key = uuid.uuid4()
    std = default_standard()
    requirement = std.requirements.filter(document=True).first() or std.requirements.create(
        order=90, text="Surat permohonan", document=True
    )
    applicant = ApplicantFactory()
    now = timezone.now()

    def send():
        return request_actions.request_submit(
            standard=std,
            applicant=applicant,
            documents={requirement.pk: pdf("surat.pdf")},
            now=now,
            submission_key=key,
            binding="b" * 64,  # the same browser sends it again
        )

    first, code = send()
    files = stored_files(media)
    second, second_code = send()
    assert second.pk == first.pk and second_code == code and code
    assert ServiceRequest.objects.count() == 1 and first.documents.count() == 1
    assert stored_files(media) == files and len(files) == 1


@time_machine.travel(MONDAY_9, tick=False)
def test_transitions_are_checked_and_need_a_note():
    case = make_request()
    staff = staff_member(case.agency)
    with pytest.raises(ValidationError, match="Status tidak dapat diubah"):
        request_actions.request_process(
            request=case,
            to_status=RequestStatus.DONE,
            actor=staff,
            note="langsung selesai",
            now=timezone.now(),
        )
    with pytest.raises(ValidationError, match="Catatan wajib diisi"):
        request_actions.request_process(
            request=case,
            to_status=RequestStatus.VERIFIED,
            actor=staff,
            note=" ",
            now=timezone.now(),
        )
    case.refresh_from_db()
    assert case.status == RequestStatus.RECEIVED
    assert list(case.events.values_list("kind", flat=True)) == ["submitted"]


@time_machine.travel(MONDAY_9, tick=False)
def test_new_closure_recomputes_open_requests_and_records_it():
    case = make_request()
    assert timezone.localtime(case.due_at).isoformat() == "2025-03-10T16:00:00+07:00"
    official = staff_member(case.agency)
    AgencyClosure.objects.create(agency=case.agency, date="2025-03-06", reason="Hari jadi")
    changed = request_actions.requests_recompute_deadlines(
        agency=case.agency, actor=official, now=timezone.now(), reason="Hari tutup baru"
    )
    case.refresh_from_db()
    assert changed == 1
    # Thu 6 Mar is closed now: Tue 4 (1), Wed 5 (2), Fri 7 (3), Mon 10 (4), Tue 11 (5).
    assert timezone.localtime(case.due_at).isoformat() == "2025-03-11T16:00:00+07:00"
    event = case.events.get(kind="deadline")
    assert event.actor == official and event.note == "Hari tutup baru"
    assert event.data["old_due"].startswith("2025-03-10T09:00:00")


# ----------------------------------------------------------------- the due rule kept with it

REQUEST_RULE_KEYS = {"rule", "stage", "explain", "explain_en", "skipped"}


def test_the_due_rule_is_stored_in_its_documented_json_form_and_read_back_exactly():
    case, _code = submit()
    stored = ServiceRequest.objects.get(pk=case.pk).due_rule
    assert set(stored) == REQUEST_RULE_KEYS  # the form requests have always been stored in
    rule = case.deadline_rule
    assert rule == DueRule.from_json(stored) and rule.to_json() == stored
    assert rule.rule == "5 hari kerja" and rule.stage == "" and rule.explain
    assert isinstance(rule.skipped, tuple) and rule.purpose is None


@pytest.mark.parametrize(
    "stored",
    [
        # A decree without a time limit.
        DueRule.no_limit().to_json(),
        # Stored before English was added: no "explain_en".
        {"rule": "5 hari kerja", "stage": "", "explain": "5 hari kerja.", "skipped": []},
        {
            "rule": "3 hari kerja",
            "stage": "Verifikasi",
            "explain": "Tahap: Verifikasi.",
            "explain_en": "Stage: Verifikasi.",
            "skipped": [["2025-03-31", "Hari Raya Idul Fitri"]],
        },
    ],
)
def test_every_stored_form_of_the_due_rule_reads_back_as_it_was(stored):
    assert DueRule.from_json(stored).to_json() == stored


def test_a_request_without_a_limit_says_so():
    assert DueRule.no_limit().to_json() == {
        "rule": "",
        "explain": "Keputusan tidak menetapkan batas waktu.",
        "explain_en": "The decree sets no time limit.",
    }
