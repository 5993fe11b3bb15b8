"""The measuring half of scripts/bench (which starts PostgreSQL and gunicorn, then runs this).

Usage: python scripts/bench_load.py http://127.0.0.1:8765   (DATABASE_URL: the server's database)

For each number of connections, wrk runs against the minimal view and then each page for
BENCH_DURATION seconds; every page's throughput is given as a share of the minimal view's in
the same run. Then BENCH_FORMS form submissions (half requests, half complaints, one agency)
are sent by BENCH_FORM_CLIENTS clients at once; each acknowledged one is looked up in the
database. Prints markdown.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from complaints.models import Complaint  # noqa: E402
from portal.cases.codes import key_digest  # noqa: E402
from services.models import ServiceRequest, ServiceStandard  # noqa: E402
from tests.load.client import form_targets, submit_complaint, submit_request  # noqa: E402

DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "1 8 32").split()]
FORMS = int(os.environ.get("BENCH_FORMS", "200"))
FORM_CLIENTS = int(os.environ.get("BENCH_FORM_CLIENTS", "32"))
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wait_ready(base: str) -> None:
    for _ in range(120):
        try:
            with urllib.request.urlopen(base + "/bench/minimal/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit("The server did not answer /bench/minimal/ (is PORTAL_BENCH_VIEW=1 set?).")


def pages() -> list[tuple[str, str]]:
    standard = (
        ServiceStandard.objects.select_related("agency")
        .filter(agency__slug="pasuruan", slug="pembukaan-kantor-cabang-ksp-usp")
        .first()
        or ServiceStandard.objects.select_related("agency").order_by("pk").first()
    )
    service = standard.get_absolute_url()
    return [
        ("minimal view", "/bench/minimal/"),
        ("home", "/"),
        ("service page", service),
        ("search `kantor cabang`", "/layanan/?q=kantor+cabang"),
        ("search, varied words (uncached)", "/layanan/?q=koperasi"),
        ("service PDF (cached)", service.rstrip("/") + ".pdf"),
    ]


# Every request a different URL, so the page cache never answers: what a search costs. The
# page is cached on its query words, so each request adds four random one-letter words, which
# the search ignores (it reads words of two letters or more): the same search, a new URL.
UNCACHED_SEARCH = """
local words = {"kantor+cabang", "koperasi", "konsultasi", "pertimbangan+teknis", "halal",
               "simpan+pinjam", "data+informasi", "narasumber", "badan+hukum", "pengaduan"}
