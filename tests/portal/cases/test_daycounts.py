"""The per-day counts behind the performance pages stay exact through every path that writes
a case: after a random sequence of writes the table equals what `rebuild_performance_counts`
counts from the cases, and that equals a count made here from the cases' moments."""

import random
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import CASCADE, PositiveIntegerField

from complaints import actions as complaint_actions
from complaints.models import Complaint, ComplaintDayCount, ComplaintStatus
from portal.cases.daycounts import counted_models
from services.models import (
    Agency,
    AgencyClosure,
    RequestAgencyDayCount,
    RequestDayCount,
    RequestStatus,
    ServiceRequest,
    ServiceStandard,
)
from services.requests import actions as request_actions
from tests.factories import complaint_officer, make_complaint, make_request, staff_member
from tests.pdfs import PDF

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2025, 6, 2, 8, 0, tzinfo=WIB)
NOW = datetime(2025, 7, 31, 12, 0, tzinfo=WIB)


def table(model, group=None):
    return sorted(
        (
            row["agency_id"],
            row[group] if group else None,
            row["day"],
            *(row[f] for f in figures(model)),
        )
        for row in model.objects.values()
    )


def figures(model):
    return [f.name for f in model._meta.fields if isinstance(f, PositiveIntegerField)]


def tables():
    return (
        table(RequestDayCount, "standard_id"),
        table(RequestAgencyDayCount),
        table(ComplaintDayCount, "tier"),
    )


def rebuilt():
    call_command("rebuild_performance_counts", verbosity=0)
    return tables()


def independent_requests():
    """Received per local day of receipt; completed, with a limit, on time per local day of
    completion: from the requests' own moments."""
    counts = Counter()
    for r in ServiceRequest.objects.select_related("agency"):
        tz = ZoneInfo(r.agency.timezone)
        counts[(r.agency_id, r.standard_id, r.received_at.astimezone(tz).date(), "r")] += 1
        if r.status == RequestStatus.DONE:
            day = r.closed_at.astimezone(tz).date()
            counts[(r.agency_id, r.standard_id, day, "c")] += 1
            if r.due_at:
                counts[(r.agency_id, r.standard_id, day, "w")] += 1
                counts[(r.agency_id, r.standard_id, day, "o")] += r.closed_at <= r.due_at
    keys = {k[:3] for k, n in counts.items() if n}
    return sorted((*k, *(counts[(*k, f)] for f in "rcwo")) for k in keys)


def _step(case, actor, status, at):
    request_actions.request_process(
        request=case,
        actor=actor,
        now=at,
        to_status=status,
        note="Lanjut.",
        product_note="Diserahkan." if status == RequestStatus.DONE else "",
    )


