"""What a service's time limit means for a request made at a given moment.

Pure: takes a parsed timeframe, a working calendar and a moment; returns the due moment per
stage and the governing one (the latest milestone, measured from receipt).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.worktime import Deadline, Unit, WorkCalendar
from services.timeframes import Timeframe


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
class ClockStop:
    """One stop of a request's clock: paused at `paused`, resumed at `resumed` (None: still
    stopped)."""

    paused: datetime
    resumed: datetime | None


def replay(
    calendar: WorkCalendar, due: datetime, stops: list[ClockStop]
) -> tuple[datetime, int | None]:
    """The due moment after the clock stops, from the due moment at receipt.

    Each stop keeps the working time left at the pause and adds it to the resume moment, as
    the workflow did when it happened; replaying them on a changed calendar (a closure added
    or removed) gives the due moment the request has under that calendar. Returns the due
    moment and, when the clock is stopped now, the working seconds it keeps.
    """
    remaining = None
    for stop in stops:
        remaining = calendar.pause(due, stop.paused)
        if stop.resumed is None:
            return due, remaining
        due = calendar.resume(stop.resumed, remaining)
        remaining = None
    return due, remaining


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
