"""Public performance pages: the on-time figures equal a count made here from the cases'
receipt, pause and completion moments; the index follows the survey; fixed query counts."""

from datetime import datetime, timedelta
from fractions import Fraction
from statistics import median
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import actions as complaint_actions
from services.catalogue.calendars import agency_calendar
from services.models import RequestStatus, ServiceStandard, SurveyFollowUp
from services.requests import actions as request_actions
from services.survey import actions as survey_actions
from tests.factories import complaint_officer, make_complaint, make_request, staff_member
from tests.pdfs import PDF

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MON = datetime(2025, 6, 2, 9, 0, tzinfo=WIB)  # Idul Adha Fri 6 Jun, cuti bersama Mon 9 Jun
NOW = datetime(2025, 7, 1, 10, 0, tzinfo=WIB)
FIVE_DAYS = 5  # the default service: "5 Hari Kerja"


def step(case, actor, status, at):
    request_actions.request_process(
        request=case,
        actor=actor,
        now=at,
        to_status=status,
        note=f"Ke {status}.",
        product_note="Diserahkan di loket." if status == RequestStatus.DONE else "",
    )


def scenario():
    """Requests with the moments they were received, paused, resumed and completed."""
    actor = None
    cases = []

    def add(received, *, pause=None, resume=None, done=None):
        nonlocal actor
        case = make_request(received_at=received)
        actor = actor or staff_member(case.agency)
        step(case, actor, RequestStatus.VERIFIED, received + timedelta(minutes=30))
        if pause:
            step(case, actor, RequestStatus.RETURNED, pause)
            request_actions.request_resubmit(
                request=case,
                documents=[SimpleUploadedFile("ktp.pdf", PDF)],
                note="Lengkap.",
                now=resume,
            )
            step(case, actor, RequestStatus.VERIFIED, resume + timedelta(minutes=5))
        if done:
            step(case, actor, RequestStatus.IN_PROGRESS, done - timedelta(minutes=10))
            step(case, actor, RequestStatus.DONE, done)
        cases.append(
            {"case": case, "received": received, "pause": pause, "resume": resume, "done": done}
        )

    add(MON, done=MON + timedelta(days=1, hours=2))  # Tue 11:00: on time
    add(MON, done=datetime(2025, 6, 16, 9, 0, tzinfo=WIB))  # after 5 working days: late
    # Paused Tue 10:00 for a week; completed after the first due moment but before the moved
    # one: on time, because the pause moved it.
    add(
        MON,
        pause=datetime(2025, 6, 3, 10, 0, tzinfo=WIB),
        resume=datetime(2025, 6, 10, 10, 0, tzinfo=WIB),
        done=datetime(2025, 6, 13, 15, 0, tzinfo=WIB),
    )
    add(datetime(2025, 6, 20, 14, 0, tzinfo=WIB))  # still open, past due by NOW: overdue
    add(datetime(2025, 6, 30, 9, 0, tzinfo=WIB))  # still open, not yet due
    return cases


def independent(cases):
    """The count made from the moments alone, with the agency's calendar."""
    calendar = agency_calendar(cases[0]["case"].agency)
    day = calendar.hours.working_day_seconds()
    on_time = late = overdue = 0
    taken = []
    for c in cases:
        due = calendar.add_working_days(c["received"], FIVE_DAYS)
        paused = 0
        if c["pause"]:
            left = calendar.working_seconds_between(c["pause"], due)
            due = calendar.add_working_seconds(c["resume"], left)
            paused = calendar.working_seconds_between(c["pause"], c["resume"])
        if c["done"]:
            if c["done"] <= due:
                on_time += 1
            else:
                late += 1
            taken.append(calendar.working_seconds_between(c["received"], c["done"]) - paused)
        elif due < NOW:
            overdue += 1
    return on_time, late, overdue, taken, day


def page(client, **params):
    url = reverse("services:agency_performance", kwargs={"agency": "pasuruan"})
    return client.get(url, params)


