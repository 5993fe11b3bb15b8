"""portal.cases.durations: working time in words, never a raw number of seconds."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from portal.cases.durations import split, working_duration
from portal.worktime import OfficeHours, WorkCalendar

DAY = 27_000  # the national timetable's 7.5-hour working day
SIX_HOURS = 6 * 3600


@pytest.mark.parametrize(
    ("seconds", "day", "expected"),
    [
        (0, DAY, (0, 0, 0)),  # nothing left
        (59, DAY, (0, 0, 0)),  # under a minute rounds down
        (4 * DAY + 2 * 3600, DAY, (4, 2, 0)),  # 4 days 2 hours
        (DAY - 60, DAY, (0, 7, 29)),  # a minute short of a day
        (3 * SIX_HOURS, SIX_HOURS, (3, 0, 0)),  # three 6-hour days of an agency
        (3 * SIX_HOURS, DAY, (2, 3, 0)),  # the same time in national days
        (-5, DAY, (0, 0, 0)),  # never negative
    ],
)
def test_split(seconds, day, expected):
    assert split(seconds, day) == expected


@pytest.mark.parametrize(
    ("seconds", "indonesian", "english"),
    [
        (4 * DAY + 2 * 3600, "4 hari kerja lebih 2 jam", "4 working days and 2 hours"),
        (DAY, "1 hari kerja", "1 working day"),
        (3 * 3600 + 15 * 60, "3 jam 15 menit kerja", "3 hours 15 minutes of working time"),
        (60, "1 menit kerja", "1 minute of working time"),
        (0, "kurang dari 1 menit kerja", "less than 1 working minute"),
        (2 * DAY + 30 * 60, "2 hari kerja lebih 30 menit", "2 working days and 30 minutes"),
    ],
)
def test_working_duration_in_both_languages(seconds, indonesian, english):
    with translation.override("id"):
        assert working_duration(seconds, DAY) == indonesian
    with translation.override("en"):
        assert working_duration(seconds, DAY) == english


@pytest.mark.parametrize(
    ("spec", "day"),
    [
        (None, DAY),  # Mon-Thu 07.30-16.00 less 1 h, Fri 07.30-16.30 less 1.5 h
        ({d: "08.00-14.00" for d in range(5)}, SIX_HOURS),  # six hours, Monday to Friday
        ({d: "08.00-12.00" for d in range(6)}, 4 * 3600),  # mornings, Monday to Saturday
    ],
)
def test_the_working_day_is_the_agencys_own(spec, day):
    hours = OfficeHours.default() if spec is None else OfficeHours.parse(spec)
    assert hours.working_day_seconds() == day


def test_a_deadline_in_december_2035_counts_the_holidays_of_2036():
    """60 working days from Mon 3 Dec 2035 reach into March 2036: the calendar loads 2036's
    holidays (New Year's Day among them) itself instead of a fixed range of years."""
    calendar = WorkCalendar("Asia/Jakarta")
    received = datetime(2035, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    due = calendar.add(received, 60, "working_day")
    skipped = {str(day.date) for day in due.skipped}
    assert "2036-01-01" in skipped
    assert calendar.non_working_reason(datetime(2036, 1, 1).date())
    naive = WorkCalendar("Asia/Jakarta", holidays={})  # no holidays at all: an earlier day
    assert naive.add(received, 60, "working_day").due < due.due
