"""Fault injection: form submissions while gunicorn workers are killed (`kill -9`).

Run by `BENCH_MODE=faults ./scripts/bench` (which starts PostgreSQL and gunicorn on loopback).
BENCH_FORMS submissions (default 200, requests and complaints, half of the requests with their
files staged by a mistaken first post) are sent by BENCH_FORM_CLIENTS clients at once while
BENCH_KILLS workers (default 8) are killed at random moments. A client whose POST gets no
answer sends the same form again, with the same cookies, as a browser's retry does, up to five
times. Then it counts, against the database:

- lost: a receipt given that names no stored case of that form;
- duplicated: a form stored more than once, or a case stored that no client was told of and
  whose retries all failed;
- receipts: the retries answered with the receipt (302) rather than "already received";
- orphan files: files in the private storage that no row names, left by the killed workers
  (counted with no grace period, so even a file written a moment ago counts); then the sweep
  (portal.sweep, as `manage.py sweep_orphan_files` runs it once the grace period is over)
  removes them, and what is left without a row must be nothing.

Exits non-zero when anything is lost, duplicated or orphaned, or a client got no answer at all.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from complaints.models import Complaint  # noqa: E402
from portal.cases.codes import key_digest  # noqa: E402
from services.models import ServiceRequest  # noqa: E402
from tests.load.client import (  # noqa: E402
    PDF,
    FormClient,
    complaint_fields,
    form_targets,
    request_fields,
)

FORMS = int(os.environ.get("BENCH_FORMS", "200"))
CLIENTS = int(os.environ.get("BENCH_FORM_CLIENTS", "16"))
KILLS = int(os.environ.get("BENCH_KILLS", "8"))
RETRIES = 5


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def killer(master: int, stop: threading.Event, killed: list[int]) -> None:
    rng = random.Random(20261207)
    while len(killed) < KILLS and not stop.is_set():
        time.sleep(rng.uniform(0.3, 1.2))
        alive = workers(master)
        if alive:
            pid = rng.choice(alive)
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except ProcessLookupError:
                pass


def post_until_answered(client, path, fields, files):
    """The POST, sent again with the same cookies while no answer comes back; (result, tries)."""
    for attempt in range(1, RETRIES + 1):
        result = client.post(path, fields, files)
        if result.status != 0:
            return result, attempt
        time.sleep(0.2 * attempt)
    return result, RETRIES


def one(base, target, n):
    client = FormClient(base)
    kind = "complaint" if n % 2 == 0 else "request"
    path = target.complaint_path if kind == "complaint" else target.request_path
    for _ in range(RETRIES):
        page, hidden, files = client.open_form(path)
        if page.status == 200 and "csrfmiddlewaretoken" in hidden:
            break
        time.sleep(0.3)
    else:
        return kind, "", None, 0
    key = hidden["submission_key"]
    if kind == "complaint":
        fields, uploads = complaint_fields(hidden, n, target.agency_id), {files[0]: PDF}
    else:
        fields, uploads = request_fields(hidden, n), {name: PDF for name in files}
        if n % 4 == 1:  # a mistake first: its files are staged, then the fix alone is sent
            post_until_answered(client, path, {**fields, "nik": "123"}, uploads)
            uploads = {}
    result, tries = post_until_answered(client, path, fields, uploads)
    return kind, key, result, tries


def _what_it_said(body: bytes) -> str:
    """The error messages of a form page that came back, or the page's start."""
    text = body.decode("utf-8", "replace")
    found = re.findall(
        r'class="(?:invalid-feedback|alert alert-danger)[^"]*"[^>]*>(.*?)</', text, re.S
    )
    return " | ".join(" ".join(f.split()) for f in found)[:400] or text[:200]


def orphans() -> tuple[int, int]:
    """(files no row names after the run, files no row names after the sweep)."""
    from django.utils import timezone

    from portal import sweep

    left = len(sweep.orphan_files(grace=0))
    # Every worker has answered by now: nothing in flight, so no grace period is needed.
    sweep.sweep(now=timezone.now(), grace=0)
    return left, len(sweep.orphan_files(grace=0))


def main() -> None:
    base = sys.argv[1].rstrip("/")
    master = int(os.environ["BENCH_GUNICORN_PID"])
    target = form_targets()
    stop, killed = threading.Event(), []
    thread = threading.Thread(target=killer, args=(master, stop, killed), daemon=True)
    began = time.perf_counter()
    thread.start()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(lambda n: one(base, target, n), range(FORMS)))
    stop.set()
    thread.join()
    elapsed = time.perf_counter() - began

    told = {"request": {}, "complaint": {}}
    unanswered = retried = retried_receipts = already = 0
    other = []
    for kind, key, result, tries in results:
        if result is None or result.status == 0:
            unanswered += 1
            continue
        if tries > 1:
            retried += 1
            retried_receipts += bool(result.receipt_number)
        if result.receipt_number:
            told[kind][key_digest(key)] = result.receipt_number
        elif result.status == 409:
            already += 1
        else:
            other.append((kind, result.status, tries, _what_it_said(result.body)))
    lost = duplicated = 0
    for model, kind in ((ServiceRequest, "request"), (Complaint, "complaint")):
        stored = dict(
            model.objects.filter(agency_id=target.agency_id).values_list(
                "submission_digest", "number"
            )
        )
        lost += sum(1 for digest, number in told[kind].items() if stored.get(digest) != number)
        sent = {key_digest(key) for k, key, _r, _t in results if k == kind and key}
        duplicated += sum(1 for digest in stored if digest not in sent)
        names = model.objects.filter(agency_id=target.agency_id).values_list(
            "applicant_name" if kind == "request" else "complainant_name", flat=True
        )
        duplicated += len(names) - len(set(names))
    left, remaining = orphans()
    print(
        f"{FORMS} submissions from {CLIENTS} clients in {elapsed:.1f} s, {len(killed)} workers "
        f"killed (kill -9)\n"
        f"receipts: {sum(len(v) for v in told.values())}; retried after no answer: {retried} "
        f"({retried_receipts} got their receipt, {already} 'already received')\n"
        f"lost: {lost}; duplicated: {duplicated}; files without a row after the kills: {left}, "
        f"after the sweep: {remaining}; no answer at all: {unanswered}; other answers: "
        f"{len(other)}"
    )
    for kind, status, tries, body in other:
        print(f"  {kind}: HTTP {status} after {tries} tries: {body!r}")
    sys.exit(1 if lost or duplicated or remaining or unanswered or other else 0)


if __name__ == "__main__":
    main()
