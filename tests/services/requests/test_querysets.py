"""services.catalogue.querysets and services.requests.querysets: the catalogue's filters and the
request queue's (open, running, overdue, due soon), on the four decrees loaded and requests made
through request_submit."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from services.models import Agency, RequestStatus, ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import default_standard, make_request, publish, staff_member

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
# Mon 3 Mar 2025 09:00 WIB; the default service's 5 working days -> Mon 10 Mar 16:00.
RECEIVED = datetime(2025, 3, 3, 9, 0, tzinfo=WIB)
DUE = datetime(2025, 3, 10, 16, 0, tzinfo=WIB)


def pasuruan():
    return ServiceStandard.objects.filter(agency__slug="pasuruan")


def slugs(qs):
    return set(qs.values_list("slug", flat=True))


FIVE_DAYS = {
    "pembukaan-kantor-cabang-ksp-usp",
    "klinik-kukm",
    "pendataan-potensi-pengembangan-usaha",
    "surat-keterangan-pengurus-pengawas-koperasi",
}

# Pasuruan's nine services by their governing stage in working minutes (1 day = 450).
# (low exclusive, high inclusive, services)
WITHIN = [
    # up to one working hour: "1 (Satu) Jam" and "1 jam"
    (None, 60, {"konsultasi", "rekomendasi-bbm-bersubsidi"}),
    # more than an hour, up to a day: the lower bound is exclusive
    (60, 450, {"sosialisasi", "data-dan-informasi"}),
    # more than a day: "3 (tiga) Hari" and the five-day services
    (450, None, {"penanganan-pengaduan"} | FIVE_DAYS),
    # up to five days, more than three: the upper bound is inclusive
    (1350, 2250, FIVE_DAYS),
    # nothing takes longer than five days
    (2250, None, set()),
]


@pytest.mark.parametrize(("low", "high", "expected"), WITHIN)
def test_standards_within_minutes(low, high, expected):
    assert slugs(pasuruan().within_minutes(low, high)) == expected


def test_standards_without_deadline_are_never_within_a_time_bucket():
    pasuruan().filter(slug="konsultasi").update(max_working_minutes=None)
    assert slugs(pasuruan().without_deadline()) == {"konsultasi"}
    assert "konsultasi" not in slugs(pasuruan().with_deadline())
    assert slugs(pasuruan().within_minutes(None, 60)) == {"rekomendasi-bbm-bersubsidi"}


def test_free_and_paid_standards_split_the_catalogue():
    pasuruan().filter(slug="klinik-kukm").update(fee_amount=25_000)
    assert slugs(pasuruan().paid()) == {"klinik-kukm"}
    assert len(slugs(pasuruan().free())) == 8
    assert pasuruan().free().count() + pasuruan().paid().count() == pasuruan().count()


def test_standards_for_agency():
    agency = Agency.objects.get(slug="palembang")
    assert slugs(ServiceStandard.objects.for_agency(agency)) == {
        "pemberdayaan-usaha-mikro-kecil",
        "kelembagaan-dan-pengawasan-koperasi",
    }


@pytest.fixture
def queue():
    """One request of the default service in each state, all received and worked on RECEIVED
    (no clock is read), and one of a service without a deadline."""
    std = default_standard()
    staff = staff_member(std.agency)
    states = ("received", "verified", "returned", "rejected", "done")
    cases = {state: make_request(std, received_at=RECEIVED) for state in states}
    steps = {
        "verified": [RequestStatus.VERIFIED],
        "returned": [RequestStatus.RETURNED],
        "rejected": [RequestStatus.REJECTED],
        "done": [RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS, RequestStatus.DONE],
    }
    for name, statuses in steps.items():
        for status in statuses:
            request_actions.request_process(
                request=cases[name],
                actor=staff,
                now=RECEIVED,
                to_status=status,
                note="Langkah berikutnya.",
                product_note="Data potensi usaha diserahkan." if status == "selesai" else "",
            )
    open_ended = ServiceStandard.objects.get(agency__slug="pasuruan", slug="sosialisasi")
    ServiceStandard.objects.filter(pk=open_ended.pk).update(
        timeframe_text="Sesuai jadwal sosialisasi"
    )
    open_ended.refresh_from_db()
    publish(open_ended, valid_from=open_ended.decree.signed_date, now=RECEIVED)  # in force then
    cases["no_deadline"] = make_request(open_ended, received_at=RECEIVED)
    assert cases["no_deadline"].due_at is None
    assert {c.due_at for n, c in cases.items() if n != "no_deadline"} == {DUE}
    return cases


def names(queue, qs):
    by_pk = {case.pk: name for name, case in queue.items()}
    return {by_pk[pk] for pk in qs.values_list("pk", flat=True)}


def at(text):
    return datetime.fromisoformat(text)


# (the queue's filter, the requests it lists)
QUEUE = [
    # open: not done, not rejected; a returned request is still open
    (lambda qs: qs.open(), {"received", "verified", "returned", "no_deadline"}),
    # running: open and not paused
    (lambda qs: qs.running(), {"received", "verified", "no_deadline"}),
    # Tue 11 Mar 08:00: past Mon 10 16:00; the returned one's clock is stopped, so not late
    (lambda qs: qs.overdue(now=at("2025-03-11T08:00+07:00")), {"received", "verified"}),
    # at the due moment itself nothing is late yet
    (lambda qs: qs.overdue(now=DUE), set()),
    # a request without a deadline is never late
    (lambda qs: qs.overdue(now=at("2026-01-05T08:00+07:00")), {"received", "verified"}),
    # Mon 10 Mar 08:00 until 16:00: due at the window's end counts
    (lambda qs: qs.due_before(now=at("2025-03-10T08:00+07:00"), until=DUE),
     {"received", "verified"}),
    # due at the window's start (now) counts too: due now is not late yet
    (lambda qs: qs.due_before(now=DUE, until=at("2025-03-11T16:00+07:00")),
     {"received", "verified"}),
    # the window closes a second before the due moment
    (lambda qs: qs.due_before(now=at("2025-03-10T08:00+07:00"),
                              until=at("2025-03-10T15:59:59+07:00")), set()),
    # already late is not "due soon"
    (lambda qs: qs.due_before(now=at("2025-03-11T08:00+07:00"),
                              until=at("2025-03-12T08:00+07:00")), set()),
]  # fmt: skip


@pytest.mark.parametrize(("select", "expected"), QUEUE)
def test_request_queue(queue, select, expected):
    assert names(queue, select(ServiceRequest.objects.all())) == expected


def test_requests_for_agency(queue):
    pasuruan_id = queue["received"].agency_id
    assert names(queue, ServiceRequest.objects.for_agency(pasuruan_id)) == set(queue)
    other = Agency.objects.get(slug="palembang").pk
    assert not ServiceRequest.objects.for_agency(other).exists()
