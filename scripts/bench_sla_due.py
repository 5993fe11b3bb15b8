"""Time `manage.py sla_due` as an operator runs it: a new Python process against a loaded database.

Usage: python scripts/bench_sla_due.py [runs]   (default 5; the target is a median under 1 s)

Builds a throwaway SQLite database in a temporary folder (migrate, load_standards; not timed), then
runs the worked example of docs/domain.md ("Working time") (Musi Banyuasin, received Thu 27 Mar 2025
10:00, "5 hari kerja", due Mon 14 Apr 2025 16:00) `runs` times, each in a new Python process, and
prints each run's wall-clock time and the median. Exits with status 1 if an answer is wrong.
tests/services/management/test_sla_due.py checks the answer; timing is left to this script, because
the time depends on the machine and on what else runs on it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = [
    "manage.py",
    "sla_due",
    "--agency",
    "musi-banyuasin",
    "--received",
    "2025-03-27T10:00",
    "--duration",
    "5 hari kerja",
]
EXPECTED = "2025-04-14T16:00:00+07:00"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory(prefix="bench-sla-") as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(tmp) / 'sla.sqlite3'}"}
        run = dict(cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)
        subprocess.run([sys.executable, "manage.py", "load_standards", "-v0"], **run)
        timings = []
        for _ in range(runs):
            began = time.perf_counter()
            result = subprocess.run([sys.executable, *COMMAND], **run)
            timings.append(time.perf_counter() - began)
            if result.stdout.strip() != EXPECTED:
                sys.exit(f"wrong answer: {result.stdout.strip()!r}, expected {EXPECTED}")
    each = ", ".join(f"{t:.2f}" for t in timings)
    print(f"sla_due, new process each run: median {statistics.median(timings):.2f} s ({each} s)")


if __name__ == "__main__":
    main()
