"""portal.cases.actions: every write of a case is an action of its own transaction.

An action that views, admin pages and commands call is durable: it refuses to run inside
another transaction (Django raises RuntimeError before it writes anything), so no caller can
wrap it by mistake and no action can call another. The writes that belong to their caller's
transaction are inner actions. pytest-django runs a `django_db` test inside Django's TestCase
transaction, which durable blocks are allowed in (it is marked as the test case's): an action
called by the test itself commits into the test's transaction, one called inside the test's own
`atomic()` is refused.
"""

import inspect
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction

from complaints import actions as complaint_actions
from portal.cases.actions import durable_actions, inner_actions
from services.models import ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import APPLICANT, DEFAULT_SERVICE, make_complaint, make_request, staff_member

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=WIB)
ACTION_MODULES = [request_actions, complaint_actions]


def public_functions(module):
    return {
        name: value
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
    }


def all_public_functions():
    return [f for module in ACTION_MODULES for f in public_functions(module).values()]


def test_every_public_function_of_the_case_actions_is_a_declared_action():
    declared = set(durable_actions()) | set(inner_actions())
    undeclared = [f.__qualname__ for f in all_public_functions() if f not in declared]
    assert undeclared == []


def test_the_writes_called_from_outside_are_durable_and_those_of_a_callers_transaction_not():
    durable = sorted(f.__name__ for f in all_public_functions() if f in durable_actions())
    inner = sorted(f.__name__ for f in all_public_functions() if f in inner_actions())
    assert durable == [
        "complaint_add_information",
        "complaint_feedback",
        "complaint_process",
        "complaint_submit",
        "complaints_assign",
        "request_process",
        "request_resubmit",
        "request_submit",
        "requests_assign",
    ]
    assert inner == ["complaints_recompute_deadlines", "requests_recompute_deadlines", "tiers_load"]


@pytest.mark.parametrize("action", durable_actions(), ids=lambda f: f.__name__)
def test_a_durable_action_refuses_to_run_inside_another_transaction(action):
    """Refused on entering its transaction, before its own code runs (no argument is even
    read): whatever a caller passes, nothing is written."""
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable atomic block"):
        action()


def test_a_submission_inside_a_callers_transaction_is_refused_and_writes_nothing():
    standard = ServiceStandard.objects.select_related("agency").get(
        agency__slug=DEFAULT_SERVICE[0], slug=DEFAULT_SERVICE[1]
    )
    kwargs = dict(standard=standard, applicant=APPLICANT, documents={}, now=MONDAY)
    with transaction.atomic(), pytest.raises(RuntimeError):
        request_actions.request_submit(submission_key=uuid.uuid4(), **kwargs)
    assert not ServiceRequest.objects.exists()
    # Called by the test itself it runs: its block is the outermost but the test's own.
    assert connection.in_atomic_block
    case, code = request_actions.request_submit(submission_key=uuid.uuid4(), **kwargs)
    assert case.pk is not None and code


def test_an_action_cannot_run_inside_another_action():
    """What would happen if one action called another: the inner one is refused, and the
    outer one fails whole."""
    with time_machine.travel(MONDAY, tick=False):
        case = make_request(now=MONDAY)
    actor = staff_member(case.agency)
    calls = []

    @transaction.atomic(durable=True)
    def outer():
        calls.append("outer")
        request_actions.request_process(request=case, actor=actor, now=MONDAY, note="Catatan.")

    with pytest.raises(RuntimeError):
        outer()
    assert calls == ["outer"] and case.events.count() == 1  # only its submission


def test_an_inner_action_joins_its_callers_transaction():
    with time_machine.travel(MONDAY, tick=False):
        complaint = make_complaint("pasuruan", now=MONDAY)
    agency = complaint.agency
    with transaction.atomic():
        assert (
            request_actions.requests_recompute_deadlines(
                agency=agency, actor=None, now=MONDAY, reason="Tidak ada yang berubah."
            )
            == 0
        )
        assert (
            complaint_actions.complaints_recompute_deadlines(
                agency=agency, actor=None, now=MONDAY, reason="Tidak ada yang berubah."
            )
            == 0
        )