local n = 0
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  n = n + 1
  local q = words[n % #words + 1]
  local tail = ""
  for _ = 1, 4 do tail = tail .. "+" .. string.char(96 + math.random(1, 26)) end
  return wrk.format("GET", "/layanan/?q=" .. q .. tail)
end
"""


def warm(base: str, path: str) -> None:
    """Render and cache the page in every worker before it is measured.

    Each worker renders a page once (about 0.2 s the first time after a start: templates,
    translations, the agency's calendar) and then serves it from its memory. One such stall in
    a measured run would show as a p99 of tens of milliseconds at one connection, because wrk
    corrects its percentiles for the requests it could not send meanwhile. The table is
    about the steady state, so a short unmeasured run with several connections goes first.
    """
    with urllib.request.urlopen(base + path, timeout=120) as response:
        body = response.read()
        if response.status != 200 or not body:
            sys.exit(f"{path}: {response.status}")
    subprocess.run(
        ["wrk", "-t2", "-c8", "-d2s", base + path], capture_output=True, check=True, timeout=60
    )


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    return float(match.group(1)) * UNITS[match.group(2)]


def wrk(url: str, connections: int, script: str = "") -> dict:
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{DURATION}s", "--latency",
               "--timeout", "10s"]  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        if script:
            lua.write(script)
            lua.flush()
            command += ["-s", lua.name]
        out = subprocess.run(
            [*command, url], capture_output=True, text=True, check=True, timeout=DURATION + 60
        ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if set(percentiles) != {"50", "99"}:
        sys.exit(f"Unexpected wrk output for {url}:\n{out}")
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(percentiles["50"]),
        "p99": _ms(percentiles["99"]),
        "errors": (sum(int(g) for g in socket.groups()) if socket else 0)
        + (int(non_2xx.group(1)) if non_2xx else 0),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


WARM_FORMS = 16  # unmeasured submissions first, as every page is warmed before it is measured


def forms(base: str) -> dict:
    """BENCH_FORMS measured submissions by BENCH_FORM_CLIENTS clients at once.

    As with the pages, every worker first handles each kind of submission unmeasured (WARM_FORMS
    of them, four at a time: a fresh worker's first form, error page and receipt cost about
    0.2 s for the templates, translations and the agency's calendar), so the figures are the
    steady state of a running server."""
    target = form_targets()

    def one(n):
        if n % 4 == 3:  # a mistake first: the files are staged, then the fix alone is sent
            key, result, first = submit_request(base, target.request_path, n, mistake_first=True)
            return "request", key, result, first
        if n % 2:
            return "request", *submit_request(base, target.request_path, n), None
        return (
            "complaint",
            *submit_complaint(base, target.complaint_path, target.agency_id, n),
            None,
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        warmed = list(pool.map(one, range(FORMS, FORMS + WARM_FORMS)))
    if any(not result.receipt_number for _kind, _key, result, _first in warmed):
        sys.exit("the unmeasured submissions before the run were not all acknowledged")
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=FORM_CLIENTS) as pool:
        results = list(pool.map(one, range(FORMS)))
    elapsed = time.perf_counter() - began
    acknowledged = {"request": {}, "complaint": {}}
    for kind, key, result, _first in results:
        if result.receipt_number:
            acknowledged[kind][uuid.UUID(key)] = result.receipt_number
    stored = 0
    for model, kind in ((ServiceRequest, "request"), (Complaint, "complaint")):
        rows = dict(
            model.objects.filter(
                submission_digest__in=[key_digest(key) for key in acknowledged[kind]]
            ).values_list("submission_digest", "number")
        )
        stored += sum(
            1 for key, number in acknowledged[kind].items() if rows.get(key_digest(key)) == number
        )
    total = sum(len(v) for v in acknowledged.values())
    # Every POST counts, the failed first one of a mistaken submission (staging its files) too.
    answered = [x for _k, _key, r, first in results for x in (first, r) if x is not None]
    posts = sorted(r.seconds * 1000 for r in answered if r.status)
    staged = sum(1 for *_rest, first in results if first is not None and first.status == 200)
    cuts = statistics.quantiles(posts, n=100) if len(posts) > 1 else posts * 99
    return {
        "sent": FORMS,
        "acknowledged": total,
        "lost": total - stored,
        "rate": total / elapsed,
        "p50": cuts[49],
        "p99": cuts[98],
        "errors": sum(1 for r in answered if r.status >= 500 or r.status == 0),
        "rejected": sum(
            1 for _k, _key, r, _f in results if 0 < r.status < 500 and not r.receipt_number
        ),
        "posts": len(posts),
        "staged": staged,
        "numbers_distinct": len({n for v in acknowledged.values() for n in v.values()}) == total,
    }


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    except OSError:
        memory = 0
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[:2]
    return (
        f"{os.cpu_count()} vCPU ({cpu}), {memory} GB RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, Django {django.__version__}, "
        f"PostgreSQL {pg} on the same machine; {os.environ.get('BENCH_SERVER', 'gunicorn')}; "
        f"{' '.join(wrk_version)} on the same machine; {DURATION} s per run"
    )


def main() -> None:
    base = sys.argv[1].rstrip("/")
    wait_ready(base)
    targets = pages()
    for _label, path in targets:
        warm(base, path)  # renders and caches the PDF, fills the page caches
    print(f"Machine: {machine()}\n")
    print("| page | connections | requests/s | share of minimal | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    rows = []
    for connections in CONNECTIONS:
        baseline = None
        for label, path in targets:
            script = UNCACHED_SEARCH if "uncached" in label else ""
            result = wrk(base + path, connections, script)
            baseline = baseline or result["rps"]
            rows.append((label, connections, result))
            print(
                f"| {label} | {connections} | {result['rps']:.0f} | "
                f"{result['rps'] / baseline:.0%} | {result['p50']:.1f} | {result['p99']:.1f} | "
                f"{result['errors']} |",
                flush=True,
            )
    f = forms(base)
    print(
        "\n| form submissions | clients at once | acknowledged (302) | lost | numbers distinct | "
        "submissions/s | POSTs (staging first) | POST p50 ms | POST p99 ms | 5xx / no answer | "
        "other answers |"
    )
    print("|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {f['sent']} | {FORM_CLIENTS} | {f['acknowledged']} | {f['lost']} | "
        f"{'yes' if f['numbers_distinct'] else 'NO'} | {f['rate']:.1f} | "
        f"{f['posts']} ({f['staged']}) | {f['p50']:.0f} | "
        f"{f['p99']:.0f} | {f['errors']} | {f['rejected']} |"
    )
    failed = f["lost"] or f["errors"] or not f["numbers_distinct"]
    failed = failed or any(r["errors"] for _l, _c, r in rows)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
