"""portal.cases.mail: queued in the transaction, sent after it, retried, never raised."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail as outbox
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import transaction

from portal.cases import mail
from portal.models import OutboundEmail

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 11, 3, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


class Refusing:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")


@pytest.fixture(autouse=True)
def composers():
    sent_to = []

    def greet(params):
        sent_to.append(params["to"])
        return EmailMessage("Halo", f"Untuk {params['to']}", "portal@contoh.go.id", [params["to"]])

    mail.register_composer("test.greet", greet)
    mail.register_composer("test.nothing", lambda params: None)
    return sent_to


def test_an_email_is_sent_only_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = mail.queue(composer="test.greet", params={"to": "a@contoh.id"}, now=NOW)
        assert outbox.outbox == []  # still inside the transaction
    row.refresh_from_db()
    assert [m.to for m in outbox.outbox] == [["a@contoh.id"]] and row.sent_at is not None


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            mail.queue(composer="test.greet", params={"to": "a@contoh.id"}, now=NOW)
            raise RuntimeError("the action failed")
    assert outbox.outbox == [] and not OutboundEmail.objects.exists()


def test_a_refused_email_is_retried_until_the_limit(settings):
    settings.EMAIL_BACKEND = "tests.portal.cases.test_mail.Refusing"
    row = OutboundEmail.objects.create(
        composer="test.greet", params={"to": "b@x.id"}, created_at=NOW
    )
    for attempt in range(1, mail.MAX_ATTEMPTS + 1):
        assert mail.send_queued() == (0, 1)
        row.refresh_from_db()
        assert row.attempts == attempt and row.sent_at is None
        assert row.last_error == "OSError: connection refused"
    assert mail.send_queued() == (0, 0)  # given up: no longer pending
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail.send_queued() == (0, 0)


def test_the_command_sends_what_was_refused_before(settings):
    settings.EMAIL_BACKEND = "tests.portal.cases.test_mail.Refusing"
    OutboundEmail.objects.create(composer="test.greet", params={"to": "c@x.id"}, created_at=NOW)
    mail.send_queued()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_queued_mail", verbosity=0)
    assert [m.to for m in outbox.outbox] == [["c@x.id"]]
    assert OutboundEmail.objects.get().sent_at is not None


def test_nothing_to_send_and_unknown_composers():
    nothing = OutboundEmail.objects.create(composer="test.nothing", params={}, created_at=NOW)
    unknown = OutboundEmail.objects.create(composer="test.gone", params={}, created_at=NOW)
    assert mail.send_queued() == (1, 1)
    nothing.refresh_from_db()
    unknown.refresh_from_db()
    assert nothing.sent_at is not None and outbox.outbox == []
    assert unknown.sent_at is None and "LookupError" in unknown.last_error


def test_a_failure_is_logged_without_the_address(settings, caplog):
    settings.EMAIL_BACKEND = "tests.portal.cases.test_mail.Refusing"
    OutboundEmail.objects.create(
        composer="test.greet", params={"to": "rahasia@contoh.id"}, created_at=NOW
    )
    mail.send_queued()
    assert "not sent" in caplog.text and "rahasia@contoh.id" not in caplog.text