def _random_writes(rng: random.Random):
    pasuruan = Agency.objects.get(slug="pasuruan")
    other = ServiceStandard.objects.filter(agency__slug="musi-banyuasin").first()
    actor = staff_member(pasuruan)
    officer = complaint_officer(pasuruan)
    requests, complaints = [], []
    moment = START
    for _ in range(40):
        moment += timedelta(hours=rng.choice([1, 3, 7, 20, 30]))
        action = rng.randrange(16)
        open_requests = [
            r
            for r in requests
            if ServiceRequest.objects.filter(pk=r.pk)
            .exclude(status__in=[RequestStatus.DONE, RequestStatus.REJECTED])
            .exists()
        ]
        if action <= 3 or not requests:  # intake (online, or a walk-in of earlier)
            standard = other if rng.random() < 0.2 else None
            requests.append(
                make_request(standard, received_at=moment - timedelta(hours=rng.randrange(30)))
            )
        elif action == 4 and open_requests:  # the whole way to done, at once
            case = rng.choice(open_requests)
            case.refresh_from_db()
            staff = actor if case.agency_id == pasuruan.pk else staff_member(case.agency)
            path = {
                RequestStatus.RECEIVED: [RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS],
                RequestStatus.VERIFIED: [RequestStatus.IN_PROGRESS],
                RequestStatus.IN_PROGRESS: [],
            }.get(case.status)
            if path is None:
                continue
            for status in [*path, RequestStatus.DONE]:
                _step(case, staff, status, moment)
        elif action == 5 and open_requests:  # returned (clock stops), then resubmitted
            case = rng.choice(open_requests)
            case.refresh_from_db()
            if case.status == RequestStatus.RETURNED or case.agency_id != pasuruan.pk:
                continue
            _step(case, actor, RequestStatus.RETURNED, moment)
            request_actions.request_resubmit(
                request=case,
                documents=[SimpleUploadedFile("ktp.pdf", PDF)],
                note="Lengkap.",
                now=moment + timedelta(days=rng.randrange(1, 8)),
            )
        elif action == 6 and open_requests:  # rejected
            case = rng.choice(open_requests)
            case.refresh_from_db()
            staff = actor if case.agency_id == pasuruan.pk else staff_member(case.agency)
            _step(case, staff, RequestStatus.REJECTED, moment)
        elif action == 7:  # a closure: due moments of open requests and complaints move
            AgencyClosure.objects.get_or_create(
                agency=pasuruan,
                date=(moment + timedelta(days=rng.randrange(1, 6))).date(),
                defaults={"reason": "Banjir"},
            )
            pasuruan.refresh_from_db()
            request_actions.requests_recompute_deadlines(
                agency=pasuruan, actor=actor, now=moment, reason="Tutup."
            )
            complaint_actions.complaints_recompute_deadlines(
                agency=pasuruan, actor=actor, now=moment, reason="Tutup."
            )
        elif action == 8 and requests:  # a bulk update: reopened, or the clock moved
            pks = [r.pk for r in rng.sample(requests, min(3, len(requests)))]
            if rng.random() < 0.5:
                ServiceRequest.objects.filter(pk__in=pks, status=RequestStatus.DONE).update(
                    status=RequestStatus.IN_PROGRESS, closed_at=None
                )
            else:
                ServiceRequest.objects.filter(pk__in=pks, due_at__isnull=False).update(
                    due_at=moment
                )
        elif action == 9 and requests:  # bulk_update, and a plain save of a loaded case
            rows = list(ServiceRequest.objects.filter(pk__in=[r.pk for r in requests[:4]]))
            for row in rows:
                row.received_at -= timedelta(hours=rng.randrange(1, 48))
            ServiceRequest.objects.bulk_update(rows, ["received_at"])
            row = ServiceRequest.objects.get(pk=rng.choice(requests).pk)
            row.status, row.closed_at = RequestStatus.DONE, moment
            row.save()
        elif action == 10 and requests:  # deleted, one by one and in bulk
            victim = requests.pop(rng.randrange(len(requests)))
            if rng.random() < 0.5:
                ServiceRequest.objects.get(pk=victim.pk).delete()
            else:
                ServiceRequest.objects.filter(pk=victim.pk).delete()
        elif action == 11:  # bulk assignment: no figure changes
            request_actions.requests_assign(
                requests=ServiceRequest.objects.filter(agency=pasuruan),
                assignee=actor,
                actor=actor,
                now=moment,
            )
        elif action == 12 or not complaints:
            complaints.append(make_complaint("pasuruan", received_at=moment - timedelta(hours=2)))
        else:  # a complaint's workflow: classify, reclassify, answer, feedback, reject
            complaint = Complaint.objects.get(pk=rng.choice(complaints).pk)
            status = complaint.status
            if status == ComplaintStatus.RECEIVED:
                if rng.random() < 0.2:
                    complaint_actions.complaint_process(
                        complaint=complaint,
                        actor=officer,
                        now=moment,
                        to_status=ComplaintStatus.REJECTED,
                        rejection_reason="duplikat",
                        note="Ganda.",
                    )
                else:
                    complaint_actions.complaint_process(
                        complaint=complaint,
                        actor=officer,
                        now=moment,
                        tier=rng.choice(["light", "normative"]),
                        note="Klasifikasi.",
                    )
            elif status == ComplaintStatus.CLASSIFIED and rng.random() < 0.3:
                complaint_actions.complaint_process(
                    complaint=complaint,
                    actor=officer,
                    now=moment,
                    tier="normative" if complaint.tier == "light" else "light",
                    reason="Salah tingkat.",
                )
            elif status in (ComplaintStatus.CLASSIFIED, ComplaintStatus.HANDLING):
                complaint_actions.complaint_process(
                    complaint=complaint, actor=officer, now=moment, answer="Sudah ditangani."
                )
            elif status == ComplaintStatus.ANSWERED:
                complaint_actions.complaint_feedback(
                    complaint=complaint, resolved=rng.random() < 0.5, note="", now=moment
                )
            elif rng.random() < 0.5:
                Complaint.objects.filter(pk=complaint.pk).delete()
                complaints = [c for c in complaints if c.pk != complaint.pk]
    # A new time zone moves every case of the agency to other local days.
    pasuruan.refresh_from_db()
    pasuruan.timezone = "Asia/Makassar"
    pasuruan.save()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_write_keeps_the_day_counts_equal_to_a_rebuild(seed):
    with time_machine.travel(NOW, tick=False):
        _random_writes(random.Random(seed))
    kept = tables()
    assert all(kept)
    assert rebuilt() == kept
    assert rebuilt() == kept  # idempotent
    assert kept[0] == independent_requests()
    per_agency = {}  # the per-agency rows are the per-service rows summed
    for agency_id, _standard, day, *counts in kept[0]:
        row = per_agency.setdefault((agency_id, None, day), [0, 0, 0, 0])
        per_agency[(agency_id, None, day)] = [a + b for a, b in zip(row, counts, strict=True)]
    assert kept[1] == sorted((*k, *v) for k, v in per_agency.items())


