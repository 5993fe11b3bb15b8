"""Errors raised by actions are translated at their source: an English page shows them in
English, an Indonesian page in Indonesian, whichever language the action's module was imported
under."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from complaints import actions as complaint_actions
from services.requests import actions as request_actions
from tests.factories import make_complaint, make_request

# Cases and pages made "now" read a fixed working morning, never the day the suite runs.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]


def messages_of(call, language):
    with translation.override(language), pytest.raises(ValidationError) as raised:
        call()
    return raised.value.messages


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "This request is not waiting for missing documents."),
        ("id", "Permohonan ini tidak sedang menunggu kelengkapan dokumen."),
    ],
)
def test_a_resubmission_of_a_request_not_returned(language, expected):
    case = make_request()
    call = lambda: request_actions.request_resubmit(  # noqa: E731
        request=case, documents=[], note="", now=timezone.now()
    )
    assert messages_of(call, language) == [expected]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The information may be at most 2000 characters."),
        ("id", "Keterangan paling banyak 2000 karakter."),
    ],
)
def test_information_too_long_names_its_limit_in_the_pages_language(language, expected):
    complaint = make_complaint()
    limit = complaint_actions.INFORMATION_MAX_LENGTH
    expected = expected.replace("2000", str(limit))
    call = lambda: complaint_actions.complaint_add_information(  # noqa: E731
        complaint=complaint, text="x" * (limit + 1), now=timezone.now()
    )
    assert messages_of(call, language) == [expected]


def test_feedback_on_a_complaint_not_answered_is_refused_in_english():
    complaint = make_complaint()
    call = lambda: complaint_actions.complaint_feedback(  # noqa: E731
        complaint=complaint, resolved=True, note="", now=timezone.now()
    )
    assert messages_of(call, "en") == ["Feedback can only be given on an answer."]