@time_machine.travel(NOW, tick=False)
def test_on_time_figures_equal_an_independent_count(client):
    cases = scenario()
    on_time, late, overdue, taken, day = independent(cases)
    assert (on_time, late, overdue) == (2, 1, 1)  # the scenario is what it says

    response = page(client)
    assert response.status_code == 200
    rows = response.context["rows"]
    standard_id = cases[0]["case"].standard_id
    figures = next(f for s, f, _i in rows if s.pk == standard_id)
    assert figures.received == 5
    assert figures.completed == on_time + late
    assert figures.on_time == on_time and figures.with_limit == on_time + late
    assert figures.overdue == overdue
    expected_median = Fraction(median(taken)) / day
    assert float(figures.median_days) == pytest.approx(float(expected_median), abs=0.05)
    assert float(figures.p90_days) == pytest.approx(max(taken) / day, abs=0.05)
    html = response.content.decode()
    assert "66,7 %" in html  # 2 of 3 on time (Indonesian decimal comma)
    assert "<svg" in html and 'id="tabel-layanan"' in html


@time_machine.travel(NOW, tick=False)
def test_the_period_selects_the_cases(client):
    scenario()
    # Only 20 June onwards: two received, none completed; the overdue one is "now".
    figures = page(client, dari="2025-06-20", sampai="2025-06-30").context["totals"]
    assert (figures.received, figures.completed, figures.overdue) == (2, 0, 1)
    # A reversed period is refused and the default (this year) shown.
    response = page(client, dari="2025-06-30", sampai="2025-06-01")
    assert "Tanggal awal harus sebelum tanggal akhir." in response.content.decode()
    assert response.context["totals"].received == 5
    # A date that cannot be read: the same page, answered 400, with the field's message.
    unreadable = page(client, dari="bukan-tanggal")
    assert unreadable.status_code == 400
    assert "Tanggal tidak dapat dibaca" in unreadable.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_index_and_grade_follow_the_survey(client):
    case = make_request(received_at=MON)
    actor = staff_member(case.agency)
    for status in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS, RequestStatus.DONE):
        step(case, actor, status, MON + timedelta(hours=1))
    assert "Belum ada jawaban survei" in page(client).content.decode()
    survey_actions.survey_submit(case=case, answers={f"u{i}": 3 for i in range(1, 10)}, now=NOW)
    response = page(client)
    assert response.context["index"].line() == "IKM 75.00 C (1 responden)"
    html = response.content.decode()
    assert "75,00" in html and "Kurang Baik" in html
    assert response.context["needed"] == 1 and response.context["reached"] is True


@time_machine.travel(NOW, tick=False)
def test_complaints_per_tier_answered_within_their_deadline(client):
    agency = "pasuruan"
    officer = None
    for answered_after in (timedelta(hours=1), timedelta(days=1)):  # light tier: 3 hours
        complaint = make_complaint(agency, received_at=MON)
        officer = officer or complaint_officer(complaint.agency)
        complaint_actions.complaint_process(
            complaint=complaint, actor=officer, now=MON, tier="light", note="Ringan."
        )
        complaint_actions.complaint_process(
            complaint=complaint, actor=officer, now=MON + answered_after, answer="Sudah."
        )
    make_complaint(agency, received_at=MON)  # not classified yet
    rows = page(client).context["complaints"]
    assert [(r["tier"], r["received"], r["answered"], r["on_time"]) for r in rows] == [
        ("light", 2, 2, 1),
        ("", 1, 0, 0),
    ]
    assert page(client).context["population"] == 3  # no requests, three complaints


@time_machine.travel(NOW, tick=False)
def test_follow_ups_are_shown(client):
    case = make_request(received_at=MON)
    SurveyFollowUp.objects.create(
        agency=case.agency, year=2025, element="u3", finding="Antrean lama", action="Loket kedua"
    )
    html = page(client).content.decode()
    assert "Loket kedua" in html and "Waktu Penyelesaian" in html


@time_machine.travel(NOW, tick=False)
def test_the_portal_page_sums_every_agency(client):
    scenario()
    make_request(
        ServiceStandard.objects.filter(agency__slug="musi-banyuasin").first(), received_at=MON
    )
    response = client.get(reverse("services:portal_performance"))
    assert response.status_code == 200
    assert response.context["totals"].received == 6
    assert reverse("services:agency_performance", kwargs={"agency": "pasuruan"}) in (
        response.content.decode()
    )


