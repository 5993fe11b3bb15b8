"""Working-time calendar: table-driven cases derived by hand from the real 2024-2026 calendar.

Holidays used below (holidays package, ID, public + government, Indonesian names):
2024: Mon 8 Apr, Tue 9 Apr cuti; Wed 10 Idul Fitri; Thu 11 Idul Fitri (2nd); Fri 12, Mon 15 cuti;
      Wed 1 May Buruh; Wed 25 Dec Natal; Thu 26 Dec cuti.
2025: Wed 1 Jan; Fri 28 Mar cuti Nyepi; Sat 29 Mar Nyepi; Mon 31 Mar, Tue 1 Apr Idul Fitri;
      Wed 2 - Mon 7 Apr cuti; Fri 18 Apr Wafat Yesus Kristus; Sun 20 Apr Kebangkitan;
      Thu 1 May Buruh; Mon 12 May Waisak; Tue 13 May cuti; Thu 29 May Kenaikan; Fri 30 May
      cuti; Fri 6 Jun Idul Adha; Mon 9 Jun cuti; Thu 25 Dec Natal; Fri 26 Dec cuti.
2026: Thu 1 Jan; Fri 16 Jan Isra Mikraj.
Default hours: Mon-Thu 07.30-12.00 + 13.00-16.00 (7.5 h); Fri 07.30-11.30 + 13.00-16.30 (7.5 h).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from portal.worktime import (
    Deadline,
    OfficeHours,
    SkippedDay,
    Unit,
    WorkCalendar,
    format_date,
    format_moment,
    indonesian_holidays,
    zone_abbreviation,
)
from tests import holiday_names

JKT = WorkCalendar("Asia/Jakarta")
CALENDARS = {
    zone: WorkCalendar(zone) for zone in ("Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura")
}
CALENDARS["Asia/Jakarta"] = JKT


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def utc(dt: datetime) -> datetime:
    return dt.astimezone(UTC)


# ------------------------------------------------------------------- holidays data


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2025, 3, 28), "government"),  # cuti bersama Nyepi
        (date(2025, 3, 29), "public"),  # Nyepi
        (date(2025, 3, 31), "public"),  # Idul Fitri
        (date(2025, 4, 1), "public"),  # Idul Fitri, second day
        (date(2025, 4, 2), "government"),  # cuti bersama Idul Fitri, to Mon 7 Apr
        (date(2025, 4, 3), "government"),
        (date(2025, 4, 4), "government"),
        (date(2025, 4, 7), "government"),
        (date(2025, 4, 18), "public"),  # Wafat Yesus Kristus
        (date(2025, 12, 26), "government"),  # cuti bersama Natal
        (date(2025, 4, 8), None),  # back at work
    ],
)
def test_holidays_data_as_relied_on(day, kind):
    """The dates the decrees set, whatever a later `holidays` release calls them; the
    calendar names each day as the package does (tests/holiday_names.py)."""
    assert holiday_names.category(day) == kind
    h = indonesian_holidays([2025])
    assert h.get(day) == (None if kind is None else holiday_names.name(day))


# ------------------------------------------------------------------- acceptance cases


def test_acceptance_five_working_days_across_lebaran_2025():
    # Thu 27 Mar 10.00 receipt (not counted); Fri 28 cuti Nyepi, Sat 29 Nyepi, Sun 30,
    # Mon 31 + Tue 1 Idul Fitri, Wed 2/Thu 3/Fri 4 cuti, Sat 5/Sun 6, Mon 7 cuti ->
    # Tue 8 = d1, Wed 9 = d2, Thu 10 = d3, Fri 11 = d4, (Sat 12, Sun 13), Mon 14 = d5, close 16.00
    deadline = JKT.add(at("2025-03-27T10:00+07:00"), 5, Unit.WORKING_DAY)
    assert deadline.due == at("2025-04-14T16:00+07:00")


def test_acceptance_three_working_hours_across_lebaran_2025():
    # Thu 27 Mar 15.00-16.00 = 1 h; Fri 28 Mar .. Mon 7 Apr closed; Tue 8 Apr 07.30 + 2 h = 09.30
    deadline = JKT.add(at("2025-03-27T15:00+07:00"), 3, Unit.WORKING_HOUR)
    assert deadline.due == at("2025-04-08T09:30+07:00")


# ------------------------------------------------------------------- working days

WORKING_DAY_CASES = [
    # Mon 14 Apr 2025 06.00 (before opening): the day of receipt still never counts ->
    # Tue 15 = d1, close 16.00
    ("2025-04-14T06:00+07:00", 1, "2025-04-15T16:00+07:00"),
    # Thu 17 Apr 17.00 (after closing); Fri 18 Wafat Yesus Kristus, Sat 19, Sun 20 -> Mon 21 = d1
    ("2025-04-17T17:00+07:00", 1, "2025-04-21T16:00+07:00"),
    # Sat 19 Apr (weekend receipt) -> Mon 21 = d1, Tue 22 = d2, Wed 23 = d3
    ("2025-04-19T10:00+07:00", 3, "2025-04-23T16:00+07:00"),
    # Thu 29 May Kenaikan (holiday receipt); Fri 30 cuti, Sat 31, Sun 1 Jun ->
    # Mon 2 Jun = d1, Tue 3 Jun = d2
    ("2025-05-29T09:00+07:00", 2, "2025-06-03T16:00+07:00"),
    # Mon 7 Jul -> Tue 8 = d1, Wed 9 = d2, Thu 10 = d3, Fri 11 = d4: Friday closes at 16.30
    ("2025-07-07T10:00+07:00", 4, "2025-07-11T16:30+07:00"),
    # Mon 14 Apr 13.00 (Mon-Thu break over) -> Tue 15 d1 .. Thu 17 d3, Fri 18 holiday, Mon 21 d4
    ("2025-04-14T12:30+07:00", 4, "2025-04-21T16:00+07:00"),
    # 14 days across Lebaran 2024: Thu 4 Apr receipt; Fri 5 = d1; Sat 6, Sun 7, Mon 8 + Tue 9
    # cuti, Wed 10 + Thu 11 Idul Fitri, Fri 12 cuti, Sat 13, Sun 14, Mon 15 cuti;
    # Tue 16 d2, Wed 17 d3, Thu 18 d4, Fri 19 d5, Mon 22 d6, Tue 23 d7, Wed 24 d8, Thu 25 d9,
    # Fri 26 d10, Mon 29 d11, Tue 30 d12, Wed 1 May Buruh, Thu 2 May d13, Fri 3 May d14 (16.30)
    ("2024-04-04T10:00+07:00", 14, "2024-05-03T16:30+07:00"),
    # 14 days across Christmas/New Year 2024/25: Mon 16 Dec receipt; Tue 17 d1, Wed 18 d2,
    # Thu 19 d3, Fri 20 d4, Mon 23 d5, Tue 24 d6, Wed 25 Natal, Thu 26 cuti, Fri 27 d7,
    # Mon 30 d8, Tue 31 d9, Wed 1 Jan Tahun Baru, Thu 2 d10, Fri 3 d11, Mon 6 d12, Tue 7 d13,
    # Wed 8 Jan d14
    ("2024-12-16T10:00+07:00", 14, "2025-01-08T16:00+07:00"),
    # 60 days across Lebaran 2025: Mon 3 Mar receipt. Mar: 4-7 (4), 10-14 (9), 17-21 (14),
    # 24-27 (18; Fri 28 cuti); Apr 1-7 closed; 8-11 (22), 14-17 (26; Fri 18 Wafat),
    # 21-25 (31), 28-30 (34; Thu 1 May Buruh), Fri 2 May (35), 5-9 (40; 12 Waisak, 13 cuti),
    # 14-16 (43), 19-23 (48), 26-28 (51; 29 Kenaikan, 30 cuti), Jun 2-5 (55; Fri 6 Idul Adha,
    # Mon 9 cuti), 10-13 (59), Mon 16 Jun = d60
    ("2025-03-03T09:00+07:00", 60, "2025-06-16T16:00+07:00"),
    # 60 days across Christmas/New Year 2025/26: Mon 3 Nov receipt. Nov 4-7 (4), 10-14 (9),
    # 17-21 (14), 24-28 (19), Dec 1-5 (24), 8-12 (29), 15-19 (34), 22-24 (37; Thu 25 Natal,
    # Fri 26 cuti), 29-31 (40; Thu 1 Jan), Fri 2 Jan (41), 5-9 (46), 12-15 (50; Fri 16 Isra
    # Mikraj), 19-23 (55), 26-30 (60): Fri 30 Jan 2026, close 16.30
    ("2025-11-03T10:00+07:00", 60, "2026-01-30T16:30+07:00"),
    # UTC day boundary: 23.30Z Sun 13 Apr = Mon 14 Apr 06.30 WIB, so the receipt day is Monday;
    # Tue 15 d1, Wed 16 d2, Thu 17 d3, (Fri 18 holiday), Mon 21 d4, Tue 22 d5
    ("2025-04-13T23:30+00:00", 5, "2025-04-22T16:00+07:00"),
    # ...while 16.30Z Sun 13 Apr = Sun 23.30 WIB: receipt day Sunday; Mon 14 d1 .. Thu 17 d4,
    # Mon 21 d5
    ("2025-04-13T16:30+00:00", 5, "2025-04-21T16:00+07:00"),
]


@pytest.mark.parametrize(("received", "days", "due"), WORKING_DAY_CASES)
def test_working_days(received, days, due):
    deadline = JKT.add(at(received), days, Unit.WORKING_DAY)
    assert deadline.due == at(due)
    assert deadline.due.tzinfo == ZoneInfo("Asia/Jakarta")
    assert str(deadline.due.utcoffset()) == "7:00:00"
    assert JKT.working_days_between(at(received), deadline.due) == days


ZONE_CASES = [
    # One UTC instant, 16.30Z Sun 13 Apr 2025, 5 working days:
    # Pontianak (WIB, +7): Sun 23.30 -> receipt Sunday; Mon 14 d1 .. Thu 17 d4, Mon 21 d5
    ("Asia/Pontianak", "2025-04-21T16:00+07:00", "2025-04-21T09:00+00:00"),
    # Makassar (WITA, +8): Mon 00.30 -> receipt Monday; Tue 15 d1 .. Thu 17 d3, Mon 21 d4, Tue 22 d5
    ("Asia/Makassar", "2025-04-22T16:00+08:00", "2025-04-22T08:00+00:00"),
    # Jayapura (WIT, +9): Mon 01.30 -> receipt Monday; same count as Makassar
    ("Asia/Jayapura", "2025-04-22T16:00+09:00", "2025-04-22T07:00+00:00"),
]


@pytest.mark.parametrize(("zone", "local_due", "utc_due"), ZONE_CASES)
def test_same_instant_in_different_zones(zone, local_due, utc_due):
    due = CALENDARS[zone].add(at("2025-04-13T16:30+00:00"), 5, Unit.WORKING_DAY).due
    assert due == at(local_due)
    assert due.tzinfo == ZoneInfo(zone)
    assert due.utcoffset() == at(local_due).utcoffset()
    assert utc(due) == at(utc_due)


@pytest.mark.parametrize(
    ("zone", "local_due", "utc_due"),
    [
        # Same wall-clock receipt Thu 27 Mar 2025 10.00 local, 5 working days: same wall-clock
        # result (Mon 14 Apr 16.00, see the acceptance case) but different UTC instants
        ("Asia/Pontianak", "2025-04-14T16:00+07:00", "2025-04-14T09:00+00:00"),
        ("Asia/Makassar", "2025-04-14T16:00+08:00", "2025-04-14T08:00+00:00"),
    ],
)
def test_same_wall_clock_rules_in_pontianak_and_makassar(zone, local_due, utc_due):
    received = datetime(2025, 3, 27, 10, 0, tzinfo=ZoneInfo(zone))
    due = CALENDARS[zone].add(received, 5, Unit.WORKING_DAY).due
    assert (due.date(), due.time()) == (date(2025, 4, 14), time(16, 0))
    assert due == at(local_due)
    assert utc(due) == at(utc_due)


# ------------------------------------------------------------------- working hours / minutes

WORKING_TIME_CASES = [
    # Mon 14 Apr 06.00 before opening: counting starts 07.30; + 2 h = 09.30
    ("2025-04-14T06:00+07:00", 2, Unit.WORKING_HOUR, "2025-04-14T09:30+07:00"),
    # Tue 15 Apr 12.15 in the Mon-Thu break: starts 13.00; + 1 h = 14.00
    ("2025-04-15T12:15+07:00", 1, Unit.WORKING_HOUR, "2025-04-15T14:00+07:00"),
    # Fri 11 Apr 11.45 in Friday's break (11.30-13.00): starts 13.00; + 2 h = 15.00
    ("2025-04-11T11:45+07:00", 2, Unit.WORKING_HOUR, "2025-04-11T15:00+07:00"),
    # Fri 11 Apr 11.00: 11.00-11.30 = 30 min, break, 13.00 + 30 min = 13.30
    ("2025-04-11T11:00+07:00", 1, Unit.WORKING_HOUR, "2025-04-11T13:30+07:00"),
    # Mon 14 Apr 10.00 + 2 h lands exactly on the break start: stays at 12.00
    ("2025-04-14T10:00+07:00", 2, Unit.WORKING_HOUR, "2025-04-14T12:00+07:00"),
    # Fri 11 Apr 14.30 + 2 h lands exactly on Friday's closing: stays at 16.30
    ("2025-04-11T14:30+07:00", 2, Unit.WORKING_HOUR, "2025-04-11T16:30+07:00"),
    # Thu 10 Apr 15.00 + 60 min lands exactly on closing: stays at 16.00
    ("2025-04-10T15:00+07:00", 60, Unit.WORKING_MINUTE, "2025-04-10T16:00+07:00"),
    # Thu 10 Apr 16.30 after closing: starts Fri 11 07.30; + 1 h = 08.30
    ("2025-04-10T16:30+07:00", 1, Unit.WORKING_HOUR, "2025-04-11T08:30+07:00"),
    # Sat 12 Apr (weekend): starts Mon 14 07.30; + 3 h = 10.30
    ("2025-04-12T10:00+07:00", 3, Unit.WORKING_HOUR, "2025-04-14T10:30+07:00"),
    # Fri 18 Apr Wafat Yesus Kristus (holiday): Sat, Sun closed; Mon 21 07.30 + 30 min = 08.00
    ("2025-04-18T09:00+07:00", 30, Unit.WORKING_MINUTE, "2025-04-21T08:00+07:00"),
    # Mon 14 Apr 15.00: 1 h Mon; Tue 15 07.30-12.00 = 4.5 h (5.5), 13.00 + 2.5 h = 15.30
    ("2025-04-14T15:00+07:00", 8, Unit.WORKING_HOUR, "2025-04-15T15:30+07:00"),
    # Wed 16 Apr 11.50: 10 min to 12.00, break, 13.00 + 5 min = 13.05
    ("2025-04-16T11:50+07:00", 15, Unit.WORKING_MINUTE, "2025-04-16T13:05+07:00"),
    # Fri 11 Apr 16.00: 30 min to 16.30; Mon 14 07.30 + 30 min = 08.00
    ("2025-04-11T16:00+07:00", 1, Unit.WORKING_HOUR, "2025-04-14T08:00+07:00"),
    # Fri 5 Apr 2024 15.30: 1 h to 16.30; Mon 8 - Mon 15 Apr closed (cuti/Idul Fitri/weekend);
    # Tue 16 07.30-12.00 = 4.5 h (5.5), 13.00 + 2.5 h = 15.30
    ("2024-04-05T15:30+07:00", 8, Unit.WORKING_HOUR, "2024-04-16T15:30+07:00"),
    # UTC input 00.30Z Mon 14 Apr = 07.30 WIB opening; + 15 min = 07.45 WIB
    ("2025-04-14T00:30+00:00", 15, Unit.WORKING_MINUTE, "2025-04-14T07:45+07:00"),
]


@pytest.mark.parametrize(("received", "amount", "unit", "due"), WORKING_TIME_CASES)
def test_working_hours_and_minutes(received, amount, unit, due):
    deadline = JKT.add(at(received), amount, unit)
    assert deadline.due == at(due)
    assert deadline.due.tzinfo == ZoneInfo("Asia/Jakarta")
    seconds = amount * (3600 if unit is Unit.WORKING_HOUR else 60)
    assert JKT.working_seconds_between(at(received), deadline.due) == seconds


@pytest.mark.parametrize(
    ("zone", "local_due", "utc_due"),
    [
        # 00.00Z Mon 14 Apr = 07.00 WIB in Pontianak (before opening): 07.30 + 1 h = 08.30 WIB
        ("Asia/Pontianak", "2025-04-14T08:30+07:00", "2025-04-14T01:30+00:00"),
        # = 08.00 WITA in Makassar (open): 08.00 + 1 h = 09.00 WITA
        ("Asia/Makassar", "2025-04-14T09:00+08:00", "2025-04-14T01:00+00:00"),
    ],
)
def test_working_hours_pontianak_vs_makassar(zone, local_due, utc_due):
    due = CALENDARS[zone].add(at("2025-04-14T00:00+00:00"), 1, Unit.WORKING_HOUR).due
    assert due == at(local_due)
    assert due.utcoffset() == at(local_due).utcoffset()
    assert utc(due) == at(utc_due)


# ------------------------------------------------------------------- calendar days

CALENDAR_DAY_CASES = [
    # Thu 27 Mar: d1 Fri 28 .. d10 Sun 6 Apr (closed) -> Mon 7 cuti -> Tue 8 Apr, close 16.00
    ("2025-03-27T10:00+07:00", 10, "2025-04-08T16:00+07:00"),
    # Mon 14 Apr: d1 Tue 15, d2 Wed 16, d3 Thu 17 (working) -> Thu 17 16.00
    ("2025-04-14T10:00+07:00", 3, "2025-04-17T16:00+07:00"),
    # Mon 14 Apr: d4 = Fri 18 Wafat Yesus Kristus -> Sat 19, Sun 20 -> Mon 21 16.00
    ("2025-04-14T10:00+07:00", 4, "2025-04-21T16:00+07:00"),
    # Tue 8 Apr: d3 = Fri 11 (working) -> Friday close 16.30
    ("2025-04-08T10:00+07:00", 3, "2025-04-11T16:30+07:00"),
    # Sat 12 Apr: d1 = Sun 13 (closed) -> Mon 14 16.00
    ("2025-04-12T10:00+07:00", 1, "2025-04-14T16:00+07:00"),
]


@pytest.mark.parametrize(("received", "days", "due"), CALENDAR_DAY_CASES)
def test_calendar_days(received, days, due):
    assert JKT.add(at(received), days, Unit.CALENDAR_DAY).due == at(due)


def test_calendar_days_skipped_are_only_those_that_pushed_the_due():
    # 10 calendar days from Thu 27 Mar: d10 = Sun 6 Apr, Mon 7 cuti -> Tue 8
    deadline = JKT.add(at("2025-03-27T10:00+07:00"), 10, Unit.CALENDAR_DAY)
    assert [s.date for s in deadline.skipped] == [date(2025, 4, 6), date(2025, 4, 7)]


# ------------------------------------------------------------------- closures

CLOSED = WorkCalendar(
    "Asia/Jakarta",
    closures={date(2025, 4, 15): "Pindah kantor", date(2025, 4, 16): "Pemadaman listrik"},
)


def test_closures_skip_days_with_their_reasons():
    # Mon 14 Apr receipt; Tue 15 + Wed 16 closed by the agency; Thu 17 d1; Fri 18 Wafat,
    # Sat 19, Sun 20 (Kebangkitan); Mon 21 d2; Tue 22 d3
    deadline = CLOSED.add(at("2025-04-14T10:00+07:00"), 3, Unit.WORKING_DAY, "Surat jawaban")
    assert deadline.due == at("2025-04-22T16:00+07:00")
    assert deadline.skipped == (
        SkippedDay(date(2025, 4, 15), "Pindah kantor"),
        SkippedDay(date(2025, 4, 16), "Pemadaman listrik"),
        SkippedDay(date(2025, 4, 18), holiday_names.name(date(2025, 4, 18))),
        SkippedDay(date(2025, 4, 19), "Sabtu"),
        SkippedDay(date(2025, 4, 20), holiday_names.name(date(2025, 4, 20))),
    )
    assert "Selasa, 15 April 2025 (Pindah kantor)" in deadline.explain()


def test_closures_stop_working_hours():
    # Mon 14 Apr 15.00: 1 h Mon; Tue 15, Wed 16 closed; Thu 17 07.30 + 1 h = 08.30
    assert CLOSED.add(at("2025-04-14T15:00+07:00"), 2, Unit.WORKING_HOUR).due == at(
        "2025-04-17T08:30+07:00"
    )


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2025, 4, 14), None),  # Monday, working
        (date(2025, 4, 12), "Sabtu"),
        (date(2025, 4, 13), "Minggu"),
        (date(2025, 3, 29), "holiday"),  # a Saturday: the holiday's name wins
        (date(2025, 3, 28), "holiday"),  # cuti bersama
        (date(2025, 4, 15), "Pindah kantor"),  # agency closure
    ],
)
def test_non_working_reason(day, reason):
    if reason == "holiday":
        reason = holiday_names.name(day)
    assert CLOSED.non_working_reason(day) == reason
    assert CLOSED.is_working_day(day) is (reason is None)


def test_non_working_days_listing():
    # Fri 18 - Mon 21 Apr 2025: Fri Wafat, Sat, Sun Kebangkitan; Mon working
    assert JKT.non_working_days(date(2025, 4, 18), date(2025, 4, 21)) == [
        SkippedDay(date(2025, 4, 18), holiday_names.name(date(2025, 4, 18))),
        SkippedDay(date(2025, 4, 19), "Sabtu"),
        SkippedDay(date(2025, 4, 20), holiday_names.name(date(2025, 4, 20))),
    ]


# ------------------------------------------------------------------- pause / resume

PAUSE_CASES = [
    # 5 days from Thu 3 Jul 2025 -> Fri 4 d1, Mon 7, Tue 8, Wed 9, Thu 10 d5 = due Thu 10 16.00.
    # Returned Tue 8 at 13.00: Tue 13.00-16.00 3 h + Wed 7.5 h + Thu 7.5 h = 18 h (2 days 3 h).
    # Resubmitted a week later Tue 15 13.00: Tue 3 h, Wed 16 7.5 h, Thu 17 7.5 h -> Thu 17 16.00
    ("2025-07-10T16:00+07:00", "2025-07-08T13:00+07:00", 18 * 3600,
     "2025-07-15T13:00+07:00", "2025-07-17T16:00+07:00"),
    # Same pause, resubmitted Tue 15 10.00: Tue 2 h + 3 h = 5 h (13 left), Wed 7.5 (5.5 left),
    # Thu 17 07.30-12.00 4.5 h (1 left), 13.00 + 1 h = 14.00
    ("2025-07-10T16:00+07:00", "2025-07-08T13:00+07:00", 18 * 3600,
     "2025-07-15T10:00+07:00", "2025-07-17T14:00+07:00"),
    # Due Mon 7 Jul 10.00, paused Fri 4 Jul 16.00: Fri 30 min + Mon 07.30-10.00 2.5 h = 3 h;
    # resumed Sat 12 Jul (closed): Mon 14 07.30 + 3 h = 10.30
    ("2025-07-07T10:00+07:00", "2025-07-04T16:00+07:00", 3 * 3600,
     "2025-07-12T09:00+07:00", "2025-07-14T10:30+07:00"),
    # Paused after the due time: nothing remains; resuming gives the resume moment itself
    ("2025-07-07T10:00+07:00", "2025-07-07T11:00+07:00", 0,
     "2025-07-09T09:00+07:00", "2025-07-09T09:00+07:00"),
    # Paused in UTC: 06.00Z Tue 8 Jul = 13.00 WIB, as the first case
    ("2025-07-10T16:00+07:00", "2025-07-08T06:00+00:00", 18 * 3600,
     "2025-07-15T06:00+00:00", "2025-07-17T16:00+07:00"),
]  # fmt: skip


@pytest.mark.parametrize(("due", "paused", "remaining", "resumed", "new_due"), PAUSE_CASES)
def test_pause_and_resume(due, paused, remaining, resumed, new_due):
    left = JKT.pause(at(due), at(paused))
    assert left == remaining
    assert JKT.resume(at(resumed), left) == at(new_due)


def test_pause_of_a_days_deadline_keeps_working_seconds():
    deadline = JKT.add(at("2025-07-03T10:00+07:00"), 5, Unit.WORKING_DAY)
    assert deadline.due == at("2025-07-10T16:00+07:00")
    left = JKT.pause(deadline.due, at("2025-07-08T13:00+07:00"))
    assert left == 2 * 27000 + 3 * 3600  # 2 days of 7.5 h + 3 h


# ------------------------------------------------------------------- explanation


def test_explain_in_indonesian():
    deadline = JKT.add(at("2025-03-27T10:00+07:00"), 5, Unit.WORKING_DAY, "Pertimbangan Teknis")
    text = deadline.explain()
    lines = text.splitlines()
    assert lines[0] == "Tahap: Pertimbangan Teknis."
    assert lines[1].startswith("Aturan: 5 hari kerja; hari penerimaan tidak dihitung")
    assert "Diterima Kamis, 27 Maret 2025 pukul 10.00 WIB." in lines
    assert "Hari kerja ke-1: Selasa, 8 April 2025." in lines
    for shown, day in [
        ("Jumat, 28 Maret 2025", date(2025, 3, 28)),  # cuti bersama Nyepi
        ("Sabtu, 29 Maret 2025", date(2025, 3, 29)),  # Nyepi
        ("Senin, 31 Maret 2025", date(2025, 3, 31)),  # Idul Fitri
        ("Selasa, 1 April 2025", date(2025, 4, 1)),  # its second day
        ("Senin, 7 April 2025", date(2025, 4, 7)),  # cuti bersama Idul Fitri
    ]:
        assert f"{shown} ({holiday_names.name(day)})" in text
    assert "Minggu, 30 Maret 2025 (akhir pekan)" in text
    assert lines[-1] == "Jatuh tempo: Senin, 14 April 2025 pukul 16.00 WIB."
    # 28 Mar .. 7 Apr (11 days) and the weekend 12-13 Apr
    assert [s.date.isoformat() for s in deadline.skipped] == [
        "2025-03-28", "2025-03-29", "2025-03-30", "2025-03-31", "2025-04-01", "2025-04-02",
        "2025-04-03", "2025-04-04", "2025-04-05", "2025-04-06", "2025-04-07",
        "2025-04-12", "2025-04-13",
    ]  # fmt: skip
    assert deadline.skipped[0].reason == holiday_names.name(date(2025, 3, 28))
    assert deadline.skipped[2].reason == "Minggu"


def test_explain_hours_received_in_utc_is_shown_in_agency_zone():
    deadline = CALENDARS["Asia/Makassar"].add(at("2025-03-27T07:00+00:00"), 3, Unit.WORKING_HOUR)
    # 07.00Z = 15.00 WITA Thu 27 Mar: 1 h, then Tue 8 Apr 07.30 + 2 h = 09.30 WITA
    assert deadline.start == at("2025-03-27T15:00+08:00")
    text = deadline.explain()
    assert "Aturan: 3 jam kerja" in text
    assert "Diterima Kamis, 27 Maret 2025 pukul 15.00 WITA." in text
    assert "Jatuh tempo: Selasa, 8 April 2025 pukul 09.30 WITA." in text


def test_explain_hours_receipt_outside_office_hours_names_the_start():
    deadline = JKT.add(at("2025-04-12T10:00+07:00"), 3, Unit.WORKING_HOUR)
    assert "Penghitungan dimulai Senin, 14 April 2025 pukul 07.30 WIB." in deadline.explain()
    # Sat 12 (the receipt day itself) and Sun 13 were not counted
    assert [s.date for s in deadline.skipped] == [date(2025, 4, 12), date(2025, 4, 13)]


def test_explain_in_english():
    """The same explanation read in English: national holidays by their English names, the
    weekend as such, an agency's own closure as the agency wrote it."""
    deadline = JKT.add(at("2025-03-27T10:00+07:00"), 5, Unit.WORKING_DAY, "Pertimbangan Teknis")
    lines = deadline.explain("en").splitlines()
    assert lines[0] == "Stage: Pertimbangan Teknis."  # the decree's stage, as decreed
    assert lines[1] == (
        "Rule: 5 working days; the day of receipt is not counted; due at the close of office "
        "hours on the last working day."
    )
    assert "Received Thursday, 27 March 2025 at 10:00 WIB." in lines
    assert "Working day 1: Tuesday, 8 April 2025." in lines
    assert "Sunday, 30 March 2025 (weekend)" in lines[-2]
    assert "Monday, 31 March 2025 (Eid al-Fitr)" in lines[-2]
    assert lines[-2].startswith("Days not counted: Friday, 28 March 2025 (")
    assert lines[-1] == "Due: Monday, 14 April 2025 at 16:00 WIB."
    closed = CLOSED.add(at("2025-04-14T10:00+07:00"), 3, Unit.WORKING_DAY).explain("en")
    assert "Tuesday, 15 April 2025 (Pindah kantor)" in closed
    assert "Friday, 18 April 2025 (Good Friday)" in closed


