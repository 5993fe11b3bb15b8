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
