"""The satisfaction survey report and the monthly performance report of an agency, for its
officials: the figures as services.performance.figures computes them, put in the form of the report
(PDF through portal.pdf with the sheets' letterhead and fonts; the monthly one as XLSX too)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import translation

from portal import pdf
from portal.worktime import MONTH_NAMES, format_date
from services.catalogue.calendars import agency_calendar
from services.catalogue.models.agencies import Agency
from services.catalogue.models.standards import ServiceStandard
from services.performance import figures as performance
from services.survey import ikm
from services.survey.forms import PROFILE_LABELS
from services.survey.models import PROFILE_FIELDS, SurveyFollowUp


def month_period(year: int, month: int, tz: ZoneInfo) -> performance.Period:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return performance.Period(first, following - timedelta(days=1), tz)


def _profile(agency, period) -> list[dict]:
    """Per profile question, the count and share of each answer (unanswered included)."""
    responses = performance.survey_responses(
        agency_id=agency.pk, start=period.start, end=period.end
    )
    sections = []
    for key, choices in PROFILE_FIELDS.items():
        counts = dict(responses.order_by().values_list(key).annotate(n=Count("pk")))
        total = sum(counts.values())
        rows = [
            (str(label), counts.get(value, 0)) for value, label in [*choices.choices, ("", "—")]
        ]
        rows[-1] = ("Tidak diisi", rows[-1][1])
        sections.append(
            {
                "label": str(PROFILE_LABELS[key]),
                "rows": [
                    {
                        "label": label,
                        "count": n,
                        "percent": ikm.round_half_up(Fraction(100 * n, total), 1)
                        if total
                        else None,
                    }
                    for label, n in rows
                ],
            }
        )
    return sections


def skm_context(*, agency: Agency, period: performance.Period, now: datetime) -> dict:
    index = performance.ikm_for(agency_id=agency.pk, start=period.start, end=period.end)
    totals = performance.total(
        performance.request_figures(
            agency_ids=[agency.pk], group="agency_id", period=period, now=now
        ).values()
    )
    complaints = performance.complaint_figures(agency_ids=[agency.pk], period=period, now=now)
    population = totals.received + sum(r["received"] for r in complaints.get(agency.pk, []))
    needed, reached = performance.sample_reached(index, population)
    suggestions = (
        performance.survey_responses(agency_id=agency.pk, start=period.start, end=period.end)
        .exclude(suggestion="")
        .count()
    )
    return {
        "agency": agency,
        "period": period,
        "period_text": f"{format_date(period.start)} – {format_date(period.end)}",
        "index": index,
        "weighted": [(e, ikm.round_half_up(e.nrr / ikm.ELEMENT_COUNT, 3)) for e in index.elements],
        "nrr_total": ikm.round_half_up(sum((e.nrr for e in index.elements), Fraction(0)), 3)
        if index.elements
        else None,
        "population": population,
        "needed": needed,
        "reached": reached,
        "profile": _profile(agency, period),
        "suggestions": suggestions,
        "follow_ups": list(
            SurveyFollowUp.objects.filter(
                agency=agency, year__gte=period.start.year, year__lte=period.end.year
            )
        ),
        "grade_bands": [
            ("A", "Sangat Baik", "88,31 – 100,00"),
            ("B", "Baik", "76,61 – 88,30"),
            ("C", "Kurang Baik", "65,00 – 76,60"),
            ("D", "Tidak Baik", "25,00 – 64,99"),
        ],
    }


def monthly_context(*, agency: Agency, year: int, month: int, now: datetime) -> dict:
    period = month_period(year, month, ZoneInfo(agency.timezone))
    day_seconds = agency_calendar(agency).hours.working_day_seconds()
    standards = list(ServiceStandard.objects.filter(agency=agency).order_by("number"))
    figures = performance.request_figures(
        agency_ids=[agency.pk],
        group="standard_id",
        period=period,
        now=now,
        day_seconds=day_seconds,
    )
    rows = [(s, figures.get(s.pk, performance.RequestFigures())) for s in standards]
    index = performance.ikm_for(agency_id=agency.pk, start=period.start, end=period.end)
    return {
        "agency": agency,
        "period": period,
        "month_text": f"{MONTH_NAMES[month - 1]} {year}",
        "rows": rows,
        "totals": performance.total(f for _s, f in rows),
        "complaints": performance.complaint_figures(
            agency_ids=[agency.pk], period=period, now=now
        ).get(agency.pk, []),
        "index": index,
        "now_text": format_date(now.astimezone(period.tz).date()),
    }


def render(template: str, context: dict, title: str) -> bytes:
    with translation.override("id"):
        html = render_to_string(
            template,
            {
                **context,
                "doc_title": title,
                "doc_description": title,
                "running_title": f"{title} — {context['agency'].name}",
                "SITE_NAME": settings.SITE_NAME,
            },
        )
    return pdf.render_pdf(html, base_url=(settings.BASE_DIR / "static").as_uri() + "/")


def monthly_xlsx(context: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Permohonan"
    bold = Font(bold=True)
    sheet.append([context["agency"].name])
    sheet.append([f"Laporan kinerja bulan {context['month_text']}"])
    sheet.append([])
    header = [
        "Layanan",
        "Diterima",
        "Selesai",
        "Selesai dengan batas waktu",
        "Tepat waktu",
        "Tepat waktu (%)",
        "Median hari kerja",
        "Persentil ke-90 hari kerja",
        "Terlambat saat ini",
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold

    def number(value):
        return None if value is None else float(value)

    for standard, f in [*context["rows"], ("Jumlah", context["totals"])]:
        sheet.append(
            [
                standard if isinstance(standard, str) else standard.name,
                f.received,
                f.completed,
                f.with_limit,
                f.on_time,
                number(f.on_time_percent),
                number(f.median_days),
                number(f.p90_days),
                f.overdue,
            ]
        )
    sheet[f"A{sheet.max_row}"].font = bold
    sheet.column_dimensions["A"].width = 60
    complaints = book.create_sheet("Pengaduan")
    names = ("received", "triaged", "triaged_on_time", "answered", "on_time")
    complaints.append(
        [
            "Tingkat",
            "Diterima",
            "Ditriase",
            "Ditriase tepat waktu",
            "Dijawab",
            "Dijawab tepat waktu",
        ]
    )
    for cell in complaints[1]:
        cell.font = bold
    for row in context["complaints"]:
        complaints.append([row["label"], *(row[name] for name in names)])
    complaints.column_dimensions["A"].width = 60
    survey = book.create_sheet("IKM")
    survey.append(["Unsur", "NRR", "Nilai (25 × NRR)", "Mutu"])
    for cell in survey[1]:
        cell.font = bold
    index = context["index"]
    for e in index.elements:
        survey.append(
            [
                f"{e.element.key.upper()} {e.element.name}",
                float(e.nrr_rounded),
                float(e.index_rounded),
                e.grade,
            ]
        )
    survey.append(
        ["IKM", None, None if index.rounded is None else float(index.rounded), index.grade]
    )
    survey.append(["Responden", index.respondents])
    survey.column_dimensions["A"].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
