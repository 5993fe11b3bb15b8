"""Properties of the working-time calendar (hypothesis, derandomized: the same examples on
every run)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.worktime import Unit, WorkCalendar, _time_us

SETTINGS = settings(derandomize=True, max_examples=200, deadline=None)

CALENDARS = {
    zone: WorkCalendar(zone)
    for zone in ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura")
}
# one agency with its own closures, to exercise them too
CALENDARS["Asia/Jakarta+closures"] = WorkCalendar(
    "Asia/Jakarta",
    closures={date(2025, 4, 15): "Pindah kantor", date(2025, 12, 29): "Inventarisasi"},
)

calendars = st.sampled_from(sorted(CALENDARS)).map(CALENDARS.__getitem__)
input_zones = st.sampled_from(
    [UTC, ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura"),
     timezone(timedelta(hours=-5)), ZoneInfo("Europe/Amsterdam")]
)  # fmt: skip
moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31, 23, 59), timezones=input_zones
)
working_seconds = st.integers(min_value=1, max_value=120 * 27000)  # up to ~120 working days


def inside_office_hours_or_on_an_interval_end(cal: WorkCalendar, moment: datetime) -> bool:
    local = moment.astimezone(cal.tz)
    if not cal.is_working_day(local.date()):
        return False
    if cal.is_open(local):
        return True
    ends = {end for _start, end in cal.hours.intervals(local.weekday())}
    return local.timetz().replace(tzinfo=None) in ends


@SETTINGS
@given(cal=calendars, start=moments, n=st.integers(min_value=1, max_value=130))
def test_adding_working_days_then_measuring_back_gives_n(cal, start, n):
    due = cal.add_working_days(start, n)
    assert cal.working_days_between(start, due) == n
    local = due.astimezone(cal.tz)
    assert due.tzinfo is cal.tz
    assert cal.is_working_day(local.date())
    # at the close of office hours of that day
    assert _time_us(local.time()) == _time_us(cal.hours.intervals(local.weekday())[-1][1])
    # day 1 is strictly after the day of receipt
    assert local.date() > start.astimezone(cal.tz).date()


@SETTINGS
@given(cal=calendars, start=moments, seconds=working_seconds)
def test_working_seconds_round_trip_and_land_inside_office_hours(cal, start, seconds):
    due = cal.add_working_seconds(start, seconds)
    assert due.tzinfo is cal.tz
    assert inside_office_hours_or_on_an_interval_end(cal, due)
    assert cal.working_seconds_between(start, due) == seconds
    assert due > start


@SETTINGS
@given(
    cal=calendars,
    start=moments,
    amount=st.integers(min_value=1, max_value=90),
    unit=st.sampled_from(list(Unit)),
)
def test_every_deadline_lands_inside_office_hours(cal, start, amount, unit):
    due = cal.add(start, amount, unit).due
    assert inside_office_hours_or_on_an_interval_end(cal, due)
    assert due > start


@SETTINGS
@given(cal=calendars, a=moments, b=moments, n=st.integers(min_value=1, max_value=60))
def test_later_receipt_never_gets_an_earlier_due(cal, a, b, n):
    a, b = min(a, b), max(a, b)
    for unit in Unit:
        assert cal.add(a, n, unit).due <= cal.add(b, n, unit).due


@SETTINGS
@given(
    cal=calendars,
    start=moments,
    amount=st.integers(min_value=1, max_value=60),
    unit=st.sampled_from(list(Unit)),
    pause_after=st.integers(min_value=0, max_value=90 * 86400),
    paused_for=st.integers(min_value=0, max_value=60 * 86400),
)
def test_pause_and_resume_never_shorten_the_remaining_time(
    cal, start, amount, unit, pause_after, paused_for
):
    due = cal.add(start, amount, unit).due
    paused = start + timedelta(seconds=pause_after)
    resumed = paused + timedelta(seconds=paused_for)
    remaining = cal.pause(due, paused)
    assert remaining >= 0
    assert remaining >= cal.working_seconds_between(paused, due)
    if paused >= due:
        assert remaining == 0
    new_due = cal.resume(resumed, remaining)
    assert cal.working_seconds_between(resumed, new_due) == remaining
    assert new_due >= resumed
    if paused_for > 0 and remaining > 0:
        # the clock stops while paused: the new due is never earlier than the old one
        assert new_due >= due
