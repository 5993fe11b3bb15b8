import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from services.models import Agency, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import staff_member

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%%EOF\n"


def make(slug, service, when):
    std = ServiceStandard.objects.get(agency__slug=slug, slug=service)
    with time_machine.travel(when, tick=False):
        case, _ = request_actions.request_submit(
            standard=std,
            applicant={
                "applicant_name": "A",
                "nik": "3514045507880002",
                "phone": "+62811111111",
                "email": "",
                "organisation": "",
                "message": "",
            },
            documents={},
            now=timezone.now(),
        )
    return case


def test_daily_reminder_lists_overdue_and_due_soon_per_agency(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    staff_member(Agency.objects.get(slug="pasuruan"), email="petugas@pasuruan.go.id")
    staff_member(Agency.objects.get(slug="palembang"), email="petugas@palembang.go.id")
    # 1 (satu) Hari from Mon 3 Mar -> due Tue 4 Mar 16:00 (overdue on Wed 5 Mar 07:00).
    late = make("pasuruan", "sosialisasi", "2025-03-03T09:00:00+07:00")
    # 5 Hari Kerja from Thu 27 Feb -> Fri 28 (1), Mon 3 .. Thu 6 Mar (5): due the next day.
    soon = make("pasuruan", "pendataan-potensi-pengembangan-usaha", "2025-02-27T09:00:00+07:00")
    # 5 Hari Kerja from Mon 3 Mar -> Mon 10 Mar: neither.
    later = make("pasuruan", "pendataan-potensi-pengembangan-usaha", "2025-03-03T09:00:00+07:00")
    with (
        time_machine.travel("2025-03-05T07:00:00+07:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_reminders", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1  # Palembang has nothing to report
    message = mail.outbox[0]
    assert message.to == ["petugas@pasuruan.go.id"]
    assert "1 terlambat, 1 jatuh tempo besok" in message.subject
    assert late.number in message.body and soon.number in message.body
    assert later.number not in message.body
    assert "Kamis, 6 Maret 2025 pukul 16.00 WIB" in message.body


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("421 try later")


def test_a_refusing_mail_server_leaves_the_reminder_for_later(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    from portal.models import OutboundEmail

    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "tests.services.management.test_send_reminders.RefusingBackend"
    staff_member(Agency.objects.get(slug="pasuruan"), email="petugas@pasuruan.go.id")
    late = make("pasuruan", "sosialisasi", "2025-03-03T09:00:00+07:00")
    with (
        time_machine.travel("2025-03-05T07:00:00+07:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_reminders", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
    row = OutboundEmail.objects.get(composer="services.reminders")
    assert row.sent_at is None and row.attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel("2025-03-05T09:00:00+07:00", tick=False):
        call_command("send_queued_mail", stdout=open("/dev/null", "w"))
    (message,) = mail.outbox
    assert late.number in message.body and "1 terlambat" in message.subject
