"""Data migrations of the performance figures, run on the historical models of their state:
the working time taken by requests completed before it was kept (services/0010), the triage
moments of complaints stored before they were kept (complaints/0006), and the day counts
(services/0009, complaints/0006) of the cases already stored."""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from complaints import actions as complaint_actions
from complaints.models import Complaint, ComplaintDayCount, ComplaintEvent
from services.catalogue.calendars import agency_calendar
from services.models import RequestDayCount, RequestEvent, RequestStatus, ServiceRequest
from services.requests import actions as request_actions
from tests.factories import complaint_officer, make_complaint, make_request, staff_member
from tests.pdfs import PDF

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MON = datetime(2025, 6, 2, 9, 0, tzinfo=WIB)  # Idul Adha Fri 6 Jun, cuti bersama Mon 9 Jun
NOW = datetime(2025, 7, 1, 10, 0, tzinfo=WIB)
BACKFILL = ("services", "0010_working_seconds_taken_backfill")


def run(app, name, function, *, state=None):
    """Call one function of a migration with the historical models of its state."""
    module = importlib.import_module(f"{app}.migrations.{name}")
    apps = MigrationExecutor(connection).loader.project_state(state or (app, name)).apps
    getattr(module, function)(apps, None)


def _step(case, actor, status, at):
    request_actions.request_process(
        request=case,
        actor=actor,
        now=at,
        to_status=status,
        note="Lanjut.",
        product_note="Diserahkan." if status == RequestStatus.DONE else "",
    )


def completed_requests():
    """One straight through, one returned Tue 10:00 and resubmitted a week later; both done."""
    plain = make_request(received_at=MON)
    actor = staff_member(plain.agency)
    for status in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS, RequestStatus.DONE):
        _step(plain, actor, status, MON + timedelta(days=1, hours=2))
    paused = make_request(received_at=MON)
    pause = datetime(2025, 6, 3, 10, 0, tzinfo=WIB)
    resume = datetime(2025, 6, 10, 10, 0, tzinfo=WIB)
    done = datetime(2025, 6, 13, 15, 0, tzinfo=WIB)
    _step(paused, actor, RequestStatus.VERIFIED, MON + timedelta(minutes=30))
    _step(paused, actor, RequestStatus.RETURNED, pause)
    request_actions.request_resubmit(
        request=paused, documents=[SimpleUploadedFile("ktp.pdf", PDF)], note="", now=resume
    )
    for status in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS, RequestStatus.DONE):
        _step(paused, actor, status, done)
    calendar = agency_calendar(plain.agency)
    expected = {
        plain.pk: calendar.working_seconds_between(MON, MON + timedelta(days=1, hours=2)),
        paused.pk: calendar.working_seconds_between(MON, done)
        - calendar.working_seconds_between(pause, resume),
    }
    return expected


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("old_history", [False, True])
def test_the_backfill_computes_the_working_time_from_the_history(old_history):
    expected = completed_requests()
    # As kept by the actions, and as the independent count says.
    assert dict(ServiceRequest.objects.values_list("pk", "working_seconds_taken")) == expected
    ServiceRequest.objects.update(working_seconds_taken=None)
    if old_history:  # resume entries written before they recorded the paused working time
        for event in RequestEvent.objects.filter(kind=RequestEvent.Kind.RESUMED):
            event.data.pop("paused_working_seconds")
            RequestEvent.objects.filter(pk=event.pk).update(data=event.data)
    open_one = make_request(received_at=MON)  # not completed: left as it is
    run(*BACKFILL, "backfill")
    values = dict(ServiceRequest.objects.values_list("pk", "working_seconds_taken"))
    assert values == {**expected, open_one.pk: None}


@time_machine.travel(NOW, tick=False)
def test_the_backfill_migration_runs_forwards_and_backwards():
    """Through the migration executor (PostgreSQL: its schema changes are transactional, so
    the test's transaction holds them; SQLite's schema editor refuses to run inside one)."""
    if connection.vendor != "postgresql":
        pytest.skip("the executor inside a test transaction: PostgreSQL only")
    expected = completed_requests()
    ServiceRequest.objects.update(working_seconds_taken=None)
    with connection.cursor() as cursor:  # a table with deferred checks pending cannot drop
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("services", "0009_request_day_counts")])
    executor = MigrationExecutor(connection)
    executor.migrate([BACKFILL])
    values = dict(ServiceRequest.objects.values_list("pk", "working_seconds_taken"))
    assert values == expected


@time_machine.travel(NOW, tick=False)
def test_the_triage_moments_come_from_the_history():
    officer = None
    for how, after in (("light", timedelta(hours=1)), ("reject", timedelta(days=1)), (None, 0)):
        complaint = make_complaint("pasuruan", received_at=MON)
        officer = officer or complaint_officer(complaint.agency)
        if how == "reject":
            complaint_actions.complaint_process(
                complaint=complaint,
                actor=officer,
                now=MON + after,
                to_status="ditolak",
                rejection_reason="duplikat",
                note="Ganda.",
            )
        elif how:
            complaint_actions.complaint_process(
                complaint=complaint, actor=officer, now=MON + after, tier=how, note="Triase."
            )
            complaint_actions.complaint_process(
                complaint=complaint,
                actor=officer,
                now=MON + timedelta(days=2),
                tier="supervisory",
                reason="Perlu pemeriksaan.",
            )
    kept = list(Complaint.objects.order_by("pk").values_list("pk", "triaged_at", "triage_due_at"))
    assert [k[1] is not None for k in kept] == [True, True, False]
    assert len({k[2] for k in kept}) == 1  # the light tier's 3 hours from one receipt
    assert ComplaintEvent.objects.filter(kind=ComplaintEvent.Kind.CLASSIFIED).count() == 2
    Complaint.objects.update(triaged_at=None, triage_due_at=None)
    run("complaints", "0006_triage_and_day_counts", "fill_triage")
    assert (
        list(Complaint.objects.order_by("pk").values_list("pk", "triaged_at", "triage_due_at"))
        == kept
    )


@time_machine.travel(NOW, tick=False)
def test_the_day_counts_of_the_cases_already_stored():
    completed_requests()
    make_complaint("pasuruan", received_at=MON)
    requests = sorted(RequestDayCount.objects.values_list("standard_id", "day", "received"))
    complaints = sorted(ComplaintDayCount.objects.values_list("tier", "day", "received"))
    RequestDayCount.objects.all().delete()
    ComplaintDayCount.objects.all().delete()
    run("services", "0009_request_day_counts", "count_requests")
    run("complaints", "0006_triage_and_day_counts", "count_complaints")
    assert sorted(RequestDayCount.objects.values_list("standard_id", "day", "received")) == (
        requests
    )
    assert sorted(ComplaintDayCount.objects.values_list("tier", "day", "received")) == complaints
