"""The admin home ("Hari ini", portal.cases.admin.dashboard_page): counts per agency and time
window, each linked to the queue that lists the same cases, in the agency's local time."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from complaints import actions as complaint_actions
from services.models import Agency, RequestStatus
from services.requests import actions as request_actions
from tests.bulk import bulk_complaints, bulk_requests
from tests.factories import make_complaint, make_request, official, staff_member

pytestmark = pytest.mark.django_db

# Wed 12 Mar 2025 23:30 UTC = Thu 13 Mar 06:30 WIB: the UTC date is still the 12th, so a case
# due Thursday 16:00 WIB is "due today" only when today is read in the agency's zone.
NOW = datetime(2025, 3, 12, 23, 30, tzinfo=UTC)
CELL = re.compile(
    r'<td class="count count-(?P<key>[\w-]+)[^"]*" data-window="[\w-]+">'
    r'(?:<a href="(?P<url>[^"]*)">)?<span class="cell-label">[^<]*</span>(?P<count>\d+)'
)
TABLE = re.compile(r"<caption>(?P<title>[^<]*)</caption>(?P<body>.*?)</table>", re.S)
ROW = re.compile(r'<tr><th scope="row">(?P<label>[^<]*)</th>(?P<cells>.*?)</tr>', re.S)


def wib(text):
    return datetime.fromisoformat(text + "+07:00")


@pytest.fixture
def cases():
    """Pasuruan requests (5 working days) in every window, complaints of Musi Banyuasin in
    several tiers, and one request of another agency that Pasuruan staff must never count."""
    pasuruan = Agency.objects.get(slug="pasuruan")
    muba = Agency.objects.get(slug="musi-banyuasin")
    staff = staff_member(pasuruan, username="siti")
    colleague = staff_member(pasuruan, username="rudi")
    muba_staff = staff_member(muba, username="wati")
    made = {
        "late": make_request(received_at=wib("2025-03-05T10:00")),  # due Wed 12 Mar 16:00
        "today": make_request(received_at=wib("2025-03-06T10:00")),  # due Thu 13 Mar 16:00
        "soon": make_request(received_at=wib("2025-03-10T10:00")),  # due Mon 17 Mar 16:00
        "later": make_request(received_at=wib("2025-03-12T10:00")),  # due Wed 19 Mar 16:00
        "returned": make_request(received_at=wib("2025-03-11T10:00")),
        "mine": make_request(received_at=wib("2025-03-12T11:00")),
        "done": make_request(received_at=wib("2025-03-03T10:00")),
    }
    at = wib("2025-03-12T15:00")
    request_actions.request_process(
        request=made["returned"],
        actor=staff,
        now=at,
        to_status=RequestStatus.RETURNED,
        note="KTP belum ada",
    )
    request_actions.request_process(request=made["mine"], actor=staff, now=at, assignee=staff)
    request_actions.request_process(request=made["late"], actor=staff, now=at, assignee=colleague)
    for step in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS):
        request_actions.request_process(
            request=made["done"], actor=staff, now=at, to_status=step, note="ok"
        )
    request_actions.request_process(
        request=made["done"],
        actor=staff,
        now=at,
        to_status=RequestStatus.DONE,
        note="Selesai",
        product_note="Surat diambil di loket",
    )
    # Musi Banyuasin: triage late (received Tue 11 Mar 10:00, 3 working hours), triage due
    # today (Wed 14:00 -> Thu 08:30), a normative complaint due today, one answered.
    complaints = {
        "triage_late": make_complaint(muba, received_at=wib("2025-03-11T10:00")),
        "triage_today": make_complaint(muba, received_at=wib("2025-03-12T14:00")),
        "normative": make_complaint(muba, received_at=wib("2025-03-06T10:00")),
        "answered": make_complaint(muba, received_at=wib("2025-03-10T10:00")),
    }
    complaint_actions.complaint_process(
        complaint=complaints["normative"], actor=muba_staff, now=at, tier="normative"
    )
    complaint_actions.complaint_process(
        complaint=complaints["answered"],
        actor=muba_staff,
        now=at,
        tier="non_supervisory",
        answer="Sudah kami tindak lanjuti.",
    )
    make_request(
        Agency.objects.get(slug="musi-banyuasin").services.first(),
        received_at=wib("2025-03-05T10:00"),
    )
    return {"staff": staff, "muba_staff": muba_staff, **made, **complaints}


def tables(html):
    """{caption: {row label: {window: (count, url)}}} read from the page."""
    found = {}
    for table in TABLE.finditer(html):
        rows = {}
        for row in ROW.finditer(table["body"]):
            rows[unescape(row["label"])] = {
                c["key"]: (int(c["count"]), unescape(c["url"] or ""))
                for c in CELL.finditer(row["cells"])
            }
        found[unescape(table["title"])] = rows
    return found


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.templates[0].name == "admin/cases/dashboard.html"
    return response


def assert_links_list_the_counted_cases(client, found):
    checked = 0
    for rows in found.values():
        for cells in rows.values():
            for key, (count, url) in cells.items():
                assert url, key
                queue = client.get(url)
                assert queue.status_code == 200, url
                assert queue.context["cl"].result_count == count, (key, url)
                checked += 1
    return checked


def test_staff_see_their_agency_counted_in_local_time_and_each_count_lists_its_cases(client, cases):
    with time_machine.travel(NOW, tick=False):
        response = dashboard(client, cases["staff"])
        html = response.content.decode()
        found = tables(html)
        requests = found["Permohonan"]["Permohonan"]
        assert {key: count for key, (count, _url) in requests.items()} == {
            "lewat": 1,
            "hari-ini": 1,  # due Thu 16:00 WIB: today in Pasuruan, tomorrow in UTC
            "3-hari": 2,  # today's and Monday 16:00 (the close of the third working day)
            "jeda": 1,
            "tanpa-petugas": 4,  # today, soon, later, returned
            "milik-saya": 1,
        }
        assert "Pasuruan" in html and "Musi Banyuasin" not in html
        assert "Kamis, 13 Maret 2025 pukul 06.30 WIB" in html
        # Pasuruan has no complaint: every complaint count is zero, Musi Banyuasin's unseen.
        assert all(c == 0 for row in found["Pengaduan"].values() for c, _u in row.values())
        assert assert_links_list_the_counted_cases(client, found) == 6 * 6


def test_complaints_are_split_by_tier_with_triage_apart(client, cases):
    with time_machine.travel(NOW, tick=False):
        found = tables(dashboard(client, cases["muba_staff"]).content.decode())
        complaints = found["Pengaduan"]
        assert complaints["Triase (belum diklasifikasi)"]["lewat"][0] == 1
        assert complaints["Triase (belum diklasifikasi)"]["hari-ini"][0] == 1
        assert complaints["Pengaduan bersifat normatif"]["hari-ini"][0] == 1
        assert complaints["Pengaduan tidak berkadar pengawasan"]["jeda"][0] == 1  # answered
        assert found["Permohonan"]["Permohonan"]["lewat"][0] == 1  # its own, not Pasuruan's
        assert assert_links_list_the_counted_cases(client, found) == 6 * 6


def test_a_superuser_sees_every_agency_apart_and_its_links_agree(client, cases):
    admin = User.objects.create_superuser("kepala", "kepala@contoh.go.id", "rahasia-uji-123")
    with time_machine.travel(NOW, tick=False):
        html = dashboard(client, admin).content.decode()
        sections = re.split(r'<section class="today"', html)[1:]
        assert len(sections) == Agency.objects.count()
        by_agency = {}
        for section in sections:
            name = re.search(r"<h2[^>]*>([^<]*)</h2>", section).group(1)
            by_agency[unescape(name)] = tables(section)
        pasuruan = by_agency[Agency.objects.get(slug="pasuruan").name]
        assert pasuruan["Permohonan"]["Permohonan"]["lewat"][0] == 1
        muba = by_agency[Agency.objects.get(slug="musi-banyuasin").name]
        assert muba["Pengaduan"]["Triase (belum diklasifikasi)"]["lewat"][0] == 1
        for found in (pasuruan, muba):
            assert_links_list_the_counted_cases(client, found)


def test_an_official_sees_the_counts_of_their_agency_without_queue_links(client, cases):
    with time_machine.travel(NOW, tick=False):
        found = tables(
            dashboard(client, official(Agency.objects.get(slug="pasuruan"))).content.decode()
        )
        late, url = found["Permohonan"]["Permohonan"]["lewat"]
        assert late == 1 and url == ""  # officials do not work the queue


def test_a_member_of_no_agency_is_told_so(client):
    user = User.objects.create_user("baru", password="rahasia-uji-123", is_staff=True)
    html = dashboard(client, user).content.decode()
    assert "belum terhubung ke instansi" in html


def test_changing_the_links_does_not_reach_another_agency(client, cases):
    muba = Agency.objects.get(slug="musi-banyuasin")
    with time_machine.travel(NOW, tick=False):
        client.force_login(cases["staff"])
        url = reverse("admin:services_servicerequest_changelist")
        other = client.get(url + f"?tempo=lewat&agency__id__exact={muba.pk}")
        assert other.context["cl"].result_count == 0
        mine = client.get(url + f"?tempo=terbuka&assignee__id__exact={cases['muba_staff'].pk}")
        assert mine.context["cl"].result_count == 0
        probe = client.get(url + "?assignee__username__startswith=w")
        assert probe.status_code == 400
        complaints = reverse("admin:complaints_complaint_changelist")
        assert client.get(complaints + "?tempo=lewat&tier__exact=").context["cl"].result_count == 0


@pytest.mark.parametrize("size", [10, 2_000])
def test_the_dashboard_reads_a_fixed_number_of_queries_whatever_the_data_size(
    client, size, django_assert_max_num_queries
):
    agency = Agency.objects.get(slug="pasuruan")
    staff = staff_member(agency)
    admin = User.objects.create_superuser("kepala", "kepala@contoh.go.id", "rahasia-uji-123")
    with time_machine.travel(NOW, tick=False):
        bulk_requests(agency, size, timezone.now())
        bulk_complaints(agency, size, timezone.now())
        for user in (staff, admin):
            client.force_login(user)
            client.get(reverse("admin:index"))  # warms the agencies' calendars
            with django_assert_max_num_queries(12):
                response = client.get(reverse("admin:index"))
            found = tables(response.content.decode())
            if user is staff:
                late = sum(1 for i in range(size) if i % 200 < 100)  # due an hour ago or more
                assert found["Permohonan"]["Permohonan"]["lewat"][0] == late