def _queries(client, django_assert_max_num_queries, url, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_fixed_query_count_at_two_sizes(client, django_assert_max_num_queries):
    agency_url = reverse("services:agency_performance", kwargs={"agency": "pasuruan"})
    portal_url = reverse("services:portal_performance")
    make_request(received_at=MON)
    client.get(agency_url)  # the calendar is cached per process
    _queries(client, django_assert_max_num_queries, agency_url, 10)
    _queries(client, django_assert_max_num_queries, portal_url, 8)
    scenario()
    for case in [make_request(received_at=MON) for _ in range(3)]:
        actor = staff_member(case.agency)
        for status in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS, RequestStatus.DONE):
            step(case, actor, status, MON + timedelta(hours=1))
        survey_actions.survey_submit(case=case, answers={f"u{i}": 4 for i in range(1, 10)}, now=NOW)
    _queries(client, django_assert_max_num_queries, agency_url, 10)
    _queries(client, django_assert_max_num_queries, portal_url, 8)


def test_the_agency_page_and_the_site_link_to_the_figures(client):
    url = reverse("services:agency_performance", kwargs={"agency": "pasuruan"})
    html = client.get(reverse("services:agency_detail", kwargs={"agency": "pasuruan"})).content
    assert url.encode() in html
    assert reverse("services:portal_performance").encode() in html
    assert client.get("/instansi/tidak-ada/kinerja/").status_code == 404


def triage_scenario():
    """Complaints received Mon 2 Jun 09:00 and triaged (classified or rejected) at various
    moments; the triage deadline is the light tier's 3 working hours from receipt (13:00-
    something with the midday break: the count below asks the calendar)."""
    agency = "pasuruan"
    officer = None
    cases = []
    for triaged_after, how in (
        (timedelta(hours=1), "light"),  # classified within triage
        (timedelta(hours=2, minutes=59), "normative"),  # just inside, and another tier
        (timedelta(days=1), "normative"),  # classified a day later: late
        (timedelta(hours=2), "reject"),  # rejected at triage, in time
        (timedelta(days=2), "reject"),  # rejected late
        (None, None),  # never triaged
    ):
        complaint = make_complaint(agency, received_at=MON)
        officer = officer or complaint_officer(complaint.agency)
        at = MON + triaged_after if triaged_after else None
        if how == "reject":
            complaint_actions.complaint_process(
                complaint=complaint,
                actor=officer,
                now=at,
                to_status="ditolak",
                rejection_reason="bukan_kewenangan",
                note="Bukan kewenangan.",
            )
        elif how:
            complaint_actions.complaint_process(
                complaint=complaint, actor=officer, now=at, tier=how, note="Triase."
            )
            if how == "normative":  # reclassifying later never counts as triage again
                complaint_actions.complaint_process(
                    complaint=complaint,
                    actor=officer,
                    now=at + timedelta(days=3),
                    tier="light",
                    reason="Ternyata ringan.",
                )
        cases.append((complaint, at))
    calendar = agency_calendar(cases[0][0].agency)
    deadline = calendar.due(MON, 3, "working_hour")
    triaged = sum(1 for _c, at in cases if at)
    on_time = sum(1 for _c, at in cases if at and at <= deadline)
    return triaged, on_time


@time_machine.travel(NOW, tick=False)
def test_complaints_triaged_within_the_light_tier_count_independently(client):
    triaged, on_time = triage_scenario()
    assert (triaged, on_time) == (5, 3)  # the scenario is what it says
    rows = page(client).context["complaints"]
    assert sum(r["received"] for r in rows) == 6
    assert sum(r["triaged"] for r in rows) == triaged
    assert sum(r["triaged_on_time"] for r in rows) == on_time
    html = page(client).content.decode()
    assert "Ditriase tepat waktu" in html
    portal = client.get(reverse("services:portal_performance"))
    row = next(r for r in portal.context["rows"] if r["agency"].slug == "pasuruan")
    assert row["complaints_triaged_on_time"] == on_time
