"""Every route that shows a confidential complainant's identity leaves a row in the access log,
and the log says what was shown.

The complaint officer of the agency walks every URL of the complaint admin, the per-case URLs
of the request admin (for the request tied to the complaint) and every staff and public page
of the complaint: whenever the name, phone or email is in the page or the file, a new row names
the officer, the case and the route, "identitas". A plain staff member opening the same
complaint sees "Dirahasiakan" and is logged "tanpa identitas"; lists and exports log only the
confidential identities they show, with a fixed number of queries whatever the data size.
"""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone
from openpyxl import load_workbook

import complaints.urls
import portal.cases.urls
from complaints import actions
from complaints.identity import HIDDEN
from complaints.models import Complaint, ComplaintEvidence
from portal.cases import audit
from portal.cases.exports import XLSX_TYPE
from portal.models import PersonalDataAccess
from services.models import Agency, ServiceRequest, ServiceStandard
from tests.factories import (
    PDF,
    UserFactory,
    complaint_officer,
    make_complaint,
    make_request,
    staff_member,
)

pytestmark = pytest.mark.django_db

NAME = "Rahasia Zulkarnaen"
PHONE = "+6281299990001"
EMAIL = "zul.rahasia@contoh.id"
NEEDLES = ("zulkarnaen", "99990001", "zul.rahasia")

What = PersonalDataAccess.What


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@dataclass
class World:
    agency: Agency
    staff: object
    officer: object
    complaint: Complaint
    evidence: ComplaintEvidence
    service_request: ServiceRequest
    open_complaint: Complaint


@pytest.fixture
def world() -> World:
    """A confidential complaint to Musi Banyuasin (with evidence named after the complainant
    and tied to a request by the same person), a complaint that is not confidential, a plain
    staff member and a complaint officer."""
    agency = Agency.objects.get(slug="musi-banyuasin")
    staff = staff_member(agency)
    officer = complaint_officer(agency)
    service_request = make_request(
        ServiceStandard.objects.get(agency=agency, slug="konsultasi"),
        applicant_name=NAME,
        phone=PHONE,
        email=EMAIL,
    )
    complaint = make_complaint(
        agency,
        complainant_name=NAME,
        phone=PHONE,
        email=EMAIL,
        address="Jl. Mawar Tersembunyi 7",
        confidential=True,
        service_request=service_request,
        evidence=[SimpleUploadedFile("zulkarnaen-ktp.pdf", PDF)],
    )
    actions.complaint_process(
        complaint=complaint, actor=officer, now=timezone.now(), tier="normative", note="Triase"
    )
    open_complaint = make_complaint(agency, complainant_name="Terbuka Sutrisno")
    return World(
        agency=agency,
        staff=staff,
        officer=officer,
        complaint=Complaint.objects.get(pk=complaint.pk),
        evidence=complaint.evidence.get(),
        service_request=service_request,
        open_complaint=open_complaint,
    )


def body(response) -> str:
    """What the response carries as text: the page, the CSV, the cells of an XLSX file."""
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    if response.get("Content-Type", "").startswith(XLSX_TYPE):
        book = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return data.decode("utf-8", errors="replace")


def shows_identity(text: str) -> bool:
    lowered = text.lower()
    return any(needle in lowered for needle in NEEDLES)


def admin_routes(model, pk: int, *, per_case_only: bool = False) -> list[tuple[str, str]]:
    """(name, URL) of every named URL of the model's admin, for the case `pk` (and each
    export format), read from the admin's own patterns so a new route is walked too."""
    routes = []
    for pattern in admin.site._registry[model].get_urls():
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue  # the unnamed `<path:object_id>/` only redirects to the case page
        converters = set(pattern.pattern.converters)
        if per_case_only and not converters & {"object_id", "pk"}:
            continue
        for fmt in ("csv", "xlsx") if "fmt" in converters else (None,):
            kwargs = {name: pk for name in converters & {"object_id", "pk"}}
            if fmt:
                kwargs["fmt"] = fmt
            label = pattern.name + (f":{fmt}" if fmt else "")
            routes.append((label, reverse(f"admin:{pattern.name}", kwargs=kwargs)))
    return routes


def app_routes(module, namespace: str, values: dict) -> list[tuple[str, str]]:
    """(name, URL) of every page of an app's urls.py, its arguments taken from `values`."""
    return [
        (
            f"{namespace}:{pattern.name}",
            reverse(
                f"{namespace}:{pattern.name}",
                kwargs={name: values[name] for name in pattern.pattern.converters},
            ),
        )
        for pattern in module.urlpatterns
    ]


def new_rows(before: int) -> list[PersonalDataAccess]:
    return list(PersonalDataAccess.objects.order_by("pk")[before:])


