"""Synthetic data for benchmarks ONLY: `python scripts/benchmark_data.py --yes [--agencies N ...]`.

Writes a large made-up dataset straight into the configured database (DATABASE_URL): by default
550 agencies with 10 services each (names, requirements, procedure steps and product taken from
the real decrees in fixtures/, with invented regions), 1,000,000 requests and 200,000 complaints
received between 1 January 2024 and now, with statuses and deadlines like a real portal's. Every
value is invented: the names, NIKs and phone numbers belong to nobody, and no access code opens
any case.

On PostgreSQL the rows go in with COPY; elsewhere with batched INSERTs. It never runs when
DJANGO_PRODUCTION is set, and asks for --yes: use it on a database of its own (see
docs/performance.md, "A large database"). A script, not a command of the portal: a production
install has no way to run it by mistake. `generate(out, **counts)` runs it in a process whose
Django is already set up.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from bisect import bisect_right
from datetime import date, datetime, timedelta
from datetime import time as dtime
from itertools import accumulate
from pathlib import Path
from zoneinfo import ZoneInfo

if __name__ == "__main__":  # run as a script: Django is set up before the models are imported
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()

from django.conf import settings  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from complaints.models import Complaint, ComplaintDayCount, ComplaintTier  # noqa: E402
from complaints.workflow import DEFAULT_TIER_DURATIONS  # noqa: E402
from portal.cases.daycounts import rebuild_all  # noqa: E402
from portal.worktime import Unit, WorkCalendar  # noqa: E402
from services.catalogue.decree_files import fixture_dir, read_fixture  # noqa: E402
from services.catalogue.models.agencies import Agency, ComplaintChannel, Decree  # noqa: E402
from services.catalogue.models.standards import (  # noqa: E402
    ComponentItem,
    ProcedureGroup,
    ProcedureStep,
    Requirement,
    ServiceStandard,
    TimeframeStage,
)
from services.catalogue.timeframes import parse_timeframe  # noqa: E402
from services.requests.counts import RequestDayCount  # noqa: E402
from services.requests.models import ServiceRequest  # noqa: E402
from services.survey.models import SurveyResponse  # noqa: E402


class Refused(Exception):
    """The generator will not write: production, no --yes, or counts that cannot be made."""


DEFAULTS = {
    "agencies": 550,
    "services_per_agency": 10,
    "requests": 1_000_000,
    "complaints": 200_000,
    "surveys": 150_000,
    "seed": 20250327,
}

START = date(2024, 1, 1)

PREFIXES = (
    "Suka Sumber Sri Karang Tanjung Muara Batu Sungai Bukit Teluk Banjar Lubuk Padang Air "
    "Ujung Kuala Rantau Tebing Pulau Gunung Mekar Tirta Sido Wono Purwo"
).split()
SUFFIXES = (
    "maju jaya makmur raya sari indah baru asri mulya harapan tinggi rejo agung wangi lestari "
    "permai damai sejahtera utama kencana"
).split()
COMPASS = ["Utara", "Selatan", "Barat", "Timur", "Tengah"]
JOINED = {"Suka", "Sumber", "Sri", "Karang", "Mekar", "Tirta", "Sido", "Wono", "Purwo"}
PROVINCES = [
    ("Aceh", "Asia/Jakarta"),
    ("Sumatera Utara", "Asia/Jakarta"),
    ("Sumatera Barat", "Asia/Jakarta"),
    ("Riau", "Asia/Jakarta"),
    ("Jambi", "Asia/Jakarta"),
    ("Sumatera Selatan", "Asia/Jakarta"),
    ("Bengkulu", "Asia/Jakarta"),
    ("Lampung", "Asia/Jakarta"),
    ("Kepulauan Bangka Belitung", "Asia/Jakarta"),
    ("Kepulauan Riau", "Asia/Jakarta"),
    ("Jawa Barat", "Asia/Jakarta"),
    ("Jawa Tengah", "Asia/Jakarta"),
    ("Daerah Istimewa Yogyakarta", "Asia/Jakarta"),
    ("Jawa Timur", "Asia/Jakarta"),
    ("Banten", "Asia/Jakarta"),
    ("Bali", "Asia/Makassar"),
    ("Nusa Tenggara Barat", "Asia/Makassar"),
    ("Nusa Tenggara Timur", "Asia/Makassar"),
    ("Kalimantan Barat", "Asia/Pontianak"),
    ("Kalimantan Tengah", "Asia/Pontianak"),
    ("Kalimantan Selatan", "Asia/Makassar"),
    ("Kalimantan Timur", "Asia/Makassar"),
    ("Kalimantan Utara", "Asia/Makassar"),
    ("Sulawesi Utara", "Asia/Makassar"),
    ("Sulawesi Tengah", "Asia/Makassar"),
    ("Sulawesi Selatan", "Asia/Makassar"),
    ("Sulawesi Tenggara", "Asia/Makassar"),
    ("Gorontalo", "Asia/Makassar"),
    ("Sulawesi Barat", "Asia/Makassar"),
    ("Maluku", "Asia/Jayapura"),
    ("Maluku Utara", "Asia/Jayapura"),
    ("Papua", "Asia/Jayapura"),
    ("Papua Barat", "Asia/Jayapura"),
]
AGENCY_NAMES = [
    ("Dinas Koperasi, Usaha Kecil dan Menengah", "Diskop UKM"),
    ("Dinas Koperasi dan Usaha Mikro", "Diskop UM"),
    ("Dinas Koperasi, Perindustrian dan Perdagangan", "Diskoperindag"),
    ("Dinas Perdagangan, Koperasi dan UKM", "Disdagkop UKM"),
    ("Dinas Koperasi, UKM dan Tenaga Kerja", "Diskopnaker"),
]
FIRST = (
    "Agus Budi Siti Dewi Eko Sri Rina Ahmad Nur Putri Hendra Yuliana Bambang Wahyu Fitri "
    "Rudi Lestari Dian Andi Ratna Joko Indah Fajar Ayu Made Ketut Muhammad Nurul Rizky Dedi"
).split()
LAST = (
    "Santoso Wijaya Saputra Lestari Hidayat Kusuma Pratama Rahmawati Setiawan Nugroho "
    "Siregar Nasution Harahap Simanjuntak Wulandari Susanto Gunawan Hasibuan Purnomo Sari"
).split()
ORGANISATIONS = (
    "Koperasi Simpan Pinjam {} Sejahtera",
    "KSP {} Mandiri",
    "Koperasi Serba Usaha {}",
    "UD {} Makmur",
    "Kelompok Usaha Bersama {}",
    "Koperasi Produsen {} Jaya",
)
SHORTFALLS = (
    "Permohonan saya belum selesai melewati jangka waktu yang dijanjikan standar pelayanan.",
    "Petugas loket meminta persyaratan tambahan yang tidak tercantum dalam standar pelayanan.",
    "Saya diminta membayar biaya padahal layanan ini gratis menurut standar pelayanan.",
    "Tidak ada kabar perkembangan permohonan walaupun sudah beberapa kali menanyakan.",
    "Jam layanan di kantor tidak sesuai dengan yang diumumkan; kantor tutup pada jam kerja.",
    "Informasi persyaratan di situs web berbeda dengan yang diminta petugas.",
)
REMEDIES = (
    "Mohon permohonan saya segera diselesaikan.",
    "Mohon penjelasan tertulis dan pengembalian biaya.",
    "Mohon petugas diberi pembinaan dan informasi persyaratan diperbaiki.",
    "Mohon kepastian waktu penyelesaian.",
)
ANSWER = (
    "Terima kasih atas pengaduan Anda. Permohonan telah kami periksa dan diselesaikan; "
    "petugas terkait telah diberi pembinaan."
)

# Statuses by age of the case: (weight, status) lists.
REQUEST_FRESH = [(60, "diterima"), (25, "diverifikasi"), (15, "diproses")]
REQUEST_RECENT = [
    (45, "selesai"),
    (3, "ditolak"),
    (25, "diproses"),
    (10, "diverifikasi"),
    (7, "diterima"),
    (10, "dikembalikan"),
]
REQUEST_OLD = [
    (920, "selesai"),
    (60, "ditolak"),
    (10, "diproses"),
    (6, "dikembalikan"),
    (4, "diterima"),
]
COMPLAINT_FRESH = [(70, "diterima"), (20, "diklasifikasi"), (10, "ditangani")]
COMPLAINT_RECENT = [
    (15, "diterima"),
    (20, "diklasifikasi"),
    (25, "ditangani"),
    (20, "dijawab"),
    (17, "selesai"),
    (3, "ditolak"),
]
COMPLAINT_OLD = [(80, "selesai"), (8, "ditolak"), (8, "dijawab"), (4, "ditangani")]
TIER_WEIGHTS = [(55, "light"), (30, "normative"), (12, "non_supervisory"), (3, "supervisory")]
CHANNEL_WEIGHTS = [
    (60, "portal"),
    (12, "tatap_muka"),
    (8, "telepon"),
    (10, "whatsapp"),
    (5, "email"),
    (5, "lapor"),
]


def _picker(weighted):
    cum = list(accumulate(w for w, _ in weighted))
    values = [v for _, v in weighted]
    total = cum[-1]
    return lambda rng: values[bisect_right(cum, rng.random() * total)]


def _letters(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 26)
        out.append(chr(65 + r))
    return "".join(reversed(out))


class _Writer:
    """Appends rows to a model's table: COPY on PostgreSQL, batched INSERTs elsewhere."""

    def __init__(self, model, attnames: list[str]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [a for a in attnames if a not in fields]
        missing = [
            f.attname
            for f in fields.values()
            if f.attname not in attnames and not f.null and not f.has_db_default()
        ]
        if unknown or missing:
            raise Refused(
                f"{model.__name__}: kolom tidak dikenal {unknown} / kolom wajib tanpa nilai "
                f"{missing}. Perbarui scripts/benchmark_data.py."
            )
        self.model = model
        self.fields = [fields[a] for a in attnames]
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in self.fields)

    def write(self, rows) -> int:
        count = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                return count
            marks = ", ".join(["%s"] * len(self.fields))
            sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})"
            batch = []
            for row in rows:
                batch.append(self._adapt(row))
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    @staticmethod
    def _adapt(row):
        ops = connection.ops
        out = []
        for value in row:
            if isinstance(value, datetime):
                value = ops.adapt_datetimefield_value(value)
            elif isinstance(value, date):
                value = ops.adapt_datefield_value(value)
            out.append(value)
        return out