@pytest.mark.parametrize(
    ("skipped", "english"),
    [
        (SkippedDay(date(2025, 4, 19), "Sabtu"), "Saturday, 19 April 2025 (weekend)"),
        (SkippedDay(date(2025, 4, 15), "Kantor tutup"), "Tuesday, 15 April 2025 (office closed)"),
        (
            SkippedDay(date(2025, 4, 16), "Tidak ada jam layanan pada hari Rabu"),
            "Wednesday, 16 April 2025 (no office hours on Wednesday)",
        ),
        # a closure named like no national holiday of that day reads as written
        (SkippedDay(date(2025, 4, 17), "Idul Fitri"), "Thursday, 17 April 2025 (Idul Fitri)"),
    ],
)
def test_a_skipped_day_in_english(skipped, english):
    assert skipped.describe("en") == english


@pytest.mark.parametrize("unit", list(Unit))
def test_explain_has_the_same_lines_in_both_languages(unit):
    deadline = JKT.add(at("2025-04-11T17:00+07:00"), 3, unit, "Tahap")
    assert len(deadline.explain().splitlines()) == len(deadline.explain("en").splitlines())


def test_explain_without_skipped_days():
    deadline = JKT.add(at("2025-04-14T10:00+07:00"), 2, Unit.WORKING_DAY)
    assert "Hari yang tidak dihitung: tidak ada." in deadline.explain()
    assert isinstance(deadline, Deadline) and deadline.rule == "2 hari kerja"


