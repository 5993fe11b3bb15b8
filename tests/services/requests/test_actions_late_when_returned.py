"""Late is a fact of the past: returning a request for missing documents stops its clock from
then on and never erases lateness already incurred (services.catalogue.deadlines).

A request returned after its due moment counts as late while it waits (performance pages,
monthly report, staff dashboard, the queue's "Terlambat" filter), says how late it was when
it was returned, and when it resumes its due moment stays that much working time in the past,
so completing it is late. Complaints have no such stop (the answer is what their deadline
measures; a reopened complaint runs on against the same deadline, counted from receipt).

The figures are checked against a count made here from each case's own history: the working
time its clock ran (receipt to completion or now, less every stop) against the working time
its limit allows. Pasuruan, WIB, default hours (7.5 h a day); July 2025 has no holiday.
"""

import io
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from complaints import actions as complaint_actions
from complaints.models import Complaint, ComplaintDayCount, ComplaintStatus
from services.catalogue.calendars import agency_calendar
from services.models import Agency, RequestEvent, RequestStatus, ServiceRequest
from services.requests import actions as request_actions
from tests.factories import (
    complaint_officer,
    default_standard,
    make_complaint,
    make_request,
    official,
    staff_member,
)
from tests.pdfs import PDF
from tests.portal.cases.admin.test_dashboard_page import tables as dashboard_tables
from tests.portal.cases.test_daycounts import independent_requests, rebuilt
from tests.portal.cases.test_daycounts import tables as day_tables

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
DAY = 27_000  # 7.5 working hours
LIMIT_DAYS = 5  # the default service: "5 Hari Kerja"


def wib(text):
    return datetime.fromisoformat(text).replace(tzinfo=WIB)


NOW = wib("2025-07-31T10:00")  # Thu
RECEIVED = wib("2025-07-03T10:00")  # Thu: 5 working days -> due Thu 10 Jul 16:00


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pasuruan():
    return Agency.objects.get(slug="pasuruan")


@pytest.fixture
def staff(pasuruan):
    return staff_member(pasuruan, username="siti")


def step(case, actor, status, at):
    request_actions.request_process(
        request=case,
        actor=actor,
        now=at,
        to_status=status,
        note=f"Ke {status}.",
        product_note="Diserahkan di loket." if status == RequestStatus.DONE else "",
    )
    case.refresh_from_db()


def give_back(case, actor, at):
    step(case, actor, RequestStatus.RETURNED, at)


def resubmit(case, at):
    request_actions.request_resubmit(
        request=case, documents=[SimpleUploadedFile("ktp.pdf", PDF)], note="Lengkap.", now=at
    )
    case.refresh_from_db()


def complete(case, actor, at):
    path = {
        RequestStatus.RECEIVED: [RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS],
        RequestStatus.VERIFIED: [RequestStatus.IN_PROGRESS],
        RequestStatus.IN_PROGRESS: [],
    }[case.status]
    for status in path:
        step(case, actor, status, at - timedelta(minutes=10))
    step(case, actor, RequestStatus.DONE, at)


# ------------------------------------------------------------------ the independent count


def clock_budget(case, now):
    """(working seconds the clock ran until completion or `now`, working seconds the limit
    allows), from the request's receipt and the pauses and resumptions in its history."""
    calendar = agency_calendar(case.agency)
    end = case.closed_at if case.closed_at else now
    stopped = 0
    paused_at = None
    for event in case.events.order_by("at", "pk"):
        if event.kind == RequestEvent.Kind.PAUSED:
            paused_at = event.at
        elif event.kind == RequestEvent.Kind.RESUMED and paused_at is not None:
            stopped += calendar.working_seconds_between(paused_at, event.at)
            paused_at = None
    if paused_at is not None:
        stopped += calendar.working_seconds_between(paused_at, end)
    ran = calendar.working_seconds_between(case.received_at, end) - stopped
    limit = calendar.working_seconds_between(
        case.received_at, calendar.add_working_days(case.received_at, LIMIT_DAYS)
    )
    return ran, limit


