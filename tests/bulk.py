"""Many cases of one agency inserted in bulk, for the tests that count a long list and for the
benchmark scripts that time it (scripts/bench_staff_list.py, scripts/bench_dashboard.py):
submitting them one by one would take minutes, and only the pages' reads are measured."""

from datetime import timedelta

from django.utils import timezone

from complaints.models import Complaint, ComplaintStatus
from services.models import Agency, ServiceRequest
from tests.factories import ApplicantFactory


def ten_thousand_requests():
    """10,000 running requests of Pasuruan, inserted in bulk: submitting them one by one
    through request_submit would take minutes, and only the list's reads are tested."""
    agency = Agency.objects.get(slug="pasuruan")
    std = agency.services.first()
    now = timezone.now()
    applicant = ApplicantFactory()
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            agency=agency,
            standard=std,
            number=f"PSR-2025-{i:05d}",
            year=2025,
            sequence=i,
            access_hash="x" * 64,
            **{**applicant, "applicant_name": f"Pemohon {i}"},
            received_at=now,
            due_at=now,
        )
        for i in range(1, 10_001)
    )
    return agency


def bulk_requests(agency, count, now):
    """`count` running requests received ten days ago, due from 100 hours ago to 99 ahead."""
    std = agency.services.first()
    applicant = ApplicantFactory()
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            agency=agency,
            standard=std,
            number=f"BULK-{i:06d}",
            year=2025,
            sequence=10_000 + i,
            access_hash="x" * 64,
            **applicant,
            received_at=now - timedelta(days=10),
            due_at=now + timedelta(hours=i % 200 - 100),
        )
        for i in range(count)
    )


def bulk_complaints(agency, count, now):
    """`count` complaints received three days ago, half unclassified, half being handled
    (normative), due from 50 hours ago to 49 ahead."""
    Complaint.objects.bulk_create(
        Complaint(
            agency=agency,
            number=f"BULK-A-{i:06d}",
            year=2025,
            sequence=10_000 + i,
            access_hash="x" * 64,
            complainant_name="Bulk",
            shortfall="x",
            remedy="y",
            status=ComplaintStatus.RECEIVED if i % 2 else ComplaintStatus.HANDLING,
            tier="" if i % 2 else "normative",
            received_at=now - timedelta(days=3),
            due_at=now + timedelta(hours=i % 100 - 50),
        )
        for i in range(count)
    )