def test_every_route_that_shows_the_identity_to_the_officer_logs_it(client, world):
    client.force_login(world.officer)
    complaint, request_case = world.complaint, world.service_request
    routes = [(route, complaint) for route in admin_routes(Complaint, complaint.pk)] + [
        # The request tied to the complaint names its applicant, usually the complainant.
        # The request list and its exports name every applicant as any request list does
        # and never tie one to a complaint (tests/portal/cases/test_audit.py).
        (route, request_case)
        for route in admin_routes(ServiceRequest, request_case.pk, per_case_only=True)
    ]
    values = {"number": complaint.number, "pk": world.evidence.pk}
    routes += [(route, complaint) for route in app_routes(complaints.urls, "complaints", values)]
    routes += [(route, complaint) for route in app_routes(portal.cases.urls, "cases", values)]

    showing = set()
    for (name, url), case in routes:
        before = PersonalDataAccess.objects.count()
        response = client.get(url)
        if not shows_identity(body(response)):
            continue
        showing.add(name)
        rows = new_rows(before)
        assert rows, f"{name} ({url}) shows the identity and logs nothing"
        assert {(r.user_id, r.case_id, r.case_type.model, r.identity_shown) for r in rows} >= {
            (world.officer.pk, case.pk, case._meta.model_name, True)
        }, f"{name} logs another look than the officer's at {case.number}"
    # The walk reached the routes that show the identity (it is not vacuous).
    assert showing == {
        "complaints_complaint_changelist",
        "complaints_complaint_change",
        "complaints_complaint_workflow",
        "complaints_complaint_export:csv",
        "complaints_complaint_export:xlsx",
        "services_servicerequest_change",
        "services_servicerequest_workflow",
    }


@pytest.mark.parametrize(
    ("route", "what"),
    [
        ("complaints_complaint_changelist", "list"),
        ("complaints_complaint_change", "case_page"),
        ("complaints_complaint_workflow", "workflow"),
        ("complaints_complaint_export:csv", "export"),
        ("complaints_complaint_export:xlsx", "export"),
        ("complaints_complaint_history", "history"),
    ],
)
def test_each_route_names_itself_in_the_row(client, world, route, what):
    client.force_login(world.officer)
    url = dict(admin_routes(Complaint, world.complaint.pk))[route]
    body(client.get(url))  # read to the end: an export logs as it is written
    row = PersonalDataAccess.objects.get(case_id=world.complaint.pk)
    assert (row.user, row.case_number, row.what) == (world.officer, world.complaint.number, what)
    assert row.agency_id == world.agency.pk and row.at is not None
    # The history lists changes by the case's number, never a field's value.
    assert row.identity_shown is (what != What.HISTORY)
    if what == What.EXPORT:
        assert row.detail == route.rsplit(":", 1)[1]


def test_a_refused_workflow_step_shows_the_page_again_and_logs_it(client, world):
    client.force_login(world.officer)
    url = reverse("admin:complaints_complaint_workflow", args=[world.complaint.pk])
    response = client.post(url, {"tier": "tidak-ada"})
    assert response.status_code == 200 and NAME in response.content.decode()
    row = PersonalDataAccess.objects.get()
    assert (row.what, row.identity_shown) == (What.WORKFLOW, True)


def test_the_csv_action_logs_each_exported_confidential_case(client, world):
    client.force_login(world.officer)
    response = client.post(
        reverse("admin:complaints_complaint_changelist"),
        {
            "action": "export_csv",
            "_selected_action": [world.complaint.pk, world.open_complaint.pk],
            "index": 0,
        },
    )
    assert response.status_code == 200 and NAME in response.content.decode()
    rows = list(PersonalDataAccess.objects.all())
    # The open complainant's name is no confidential identity: only the other is logged.
    assert [(r.case_id, r.what, r.identity_shown, r.detail) for r in rows] == [
        (world.complaint.pk, What.EXPORT, True, "csv")
    ]


def test_the_evidence_download_is_logged_with_what_it_shows(client, world):
    url = reverse("complaints:staff_evidence", args=[world.evidence.pk])
    for user, identity in ((world.officer, True), (world.staff, False)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)
        row = PersonalDataAccess.objects.filter(user=user).get()
        assert (row.what, row.detail, row.identity_shown) == (
            What.DOCUMENT,
            f"#{world.evidence.pk}",
            identity,
        )


# ----------------------------------------------------------------- what was shown


def test_plain_staff_opening_the_complaint_are_logged_without_identity(client, world):
    client.force_login(world.staff)
    pk = world.complaint.pk
    for name in ("change", "workflow", "history"):
        response = client.get(reverse(f"admin:complaints_complaint_{name}", args=[pk]))
        assert response.status_code == 200
        assert not shows_identity(response.content.decode())
    rows = PersonalDataAccess.objects.order_by("pk")
    assert [(r.what, r.identity_shown) for r in rows] == [
        (What.CASE_PAGE, False),
        (What.WORKFLOW, False),
        (What.HISTORY, False),
    ]
    assert {str(r.shown_label()) for r in rows} == {"tanpa identitas"}