def test_a_rebuild_after_rows_bypassed_the_models(django_assert_max_num_queries):
    with time_machine.travel(NOW, tick=False):
        case = make_request(received_at=START)
        make_complaint("pasuruan", received_at=START)
    # As COPY would: the counts of an agency are gone, then counted again.
    RequestDayCount.objects.all().delete()
    ComplaintDayCount.objects.all().delete()
    call_command("rebuild_performance_counts", "--agency", "pasuruan", verbosity=0)
    day = START.date()
    assert RequestDayCount.objects.get(standard=case.standard, day=day).received == 1
    assert ComplaintDayCount.objects.get(tier="", day=day).received == 1


def test_an_unknown_agency_is_refused():
    with pytest.raises(Exception, match="tidak-ada"):
        call_command("rebuild_performance_counts", "--agency", "tidak-ada")


def test_new_cases_add_up_in_their_buckets_on_the_agencys_own_day():
    """Submissions alone (no later write recounts their day): each adds its one to the
    bucket of its local day, inserted by the first and added to by the next."""
    pasuruan = Agency.objects.get(slug="pasuruan")
    pasuruan.timezone = "Asia/Jayapura"  # WIT: 23:30 in Jakarta is 01:30 of the next day
    pasuruan.save()
    standard = ServiceStandard.objects.filter(agency=pasuruan).order_by("pk").first()
    moments = [
        datetime(2025, 7, 28, 9, 0, tzinfo=WIB),
        datetime(2025, 7, 28, 14, 0, tzinfo=WIB),
        datetime(2025, 7, 28, 20, 0, tzinfo=WIB),  # 22:00 WIT, the same day
        datetime(2025, 7, 28, 23, 30, tzinfo=WIB),  # 01:30 WIT on the 29th
    ]
    with time_machine.travel(NOW, tick=False):
        for moment in moments:
            make_request(standard, received_at=moment)
            make_complaint(pasuruan, received_at=moment)
    day, next_day = datetime(2025, 7, 28).date(), datetime(2025, 7, 29).date()
    assert table(RequestDayCount, "standard_id") == [
        (pasuruan.pk, standard.pk, day, 3, 0, 0, 0),
        (pasuruan.pk, standard.pk, next_day, 1, 0, 0, 0),
    ]
    assert table(RequestAgencyDayCount) == [
        (pasuruan.pk, None, day, 3, 0, 0, 0),
        (pasuruan.pk, None, next_day, 1, 0, 0, 0),
    ]
    assert [(row[2], row[3]) for row in table(ComplaintDayCount, "tier")] == [
        (day, 3),
        (next_day, 1),
    ]
    kept = tables()
    assert rebuilt() == kept


def test_no_relation_deletes_a_counted_case_behind_the_counts_back():
    """Django's collector deletes cascaded rows without their model's delete or queryset: a
    counted case is only ever deleted through DayCounted (its own foreign keys protect it or
    become null)."""
    cascading = [
        f"{model.__name__}.{f.name}"
        for model in counted_models()
        for f in model._meta.get_fields()
        if f.many_to_one and f.concrete and f.remote_field.on_delete is CASCADE
    ]
    assert sorted(m.__name__ for m in counted_models()) == ["Complaint", "ServiceRequest"]
    assert cascading == []