# ------------------------------------------------------------------- errors


NAIVE = datetime(2025, 4, 14, 10, 0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: JKT.add(NAIVE, 5, Unit.WORKING_DAY),
        lambda: JKT.add(NAIVE, 3, Unit.WORKING_HOUR),
        lambda: JKT.add_working_days(NAIVE, 1),
        lambda: JKT.add_working_seconds(NAIVE, 60),
        lambda: JKT.working_seconds_between(NAIVE, at("2025-04-15T10:00+07:00")),
        lambda: JKT.working_days_between(at("2025-04-15T10:00+07:00"), NAIVE),
        lambda: JKT.pause(at("2025-04-15T10:00+07:00"), NAIVE),
        lambda: JKT.resume(NAIVE, 60),
        lambda: JKT.is_open(NAIVE),
        lambda: JKT.next_opening(NAIVE),
        lambda: format_moment(NAIVE, "Asia/Jakarta"),
    ],
)
def test_naive_datetime_is_an_error(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: JKT.add(at("2025-04-14T10:00+07:00"), -1, Unit.WORKING_DAY),
        lambda: JKT.add_working_seconds(at("2025-04-14T10:00+07:00"), -1),
        lambda: JKT.add(at("2025-04-14T10:00+07:00"), 1, "fortnight"),
        lambda: OfficeHours({0: ((time(8), time(12)), (time(11), time(16)))}),  # overlap
        lambda: OfficeHours({0: ((time(12), time(8)),)}),  # end before start
        lambda: OfficeHours({7: ((time(8), time(12)),)}),  # no weekday 7
        lambda: WorkCalendar("Asia/Jakarta", hours=OfficeHours({})),  # never open
    ],
)
def test_invalid_input_is_an_error(call):
    with pytest.raises(ValueError):
        call()


