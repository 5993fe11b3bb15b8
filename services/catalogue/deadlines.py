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


@dataclass(frozen=True)
class DueRule:
    """How a case's due moment was counted, as the case keeps it beside the moment.

    Stored in the case's `due_rule` JSONField as an object whose keys are the fields below; a
    field that is None is absent (`to_json`, `from_json` give back exactly what was stored):

    - "rule": the limit in words ("5 hari kerja"), "" when the decree sets none;
    - "explain": the Indonesian explanation, one statement a line (also the history's note);
    - "explain_en": the same in English (absent in cases stored before English was added);
    - a request's: "stage" (the stage whose milestone governs, "" for one stage) and "skipped"
      (the non-working days counted over, as [ISO date, reason] pairs);
    - a complaint's: "purpose" ("triase" or "jawaban"), "tier" and "duration" (the tier's
      limit as the agency set it, "3 jam").
    """

    rule: str
    explain: str
    explain_en: str | None = None
    stage: str | None = None
    skipped: tuple[tuple[str, str], ...] | None = None
    purpose: str | None = None
    tier: str | None = None
    duration: str | None = None

    @classmethod
    def counted(cls, deadline: Deadline, **kind_fields) -> DueRule:
        """The rule of a computed deadline, with what the kind of case adds."""
        return cls(
            rule=deadline.rule,
            explain=deadline.explain(),
            explain_en=deadline.explain("en"),  # for the emails and receipts read in English
            **kind_fields,
        )

    @classmethod
    def no_limit(cls) -> DueRule:
        return cls(
            rule="",
            explain="Keputusan tidak menetapkan batas waktu.",
            explain_en="The decree sets no time limit.",
        )

    def to_json(self) -> dict:
        data = {
            "rule": self.rule,
            "explain": self.explain,
            "explain_en": self.explain_en,
            "stage": self.stage,
            "skipped": [list(day) for day in self.skipped] if self.skipped is not None else None,
            "purpose": self.purpose,
            "tier": self.tier,
            "duration": self.duration,
        }
        return {key: value for key, value in data.items() if value is not None}

    @classmethod
    def from_json(cls, data: dict) -> DueRule:
        skipped = data.get("skipped")
        return cls(
            rule=data.get("rule", ""),
            explain=data.get("explain", ""),
            explain_en=data.get("explain_en"),
            stage=data.get("stage"),
            skipped=tuple(tuple(day) for day in skipped) if skipped is not None else None,
            purpose=data.get("purpose"),
            tier=data.get("tier"),
            duration=data.get("duration"),
        )