def independent(now):
    """Per the cases themselves: received, completed, on time and late now."""
    counts = {"received": 0, "completed": 0, "on_time": 0, "late_now": set()}
    for case in ServiceRequest.objects.select_related("agency"):
        counts["received"] += 1
        ran, limit = clock_budget(case, now)
        if case.status == RequestStatus.DONE:
            counts["completed"] += 1
            counts["on_time"] += ran <= limit
        elif case.is_open and ran > limit:
            counts["late_now"].add(case.pk)
    return counts


# ------------------------------------------------------------------ the reported sequence


def returned_when_late(staff):
    """Requests of one service through every transition, late and on time."""
    made = {}

    def receive(name, at):
        made[name] = make_request(received_at=at)
        step(made[name], staff, RequestStatus.VERIFIED, at + timedelta(hours=1))
        return made[name]

    # Returned Tue 15 Jul 16:00: Fri 11, Mon 14, Tue 15 after the due moment: 3 days late.
    give_back(receive("returned_late", RECEIVED), staff, wib("2025-07-15T16:00"))
    # Returned Mon 14 Jul 16:00 (2 days late), back Mon 21 09:00, completed Tue 22 10:00.
    case = receive("resumed_late_done", RECEIVED)
    give_back(case, staff, wib("2025-07-14T16:00"))
    resubmit(case, wib("2025-07-21T09:00"))
    complete(case, staff, wib("2025-07-22T10:00"))
    # Returned Mon 14 Jul 16:00 (2 days late), back Wed 30 Jul 10:00: still open.
    case = receive("resumed_late_open", RECEIVED)
    give_back(case, staff, wib("2025-07-14T16:00"))
    resubmit(case, wib("2025-07-30T10:00"))
    # Returned on time Mon 7 Jul 10:00 (27.5 h left), back Mon 14 10:00: due Thu 17 16:00;
    # completed Thu 17 10:00, after the first due moment: on time, the pause moved it.
    case = receive("resumed_on_time_done", RECEIVED)
    give_back(case, staff, wib("2025-07-07T10:00"))
    resubmit(case, wib("2025-07-14T10:00"))
    complete(case, staff, wib("2025-07-17T10:00"))
    # Returned late Tue 15 Jul 16:00, rejected Wed 16 Jul 10:00: closed, not completed.
    case = receive("returned_late_rejected", RECEIVED)
    give_back(case, staff, wib("2025-07-15T16:00"))
    step(case, staff, RequestStatus.REJECTED, wib("2025-07-16T10:00"))
    receive("running_late", RECEIVED)  # never returned, past due
    # Received Mon 28 Jul 09:00 (due Mon 4 Aug 16:00), returned on time Tue 29 09:00.
    give_back(receive("returned_on_time", wib("2025-07-28T09:00")), staff, wib("2025-07-29T09:00"))
    receive("running_on_time", wib("2025-07-30T09:00"))
    return made


LATE_NOW = {"returned_late", "resumed_late_open", "running_late"}


def test_the_sequence_is_what_it_says(frozen, staff):
    made = returned_when_late(staff)
    counted = independent(NOW)
    assert {name for name, c in made.items() if c.pk in counted["late_now"]} == LATE_NOW
    assert (counted["received"], counted["completed"], counted["on_time"]) == (8, 2, 1)
    # The resumed open one is as late as it was when returned plus the time since resuming:
    # 2 days + Wed 30 10:00-16:00 and Thu 31 07:30-10:00 = 3 working days.
    ran, limit = clock_budget(made["resumed_late_open"], NOW)
    assert ran - limit == 3 * DAY


