"""What the request and complaint forms keep in each process's memory (the standard as its
version in force reads, the complaint form's agency, channels and tiers), what that saves, and
that it never shows or judges by anything stale: a new version on its own day in the agency's
zone, a withdrawal, a new requirement, a tier changed."""

import uuid

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints.models import ComplaintTier
from portal import sessions
from portal.cases.codes import code_of, key_digest
from services.models import Agency, RequestStatus, ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import PDF, publish, staff_member

pytestmark = pytest.mark.django_db

SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")
MONDAY_9 = "2025-03-03T09:00:00+07:00"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        yield traveller


def standard():
    return ServiceStandard.objects.get(agency__slug=SERVICE[0], slug=SERVICE[1])


URL = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})


def form_data(std, **overrides):
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti Aminah",
        "nik": "3514045507880002",
        "phone": "081234567890",
        "email": "siti@contoh.id",
        "consent": "on",
    }
    for r in std.requirements.filter(document=True):
        data[f"dokumen_{r.pk}"] = SimpleUploadedFile(f"dok{r.pk}.pdf", PDF)
    data.update(overrides)
    return data


def submitted(client, **overrides) -> ServiceRequest:
    response = client.post(URL, form_data(standard(), **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return ServiceRequest.objects.order_by("-pk").first()


# ----------------------------------------------------------------- what it saves


def test_the_blank_request_form_reads_nothing_once_seen(client, django_assert_num_queries):
    first = client.get(URL)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(URL)
    assert again.content.count(b'type="file"') == first.content.count(b'type="file"') > 0


def test_a_submission_reads_neither_the_standard_nor_a_session_key(client):
    client.get(URL)
    std = standard()
    data = form_data(std)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(URL, data).status_code == 302
    case = ServiceRequest.objects.get(submission_digest=key_digest(data["submission_key"]))
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if "services_standardversion" in s and s.startswith("SELECT")]
    assert not [s for s in sql if "services_servicestandard" in s and s.startswith("SELECT")]
    # A new session is inserted straight away: no lookup of its key first.
    assert not [s for s in sql if s.startswith("SELECT") and "django_session" in s]
    assert [s for s in sql if s.startswith("INSERT") and "django_session" in s]
    assert case.version == std.versions.get()
    assert case.documents.count() == std.requirements.filter(document=True).count()
    # The receipt opens for this browser: the session holds the grant.
    assert client.get(reverse("services:request_receipt", args=[case.number])).status_code == 200


def assert_a_used_key_is_drawn_again(client, monkeypatch, taken, new_key):
    """A new browser is first handed the key of the session that submitted `taken`: its
    submission still gets a new session (`new_key`), whose receipt opens."""
    used = client.session.session_key
    client.cookies.clear()
    keys = iter([used, new_key])
    monkeypatch.setattr(sessions, "get_random_string", lambda *_a: next(keys))
    case = submitted(client)
    assert case.number != taken.number
    assert client.session.session_key == new_key
    assert client.get(reverse("services:request_receipt", args=[case.number])).status_code == 200


def test_a_session_key_already_taken_is_drawn_again(client, monkeypatch):
    """The insert of a new session refuses a used key; Django then draws another one."""
    client.get(URL)
    assert_a_used_key_is_drawn_again(client, monkeypatch, submitted(client), "k" * 32)


# ----------------------------------------------------------------- never stale


def test_a_new_version_is_in_force_from_its_own_day_in_the_agencys_zone(client, frozen):
    """The form and the request follow the version valid from tomorrow as soon as tomorrow
    begins where the agency is (here WIT, two hours ahead of the server's WIB)."""
    Agency.objects.filter(slug=SERVICE[0]).update(timezone="Asia/Jayapura")
    std = standard()
    new = std.requirements.create(order=99, text="Surat keterangan domisili usaha", document=True)
    publish(std, valid_from=timezone.localdate() + timezone.timedelta(days=1))
    assert b"Surat keterangan domisili usaha" not in client.get(URL).content
    assert submitted(client).version.number == 1

    frozen.move_to("2025-03-03T22:30:00+07:00")  # 00:30 on Tuesday in Jayapura
    page = client.get(URL).content.decode()
    assert "Surat keterangan domisili usaha" in page
    response = client.post(URL, form_data(standard()))  # the new requirement's file is there
    assert response.status_code == 302
    case = ServiceRequest.objects.order_by("-pk").first()
    assert case.version.number == 2
    assert case.documents.filter(requirement=new).count() == 1


def test_a_withdrawn_service_takes_no_request_from_the_next_moment(client):
    assert client.get(URL).status_code == 200
    std = standard()
    std.withdrawn_on = timezone.localdate()
    std.save()
    assert client.get(URL).status_code == 404
    assert client.post(URL, form_data(std)).status_code == 404
    assert not ServiceRequest.objects.exists()


def test_a_form_fragment_or_standard_changed_in_memory_does_not_leak(client):
    """Each caller gets its own copy: changing the object a view got changes nothing kept."""
    from services.requests import selectors as request_selectors

    now = timezone.now()
    one = request_selectors.intake(*SERVICE, now=now)
    one.standard.name = "diubah"
    one.standard.requirements.all()[0].text = "diubah"
    two = request_selectors.intake(*SERVICE, now=now)
    assert two.standard.name == standard().name
    assert two.standard.requirements.all()[0].text != "diubah"


def test_the_emails_still_say_the_note_and_the_product(client, django_capture_on_commit_callbacks):
    """The receipt reads neither the history nor the product; the later emails do."""
    client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        case = submitted(client)
    (receipt,) = mail.outbox
    assert case.number in receipt.subject
    actor = staff_member(case.agency)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_actions.request_process(
            request=case,
            actor=actor,
            now=timezone.now(),
            to_status=RequestStatus.RETURNED,
            note="Surat pengantar belum ditandatangani.",
        )
    (returned,) = mail.outbox
    assert "Surat pengantar belum ditandatangani." in returned.body


# ----------------------------------------------------------------- the complaint form


COMPLAINT_URL = reverse("complaints:create") + "?instansi=pasuruan"


def test_the_blank_complaint_form_reads_nothing_once_seen(client, django_assert_num_queries):
    first = client.get(COMPLAINT_URL)
    with django_assert_num_queries(0):
        again = client.get(COMPLAINT_URL)
    assert again.content.decode() != ""  # same page, the CSRF token aside
    tiers = ComplaintTier.objects.filter(agency__slug="pasuruan").order_by("order")
    for tier in tiers:
        assert tier.get_tier_display() in first.content.decode()


def test_a_changed_tier_shows_on_the_complaint_form_at_once(client):
    client.get(COMPLAINT_URL)
    tier = ComplaintTier.objects.filter(agency__slug="pasuruan").order_by("order").first()
    tier.duration = "17 hari kerja"
    tier.save()
    assert "17 hari kerja" in client.get(COMPLAINT_URL).content.decode()


def test_unknown_agency_names_are_not_kept(client):
    from django.core.cache import caches

    client.get(COMPLAINT_URL)
    kept = len(caches["local"]._cache)
    for n in range(20):
        assert (
            client.get(reverse("complaints:create") + f"?instansi=tidak-ada-{n}").status_code == 200
        )
    assert len(caches["local"]._cache) == kept


def test_the_public_pages_turn_to_a_new_version_at_the_agencys_own_midnight(client, frozen):
    """The service page, the agency's list, the search results and the sheet follow the version
    in force on the agency's date (WIT here, two hours ahead of the server's WIB)."""
    Agency.objects.filter(slug=SERVICE[0]).update(timezone="Asia/Jayapura")
    std = standard()
    old_name = std.name
    std.name = "Pendataan Potensi Usaha (ketentuan baru)"
    std.save()
    publish(std, valid_from=timezone.localdate() + timezone.timedelta(days=1))
    page_url = reverse(
        "services:service_detail", kwargs={"agency": SERVICE[0], "service": SERVICE[1]}
    )
    agency_url = reverse("services:agency_detail", kwargs={"agency": SERVICE[0]})
    search_url = reverse("services:service_list") + "?q=pendataan+potensi"

    frozen.move_to("2025-03-03T21:30:00+07:00")  # 23:30 in Jayapura: still Monday there
    for url in (page_url, agency_url, search_url):
        page = client.get(url).content.decode()
        assert old_name in page and "ketentuan baru" not in page, url

    frozen.move_to("2025-03-03T22:30:00+07:00")  # 00:30 on Tuesday in Jayapura
    for url in (page_url, agency_url, search_url):
        page = client.get(url).content.decode()
        assert "Pendataan Potensi Usaha (ketentuan baru)" in page, url


@pytest.mark.django_db(transaction=True)
def test_a_new_session_is_one_insert_and_a_used_key_is_drawn_again(client, monkeypatch):
    """Outside a transaction (as the session middleware saves) a new session is a single
    INSERT and a changed one a single UPDATE, without BEGIN and COMMIT around them; a used key
    fails that insert alone, and the submission still reaches its receipt with a new key."""
    from django.core.management import call_command

    call_command("load_standards", verbosity=0)  # an earlier transactional test emptied them
    client.get(URL)

    def submitted_with_a_plain_session_write(verb):
        with CaptureQueriesContext(connection) as queries:
            case = submitted(client)
        sql = [q["sql"] for q in queries.captured_queries]
        at = next(i for i, s in enumerate(sql) if s.startswith(verb) and "django_session" in s)
        assert sql[at - 1] != "BEGIN" and sql[at + 1 : at + 2] != ["COMMIT"]
        return case

    first = submitted_with_a_plain_session_write("INSERT")
    second = submitted_with_a_plain_session_write("UPDATE")  # the same session's next grant
    for case in (first, second):
        assert (
            client.get(reverse("services:request_receipt", args=[case.number])).status_code == 200
        )
    assert_a_used_key_is_drawn_again(client, monkeypatch, first, "m" * 32)


def test_a_submission_adds_its_day_counts_and_mails_its_receipt_without_reading_back(
    client, django_capture_on_commit_callbacks
):
    """The day counts are one upsert per table, the agency's zone comes with the agency the
    form read, and the receipt sent after the commit is written from the request just stored."""
    client.get(URL)
    data = form_data(standard())
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(URL, data).status_code == 302
    case = ServiceRequest.objects.get(submission_digest=key_digest(data["submission_key"]))
    sql = [q["sql"] for q in queries.captured_queries]
    stored = next(
        i for i, s in enumerate(sql) if s.startswith('INSERT INTO "services_servicerequest"')
    )
    assert not [
        s
        for s in sql[stored + 1 :]
        if s.startswith("SELECT") and ("services_servicerequest" in s or "services_agency" in s)
    ]
    counts = [s for s in sql if "daycount" in s]
    assert len(counts) == 2 and all(s.startswith("INSERT") and "ON CONFLICT" in s for s in counts)
    (receipt,) = mail.outbox
    assert case.number in receipt.subject
    assert case.standard.name in receipt.body and case.agency.name in receipt.body
    assert code_of(case) in receipt.body
    assert receipt.to == ["siti@contoh.id"]


def complaint_data(client, **overrides):
    page = client.get(COMPLAINT_URL).content.decode()
    token = page.split('name="submission_key" value="', 1)[1].split('"', 1)[0]
    agency = Agency.objects.get(slug="pasuruan")
    return {
        "submission_key": token,
        "agency": str(agency.pk),
        "shortfall": "Petugas tidak hadir pada jam layanan.",
        "remedy": "Mohon dilayani sesuai standar.",
        "complainant_name": "Budi",
        "phone": "081234567890",
        "consent": "on",
        **overrides,
    }


def test_a_complaint_reads_neither_its_agency_nor_its_tiers_again(client):
    """The agency the form was opened for and the agency's tiers come from the process's
    memory: the POST reads them from no table (the agency row is only locked, to number)."""
    from complaints.models import Complaint

    assert client.post(COMPLAINT_URL, complaint_data(client)).status_code == 302  # seen once
    data = complaint_data(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(COMPLAINT_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    sql = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert not [s for s in sql if "complaints_complainttier" in s]
    assert not [s for s in sql if s.startswith('SELECT "services_agency"."id", ')]
    complaint = Complaint.objects.get(submission_digest=key_digest(data["submission_key"]))
    assert complaint.agency.slug == "pasuruan"


def test_a_changed_triage_deadline_counts_for_the_next_complaint(client):
    from complaints.models import Complaint
    from complaints.workflow import TRIAGE_TIER

    client.post(COMPLAINT_URL, complaint_data(client))
    tier = ComplaintTier.objects.get(agency__slug="pasuruan", tier=TRIAGE_TIER)
    tier.duration = "2 hari kerja"
    tier.save()
    data = complaint_data(client)
    assert client.post(COMPLAINT_URL, data).status_code == 302
    complaint = Complaint.objects.get(submission_digest=key_digest(data["submission_key"]))
    assert complaint.due_rule["duration"] == "2 hari kerja"


@pytest.mark.django_db(transaction=True)
def test_a_session_deleted_meanwhile_is_not_written_again(client):
    """Django's rule holds without the transaction: a session deleted while its request ran
    (signed out elsewhere) is not recreated by that request's UPDATE."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.models import Session

    store = sessions.SessionStore()
    store["x"] = 1
    store.save(must_create=True)
    Session.objects.filter(session_key=store.session_key).delete()
    store["x"] = 2
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.filter(session_key=store.session_key).exists()
