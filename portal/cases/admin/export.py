"""The queue as a spreadsheet (`ekspor/csv/`, `ekspor/xlsx/`): the list as its filters select
it (same query string), every page, each confidential identity the file carries logged.

The columns are the same for every kind around the kind's own (`export_case_columns`, after
the channel, and `export_more_columns`, at the end); times are written in the agency's zone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.cases import audit, exports
from portal.cases.admin.base import CaseAdminBase, person_name
from portal.cases.admin.display import export_moment, working_time_left_text
from portal.worktime import zone_abbreviation

Column = tuple[str, Callable]  # (header, the value of a case as text)
FORMATS = ("csv", "xlsx")


class ExportAdmin(CaseAdminBase):
    def get_urls(self):
        export = self.view_path("ekspor/<str:fmt>/", self.export_view, "export")
        return [export, *super().get_urls()]

    def export_view(self, request, fmt):
        """The queue as the list filters it (same query string), every page, as CSV or XLSX."""
        if fmt not in FORMATS:
            raise Http404
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            cl = self.get_changelist_instance(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(_("Filter daftar tidak dikenal.")) from error
        columns = self.export_columns(request)
        headers = [header for header, _value in columns]
        rows = self.export_rows(request, cl.queryset.iterator(chunk_size=1000), columns, detail=fmt)
        name = f"{self.model._meta.model_name}-{timezone.localdate():%Y%m%d}"
        if fmt == "csv":
            return exports.csv_response(name, headers, rows)
        return exports.xlsx_response(
            name, headers, rows, title=str(self.model._meta.verbose_name_plural)
        )

    def export_rows(self, request, cases, columns, *, detail: str):
        """The spreadsheet's rows of `cases`, each confidential identity they carry logged
        (`detail`: the file's format)."""
        cases = audit.logged(
            cases,
            user=request.user,
            what=audit.EXPORT,
            shown=lambda case: self.confidential_shown(request, case),
            detail=detail,
        )
        return ([value(obj) for _header, value in columns] for obj in cases)

    # ----------------------------------------------------------- the columns

    def export_columns(self, request) -> list[Column]:
        """The spreadsheet's columns: (header, value of a case as text)."""
        return [
            (_("nomor"), lambda o: o.number),
            (_("instansi"), lambda o: o.agency.short_name),
            (_("layanan"), lambda o: o.standard.name if o.standard_id else ""),
            (_("kanal"), lambda o: o.get_channel_display()),
            *self.export_case_columns(request),
            (_("status"), lambda o: o.get_status_display()),
            *self.export_time_columns(),
            (_("petugas"), lambda o: person_name(o.assignee)),
            *self.export_more_columns(request),
        ]

    def export_case_columns(self, request) -> list[Column]:
        """The kind's columns after the channel: whom the case is about, as this user may see
        it, and what the kind records before its status."""
        raise NotImplementedError

    def export_more_columns(self, request) -> list[Column]:
        """The kind's columns at the end."""
        return []

    def export_time_columns(self) -> list[Column]:
        now = timezone.now()
        return [
            (_("diterima"), lambda o: export_moment(o.received_at, o.agency.timezone)),
            (_("jatuh tempo"), lambda o: export_moment(o.due_at, o.agency.timezone)),
            (_("sisa waktu kerja"), lambda o: self.remaining_text(o, now)),
            (
                _("zona waktu"),
                lambda o: f"{o.agency.timezone} ({zone_abbreviation(o.agency.timezone, now)})",
            ),
        ]

    def remaining_text(self, obj, now) -> str:
        """The working time left while the clock runs, or how late the case is, as text."""
        if obj.status not in self.statuses.running or not obj.due_at:
            return ""
        return working_time_left_text(self.calendar_for(obj.agency), obj.due_at, now)[1]
