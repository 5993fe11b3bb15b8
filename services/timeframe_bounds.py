"""A rough length of a timeframe, for filtering the catalogue by completion time.

Deadlines are computed in the agency's working calendar; for sorting and filtering services
("selesai dalam 1 hari kerja") a single number is enough: the governing stage converted to
working minutes with the national timetable's 7.5-hour day (calendar days count as working
days here). None means the timeframe sets no deadline.
"""

from services.timeframes import Timeframe

MINUTES_PER_DAY = 450
UNIT_MINUTES = {
    "working_day": MINUTES_PER_DAY,
    "calendar_day": MINUTES_PER_DAY,
    "working_hour": 60,
    "working_minute": 1,
}


def longest_working_minutes(timeframe: Timeframe) -> int | None:
    stage = timeframe.governing_stage()
    if stage is None or stage.amount is None or stage.unit is None:
        return None
    return stage.amount * UNIT_MINUTES[str(stage.unit.value if hasattr(stage.unit, "value") else stage.unit)]
