"""What the tests of the case admins share: uploads in a scratch folder, and a Pasuruan queue
on Thu 13 Mar 2025 10:00 WIB (one request late, one running, one returned, one closed)."""

from datetime import datetime

import pytest
import time_machine
from django.utils import translation

from services.models import Agency, RequestStatus
from services.requests import actions as request_actions
from tests.factories import make_request, staff_member

QUEUE_MORNING = "2025-03-13T10:00:00+07:00"


def wib(text):
    return datetime.fromisoformat(text + "+07:00")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _language_kept():
    """A page asked for in English leaves English active in the test's thread (the locale
    middleware does not switch back): the next test starts in the language this one did."""
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.fixture
def frozen():
    with time_machine.travel(QUEUE_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def queue(frozen):
    pasuruan = Agency.objects.get(slug="pasuruan")
    staff = staff_member(pasuruan, username="siti")
    later = make_request(received_at=wib("2025-03-12T10:00"))  # due Wed 19 Mar
    late = make_request(received_at=wib("2025-03-04T10:00"))  # due Tue 11 Mar 16:00: late
    returned = make_request(received_at=wib("2025-03-03T10:00"))
    done = make_request(received_at=wib("2025-02-03T10:00"))
    request_actions.request_process(
        request=returned,
        actor=staff,
        now=wib("2025-03-05T10:00"),
        to_status=RequestStatus.RETURNED,
        note="Lengkapi KTP",
    )
    request_actions.request_process(
        request=done,
        actor=staff,
        now=wib("2025-02-04T10:00"),
        to_status=RequestStatus.REJECTED,
        note="Bukan layanan kami",
    )
    return {"staff": staff, "later": later, "late": late, "returned": returned, "done": done}
