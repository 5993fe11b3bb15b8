"""WorkCalendar.subtract_working_seconds: the moment a given working time before another, the
inverse of add_working_seconds (a clock stopped late restarts with its due moment that much
working time in the past: services.catalogue.deadlines).

Holidays as in tests/portal/test_worktime.py (2025: Fri 28 Mar cuti Nyepi, Sat 29 Mar Nyepi,
Mon 31 Mar - Tue 1 Apr Idul Fitri, Wed 2 - Mon 7 Apr cuti). Default hours: Mon-Thu 07.30-12.00
+ 13.00-16.00; Fri 07.30-11.30 + 13.00-16.30.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from portal.worktime import WorkCalendar

JKT = WorkCalendar("Asia/Jakarta")
MAKASSAR = WorkCalendar("Asia/Makassar")
H = 3600


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# (calendar, end, working seconds before it, expected moment)
CASES = [
    # Mon 09:00 less 1.5 h: Mon 07:30, then back over the weekend to Friday's close
    (JKT, "2025-07-14T09:00+07:00", int(1.5 * H), "2025-07-11T16:30+07:00"),
    # inside one morning
    (JKT, "2025-07-14T09:00+07:00", 30 * 60, "2025-07-14T08:30+07:00"),
    # Tue 13:30 less 30 min: the break is no working time -> the break's start, 12:00
    (JKT, "2025-07-15T13:30+07:00", 30 * 60, "2025-07-15T12:00+07:00"),
    # Fri 13:30 less 1 h: Friday's break starts at 11:30 -> 11:00
    (JKT, "2025-07-18T13:30+07:00", H, "2025-07-18T11:00+07:00"),
    # Tue 8 Apr 09:00 less 2 h: 1.5 h that morning, then back over Nyepi and Lebaran to
    # Thu 27 Mar, 30 min before its close
    (JKT, "2025-04-08T09:00+07:00", 2 * H, "2025-03-27T15:30+07:00"),
    # three whole working days from Tue 15 Jul 16:00: Mon, Fri and Thu back -> Thu 16:00
    (JKT, "2025-07-15T16:00+07:00", 3 * 27_000, "2025-07-10T16:00+07:00"),
    # a moment outside office hours (Sat) counts from the last close: Fri 16:30 less 1 h
    (JKT, "2025-07-12T10:00+07:00", H, "2025-07-11T15:30+07:00"),
    # nothing to take: the moment itself
    (JKT, "2025-07-14T09:00+07:00", 0, "2025-07-14T09:00+07:00"),
    # the agency's own zone: 02:00 UTC is 10:00 WITA; less 2 h -> 08:00 WITA
    (MAKASSAR, "2025-07-14T02:00+00:00", 2 * H, "2025-07-14T08:00+08:00"),
]  # fmt: skip


@pytest.mark.parametrize(("calendar", "end", "seconds", "expected"), CASES)
def test_subtract_working_seconds(calendar, end, seconds, expected):
    moment = calendar.subtract_working_seconds(at(end), seconds)
    assert moment == at(expected)
    assert calendar.working_seconds_between(moment, at(end)) == seconds


def test_it_is_the_earliest_such_moment_and_the_inverse_of_adding():
    end = at("2025-07-14T10:15+07:00")
    for seconds in (1, 59, 3600, 27_000, 5 * 27_000 + 7, 60 * 27_000):
        moment = JKT.subtract_working_seconds(end, seconds)
        assert JKT.working_seconds_between(moment, end) == seconds
        assert JKT.working_seconds_between(moment - timedelta(seconds=1), end) == seconds + 1
        assert JKT.add_working_seconds(moment, seconds) == end


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        JKT.subtract_working_seconds(at("2025-07-14T09:00+07:00"), -1)