def test_performance_pages_report_and_dashboard_agree_with_the_cases(client, frozen, staff):
    made = returned_when_late(staff)
    counted = independent(NOW)
    assert counted["late_now"] == {made[name].pk for name in LATE_NOW}
    late_now = len(counted["late_now"])
    standard = default_standard()

    page = client.get(reverse("services:agency_performance", kwargs={"agency": "pasuruan"}))
    assert page.status_code == 200
    totals = page.context["totals"]
    assert (totals.received, totals.completed, totals.with_limit, totals.on_time) == (
        counted["received"],
        counted["completed"],
        counted["completed"],
        counted["on_time"],
    )
    assert totals.overdue == late_now == 3
    row = next(f for s, f, _i in page.context["rows"] if s.pk == standard.pk)
    assert (row.overdue, row.on_time, row.completed) == (3, 1, 2)
    html = page.content.decode()
    assert "tidak menghapus keterlambatan yang sudah terjadi" in html

    portal = client.get(reverse("services:portal_performance"))
    own = next(r for r in portal.context["rows"] if r["agency"].slug == "pasuruan")
    assert (own["requests"].overdue, own["requests"].on_time) == (late_now, counted["on_time"])
    assert "tidak menghapus keterlambatan yang sudah terjadi" in portal.content.decode()

    client.force_login(official(Agency.objects.get(slug="pasuruan")))
    xlsx = client.get(
        reverse("admin:services_survey_monthly", kwargs={"fmt": "xlsx"}), {"bulan": "2025-07"}
    )
    assert xlsx.status_code == 200
    sheet = list(load_workbook(io.BytesIO(xlsx.content))["Permohonan"].iter_rows(values_only=True))
    header = next(r for r in sheet if r[0] == "Layanan")
    late_column = header.index("Terlambat saat ini")
    service = next(r for r in sheet if r[0] == standard.name)
    total = next(r for r in sheet if r[0] == "Jumlah")
    assert service[late_column] == total[late_column] == late_now
    assert total[1:5] == (8, 2, 2, 1)

    client.force_login(staff)
    dashboard = client.get(reverse("admin:index"))
    cells = dashboard_tables(dashboard.content.decode())["Permohonan"]["Permohonan"]
    count, url = cells["lewat"]
    assert count == late_now
    queue = client.get(url)  # the queue's "Terlambat" filter lists the same cases
    assert {c.pk for c in queue.context["cl"].result_list} == counted["late_now"]
    assert (
        set(ServiceRequest.objects.overdue(now=NOW).values_list("pk", flat=True))
        == (counted["late_now"])
    )
    assert cells["jeda"][0] == 2  # both returned ones still wait for the applicant


def test_the_day_counts_stay_equal_to_a_rebuild(frozen, staff):
    returned_when_late(staff)
    kept = day_tables()
    assert rebuilt() == kept
    assert kept[0] == independent_requests()


# ------------------------------------------------------------------ transition by transition


def test_returning_a_late_request_keeps_how_late_it_was(frozen, staff):
    case = make_request(received_at=RECEIVED)
    give_back(case, staff, wib("2025-07-15T16:00"))
    assert case.remaining_seconds == 0
    assert case.due_at == wib("2025-07-10T16:00")  # the due moment it missed
    paused = case.events.get(kind=RequestEvent.Kind.PAUSED)
    assert paused.data == {"remaining_seconds": 0, "late_seconds": 3 * DAY}
    assert list(ServiceRequest.objects.overdue(now=NOW)) == [case]


def test_returning_an_on_time_request_keeps_the_time_left(frozen, staff):
    case = make_request(received_at=RECEIVED)
    give_back(case, staff, wib("2025-07-07T10:00"))
    # Mon 10:00-16:00 (5 h) + Tue, Wed, Thu (22.5 h) left.
    assert case.remaining_seconds == int(27.5 * 3600)
    paused = case.events.get(kind=RequestEvent.Kind.PAUSED)
    assert paused.data == {"remaining_seconds": int(27.5 * 3600), "late_seconds": None}
    assert list(ServiceRequest.objects.overdue(now=NOW)) == []


def test_resuming_a_late_request_keeps_its_due_moment_in_the_past(frozen, staff):
    case = make_request(received_at=RECEIVED)
    give_back(case, staff, wib("2025-07-14T16:00"))  # 2 days late
    resubmit(case, wib("2025-07-30T10:00"))
    # 2 working days (15 h) before Wed 30 10:00: Wed 2.5 h, Tue 29 7.5 h, Mon 28 5 h -> 10:00.
    assert case.due_at == wib("2025-07-28T10:00")
    resumed = case.events.get(kind=RequestEvent.Kind.RESUMED)
    assert resumed.data["late_seconds"] == 2 * DAY
    assert resumed.data["new_due"] == wib("2025-07-28T10:00").isoformat()
    assert "terlambat 2 hari kerja saat dikembalikan" in resumed.note
    assert list(ServiceRequest.objects.overdue(now=wib("2025-07-30T10:01"))) == [case]


