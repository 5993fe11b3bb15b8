"""The complaints item of the standards' compliance self-check (services.performance.compliance):
were the
agency's complaints of the last twelve months answered within the deadline of their tier?"""

from datetime import timedelta

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from services.performance.compliance import MET, NOT_MET, CheckResult, Finding

WINDOW_DAYS = 365


def complaints_answered_in_time(*, agency, today, now) -> CheckResult:
    """Answered at or before the due moment of the tier each was last classified in (counted
    from the original receipt, as complaints.actions keeps `due_at`); open ones past due."""
    since = now - timedelta(days=WINDOW_DAYS)
    received = Complaint.objects.filter(agency=agency, received_at__gte=since)
    answered = Q(answered_at__isnull=False, due_at__isnull=False)
    counts = received.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=answered),
        late=Count("pk", filter=answered & Q(answered_at__gt=F("due_at"))),
    )
    overdue = received.overdue(now=now).count()
    changelist = reverse("admin:complaints_complaint_changelist")
    findings = []
    if counts["late"]:
        findings.append(
            Finding(str(_("%(n)s pengaduan dijawab melewati batas waktu.")) % {"n": counts["late"]})
        )
    if overdue:
        findings.append(
            Finding(
                str(_("%(n)s pengaduan belum dijawab dan sudah lewat batas waktu."))
                % {"n": overdue},
                f"{changelist}?tempo=lewat",
            )
        )
    summary = _(
        "%(total)s pengaduan diterima dalam 12 bulan terakhir; %(answered)s dijawab, "
        "%(on_time)s di antaranya tepat waktu."
    ) % {**counts, "on_time": counts["answered"] - counts["late"]}
    return CheckResult(
        key="complaints",
        title=_("Pengaduan dijawab dalam batas waktu tingkatannya"),
        status=NOT_MET if findings else MET,
        source=_(
            "Pengaduan yang tercatat di portal: waktu jawaban dibanding jatuh tempo tingkatannya"
        ),
        summary=summary,
        findings=findings,
        fix_url=changelist,
        fix_label=_("Buka daftar pengaduan"),
    )