def test_plain_staff_lists_and_exports_log_nothing_they_did_not_see(client, world):
    client.force_login(world.staff)
    listing = client.get(reverse("admin:complaints_complaint_changelist"))
    assert HIDDEN in listing.content.decode() and world.complaint.number in listing.content.decode()
    for fmt in ("csv", "xlsx"):
        text = body(client.get(reverse("admin:complaints_complaint_export", args=[fmt])))
        assert world.complaint.number in text and not shows_identity(text)
    assert not PersonalDataAccess.objects.exists()


def test_the_officer_and_the_staff_member_are_told_apart_on_the_same_page(client, world):
    url = reverse("admin:complaints_complaint_change", args=[world.complaint.pk])
    for user in (world.officer, world.staff):
        client.force_login(user)
        assert client.get(url).status_code == 200
    shown = dict(PersonalDataAccess.objects.values_list("user_id", "identity_shown"))
    assert shown == {world.officer.pk: True, world.staff.pk: False}


def test_a_complainant_who_is_not_confidential_is_shown_and_logged_as_shown(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("admin:complaints_complaint_change", args=[world.open_complaint.pk]))
    assert "Terbuka Sutrisno" in page.content.decode()
    assert PersonalDataAccess.objects.get().identity_shown is True


def test_the_log_in_the_admin_says_what_was_shown(client, world):
    url = reverse("admin:complaints_complaint_change", args=[world.complaint.pk])
    for user in (world.officer, world.staff):
        client.force_login(user)
        client.get(url)
    client.force_login(UserFactory(is_superuser=True))
    listing = client.get(reverse("admin:portal_personaldataaccess_changelist"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "tanpa identitas" in html and html.count(">identitas<") == 1
    withheld = reverse("admin:portal_personaldataaccess_changelist") + "?identity_shown__exact=0"
    found = client.get(withheld).context["cl"].result_list
    assert [row.user_id for row in found] == [world.staff.pk]
    row = PersonalDataAccess.objects.get(user=world.staff)
    page = client.get(reverse("admin:portal_personaldataaccess_change", args=[row.pk]))
    assert "tanpa identitas" in page.content.decode()
    assert "membuka halaman kasus" in page.content.decode()


# ----------------------------------------------------------------- a fixed number of queries


def _confidential(agency, count):
    for i in range(count):
        make_complaint(agency, complainant_name=f"Rahasia {i}", confidential=True)


def _inserts(captured) -> list:
    return [q for q in captured if q["sql"].startswith('INSERT INTO "portal_personaldataaccess"')]


def test_the_list_logs_each_shown_confidential_case_in_one_insert(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.officer)
    url = reverse("admin:complaints_complaint_changelist")
    client.get(url)  # the per-process caches (content types, catalogue version) are warm
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _confidential(world.agency, 55)  # more than a page (50)
    before = PersonalDataAccess.objects.count()
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url)
    assert len(_inserts(few.captured_queries)) == len(_inserts(many.captured_queries)) == 1
    shown = response.context["cl"].result_list
    assert len(shown) == 50
    assert {row.case_id for row in new_rows(before)} == {c.pk for c in shown if c.confidential}
    assert {row.what for row in new_rows(before)} == {What.LIST}


def test_a_long_export_logs_in_batches(client, world, monkeypatch):
    monkeypatch.setattr(audit, "BATCH", 2)
    _confidential(world.agency, 4)  # five confidential complaints in all
    client.force_login(world.officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:complaints_complaint_export", args=["csv"]))
        rows = list(csv.DictReader(io.StringIO(body(response))))
    assert len(rows) == 6 and len(_inserts(queries.captured_queries)) == 3  # 2 + 2 + 1
    logged = PersonalDataAccess.objects.filter(what=What.EXPORT)
    confidential = Complaint.objects.filter(confidential=True)
    assert sorted(logged.values_list("case_id", flat=True)) == sorted(
        confidential.values_list("pk", flat=True)
    )


@contextmanager
def _test_connection_kept():
    """The test's database connection is kept open across a request's signals, as Django's
    test client keeps it: request_started and request_finished close_old_connections, which
    closes a connection inside a transaction (the test's) on PostgreSQL."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


def test_an_abandoned_export_still_logs_what_it_sent(client, world):
    _confidential(world.agency, 2)
    client.force_login(world.officer)
    # Served as a WSGI server serves it (the test client would close the stream on its own):
    # the server reads the header and two cases, then the browser goes away and the server
    # calls close() on the half-read body.
    url = reverse("admin:complaints_complaint_export", args=["csv"])
    cookie = "; ".join(f"{morsel.key}={morsel.value}" for morsel in client.cookies.values())
    environ = RequestFactory().get(url, headers={"cookie": cookie}).environ
    with _test_connection_kept():
        response = WSGIHandler()(environ, lambda status, headers: None)
        assert response.status_code == 200 and response.streaming
        body = iter(response)
        sent = b"".join(next(body) for _ in range(3))
        response.close()
    numbers = {line.split(b",")[0].decode() for line in sent.splitlines()[1:]}
    logged = set(PersonalDataAccess.objects.values_list("case_number", flat=True))
    confidential = set(Complaint.objects.filter(confidential=True).values_list("number", flat=True))
    assert len(numbers) == 2 and logged == numbers & confidential