def test_resuming_an_on_time_request_adds_the_time_left(frozen, staff):
    case = make_request(received_at=RECEIVED)
    give_back(case, staff, wib("2025-07-07T10:00"))
    resubmit(case, wib("2025-07-14T10:00"))
    assert case.due_at == wib("2025-07-17T16:00")
    assert case.events.get(kind=RequestEvent.Kind.RESUMED).data["late_seconds"] is None


def test_completing_after_resuming_late_is_late_even_at_once(frozen, staff):
    case = make_request(received_at=RECEIVED)
    give_back(case, staff, wib("2025-07-14T16:00"))
    resubmit(case, wib("2025-07-21T09:00"))
    complete(case, staff, wib("2025-07-21T09:30"))  # half an hour after the documents came
    assert case.closed_at > case.due_at
    ran, limit = clock_budget(case, NOW)
    assert ran > limit
    # (received, completed, with a limit, on time) on the day of receipt and of completion
    assert [row[3:] for row in day_tables()[0]] == [(1, 0, 0, 0), (0, 1, 1, 0)]
    assert rebuilt() == day_tables()


def test_a_second_return_adds_to_the_lateness(frozen, staff):
    case = make_request(received_at=RECEIVED)
    give_back(case, staff, wib("2025-07-14T16:00"))  # 2 days late
    resubmit(case, wib("2025-07-21T09:00"))
    give_back(case, staff, wib("2025-07-22T09:00"))  # one more working day since resuming
    assert case.events.filter(kind=RequestEvent.Kind.PAUSED).last().data["late_seconds"] == (
        3 * DAY
    )
    resubmit(case, wib("2025-07-29T09:00"))
    ran, limit = clock_budget(case, wib("2025-07-29T09:00"))
    assert ran - limit == 3 * DAY
    assert agency_calendar(case.agency).working_seconds_between(
        case.due_at, wib("2025-07-29T09:00")
    ) == (3 * DAY)


def test_rejecting_a_request_returned_late_closes_it(frozen, staff):
    case = make_request(received_at=RECEIVED)
    give_back(case, staff, wib("2025-07-15T16:00"))
    step(case, staff, RequestStatus.REJECTED, wib("2025-07-16T10:00"))
    assert list(ServiceRequest.objects.overdue(now=NOW)) == []
    assert rebuilt() == day_tables()


def test_a_closure_replays_a_late_stop_like_the_workflow(frozen, staff, pasuruan):
    case = make_request(received_at=RECEIVED)
    give_back(case, staff, wib("2025-07-14T16:00"))  # 2 days late
    resubmit(case, wib("2025-07-30T10:00"))
    due = case.due_at
    # A closure on Fri 11 Jul (after the due moment, before the return): 1 day less late.
    pasuruan.closures.create(date=wib("2025-07-11T00:00").date(), reason="Banjir")
    request_actions.requests_recompute_deadlines(
        agency=pasuruan, actor=staff, now=NOW, reason="Kantor tutup."
    )
    case.refresh_from_db()
    calendar = agency_calendar(case.agency)
    assert case.due_at > due
    assert calendar.working_seconds_between(case.due_at, wib("2025-07-30T10:00")) == DAY


# ------------------------------------------------------------------ what the pages say


def case_page(client, user, case):
    client.force_login(user)
    response = client.get(reverse("admin:services_servicerequest_change", args=[case.pk]))
    assert response.status_code == 200
    return response


def summary(response):
    return {str(label): str(value) for label, value in response.context["summary"]}


