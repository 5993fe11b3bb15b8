"""services.catalogue.deadlines: a service's time limit read as due moments, and clock stops
replayed.

Pure: a parsed timeframe, a working calendar and a moment in, due moments out; no database and
no clock. Holidays as in tests/portal/test_worktime.py (2025: Fri 28 Mar cuti Nyepi, Sat 29 Mar
Nyepi, Mon 31 Mar - Tue 1 Apr Idul Fitri, Wed 2 - Mon 7 Apr cuti; Thu 25 Dec Natal, Fri 26 Dec
cuti). Default hours: Mon-Thu 07.30-16.00, Fri 07.30-16.30, breaks not counted.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from portal.worktime import WorkCalendar
from services.catalogue.deadlines import ClockStop, governing_deadline, replay, stage_deadlines
from services.catalogue.timeframes import parse_timeframe
from tests import holiday_names

JKT = WorkCalendar("Asia/Jakarta")
MAKASSAR = WorkCalendar("Asia/Makassar")
HARI_JADI = WorkCalendar("Asia/Jakarta", closures={date(2025, 7, 16): "Hari jadi"})


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# (calendar, wording, received, [(stage label, due or None)], governing due or None)
STAGE_CASES = [
    # Thu 27 Mar 10:00 before Nyepi and Lebaran -> Tue 8 (1) ... Mon 14 Apr (5) 16:00
    (JKT, "5 Hari Kerja", "2025-03-27T10:00+07:00",
     [("", "2025-04-14T16:00+07:00")], "2025-04-14T16:00+07:00"),
    # Thu 27 Mar 15:00, 3 working hours: 1 h on Thursday, Tue 8 Apr 07:30 + 2 h = 09:30
    (JKT, "3 jam", "2025-03-27T15:00+07:00",
     [("", "2025-04-08T09:30+07:00")], "2025-04-08T09:30+07:00"),
    # two stages from Mon 3 Mar 09:00: 09:15, and Tue 4, Wed 5, Thu 6 16:00; the days govern
    (JKT, "Administrasi : 15 Menit Pertimbangan Teknis : 3 Hari", "2025-03-03T09:00+07:00",
     [("Administrasi", "2025-03-03T09:15+07:00"),
      ("Pertimbangan Teknis", "2025-03-06T16:00+07:00")],
     "2025-03-06T16:00+07:00"),
    # the latest milestone governs even when it is the first stage listed
    (JKT, "Administrasi : 3 Hari Surat jawaban : 1 hari", "2025-03-03T09:00+07:00",
     [("Administrasi", "2025-03-06T16:00+07:00"), ("Surat jawaban", "2025-03-04T16:00+07:00")],
     "2025-03-06T16:00+07:00"),
    # Mon 15:50 + 15 min: 10 min to closing, Tue 07:30 + 5 min; the open stage sets nothing
    (JKT, "Administrasi : 15 Menit Konsultasi : sesuai materi konsultasi", "2025-03-03T15:50+07:00",
     [("Administrasi", "2025-03-04T07:35+07:00"), ("Konsultasi", None)],
     "2025-03-04T07:35+07:00"),
    # open-ended only: no deadline at all, never zero
    (JKT, "Sesuai materi konsultasi", "2025-03-03T09:00+07:00", [("", None)], None),
    # Fri 7 Mar 11:20 + 15 min: 10 min to the Friday break at 11:30, 13:00 + 5 min = 13:05
    (JKT, "15 Menit", "2025-03-07T11:20+07:00",
     [("", "2025-03-07T13:05+07:00")], "2025-03-07T13:05+07:00"),
    # a range uses its upper bound; Fri 16:20: Mon 10 (1) ... Fri 14 (5) at Friday's 16:30
    (JKT, "1 s/d 5 Hari Kerja", "2025-03-07T16:20+07:00",
     [("", "2025-03-14T16:30+07:00")], "2025-03-14T16:30+07:00"),
    # received on Saturday 8 Mar: Mon 10 is day 1, Fri 14 day 5
    (JKT, "5 hari kerja", "2025-03-08T10:00+07:00",
     [("", "2025-03-14T16:30+07:00")], "2025-03-14T16:30+07:00"),
    # Mon 3 Mar 06:00, before opening: hours count from 07:30 -> 10:30
    (JKT, "3 jam", "2025-03-03T06:00+07:00",
     [("", "2025-03-03T10:30+07:00")], "2025-03-03T10:30+07:00"),
    # Sun 2 Mar 23:30 UTC is Mon 3 Mar 06:30 WIB: the agency's day, not UTC's -> 10:30
    (JKT, "3 jam", "2025-03-02T23:30+00:00",
     [("", "2025-03-03T10:30+07:00")], "2025-03-03T10:30+07:00"),
    # year end: Wed 24 Dec, Natal Thu 25 and cuti Fri 26 skipped -> Mon 29 (1), Tue 30 (2)
    (JKT, "2 hari", "2025-12-24T10:00+07:00",
     [("", "2025-12-30T16:00+07:00")], "2025-12-30T16:00+07:00"),
    # calendar days are counted straight through Lebaran: Thu 27 Mar + 14 = Thu 10 Apr
    (JKT, "14 hari kalender", "2025-03-27T10:00+07:00",
     [("", "2025-04-10T16:00+07:00")], "2025-04-10T16:00+07:00"),
    # WITA: Mon 3 Mar 15:00 Makassar + 1 working day -> Tue 4 Mar 16:00 WITA
    (MAKASSAR, "1 hari", "2025-03-03T15:00+08:00",
     [("", "2025-03-04T16:00+08:00")], "2025-03-04T16:00+08:00"),
    # 07:00 UTC is 15:00 WITA: 1 h on Monday, Tue 07:30 + 2 h = 09:30 WITA
    (MAKASSAR, "3 jam", "2025-03-03T07:00+00:00",
     [("", "2025-03-04T09:30+08:00")], "2025-03-04T09:30+08:00"),
]  # fmt: skip


@pytest.mark.parametrize(("calendar", "wording", "received", "stages", "governing"), STAGE_CASES)
def test_stage_deadlines_and_the_governing_one(calendar, wording, received, stages, governing):
    timeframe = parse_timeframe(wording)
    result = stage_deadlines(timeframe, calendar, at(received))
    assert [(s.label, s.deadline and s.deadline.due) for s in result] == [
        (label, due and at(due)) for label, due in stages
    ]
    deadline = governing_deadline(timeframe, calendar, at(received))
    assert (deadline and deadline.due) == (governing and at(governing))


def test_a_stage_keeps_the_decrees_wording():
    wording = "Administrasi : 15 Menit Konsultasi : sesuai materi konsultasi"
    stages = stage_deadlines(parse_timeframe(wording), JKT, at("2025-03-03T09:00+07:00"))
    assert [s.wording for s in stages] == [s.wording for s in parse_timeframe(wording).stages]


def test_the_governing_deadline_says_how_it_was_counted():
    deadline = governing_deadline(
        parse_timeframe("5 Hari Kerja"), JKT, at("2025-03-27T10:00+07:00")
    )
    assert deadline.rule == "5 hari kerja"
    skipped = {str(day.date): day.reason for day in deadline.skipped}
    # Each skipped day by the name the holidays package gives it (tests/holiday_names.py).
    for day in (date(2025, 3, 28), date(2025, 3, 31), date(2025, 4, 7)):
        assert skipped[str(day)] == holiday_names.name(day)
    assert holiday_names.name(date(2025, 3, 31)) in deadline.explain()


DUE = "2025-07-10T16:00+07:00"  # 5 working days from Thu 3 Jul 2025 10:00

# (calendar, [(paused, resumed or None)], due after the stops, working seconds kept or None)
REPLAY_CASES = [
    # no stop: the due moment at receipt stands
    (JKT, [], DUE, None),
    # returned Tue 8 Jul 13:00, not back yet: Tue 3 h + Wed 7.5 h + Thu 7.5 h = 18 h kept
    (JKT, [("2025-07-08T13:00+07:00", None)], DUE, 18 * 3600),
    # ... resubmitted Tue 15 Jul 13:00: Tue 3 h, Wed 16 7.5 h, Thu 17 7.5 h -> Thu 17 16:00
    (JKT, [("2025-07-08T13:00+07:00", "2025-07-15T13:00+07:00")],
     "2025-07-17T16:00+07:00", None),
    # ... and returned again Wed 16 13:00: Wed 3 h + Thu 7.5 h = 10.5 h kept
    (JKT, [("2025-07-08T13:00+07:00", "2025-07-15T13:00+07:00"),
           ("2025-07-16T13:00+07:00", None)],
     "2025-07-17T16:00+07:00", int(10.5 * 3600)),
    # ... resubmitted Mon 21 07:30 with 10.5 h: Mon 7.5 h, Tue 22 07:30 + 3 h = 10:30
    (JKT, [("2025-07-08T13:00+07:00", "2025-07-15T13:00+07:00"),
           ("2025-07-16T13:00+07:00", "2025-07-21T07:30+07:00")],
     "2025-07-22T10:30+07:00", None),
    # a closure added on Wed 16 Jul: the 18 h run Tue 3 h, Thu 7.5 h, Fri 18 7.5 h -> 16:30
    (HARI_JADI, [("2025-07-08T13:00+07:00", "2025-07-15T13:00+07:00")],
     "2025-07-18T16:30+07:00", None),
    # returned Fri 11 Jul 09:00, 1.5 h after the due moment: it stays 1.5 h late when resumed
    # Mon 14 09:00, so it is due 1.5 h of working time before that: Fri 11 16:30
    (JKT, [("2025-07-11T09:00+07:00", "2025-07-14T09:00+07:00")],
     "2025-07-11T16:30+07:00", None),
    # ... and while it waits nothing is left
    (JKT, [("2025-07-11T09:00+07:00", None)], DUE, 0),
    # ... returned again Mon 14 10:00 (2.5 h late), resumed Wed 16 08:00: Wed 0.5 h, Tue 2 h
    # before 16:00 -> due Tue 15 14:00
    (JKT, [("2025-07-11T09:00+07:00", "2025-07-14T09:00+07:00"),
           ("2025-07-14T10:00+07:00", "2025-07-16T08:00+07:00")],
     "2025-07-15T14:00+07:00", None),
]  # fmt: skip


@pytest.mark.parametrize(("calendar", "stops", "due", "remaining"), REPLAY_CASES)
def test_replay(calendar, stops, due, remaining):
    clock_stops = [ClockStop(at(p), r and at(r)) for p, r in stops]
    assert replay(calendar, at(DUE), clock_stops) == (at(due), remaining)
