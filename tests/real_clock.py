"""No test reads the real date.

A test that asks for "now" or "today" without time-machine gives a different answer every day
it runs: it fails on the eve of a holiday, at the year's end, on a weekend. So while a test runs
(browser tests aside: Chromium keeps the machine's clock), `django.utils.timezone.now()`,
`localtime()` and `localdate()` called from the test code itself (tests/, factories included)
with no time-machine travel in effect fail the test, naming where. The portal's own code may
read the clock as it likes: under a frozen test it reads the frozen one.
`date.today` and `datetime.now` cannot be wrapped (built-in types):
tests/test_real_clock.py checks that tests/ never calls them.

To see that the suite does not care which day the machine thinks it is, run it with
PORTAL_TEST_MACHINE_DATE set (e.g. `2027-08-16T10:00:00+07:00`, the eve of Independence Day):
the whole session then starts from that moment, as if the machine's clock said so (not for
the browser tests, whose Chromium keeps the real clock).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

TESTS = str(Path(__file__).resolve().parent)
_machine_travels = 0  # travels that only stand for the machine's clock (PORTAL_TEST_MACHINE_DATE)


def frozen() -> bool:
    """Whether a test's own time-machine travel is in effect."""
    return len(time_machine.traveller_stack) > _machine_travels


def _watch(name: str, original, reads: list[str]):
    def read(value=None, *args, **kwargs):
        if value is None and not frozen():
            caller = sys._getframe(1)
            if caller.f_code.co_filename.startswith(TESTS):
                where = Path(caller.f_code.co_filename).relative_to(Path(TESTS).parent)
                reads.append(f"timezone.{name}() at {where}:{caller.f_lineno}")
        if name == "now":
            return original()
        return original(value, *args, **kwargs)

    return read


@pytest.fixture(scope="session", autouse=True)
def _machine_date():
    moment = os.environ.get("PORTAL_TEST_MACHINE_DATE")
    if not moment:
        yield
        return
    global _machine_travels
    with time_machine.travel(moment, tick=True):
        # Not a freeze of any test: only what the machine's clock says.
        _machine_travels = len(time_machine.traveller_stack)
        yield
    _machine_travels = 0


@pytest.fixture(autouse=True)
def _no_real_clock(request, monkeypatch):
    if request.node.get_closest_marker("browser"):
        yield
        return
    reads: list[str] = []
    for name in ("now", "localtime", "localdate"):
        monkeypatch.setattr(timezone, name, _watch(name, getattr(timezone, name), reads))
    yield
    if reads:
        pytest.fail(
            "read the real clock (freeze it with time_machine.travel): " + "; ".join(reads),
            pytrace=False,
        )


# A plain Tuesday morning in Jakarta, far from any holiday and from the year's end.
WORKING_MORNING = "2025-11-04T09:00:00+07:00"


@pytest.fixture
def fixed_clock():
    """For a module whose cases are made "now": `pytest.mark.usefixtures("fixed_clock")`.
    The clock ticks from a fixed working morning, as lockout and rate-limit windows expect."""
    with time_machine.travel(WORKING_MORNING, tick=True) as traveller:
        yield traveller