def test_the_staff_case_page_says_how_late_it_was_when_returned(client, frozen, staff):
    case = make_request(received_at=RECEIVED)
    give_back(case, staff, wib("2025-07-15T16:00"))
    shown = summary(case_page(client, staff, case))
    assert "dikembalikan; terlambat 3 hari kerja saat dikembalikan" in shown["Jatuh tempo"]
    assert "10 Juli 2025" in shown["Jatuh tempo"]  # the due moment it missed
    assert "terlambat 3 hari kerja saat dikembalikan" in shown["Sisa waktu kerja"]
    client.cookies["django_language"] = "en"
    html = case_page(client, staff, case).content.decode()
    assert "returned; 3 working days late when it was returned" in html
    listed = client.get(reverse("admin:services_servicerequest_changelist"))
    assert "returned; 3 working days late when it was returned" in listed.content.decode()


def test_the_staff_case_page_of_a_request_returned_on_time(client, frozen, staff):
    case = make_request(received_at=wib("2025-07-28T09:00"))
    give_back(case, staff, wib("2025-07-29T09:00"))
    shown = summary(case_page(client, staff, case))
    assert shown["Jatuh tempo"] == "dihentikan"
    assert "terlambat" not in shown["Sisa waktu kerja"]


def test_after_resuming_the_case_page_goes_on_from_the_lateness_it_had(client, frozen, staff):
    case = make_request(received_at=RECEIVED)
    give_back(case, staff, wib("2025-07-14T16:00"))
    resubmit(case, wib("2025-07-30T10:00"))
    shown = summary(case_page(client, staff, case))
    assert shown["Sisa waktu kerja"] == '<strong class="late-text">terlambat 3 hari kerja</strong>'


def test_the_tracking_page_says_how_late_it_was_when_returned(client, frozen, staff):
    case = make_request(received_at=RECEIVED)
    code = case.access_code
    give_back(case, staff, wib("2025-07-15T16:00"))
    opened = client.post(reverse("cases:track"), {"number": case.number, "code": code})
    assert opened.status_code == 302
    html = client.get(reverse("cases:track_detail", args=[case.number])).content.decode()
    assert "Dikembalikan; terlambat 3 hari kerja saat dikembalikan." in html
    assert "Sisa waktu layanan" not in html
    resubmit(case, wib("2025-07-30T10:00"))
    html = client.get(reverse("cases:track_detail", args=[case.number])).content.decode()
    assert "terlambat 3 hari kerja saat dikembalikan, tetap terlambat" in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("cases:track_detail", args=[case.number])).content.decode()
    assert "was 3 working days late when it was returned and is still late" in html


# ------------------------------------------------------------------ complaints


def test_a_late_complaint_stays_late_through_its_answer_reopening_and_reclassification(frozen):
    """A complaint's clock never stops: answering is what its deadline measures (the answered
    moment is kept against the deadline), reopening runs on against the same deadline, and a
    reclassification counts the new tier's time from the original receipt."""
    pasuruan = Agency.objects.get(slug="pasuruan")
    officer = complaint_officer(pasuruan)
    complaint = make_complaint(pasuruan, received_at=RECEIVED)
    calendar = agency_calendar(pasuruan)

    def process(at, **step):
        complaint_actions.complaint_process(complaint=complaint, actor=officer, now=at, **step)
        complaint.refresh_from_db()

    def on_time():
        return ComplaintDayCount.objects.get(agency=pasuruan, tier=complaint.tier).on_time

    process(wib("2025-07-03T11:00"), tier="normative", note="Normatif.")
    assert complaint.due_at == wib("2025-07-10T16:00")
    process(wib("2025-07-14T10:00"), answer="Sudah ditangani.")  # after the deadline
    assert on_time() == 0
    complaint_actions.complaint_feedback(
        complaint=complaint, resolved=False, note="", now=wib("2025-07-15T09:00")
    )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.HANDLING
    assert complaint.due_at == wib("2025-07-10T16:00")  # the same deadline, still past
    assert list(Complaint.objects.overdue(now=NOW)) == [complaint]
    # Reclassified light: 3 working hours from the original receipt, still long past.
    process(wib("2025-07-15T10:00"), tier="light", reason="Ternyata ringan.")
    assert complaint.due_at == calendar.add_working_seconds(RECEIVED, 3 * 3600)
    process(wib("2025-07-16T10:00"), answer="Jawaban kedua.")
    assert on_time() == 0
    assert rebuilt() == day_tables()


