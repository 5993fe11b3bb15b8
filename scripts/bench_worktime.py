"""Time 100,000 deadlines of "60 hari kerja" from seeded-random moments in 2024-2026.

Usage: python scripts/bench_worktime.py [count]   (prints the seconds; the target is < 2 s)
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.worktime import Unit, WorkCalendar  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(20250327)
    origin = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=7)))
    span = int((datetime(2027, 1, 1, tzinfo=origin.tzinfo) - origin).total_seconds())
    moments = [origin + timedelta(seconds=rng.randrange(span)) for _ in range(count)]
    calendar = WorkCalendar("Asia/Jakarta")  # built (holidays, prefix sums) before timing
    add = calendar.add
    began = time.perf_counter()
    for moment in moments:
        add(moment, 60, Unit.WORKING_DAY)
    elapsed = time.perf_counter() - began
    each = elapsed / count * 1e6
    print(f"{count} x add(..., 60, WORKING_DAY): {elapsed:.3f} s ({each:.2f} µs each)")


if __name__ == "__main__":
    main()
