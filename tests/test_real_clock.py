"""No test reads the real date (tests/real_clock.py): the guard itself, and the calls it
cannot wrap."""

import re
from datetime import date
from pathlib import Path

import time_machine
from django.utils import timezone

from tests import real_clock

TESTS = Path(__file__).resolve().parent


def test_every_test_runs_with_the_guard_on():
    assert timezone.now.__qualname__ == "_watch.<locals>.read"
    assert timezone.localdate.__qualname__ == "_watch.<locals>.read"


def test_a_clock_read_from_a_test_is_caught_unless_time_is_frozen():
    reads = []
    now = real_clock._watch("now", lambda: "the real now", reads)
    localdate = real_clock._watch("localdate", lambda value=None, **kw: value, reads)
    assert now() == "the real now"  # the value is returned; the read is recorded
    assert localdate("2025-11-04") == "2025-11-04"  # a given moment: no clock read
    assert reads == [f"timezone.now() at tests/test_real_clock.py:{_line('now()')}"]
    with time_machine.travel("2027-12-31T15:00:00+07:00", tick=False):
        now()
        localdate()
    assert len(reads) == 1


def _line(text: str) -> int:
    source = Path(__file__).read_text().splitlines()
    return next(i for i, line in enumerate(source, 1) if f"assert {text} ==" in line)


def test_the_fixed_clock_is_an_ordinary_working_morning(fixed_clock):
    """The fixed morning of the modules whose cases are made "now"."""
    assert timezone.localdate(timezone=timezone.get_fixed_timezone(420)) == date(2025, 11, 4)
    assert timezone.localdate().weekday() == 1  # a Tuesday, no holiday near


CLOCK_CALLS = re.compile(r"\b(date\.today|datetime\.(now|today|utcnow))\(")


def test_no_test_calls_the_clock_past_the_guard():
    """`date.today()` and `datetime.now()` are built in: the guard cannot see them."""
    calls = [
        f"{path.relative_to(TESTS.parent)}:{number}"
        for path in TESTS.rglob("*.py")
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if CLOCK_CALLS.search(line)
    ]
    assert calls == []