# ------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("moment", "zone", "text"),
    [
        ("2025-04-14T16:00+07:00", "Asia/Jakarta", "Senin, 14 April 2025 pukul 16.00 WIB"),
        ("2025-04-14T09:00+00:00", "Asia/Pontianak", "Senin, 14 April 2025 pukul 16.00 WIB"),
        ("2025-04-14T09:00+00:00", "Asia/Makassar", "Senin, 14 April 2025 pukul 17.00 WITA"),
        ("2025-04-14T09:00+00:00", "Asia/Jayapura", "Senin, 14 April 2025 pukul 18.00 WIT"),
        # 17.30Z 31 Dec 2024 is already Wednesday 1 January 2025 in WIB
        ("2024-12-31T17:30+00:00", "Asia/Jakarta", "Rabu, 1 Januari 2025 pukul 00.30 WIB"),
        ("2025-08-17T10:05:59+07:00", "Asia/Jakarta", "Minggu, 17 Agustus 2025 pukul 10.05 WIB"),
        ("2025-02-07T07:30+07:00", "Asia/Tokyo", "Jumat, 7 Februari 2025 pukul 09.30 UTC+09.00"),
        ("2025-05-10T07:30+07:00", "UTC", "Sabtu, 10 Mei 2025 pukul 00.30 UTC+00.00"),
    ],
)
def test_format_moment(moment, zone, text):
    assert format_moment(at(moment), zone) == text
    assert format_moment(at(moment), ZoneInfo(zone)) == text