def _localise(text: str, template: dict, agency: dict) -> str:
    """The template decree's region and place names replaced by the synthetic agency's."""
    for old, key in template["replace"]:
        text = text.replace(old, agency[key])
    return text


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class Generator:
    """Writes the dataset; `out` receives one line per step."""

    def __init__(self, out=None):
        self.out = out or sys.stdout

    def run(self, *, yes: bool = False, seed: int = DEFAULTS["seed"], **counts) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise Refused("Data uji kinerja tidak boleh dibuat di lingkungan produksi.")
        if not yes:
            raise Refused(
                "Skrip ini menulis data sintetis dalam jumlah besar ke basis data "
                f"{connection.settings_dict['NAME']!s}. Gunakan basis data tersendiri dan "
                "ulangi dengan --yes."
            )
        counts = {
            k: counts.get(k, DEFAULTS[k])
            for k in ("agencies", "services_per_agency", "requests", "complaints", "surveys")
        }
        if any(v < 0 for v in counts.values()) or (
            counts["agencies"] == 0 and (counts["requests"] or counts["complaints"])
        ):
            raise Refused("Jumlah tidak boleh negatif; permohonan perlu instansi.")
        if counts["agencies"] and counts["services_per_agency"] < 1 and counts["requests"]:
            raise Refused("Permohonan perlu paling sedikit satu layanan per instansi.")
        self.rng = random.Random(seed)
        self.now = timezone.now()
        began = time.perf_counter()
        with transaction.atomic():
            self._step("instansi dan keputusan", self._agencies, counts["agencies"])
            self._step("layanan", self._services, counts["services_per_agency"])
            self._step("permohonan", self._requests, counts["requests"])
            self._step("pengaduan", self._complaints, counts["complaints"])
            self._step("jawaban survei", self._surveys, counts["surveys"])
            # COPY bypasses the models: the performance figures' day counts in one pass.
            self._step("hitungan harian kinerja", lambda: sum(rebuild_all().values()))
            self._step("urutan id", self._reset_sequences)
        if connection.vendor == "postgresql":
            self._step("VACUUM ANALYZE", self._analyze)
        self._write(f"Selesai dalam {time.perf_counter() - began:.1f} s.")

    def _write(self, line: str) -> None:
        self.out.write(line + "\n")

    # ------------------------------------------------------------------ plumbing

    def _step(self, label, fn, *args):
        began = time.perf_counter()
        result = fn(*args)
        detail = f" ({result:,} baris)".replace(",", ".") if isinstance(result, int) else ""
        self._write(f"{label}: {time.perf_counter() - began:.1f} s{detail}")

    def _reset_sequences(self):
        models = [
            Agency,
            Decree,
            ComplaintChannel,
            ComplaintTier,
            ServiceStandard,
            Requirement,
            ProcedureGroup,
            ProcedureStep,
            TimeframeStage,
            ComponentItem,
            ServiceRequest,
            Complaint,
            SurveyResponse,
        ]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def _analyze(self):
        tables = [
            m._meta.db_table
            for m in (
                Agency,
                ServiceStandard,
                ServiceRequest,
                Complaint,
                SurveyResponse,
                RequestDayCount,
                ComplaintDayCount,
            )
        ]
        # VACUUM marks the pages all-visible (index-only scans); not possible in a transaction.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{command} {connection.ops.quote_name(table)}")

    def _person(self):
        rng = self.rng
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    def _nik(self, province: int) -> str:
        rng = self.rng
        day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
        return (
            f"{province:02d}{rng.randint(1, 79):02d}{rng.randint(1, 30):02d}"
            f"{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}"
        )

    def _phone(self) -> str:
        return f"+628{self.rng.randint(11, 59)}{self.rng.randint(1000000, 99999999)}"

    # ------------------------------------------------------------------ agencies

    def _agencies(self, count: int) -> int:
        rng = self.rng
        taken_codes = set(Agency.objects.values_list("code", flat=True))
        taken_slugs = set(Agency.objects.values_list("slug", flat=True))
        width = 2
        while 26**width < count + len(taken_codes):
            width += 1
        if width > 7:
            raise Refused("Terlalu banyak instansi untuk kode 2–8 huruf.")
        places = [
            (p + s) if p in JOINED else f"{p} {s.capitalize()}" for p in PREFIXES for s in SUFFIXES
        ]
        rng.shuffle(places)
        self.agencies = []
        rows = []
        next_id = _next_id(Agency)
        index = 0
        for i in range(count):
            while True:
                code = "B" + _letters(index, width)
                index += 1
                if code not in taken_codes:
                    break
            if i < len(PROVINCES):
                province, tz = PROVINCES[i]
                level, place = "provinsi", province
            else:
                province, tz = PROVINCES[rng.randrange(len(PROVINCES))]
                level = "kota" if rng.random() < 0.25 else "kabupaten"
                place = places[i % len(places)]
                if i >= len(places):
                    place = f"{place} {COMPASS[i // len(places) % len(COMPASS)]}"
            region = f"{level.capitalize()} {place}"
            long_name, short = AGENCY_NAMES[rng.randrange(len(AGENCY_NAMES))]
            name = f"{long_name} {region}"
            slug = slugify(f"{region} {code}")[:80]
            if slug in taken_slugs:
                slug = slugify(f"uji {code}")
            pk = next_id + i
            agency = {
                "id": pk,
                "code": code,
                "slug": slug,
                "name": name,
                "short_name": f"{short} {place}",
                "region": region,
                "place": place,
                "province": province,
                "province_code": 11 + PROVINCES.index((province, tz)) * 2,
                "timezone": tz,
            }
            self.agencies.append(agency)
            government = (
                f"Pemerintah {region}" if level != "provinsi" else f"Pemerintah Provinsi {place}"
            )
            rows.append(
                (
                    pk,
                    slug,
                    code,
                    name,
                    agency["short_name"],
                    government,
                    level,
                    region,
                    province,
                    place,
                    f"Jl. {rng.choice(['Merdeka', 'Sudirman', 'Pahlawan', 'Diponegoro'])} "
                    f"No. {rng.randint(1, 200)}, {place}",
                    f"{rng.randint(20000, 99999)}",
                    f"(0{rng.randint(21, 999)}) {rng.randint(100000, 999999)}",
                    "",
                    f"diskop@{slugify(place)}.go.id",
                    "",
                    tz,
                    self.now,
                )
            )
        written = _Writer(
            Agency,
            "id slug code name short_name government level region province city address "
            "postal_code phone fax email website timezone updated_at".split(),
        ).write(rows)

        decree_id = _next_id(Decree)
        decrees = []
        for i, a in enumerate(self.agencies):
            a["decree_id"] = decree_id + i
            signed = date(2024, 1, 2) + timedelta(days=rng.randrange(300))
            decrees.append(
                (
                    a["decree_id"],
                    a["id"],
                    f"500/{rng.randint(10, 999)}/{a['code']}/{signed.year}",
                    f"Standar Pelayanan pada {a['name']}",
                    signed.year,
                    a["place"],
                    signed,
                    f"Kepala {a['name']}",
                    self._person().upper(),
                    "Pembina Tingkat I",
                    "",
                    "[]",
                    "[]",
                    "[]",
                    self.now,
                )
            )
        _Writer(
            Decree,
            "id agency_id number title year signed_place signed_date signatory_title "
            "signatory_name signatory_rank signatory_nip considerations references decisions "
            "updated_at".split(),
        ).write(decrees)

        channel_id, tier_id = _next_id(ComplaintChannel), _next_id(ComplaintTier)
        channels, tiers = [], []
        for a in self.agencies:
            channels.append((channel_id, a["id"], 1, "walk_in", a["name"], ""))
            channels.append((channel_id + 1, a["id"], 2, "lapor", "www.lapor.go.id", ""))
            channel_id += 2
            for order, (tier, duration) in enumerate(DEFAULT_TIER_DURATIONS.items(), start=1):
                tiers.append((tier_id, a["id"], str(tier), order, duration, ""))
                tier_id += 1
        _Writer(ComplaintChannel, "id agency_id order kind value note".split()).write(channels)
        _Writer(ComplaintTier, "id agency_id tier order duration wording".split()).write(tiers)
        return written

    # ------------------------------------------------------------------ services

    def _templates(self) -> list[dict]:
        templates = []
        for path in sorted(fixture_dir().glob("*.yaml")):
            data, problems = read_fixture(path)
            if problems:
                raise Refused(f"{path.name} tidak valid: {problems[0]}")
            region = data["agency"]["region"]
            bare = region.split(" ", 1)[1] if " " in region else region
            for s in data["services"]:
                timeframe = parse_timeframe(s["timeframe"])
                stage = timeframe.governing_stage()
                templates.append(
                    {
                        "slug": s["slug"],
                        "name": s["name"],
                        "unit": s.get("unit") or "",
                        "requirements_note": s.get("requirements_note") or "",
                        "timeframe": s["timeframe"],
                        "stages": timeframe.stages,
                        "due": [
                            (st.amount, Unit(st.unit)) for st in timeframe.stages if st.has_deadline
                        ],
                        "rule": f"{stage.amount} {Unit(stage.unit).value}" if stage else "",
                        "max_minutes": stage.rough_minutes() if stage else None,
                        "fee_amount": s["fee"]["amount"],
                        "fee_text": s["fee"]["text"],
                        "staff_count": s["staff_count"]["count"],
                        "staff_count_text": s["staff_count"]["text"],
                        "product_is_document": bool(s.get("product_document", False)),
                        "requirements": [
                            (r["text"], r.get("conditional", False), r.get("document", True))
                            for r in s["requirements"]
                        ],
                        "groups": [
                            (
                                g.get("heading") or "",
                                [(st["text"], st.get("actor") or "") for st in g["steps"]],
                            )
                            for g in s["procedure"]
                        ],
                        "products": [
                            text
                            for p in s.get("product") or []
                            for text in ([p] if isinstance(p, str) else p["items"])
                        ],
                        "replace": [(region, "region"), (bare, "place")],
                    }
                )
        if not templates:
            raise Refused(f"Tidak ada keputusan di {fixture_dir()} untuk dijadikan contoh.")
        return templates

    def _services(self, per_agency: int) -> int:
        rng = self.rng
        templates = self._templates()
        ids = {
            m: _next_id(m)
            for m in (
                ServiceStandard,
                Requirement,
                ProcedureGroup,
                ProcedureStep,
                TimeframeStage,
                ComponentItem,
            )
        }
        standards, requirements, groups, steps, stages, items = [], [], [], [], [], []
        self.services = []  # per agency: list of (standard id, template)
        for a in self.agencies:
            chosen = []
            for k in range(per_agency):
                if k % len(templates) == 0:
                    batch = templates[:]
                    rng.shuffle(batch)
                chosen.append(batch[k % len(templates)])
            own = []
            slugs: set[str] = set()
            for number, t in enumerate(chosen, start=1):
                slug, n = t["slug"], 1
                while slug in slugs:  # two decrees may use the same slug; so may a 2nd round
                    n += 1
                    slug = f"{t['slug']}-{n}"
                slugs.add(slug)
                sid = ids[ServiceStandard]
                ids[ServiceStandard] += 1
                own.append((sid, t))
                parts = [t["name"], t["unit"], a["name"], a["region"]]
                for order, (text, conditional, document) in enumerate(t["requirements"], 1):
                    text = _localise(text, t, a)
                    parts.append(text)
                    requirements.append((ids[Requirement], sid, order, text, conditional, document))
                    ids[Requirement] += 1
                for g_order, (heading, group_steps) in enumerate(t["groups"], 1):
                    gid = ids[ProcedureGroup]
                    ids[ProcedureGroup] += 1
                    groups.append((gid, sid, g_order, heading, "{}"))
                    for s_order, (text, actor) in enumerate(group_steps, 1):
                        text = _localise(text, t, a)
                        parts.append(text)
                        steps.append((ids[ProcedureStep], gid, s_order, text, actor))
                        ids[ProcedureStep] += 1
                for order, text in enumerate(t["products"], 1):
                    parts.append(text)
                    items.append((ids[ComponentItem], sid, "product", order, "", text))
                    ids[ComponentItem] += 1
                for order, stage in enumerate(t["stages"], 1):
                    stages.append(
                        (
                            ids[TimeframeStage],
                            sid,
                            order,
                            stage.label,
                            stage.amount,
                            stage.unit.value if stage.unit else "",
                            stage.wording,
                        )
                    )
                    ids[TimeframeStage] += 1
                standards.append(
                    (
                        sid,
                        a["id"],
                        a["decree_id"],
                        slug,
                        number,
                        t["name"],
                        t["unit"],
                        t["requirements_note"],
                        t["timeframe"],
                        t["max_minutes"],
                        t["fee_amount"],
                        t["fee_text"],
                        t["product_is_document"],
                        t["staff_count"],
                        t["staff_count_text"],
                        # as services.catalogue.actions.standard_refresh_derived builds it
                        "\n".join(p for p in parts if p),
                        "",
                        1,
                        self.now,
                    )
                )
            self.services.append(own)
        written = _Writer(
            ServiceStandard,
            "id agency_id decree_id slug number name unit requirements_note timeframe_text "
            "max_working_minutes fee_amount fee_text product_is_document staff_count "
            "staff_count_text "
            "search_document source_hash version updated_at".split(),
        ).write(standards)
        _Writer(Requirement, "id standard_id order text conditional document".split()).write(
            requirements
        )
        _Writer(ProcedureGroup, "id standard_id order heading flow".split()).write(groups)
        _Writer(ProcedureStep, "id group_id order text actor".split()).write(steps)
        _Writer(TimeframeStage, "id standard_id order label amount unit wording".split()).write(
            stages
        )
        _Writer(ComponentItem, "id standard_id component order heading text".split()).write(items)
        return written

    # ------------------------------------------------------------------ cases

    def _calendars(self) -> dict[str, WorkCalendar]:
        zones = {a["timezone"] for a in self.agencies}
        return {tz: WorkCalendar(tz) for tz in zones}

    def _moments(self, count: int) -> list[tuple[datetime, int, int]]:
        """Sorted (received moment, agency index, service index): busier agencies and
        services get more cases, weekdays and office hours more than nights and weekends."""
        rng = self.rng
        n_agencies = len(self.agencies)
        if not hasattr(self, "agency_cum"):  # the same busy agencies for requests and complaints
            weights = [1 / (rank + 1) ** 0.5 for rank in range(n_agencies)]
            rng.shuffle(weights)
            self.agency_cum = list(accumulate(weights))
        agency_cum = self.agency_cum
        today = timezone.localdate(self.now)
        days = [START + timedelta(days=d) for d in range((today - START).days + 1)]
        day_cum = list(accumulate(1.0 if d.weekday() < 5 else 0.15 for d in days))
        agency_idx = rng.choices(range(n_agencies), cum_weights=agency_cum, k=count)
        day_idx = rng.choices(range(len(days)), cum_weights=day_cum, k=count)
        zones = {tz: ZoneInfo(tz) for tz in {a["timezone"] for a in self.agencies}}
        per_agency = len(self.services[0])
        service_cum = list(accumulate(1 / (k + 1) ** 0.8 for k in range(per_agency)))
        service_total = service_cum[-1]
        result = []
        now = self.now
        for ai, di in zip(agency_idx, day_idx, strict=True):
            a = self.agencies[ai]
            if rng.random() < 0.8:
                seconds = rng.randint(7 * 3600 + 1800, 16 * 3600)
            else:
                seconds = rng.randrange(86400)
            moment = datetime.combine(days[di], dtime.min, tzinfo=zones[a["timezone"]])
            moment += timedelta(seconds=seconds)
            if moment > now:
                moment = now - timedelta(seconds=rng.randrange(1, 86400 * 3))
            result.append((moment, ai, bisect_right(service_cum, rng.random() * service_total)))
        result.sort(key=lambda r: r[0])
        return result

    def _requests(self, count: int) -> int:
        if not count:
            return 0
        rng = self.rng
        now = self.now
        calendars = self._calendars()
        moments = self._moments(count)
        fresh, recent, old = (
            _picker(REQUEST_FRESH),
            _picker(REQUEST_RECENT),
            _picker(REQUEST_OLD),
        )
        rules = {}
        sequences: dict[tuple[int, int], int] = {}
        first_id = _next_id(ServiceRequest)
        organisations = [o.format(p) for o in ORGANISATIONS for p in PREFIXES]

        def rows():
            for i, (received, ai, si) in enumerate(moments):
                a = self.agencies[ai]
                sid, t = self.services[ai][si]
                calendar = calendars[a["timezone"]]
                due = None
                for amount, unit in t["due"]:
                    moment = calendar.due(received, amount, unit)
                    if due is None or moment > due:
                        due = moment
                rule = rules.get(t["rule"])
                if rule is None:
                    rule = rules[t["rule"]] = json.dumps(
                        {
                            "rule": t["rule"],
                            "explain": (
                                "Data sintetis untuk uji kinerja."
                                if t["rule"]
                                else "Keputusan tidak menetapkan batas waktu."
                            ),
                        }
                    )
                age = (now - received).days
                status = fresh(rng) if age < 3 else recent(rng) if age < 30 else old(rng)
                paused = remaining = closed = taken = None
                if status in ("selesai", "ditolak"):
                    span = (due or received + timedelta(days=5)) - received
                    closed = min(received + span * (0.2 + rng.random() * 1.1), now)
                    if status == "selesai":
                        taken = calendar.working_seconds_between(received, closed)
                elif status == "dikembalikan":
                    paused = received + (now - received) * rng.random() * 0.5
                    remaining = rng.randint(0, 5 * 27000)
                year = received.astimezone(calendar.tz).year
                key = (ai, year)
                sequence = sequences[key] = sequences.get(key, 0) + 1
                walk_in = rng.random() < 0.2
                name = self._person()
                yield (
                    first_id + i,
                    a["id"],
                    sid,
                    f"{a['code']}-{year}-{sequence:05d}",
                    year,
                    sequence,
                    f"{rng.getrandbits(256):064x}",
                    None,
                    "loket" if walk_in else "online",
                    name,
                    self._nik(a["province_code"]),
                    self._phone(),
                    "" if walk_in else f"{slugify(name).replace('-', '.')}@contoh.id",
                    rng.choice(organisations) if rng.random() < 0.6 else "",
                    "",
                    status,
                    received,
                    due,
                    rule,
                    paused,
                    remaining,
                    None,
                    "",
                    "",
                    "",
                    closed,
                    closed or paused or received,
                    taken,
                )

        return _Writer(
            ServiceRequest,
            "id agency_id standard_id number year sequence access_hash submission_digest channel "
            "applicant_name nik phone email organisation message status received_at due_at "
            "due_rule paused_at remaining_seconds assignee_id product product_name product_note "
            "closed_at "
            "updated_at working_seconds_taken".split(),
        ).write(rows())

    def _complaints(self, count: int) -> int:
        if not count:
            return 0
        rng = self.rng
        now = self.now
        calendars = self._calendars()
        moments = self._moments(count)
        fresh, recent, old = (
            _picker(COMPLAINT_FRESH),
            _picker(COMPLAINT_RECENT),
            _picker(COMPLAINT_OLD),
        )
        tier_of, channel_of = _picker(TIER_WEIGHTS), _picker(CHANNEL_WEIGHTS)
        durations = {}
        for tier, text in DEFAULT_TIER_DURATIONS.items():
            stage = parse_timeframe(text).governing_stage()
            durations[str(tier)] = (
                stage.amount,
                Unit(stage.unit),
                json.dumps({"tier": str(tier), "duration": text, "rule": text}),
            )
        sequences: dict[tuple[int, int], int] = {}
        first_id = _next_id(Complaint)

        def rows():
            for i, (received, ai, si) in enumerate(moments):
                a = self.agencies[ai]
                calendar = calendars[a["timezone"]]
                age = (now - received).days
                status = fresh(rng) if age < 3 else recent(rng) if age < 30 else old(rng)
                tier = "" if status == "diterima" else tier_of(rng)
                amount, unit, rule = durations[tier or "light"]
                due = calendar.due(received, amount, unit)
                triage_due = calendar.due(received, *durations["light"][:2])
                triaged = None
                if status != "diterima":  # classified (or rejected), mostly within triage
                    triaged = min(received + (triage_due - received) * (0.2 + rng.random()), now)
                channel = channel_of(rng)
                answered = closed = resolved = None
                answer = reason = ""
                if status in ("dijawab", "selesai"):
                    answered = min(received + (due - received) * (0.3 + rng.random()), now)
                    answer = ANSWER
                if status == "selesai":
                    closed = min(answered + timedelta(days=rng.randint(0, 14)), now)
                    resolved = rng.random() < 0.85
                elif status == "ditolak":
                    closed = min(received + timedelta(days=rng.randint(0, 5)), now)
                    reason = rng.choice(["bukan_kewenangan", "duplikat", "tidak_lengkap"])
                year = received.astimezone(calendar.tz).year
                key = (ai, year)
                sequence = sequences[key] = sequences.get(key, 0) + 1
                yield (
                    first_id + i,
                    a["id"],
                    self.services[ai][si][0] if rng.random() < 0.7 else None,
                    None,
                    f"{a['code']}-ADU-{year}-{sequence:05d}",
                    year,
                    sequence,
                    f"{rng.getrandbits(256):064x}",
                    None,
                    channel,
                    f"LPR{rng.randint(1000000, 9999999)}" if channel == "lapor" else "",
                    self._person(),
                    self._phone(),
                    "",
                    "",
                    rng.random() < 0.1,
                    rng.choice(SHORTFALLS),
                    "",
                    rng.choice(REMEDIES),
                    status,
                    tier,
                    received,
                    due,
                    rule,
                    triage_due,
                    triaged,
                    None,
                    answer,
                    answered,
                    resolved,
                    reason,
                    closed,
                    closed or answered or received,
                )

        return _Writer(
            Complaint,
            "id agency_id standard_id service_request_id number year sequence access_hash "
            "submission_digest channel lapor_reference complainant_name phone email address "
            "confidential shortfall loss remedy status tier received_at due_at due_rule "
            "triage_due_at triaged_at assignee_id answer answered_at resolved rejection_reason "
            "closed_at updated_at".split(),
        ).write(rows())

    def _surveys(self, count: int) -> int:
        """Satisfaction survey answers (online and paper) spread like the cases, scores
        mostly 3 and 4, the profile answered by about two thirds."""
        if not count:
            return 0
        rng = self.rng
        scores = _picker([(5, 1), (15, 2), (50, 3), (30, 4)])
        profiles = {
            "gender": ["L", "P"],
            "age": ["<20", "20-29", "30-39", "40-49", "50-59", "60+"],
            "education": ["sd", "smp", "sma", "diploma", "s1", "s2"],
            "occupation": [
                "pns",
                "tni_polri",
                "swasta",
                "wirausaha",
                "petani",
                "pelajar",
                "lainnya",
            ],
        }
        first_id = _next_id(SurveyResponse)
        moments = self._moments(count)

        def rows():
            for i, (moment, ai, si) in enumerate(moments):
                a = self.agencies[ai]
                answered = rng.random() < 0.66
                yield (
                    first_id + i,
                    a["id"],
                    self.services[ai][si][0],
                    moment.date(),
                    "online" if rng.random() < 0.7 else "paper",
                    *(scores(rng) for _ in range(9)),
                    *(rng.choice(choices) if answered else "" for choices in profiles.values()),
                    "Antrean perlu dipercepat." if rng.random() < 0.1 else "",
                )

        return _Writer(
            SurveyResponse,
            "id agency_id standard_id answered_on channel u1 u2 u3 u4 u5 u6 u7 u8 u9 gender age "
            "education occupation suggestion".split(),
        ).write(rows())


def generate(out=None, **options) -> None:
    """Write the dataset (options: yes, seed and the counts of DEFAULTS); Refused if it may not."""
    Generator(out).run(**options)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name, default in DEFAULTS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=default)
    parser.add_argument(
        "--yes",
        action="store_true",
        help="Konfirmasi: tulis data sintetis ke basis data yang dikonfigurasi.",
    )
    options = vars(parser.parse_args(argv))
    try:
        generate(**options)
    except Refused as refusal:
        sys.exit(str(refusal))


if __name__ == "__main__":
    main()