def test_a_complaint_reclassified_to_a_longer_tier_counts_it_from_receipt(frozen):
    pasuruan = Agency.objects.get(slug="pasuruan")
    officer = complaint_officer(pasuruan)
    complaint = make_complaint(pasuruan, received_at=RECEIVED)
    complaint_actions.complaint_process(
        complaint=complaint, actor=officer, now=wib("2025-07-03T11:00"), tier="normative"
    )
    complaint_actions.complaint_process(
        complaint=complaint,
        actor=officer,
        now=wib("2025-07-14T10:00"),
        tier="non_supervisory",
        reason="Perlu koordinasi bidang lain.",
    )
    complaint.refresh_from_db()
    calendar = agency_calendar(pasuruan)
    assert complaint.due_at == calendar.add_working_days(RECEIVED, 14)  # Wed 23 Jul 16:00
    assert complaint.due_at != calendar.add_working_days(wib("2025-07-14T10:00"), 14)
    complaint_actions.complaint_process(
        complaint=complaint, actor=officer, now=wib("2025-07-24T10:00"), answer="Selesai."
    )
    assert ComplaintDayCount.objects.get(agency=pasuruan, tier="non_supervisory").on_time == 0
    assert rebuilt() == day_tables()


# ------------------------------------------------------------------ random writes


def office_moments(calendar, start, days):
    """Moments well inside office hours (never on an edge, where no working time passes)."""
    moments = []
    for n in range(days):
        day = (start + timedelta(days=n)).date()
        if calendar.is_working_day(day):
            for hour, minute in ((8, 0), (9, 15), (10, 30), (13, 30), (14, 45)):
                moments.append(datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB))
    return moments


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_returns_late_and_on_time_keep_every_count_exact(seed, staff, pasuruan):
    rng = random.Random(seed)
    calendar = agency_calendar(pasuruan)
    moments = office_moments(calendar, wib("2025-07-01T00:00"), 60)
    now = moments[-1] + timedelta(minutes=5)
    with time_machine.travel(now, tick=False):
        for _ in range(14):
            i = rng.randrange(len(moments) // 2)
            case = make_request(received_at=moments[i])
            while case.is_open and i < len(moments) - 8:
                i += rng.choice([1, 3, 6, 12, 20])
                at = moments[min(i, len(moments) - 1)]
                if case.status == RequestStatus.RETURNED:
                    if rng.random() < 0.15:
                        step(case, staff, RequestStatus.REJECTED, at)
                    else:
                        resubmit(case, at)
                elif rng.random() < 0.4:
                    give_back(case, staff, at)
                elif rng.random() < 0.5:
                    complete(case, staff, at)
                elif rng.random() < 0.1:
                    step(case, staff, RequestStatus.REJECTED, at)
                elif case.status == RequestStatus.RECEIVED:
                    step(case, staff, RequestStatus.VERIFIED, at)
        kept = day_tables()
        assert rebuilt() == kept
        assert kept[0] == independent_requests()
        counted = independent(now)
        for case in ServiceRequest.objects.filter(status=RequestStatus.DONE):
            ran, limit = clock_budget(case, now)
            assert (case.closed_at <= case.due_at) == (ran <= limit), case.number
        assert (
            set(ServiceRequest.objects.overdue(now=now).values_list("pk", flat=True))
            == (counted["late_now"])
        )


def test_the_resumed_note_is_stored_in_indonesian_from_an_english_page(frozen, staff):
    from django.utils import translation

    case = make_request(received_at=RECEIVED)
    give_back(case, staff, wib("2025-07-14T16:00"))  # 2 days late
    with translation.override("en"):
        resubmit(case, wib("2025-07-30T10:00"))
    note = case.events.get(kind=RequestEvent.Kind.RESUMED).note
    assert "terlambat 2 hari kerja saat dikembalikan" in note