@pytest.mark.parametrize(
    ("zone", "abbreviation"),
    [
        ("Asia/Jakarta", "WIB"),
        ("Asia/Pontianak", "WIB"),
        ("Asia/Makassar", "WITA"),
        ("Asia/Jayapura", "WIT"),
        ("Asia/Kolkata", "UTC+05.30"),
        ("America/Sao_Paulo", "UTC-03.00"),
    ],
)
def test_zone_abbreviation(zone, abbreviation):
    assert zone_abbreviation(zone) == abbreviation


def test_format_date():
    assert format_date(date(2025, 4, 14)) == "Senin, 14 April 2025"
    assert format_date(date(2026, 12, 6)) == "Minggu, 6 Desember 2026"


# ------------------------------------------------------------------- office hours, open/next


def test_default_office_hours():
    hours = OfficeHours.default()
    assert hours.weekly_minutes() == 2250  # 37.5 h: Mon-Thu 4 x 7.5 h + Fri 7.5 h
    assert hours.intervals(0) == ((time(7, 30), time(12)), (time(13), time(16)))
    assert hours.intervals(4) == ((time(7, 30), time(11, 30)), (time(13), time(16, 30)))
    assert hours.intervals(5) == hours.intervals(6) == ()
    assert (
        OfficeHours.parse(
            {d: "07.30-12.00, 13.00-16.00" for d in range(4)} | {4: "07:30-11:30,13:00-16:30"}
        )
        == hours
    )


