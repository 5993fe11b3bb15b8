"""`manage.py sla_due` exactly as docs/operations.md specifies, as a whole process and
in-process."""

import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests import holiday_names

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def sla_due(*args):
    out = StringIO()
    call_command("sla_due", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.parametrize(
    "agency, received, duration, expected",
    [
        # Acceptance: Thu 27 Mar 2025 10:00; Fri 28 cuti bersama Nyepi, Sat-Sun, Mon 31 Mar and
        # Tue 1 Apr Idul Fitri, Wed 2-Mon 7 Apr cuti bersama -> Tue 8 (1), Wed 9 (2), Thu 10 (3),
        # Fri 11 (4), Mon 14 (5) at closing 16:00.
        ("musi-banyuasin", "2025-03-27T10:00", "5 hari kerja", "2025-04-14T16:00:00+07:00"),
        # Acceptance: Thu 15:00-16:00 = 1 h; the next opening is Tue 8 Apr 07:30, +2 h = 09:30.
        ("musi-banyuasin", "2025-03-27T15:00", "3 jam", "2025-04-08T09:30:00+07:00"),
        # Aware input in UTC: 08:00Z = 15:00 WIB, the same moment as above.
        ("musi-banyuasin", "2025-03-27T08:00:00+00:00", "3 jam", "2025-04-08T09:30:00+07:00"),
        # Fri 15 Aug 2025 14:00; Sun 17 Aug Independence Day, Mon 18 Aug cuti bersama ->
        # Tue 19 (1), Wed 20 (2), Thu 21 (3) at 16:00.
        ("pasuruan", "2025-08-15T14:00", "3 Hari", "2025-08-21T16:00:00+07:00"),
        # Kalbar is in Asia/Pontianak (WIB, +07:00). Mon 22 Dec 2025 09:00, 14 working days:
        # Tue 23 (1), Wed 24 (2), Thu 25 Christmas, Fri 26 cuti bersama, Mon 29 (3), Tue 30 (4),
        # Wed 31 (5), Thu 1 Jan New Year, Fri 2 (6), Mon 5 (7) ... Fri 9 (11), Mon 12 (12),
        # Tue 13 (13), Wed 14 (14)... Fri 16 Jan 2026 Isra Mikraj is after -> Wed 14 Jan 16:00.
        ("kalimantan-barat", "2025-12-22T09:00", "14 hari kerja", "2026-01-14T16:00:00+07:00"),
        # A range uses its upper bound; Friday closes at 16:30.
        # Mon 3 Mar 2025 08:00: Tue 4 (1) ... Mon 10 (5) at 16:00.
        ("pasuruan", "2025-03-03T08:00", "1 s/d 5 Hari Kerja", "2025-03-10T16:00:00+07:00"),
        # 15 working minutes from Friday 11:25 run 5 minutes to the 11:30 break, the rest from
        # 13:00 -> 13:10.
        ("kalimantan-barat", "2025-03-07T11:25", "15 menit", "2025-03-07T13:10:00+07:00"),
    ],
)
def test_due(agency, received, duration, expected):
    assert sla_due("--agency", agency, "--received", received, "--duration", duration) == expected


def test_no_deadline_prints_none():
    out = sla_due(
        "--agency",
        "musi-banyuasin",
        "--received",
        "2025-03-27T10:00",
        "--duration",
        "sesuai materi konsultasi",
    )
    assert out == "none"


def test_explain_in_indonesian():
    out = sla_due(
        "--agency",
        "musi-banyuasin",
        "--received",
        "2025-03-27T10:00",
        "--duration",
        "5 hari kerja",
        "--explain",
    )
    lines = out.splitlines()
    assert lines[0] == "2025-04-14T16:00:00+07:00"
    text = "\n".join(lines[1:])
    assert "5 hari kerja" in text
    # Cuti bersama Fri 28 Mar and Idul Fitri Mon 31 Mar, named as the holidays package does.
    assert holiday_names.name(date(2025, 3, 28)) in text
    assert holiday_names.name(date(2025, 3, 31)) in text
    assert "Senin, 14 April 2025 pukul 16.00 WIB" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--agency", "atlantis", "--received", "2025-03-27T10:00", "--duration", "3 jam"],
            "Instansi 'atlantis' tidak dikenal",
        ),
        (
            ["--agency", "palembang", "--received", "27/03/2025", "--duration", "3 jam"],
            "bukan ISO 8601",
        ),
        (
            ["--agency", "palembang", "--received", "2025-03-27T10:00", "--duration", "segera"],
            "Jangka waktu tidak dapat dibaca",
        ),
    ],
)
def test_errors_are_clear(args, message):
    with pytest.raises(CommandError, match=message):
        sla_due(*args)


def test_agency_closure_moves_the_due_time_and_the_cache_follows():
    from services.models import Agency, AgencyClosure

    args = ["--agency", "palembang", "--received", "2025-03-03T08:00", "--duration", "1 hari"]
    assert sla_due(*args) == "2025-03-04T16:00:00+07:00"
    agency = Agency.objects.get(slug="palembang")
    closure = AgencyClosure.objects.create(
        agency=agency, date="2025-03-04", reason="Hari jadi Kota Palembang"
    )
    assert sla_due(*args) == "2025-03-05T16:00:00+07:00"
    closure.delete()
    assert sla_due(*args) == "2025-03-04T16:00:00+07:00"


def test_agency_calendar_is_built_once(django_assert_num_queries):
    from services.catalogue.calendars import agency_calendar
    from services.models import Agency

    agency = Agency.objects.get(slug="pasuruan")
    with django_assert_num_queries(2):  # closures and office hours
        first = agency_calendar(agency)
    with django_assert_num_queries(0):
        assert agency_calendar(agency) is first


def test_office_hours_override_changes_the_calendar():
    from datetime import time as t

    from services.models import Agency, OfficeHours

    agency = Agency.objects.get(slug="pasuruan")
    # Saturday service 08:00-12:00: a Friday-evening receipt with 2 hours is due Sat 10:00.
    for weekday in range(6):
        OfficeHours.objects.create(
            agency=agency, weekday=weekday, opens=t(8), closes=t(12), reason="Uji jam layanan"
        )
    args = ["--agency", "pasuruan", "--received", "2025-03-07T17:00", "--duration", "2 jam"]
    assert sla_due(*args) == "2025-03-08T10:00:00+07:00"


@pytest.mark.slow
def test_whole_process_answers_from_a_loaded_database(tmp_path):
    """As an operator runs it: a new Python process against a loaded database. How long it
    takes (the target is under a second) is measured by scripts/bench_sla_due.py."""
    import os
    import sqlite3

    from django.db import connection

    path = tmp_path / "sla.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    run = dict(cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    if connection.vendor == "sqlite":
        # The test database, migrated and loaded once for the session, copied to a file: the
        # same loaded database without migrating and loading it again (about 8 s).
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)
        subprocess.run([sys.executable, "manage.py", "load_standards", "-v0"], **run)
    command = [
        sys.executable,
        "manage.py",
        "sla_due",
        "--agency",
        "musi-banyuasin",
        "--received",
        "2025-03-27T10:00",
        "--duration",
        "5 hari kerja",
    ]
    result = subprocess.run(command, **run)
    assert result.stdout.strip() == "2025-04-14T16:00:00+07:00"
