"""The compliance self-check: what the Ombudsman's assessment of published standards looks
for, read from the portal's own data for one agency.

Each item says whether it is met, not met, or cannot be checked (with why), where its data
comes from, which services fall short and where to fix them; no score is computed (the SKM
item quotes the survey's own index). Items whose data lives in an app above this one (the
complaints) are supplied by that app through `register_check(key, check)` (complaints/apps.py
registers complaints.compliance for "complaints": the data is above this concept, which cannot
import it); until one is registered the item is shown as "belum dapat diperiksa" with its
reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.catalogue.components import COMPONENTS
from services.catalogue.models.agencies import Agency
from services.catalogue.models.standards import ServiceStandard
from services.catalogue.models.versions import StandardVersion
from services.catalogue.versions import in_force, snapshot_fingerprint, standard_snapshot
from services.performance import figures as performance

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
EMPTY_ITEM = "-"  # the decrees' own mark for "nothing here" (services.catalogue.actions.EMPTY_ITEM)
REVIEW_DAYS = 365
# Words that name facilities or arrangements for vulnerable groups (UU 25/2009 art. 29,
# PermenPANRB 15/2014: persons with disabilities, the elderly, pregnant women, children).
VULNERABLE_WORDS = (
    "disabilitas",
    "difabel",
    "berkebutuhan khusus",
    "lansia",
    "lanjut usia",
    "ibu hamil",
    "menyusui",
    "laktasi",
    "anak",
    "kursi roda",
    "ramp",
    "prioritas",
    "rentan",
    "tuna netra",
    "tunanetra",
    "guiding block",
)


@dataclass
class Finding:
    text: str
    url: str = ""


@dataclass
class CheckResult:
    key: str
    title: str
    status: str  # MET / NOT_MET / UNKNOWN
    source: str  # where the data comes from
    summary: str
    findings: list[Finding] = field(default_factory=list)
    fix_url: str = ""
    fix_label: str = ""

    @property
    def label(self) -> str:
        return {
            MET: _("Terpenuhi"),
            NOT_MET: _("Belum terpenuhi"),
            UNKNOWN: _("Belum dapat diperiksa"),
        }[self.status]


# (agency=, today=, now=) -> CheckResult
Check = Callable[..., CheckResult]
_PROVIDED: dict[str, Check] = {}

ORDER = ("components", "published", "channels", "vulnerable", "skm", "complaints", "reviewed")
# Items another app supplies, and what is shown until it does.
PROVIDED_ELSEWHERE = {
    "complaints": (
        _("Pengaduan dijawab dalam batas waktu tingkatannya"),
        _("Modul pengaduan belum terpasang."),
    ),
}


def register_check(key: str, check: Check) -> None:
    """Supply the item `key` (one of PROVIDED_ELSEWHERE) from the app that holds its data."""
    _PROVIDED[key] = check


def _admin_change(standard) -> str:
    return reverse("admin:services_servicestandard_change", args=[standard.pk])


def _empty_components(snapshot: dict) -> list[str]:
    def empty_items(items):
        return not [i for i in items if i["text"].strip() not in ("", EMPTY_ITEM)]

    staff = snapshot["staff_count"]
    empty = {
        "requirements": not snapshot["requirements"],
        "procedure": not any(g["steps"] for g in snapshot["procedure"]),
        "timeframe": not snapshot["timeframe"].strip(),
        "fee": not snapshot["fee"]["text"].strip(),
        "legal_basis": not snapshot["legal_basis"],
        "staff_count": staff["count"] is None and not staff["text"].strip(),
    }
    return [
        info.label
        for info in COMPONENTS
        if empty.get(info.key, False) or (info.key not in empty and empty_items(snapshot[info.key]))
    ]


@dataclass
class _Service:
    standard: ServiceStandard
    version: StandardVersion | None
    snapshot: dict
    versions: list[StandardVersion]


def _services(agency: Agency, today: date) -> list[_Service]:
    standards = (
        ServiceStandard.objects.listed()
        .filter(agency=agency)
        .select_related("decree")
        .prefetch_related(
            Prefetch("versions", queryset=StandardVersion.objects.order_by("number")),
            "requirements",
            "procedure_groups__steps",
            "legal_references__regulation",
            "items",
        )
        .order_by("number")
    )
    rows = []
    for standard in standards:
        versions = list(standard.versions.all())
        version = in_force(versions, today)
        snapshot = version.snapshot if version else standard_snapshot(standard)
        rows.append(_Service(standard, version, snapshot, versions))
    return rows


def _components(agency, services, **rest) -> CheckResult:
    findings = []
    for s in services:
        empty = _empty_components(s.snapshot)
        if empty:
            findings.append(
                Finding(f"{s.standard.name}: {', '.join(empty)}", _admin_change(s.standard))
            )
    return CheckResult(
        key="components",
        title=_("Keempat belas komponen standar terisi untuk setiap layanan"),
        status=NOT_MET if findings or not services else MET,
        source=_("Isi versi standar yang berlaku, 14 komponen menurut PermenPANRB 15/2014"),
        summary=_("%(bad)s dari %(total)s layanan memiliki komponen kosong.")
        % {"bad": len(findings), "total": len(services)},
        findings=findings,
        fix_url=reverse("admin:services_servicestandard_changelist"),  # scoped to the agency
        fix_label=_("Ubah standar pelayanan"),
    )


def _published(agency, services, **rest) -> CheckResult:
    decree = agency.decrees.filter(amends__isnull=True).order_by("-signed_date", "-pk").first()
    findings = []
    if decree is None:
        findings.append(Finding(str(_("Belum ada surat keputusan yang dicatat."))))
    else:
        for label, value in (
            (_("nama penanda tangan"), decree.signatory_name),
            (_("jabatan penanda tangan"), decree.signatory_title),
            (_("NIP"), decree.signatory_nip),
        ):
            if not value.strip():
                findings.append(
                    Finding(
                        str(_("Keputusan %(number)s: %(what)s belum diisi."))
                        % {"number": decree.number, "what": label},
                        reverse("admin:services_decree_change", args=[decree.pk]),
                    )
                )
    for s in services:
        if s.version is None:
            findings.append(
                Finding(
                    "{}: {}".format(s.standard.name, _("belum ada versi yang terbit")),
                    _admin_change(s.standard),
                )
            )
    drafts = [
        s
        for s in services
        if s.versions
        and s.versions[-1].fingerprint != snapshot_fingerprint(standard_snapshot(s.standard))
    ]
    summary = (
        _("Keputusan Nomor %(number)s, ditetapkan %(date)s oleh %(who)s.")
        % {
            "number": decree.number,
            "date": decree.signed_date.strftime("%d-%m-%Y"),
            "who": decree.signatory_name or "—",
        }
        if decree
        else _("Belum ada keputusan.")
    )
    if drafts:
        summary += " " + _(
            "%(n)s layanan memiliki draf yang menunggu persetujuan Kepala Dinas."
        ) % {"n": len(drafts)}
        findings += [
            Finding(
                "{}: {}".format(s.standard.name, _("draf belum diterbitkan")),
                reverse("admin:services_servicestandard_publish", args=[s.standard.pk]),
            )
            for s in drafts
        ]
    unsigned = len(findings) - len(drafts)  # pending drafts are noted, not a shortfall
    return CheckResult(
        key="published",
        title=_("Standar pelayanan ditetapkan, ditandatangani dan dipublikasikan"),
        status=NOT_MET if unsigned else MET,
        source=_("Surat keputusan yang dimuat (penanda tangan, tanggal) dan versi yang terbit"),
        summary=summary,
        findings=findings,
        fix_url=reverse("admin:services_decree_change", args=[decree.pk]) if decree else "",
        fix_label=_("Ubah data keputusan") if decree else "",
    )


def _channels(agency, services, **rest) -> CheckResult:
    channels = list(agency.channels.filter(standard__isnull=True).order_by("order"))
    kinds = sorted({c.get_kind_display() for c in channels})
    return CheckResult(
        key="channels",
        title=_("Sarana pengaduan tersedia dan diumumkan"),
        status=MET if channels else NOT_MET,
        source=_("Kanal pengaduan instansi yang tampil di setiap halaman layanan dan tanda terima"),
        summary=(
            _("%(n)s kanal: %(kinds)s.") % {"n": len(channels), "kinds": ", ".join(kinds)}
            if channels
            else _("Belum ada kanal pengaduan instansi.")
        ),
        fix_url=reverse("admin:services_agency_change", args=[agency.pk]),
        fix_label=_("Ubah kanal pengaduan"),
    )


def _names_vulnerable(snapshot: dict) -> bool:
    text = " ".join(
        f"{i['heading']} {i['text']}"
        for i in snapshot.get("facilities", []) + snapshot.get("service_guarantee", [])
    ).lower()
    return any(word in text for word in VULNERABLE_WORDS)


def _vulnerable(agency, services, **rest) -> CheckResult:
    findings = [
        Finding(s.standard.name, _admin_change(s.standard))
        for s in services
        if not _names_vulnerable(s.snapshot)
    ]
    return CheckResult(
        key="vulnerable",
        title=_(
            "Sarana bagi kelompok rentan (penyandang disabilitas, lansia, ibu hamil, anak) "
            "disebutkan"
        ),
        status=NOT_MET if findings or not services else MET,
        source=_(
            "Komponen Sarana, Prasarana dan/atau Fasilitas dan Jaminan Pelayanan: disebut bila "
            "memuat kata seperti “disabilitas”, “lansia”, “ibu hamil”, “kursi roda”, “prioritas”"
        ),
        summary=_("%(bad)s dari %(total)s layanan tidak menyebut sarana bagi kelompok rentan.")
        % {"bad": len(findings), "total": len(services)},
        findings=findings,
    )


def _skm(agency, services, today, **rest) -> CheckResult:
    """Run this year: survey responses dated this year. Published: the agency's public
    performance page shows the index of every response as soon as it is recorded."""
    start = date(today.year, 1, 1)
    result = performance.ikm_for(agency_id=agency.pk, start=start, end=today)
    received = agency.requests.filter(received_at__date__gte=start).count()
    needed, reached = performance.sample_reached(result, received)
    page = reverse("services:agency_performance", kwargs={"agency": agency.slug})
    findings = []
    if result.respondents and not reached:
        findings.append(
            Finding(
                str(_("Responden %(n)s, di bawah sampel minimum %(needed)s."))
                % {"n": result.respondents, "needed": needed},
                reverse("admin:services_survey_reports"),
            )
        )
    return CheckResult(
        key="skm",
        title=_("Survei Kepuasan Masyarakat dilakukan tahun ini dan hasilnya dipublikasikan"),
        status=MET if result.respondents else NOT_MET,
        source=_(
            "Jawaban survei kepuasan masyarakat tahun ini yang tercatat di portal (daring dan "
            "kuesioner kertas); hasilnya tampil di halaman kinerja instansi"
        ),
        summary=(
            _("%(line)s sejak %(start)s; tampil di halaman kinerja publik.")
            % {"line": result.line(), "start": start.strftime("%d-%m-%Y")}
            if result.respondents
            else _("Belum ada jawaban survei tahun %(year)s.") % {"year": today.year}
        ),
        findings=findings,
        fix_url=page if result.respondents else reverse("admin:services_survey_reports"),
        fix_label=_("Halaman kinerja instansi")
        if result.respondents
        else _("Laporan dan kuesioner survei"),
    )


def _reviewed(agency, services, today, **rest) -> CheckResult:
    since = today - timedelta(days=REVIEW_DAYS)
    findings = []
    for s in services:
        dates = [v.valid_from for v in s.versions] + [s.standard.decree.signed_date]
        last = max(dates)
        if last < since:
            findings.append(
                Finding(
                    str(_("%(name)s: terakhir ditetapkan atau diubah %(date)s"))
                    % {"name": s.standard.name, "date": last.strftime("%d-%m-%Y")},
                    _admin_change(s.standard),
                )
            )
    return CheckResult(
        key="reviewed",
        title=_("Standar ditinjau dalam satu tahun terakhir"),
        status=NOT_MET if findings or not services else MET,
        source=_(
            "Tanggal berlaku versi terakhir tiap layanan dan tanggal keputusan yang mencantumkannya"
        ),
        summary=_("%(bad)s dari %(total)s layanan belum ditinjau sejak %(since)s.")
        % {"bad": len(findings), "total": len(services), "since": since.strftime("%d-%m-%Y")},
        findings=findings,
    )


_OWN: dict[str, Check] = {
    "components": _components,
    "published": _published,
    "channels": _channels,
    "vulnerable": _vulnerable,
    "skm": _skm,
    "reviewed": _reviewed,
}


def agency_compliance(agency: Agency, *, today: date, now: datetime) -> list[CheckResult]:
    """Every item of the self-check for `agency`, in the assessment's order."""
    services = _services(agency, today)
    results = []
    for key in ORDER:
        if key in _OWN:
            results.append(_OWN[key](agency=agency, services=services, today=today, now=now))
        elif key in _PROVIDED:
            results.append(_PROVIDED[key](agency=agency, today=today, now=now))
        else:
            title, reason = PROVIDED_ELSEWHERE[key]
            source = _("Tidak ada data di portal untuk butir ini.")
            results.append(CheckResult(key, title, UNKNOWN, source=source, summary=reason))
    return results