@pytest.mark.parametrize(
    ("moment", "is_open", "next_opening"),
    [
        ("2025-04-14T07:29:59+07:00", False, "2025-04-14T07:30+07:00"),
        ("2025-04-14T07:30+07:00", True, "2025-04-14T07:30+07:00"),
        ("2025-04-14T11:59+07:00", True, "2025-04-14T11:59+07:00"),
        ("2025-04-14T12:00+07:00", False, "2025-04-14T13:00+07:00"),  # Mon-Thu break
        ("2025-04-11T11:30+07:00", False, "2025-04-11T13:00+07:00"),  # Friday break
        ("2025-04-11T16:29+07:00", True, "2025-04-11T16:29+07:00"),
        ("2025-04-11T16:30+07:00", False, "2025-04-14T07:30+07:00"),  # Fri close -> Mon
        ("2025-04-18T10:00+07:00", False, "2025-04-21T07:30+07:00"),  # Wafat -> Mon 21
        ("2025-03-27T16:00+07:00", False, "2025-04-08T07:30+07:00"),  # across Lebaran
        ("2025-04-14T00:30+00:00", True, "2025-04-14T07:30+07:00"),  # 07.30 WIB
    ],
)
def test_is_open_and_next_opening(moment, is_open, next_opening):
    assert JKT.is_open(at(moment)) is is_open
    assert JKT.next_opening(at(moment)) == at(next_opening)


