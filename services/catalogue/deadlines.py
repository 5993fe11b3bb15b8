"""What a service's time limit means for a request made at a given moment, and what stopping
its clock does to it.

Pure: takes a parsed timeframe, a working calendar and a moment; returns the due moment per
stage and the governing one (the latest milestone, measured from receipt). Stopping the clock
(a request returned to the applicant for missing documents) stops it from then on and never
erases lateness already incurred: a request stopped on time keeps the working time left until
its due moment, and on resumption is due that much working time after the resume moment; a
request stopped after its due moment keeps how late it was (the working time from the due
moment to the stop), and on resumption is due that much working time *before* the resume
moment, so it stays late by exactly what it was late when it stopped and the stopped time
counts neither way. It is late while stopped, and completing it after the resumption is late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.worktime import Deadline, Unit, WorkCalendar
from services.catalogue.timeframes import Timeframe


@dataclass(frozen=True)
class StageDue:
    label: str
    wording: str
    deadline: Deadline | None  # None: the stage sets no deadline


def stage_deadlines(
    timeframe: Timeframe, calendar: WorkCalendar, received: datetime
) -> list[StageDue]:
    result = []
    for stage in timeframe.stages:
        deadline = None
        if stage.amount is not None and stage.unit is not None:
            deadline = calendar.add(received, stage.amount, Unit(stage.unit), label=stage.label)
        result.append(StageDue(stage.label, stage.wording, deadline))
    return result


def governing_deadline(
    timeframe: Timeframe, calendar: WorkCalendar, received: datetime
) -> Deadline | None:
    """The request is due at the latest of its stages' milestones."""
    deadlines = [s.deadline for s in stage_deadlines(timeframe, calendar, received) if s.deadline]
    return max(deadlines, key=lambda d: d.due) if deadlines else None


@dataclass(frozen=True)
class StoppedClock:
    """Where a clock stood when it stopped: working seconds left before the due moment, or
    (when it stopped after the due moment) working seconds it was already late."""

    remaining: int
    late: int | None  # None: stopped at or before the due moment

    @property
    def is_late(self) -> bool:
        return self.late is not None


def stop_clock(calendar: WorkCalendar, due: datetime, at: datetime) -> StoppedClock:
    """The clock of a case due at `due`, stopped at `at`."""
    if at > due:
        return StoppedClock(0, calendar.working_seconds_between(due, at))
    return StoppedClock(calendar.pause(due, at), None)


def restart_clock(calendar: WorkCalendar, at: datetime, stopped: StoppedClock) -> datetime:
    """The due moment when a stopped clock restarts at `at`: the time left after it, or, for a
    clock stopped late, as much working time before it as it was late (still in the past)."""
    if stopped.is_late:
        return calendar.subtract_working_seconds(at, stopped.late)
    return calendar.resume(at, stopped.remaining)


@dataclass(frozen=True)
class ClockStop:
    """One stop of a request's clock: paused at `paused`, resumed at `resumed` (None: still
    stopped)."""

    paused: datetime
    resumed: datetime | None


def replay(
    calendar: WorkCalendar, due: datetime, stops: list[ClockStop]
) -> tuple[datetime, int | None]:
    """The due moment after the clock stops, from the due moment at receipt.

    Each stop keeps the working time left at the pause (or how late it already was) and
    restarts from it at the resume moment, as the workflow did when it happened
    (`stop_clock`, `restart_clock`); replaying them on a changed calendar (a closure added or
    removed) gives the due moment the request has under that calendar. Returns the due moment
    and, when the clock is stopped now, the working seconds left it keeps (0 when late).
    """
    for stop in stops:
        stopped = stop_clock(calendar, due, stop.paused)
        if stop.resumed is None:
            return due, stopped.remaining
        due = restart_clock(calendar, stop.resumed, stopped)
    return due, None


def working_seconds_taken(
    calendar: WorkCalendar,
    received: datetime,
    completed: datetime,
    stops: list[tuple[ClockStop, int | None]],
) -> int:
    """Working time from receipt to completion less the time the clock was stopped.

    Each stop comes with the paused working time its resume recorded (None when the history
    entry predates that record: then it is counted on the calendar from pause to resume, as
    the resume itself counts it). A stop never resumed counts until completion."""
    paused = 0
    for stop, recorded in stops:
        if recorded is not None:
            paused += recorded
        else:
            paused += calendar.working_seconds_between(stop.paused, stop.resumed or completed)
    return max(0, calendar.working_seconds_between(received, completed) - paused)
