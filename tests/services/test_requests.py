"""services.request_actions called directly: a form sent twice at once, the workflow's checks,
and due moments recomputed after a new closure.

These belong with tests/services/test_request_actions.py; the pages are tested in
test_request_views.py and the staff's admin in test_request_admin.py.
"""

import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from services import request_actions
from services.models import AgencyClosure, RequestStatus, ServiceRequest
from tests.factories import ApplicantFactory, default_standard, make_request, staff_member

pytestmark = pytest.mark.django_db

# Mon 3 Mar 2025 09:00 WIB; 5 working days -> Mon 10 Mar 16:00.
MONDAY_9 = "2025-03-03T09:00:00+07:00"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        yield traveller


def test_a_form_sent_twice_at_once_is_stored_once(monkeypatch):
    """The second copy passed the first check before the first copy committed; it finds the
    first one once it holds the agency's lock, and gets the same request."""
    key = uuid.uuid4()
    std = default_standard()
    applicant = ApplicantFactory()
    now = timezone.now()
    first, code = request_actions.request_submit(
        standard=std, applicant=applicant, documents={}, now=now, submission_key=key
    )
    real_filter = ServiceRequest.objects.filter
    calls = []

    def stale_first_check(*args, **kwargs):  # as if the first copy were not committed yet
        calls.append(kwargs)
        if len(calls) == 1:
            return ServiceRequest.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(ServiceRequest.objects, "filter", stale_first_check)
    second, second_code = request_actions.request_submit(
        standard=std, applicant=applicant, documents={}, now=now, submission_key=key
    )
    assert len(calls) == 2 and second.pk == first.pk and second_code == code and code
    assert ServiceRequest.objects.count() == 1


def test_transitions_are_checked_and_need_a_note():
    case = make_request()
    staff = staff_member(case.agency)
    with pytest.raises(ValidationError, match="Status tidak dapat diubah"):
        request_actions.request_process(
            request=case,
            to_status=RequestStatus.DONE,
            actor=staff,
            note="langsung selesai",
            now=timezone.now(),
        )
    with pytest.raises(ValidationError, match="Catatan wajib diisi"):
        request_actions.request_process(
            request=case,
            to_status=RequestStatus.VERIFIED,
            actor=staff,
            note=" ",
            now=timezone.now(),
        )
    case.refresh_from_db()
    assert case.status == RequestStatus.RECEIVED
    assert list(case.events.values_list("kind", flat=True)) == ["submitted"]


def test_new_closure_recomputes_open_requests_and_records_it():
    case = make_request()
    assert timezone.localtime(case.due_at).isoformat() == "2025-03-10T16:00:00+07:00"
    official = staff_member(case.agency)
    AgencyClosure.objects.create(agency=case.agency, date="2025-03-06", reason="Hari jadi")
    changed = request_actions.requests_recompute_deadlines(
        agency=case.agency, actor=official, now=timezone.now(), reason="Hari tutup baru"
    )
    case.refresh_from_db()
    assert changed == 1
    # Thu 6 Mar is closed now: Tue 4 (1), Wed 5 (2), Fri 7 (3), Mon 10 (4), Tue 11 (5).
    assert timezone.localtime(case.due_at).isoformat() == "2025-03-11T16:00:00+07:00"
    event = case.events.get(kind="deadline")
    assert event.actor == official and event.note == "Hari tutup baru"
    assert event.data["old_due"].startswith("2025-03-10T09:00:00")