@pytest.mark.parametrize(
    ("a", "b", "seconds"),
    [
        ("2025-04-14T07:30+07:00", "2025-04-14T16:00+07:00", 27000),  # one Monday: 7.5 h
        # Mon 14 - Mon 21 Apr 07.30: Mon-Thu 4 x 7.5 h, Fri 18 Wafat -> 30 h
        ("2025-04-14T07:30+07:00", "2025-04-21T07:30+07:00", 108000),
        ("2025-04-14T12:10+07:00", "2025-04-14T12:50+07:00", 0),  # inside the break
        ("2025-04-15T10:00+07:00", "2025-04-14T10:00+07:00", 0),  # b before a
    ],
)
def test_working_seconds_between(a, b, seconds):
    assert JKT.working_seconds_between(at(a), at(b)) == seconds


# ------------------------------------------------------------------- custom calendars


def test_saturday_service_hours():
    weekdays = {d: "08.00-12.00, 13.00-16.00" for d in range(5)}
    hours = OfficeHours.parse(weekdays | {5: "08.00-12.00"})
    cal = WorkCalendar("Asia/Jakarta", hours=hours)
    # Fri 11 Apr 15.30: 30 min Fri; Sat 12 08.00 + 30 min = 08.30
    assert cal.add(at("2025-04-11T15:30+07:00"), 1, Unit.WORKING_HOUR).due == at(
        "2025-04-12T08:30+07:00"
    )
    # Thu 10 Apr: Fri 11 d1, Sat 12 d2, closing 12.00
    assert cal.add(at("2025-04-10T10:00+07:00"), 2, Unit.WORKING_DAY).due == at(
        "2025-04-12T12:00+07:00"
    )
    assert cal.non_working_reason(date(2025, 4, 13)) == "Minggu"
    assert cal.non_working_reason(date(2025, 4, 12)) is None


