"""No submission lost: many citizens submitting at once, against a live server on PostgreSQL.

200 online requests and 200 complaints, all to one agency (so every submission contends for the
agency's row lock that numbers are allocated under), sent by separate clients at once: each GETs
its form (CSRF cookie and token, submission key) and POSTs it. Afterwards every acknowledged
submission (302 to its receipt) is in the database exactly once under its submission key, every
receipt number is distinct, nothing else was stored and no answer was a 5xx.

The live server opens one database connection per request in flight, so at most IN_FLIGHT
submissions run at once (PostgreSQL's default max_connections is 100).
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection

from complaints.models import Complaint, ComplaintEvidence
from portal.cases import daycounts
from portal.cases.codes import key_digest
from services.models import RequestDocument, ServiceRequest
from tests.load.client import form_targets, submit_complaint, submit_request

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL only"
    ),
]

REQUESTS = 200
COMPLAINTS = 200
IN_FLIGHT = 40


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    call_command("load_standards", verbosity=0)
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_FORM_RATE = "off"  # portal.ratelimit: every client here is 127.0.0.1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return live_server.url


def test_no_submission_lost_under_concurrent_load(site):
    # A service with one document to upload (the fewest but one): the test is about locking.
    target = form_targets()
    assert target.documents >= 1

    def one(n):
        if n % 2:
            return "request", *submit_request(site, target.request_path, n)
        return "complaint", *submit_complaint(
            site, target.complaint_path, target.agency_id, n, evidence=n % 4 == 0
        )

    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        results = list(pool.map(one, range(REQUESTS + COMPLAINTS)))

    statuses = Counter(result.status for _kind, _key, result in results)
    failures = [
        (kind, result.status, result.error or result.body[:300])
        for kind, _key, result in results
        if result.receipt_number is None
    ]
    assert not [s for s in statuses if s >= 500 or s == 0], (statuses, failures[:5])
    assert not failures, (statuses, failures[:5])

    acknowledged = {
        kind: {key_digest(key): result.receipt_number for k, key, result in results if k == kind}
        for kind in ("request", "complaint")
    }
    assert len(acknowledged["request"]) == REQUESTS
    assert len(acknowledged["complaint"]) == COMPLAINTS
    numbers = [n for by_key in acknowledged.values() for n in by_key.values()]
    assert len(set(numbers)) == len(numbers), "two submissions were given the same receipt"

    for model, kind in ((ServiceRequest, "request"), (Complaint, "complaint")):
        stored = dict(
            model.objects.filter(agency_id=target.agency_id).values_list(
                "submission_digest", "number"
            )
        )
        assert stored == acknowledged[kind]  # each exactly once; nothing unacknowledged stored
        sequences = sorted(
            model.objects.filter(agency_id=target.agency_id).values_list("sequence", flat=True)
        )
        assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))

    stored_documents = RequestDocument.objects.filter(request__agency_id=target.agency_id).count()
    assert stored_documents == REQUESTS * target.documents
    evidence = ComplaintEvidence.objects.filter(complaint__agency_id=target.agency_id).count()
    assert evidence == len(range(0, REQUESTS + COMPLAINTS, 4))

    # The day counts the submissions added to under their buckets' locks are those a count
    # made again from the cases gives.
    counted = {
        spec.count_model()._meta.label: sorted(
            spec.count_model().objects.values_list(*_count_columns(spec))
        )
        for model in daycounts.counted_models()
        for spec in model.day_count_specs()
    }
    assert any(rows for rows in counted.values())
    daycounts.rebuild_all()
    for model in daycounts.counted_models():
        for spec in model.day_count_specs():
            label = spec.count_model()._meta.label
            rebuilt = sorted(spec.count_model().objects.values_list(*_count_columns(spec)))
            assert counted[label] == rebuilt, label


def _count_columns(spec) -> list[str]:
    return ["agency_id", *([spec.count_group] if spec.count_group else []), "day", *spec.figures]
