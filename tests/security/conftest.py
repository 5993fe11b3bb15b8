import pytest
import time_machine


@pytest.fixture(autouse=True)
def _a_fixed_working_morning():
    """Cases here are submitted "now": a fixed Tuesday morning in November 2025 (WIB), so no
    result depends on the day the suite runs (a weekend, a holiday, the year's end). The
    clock ticks from there, as lockout and rate-limit windows expect."""
    with time_machine.travel("2025-11-04T09:00:00+07:00", tick=True):
        yield