def test_custom_holidays_replace_the_package():
    cal = WorkCalendar("Asia/Jakarta", holidays={date(2025, 4, 15): "Hari Jadi Kota"})
    # Mon 14: Tue 15 Hari Jadi, Wed 16 d1, Thu 17 d2, Fri 18 d3 (no national holidays here)
    assert cal.add(at("2025-04-14T10:00+07:00"), 3, Unit.WORKING_DAY).due == at(
        "2025-04-18T16:30+07:00"
    )


def test_range_is_extended_on_demand():
    small = WorkCalendar("Asia/Jakarta", years=range(2025, 2026))
    # 60 working days from Mon 3 Nov 2025 reach Fri 30 Jan 2026 (see WORKING_DAY_CASES)
    assert small.add(at("2025-11-03T10:00+07:00"), 60, Unit.WORKING_DAY).due == at(
        "2026-01-30T16:30+07:00"
    )
    # a date before the range: Thu 4 Apr 2024 + 14 days (see WORKING_DAY_CASES)
    assert small.add(at("2024-04-04T10:00+07:00"), 14, Unit.WORKING_DAY).due == at(
        "2024-05-03T16:30+07:00"
    )
    assert small.working_seconds_between(
        at("2024-04-05T15:30+07:00"), at("2026-01-30T16:30+07:00")
    ) == JKT.working_seconds_between(at("2024-04-05T15:30+07:00"), at("2026-01-30T16:30+07:00"))
    assert small.non_working_reason(date(2030, 12, 25)) == "Hari Raya Natal"


def test_deadline_pickles_with_its_calendar():
    deadline = CLOSED.add(at("2025-04-14T10:00+07:00"), 3, Unit.WORKING_DAY, "Surat jawaban")
    copy = pickle.loads(pickle.dumps(deadline))
    assert copy == deadline
    assert copy.explain() == deadline.explain()
    assert copy.calendar.add(at("2025-04-14T15:00+07:00"), 2, Unit.WORKING_HOUR).due == at(
        "2025-04-17T08:30+07:00"
    )


def test_module_is_pure():
    source = Path(__file__).parents[2] / "portal" / "worktime.py"
    text = source.read_text(encoding="utf-8")
    assert "now(" not in text and "today(" not in text
    code = "import sys, portal.worktime; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
