"""The queue: a kind's cases, running ones first and the most overdue on top.

Its columns read only the rows `related_rows` fetched and what `show_to` gave each row of the
page; the confidential identities a page shows are logged, one row each (`portal.cases.audit`).
Only the lookups of the list's own filters are taken from the URL. Selected cases can be given
to a colleague of their agency, with the kind's one action (`assign`).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Case, F, Value, When
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.cases import audit
from portal.cases.admin.base import CaseAdminBase, agency_users, person_name
from portal.cases.admin.display import column
from portal.cases.admin.forms import AssignForm, attach_errors


class QueueAdmin(CaseAdminBase):
    change_list_template = "admin/cases/change_list.html"
    actions = ["assign_selected"]
    list_per_page = 50
    paused_label: str  # the "tempo" filter's name for the kind's paused cases

    def get_ordering(self, request):
        """Running cases first, the most overdue on top; then paused ones; closed ones last."""
        rank = Case(
            When(status__in=self.statuses.running, then=Value(0)),
            When(status__in=self.statuses.open, then=Value(1)),
            default=Value(2),
        )
        return [rank.asc(), F("due_at").asc(nulls_last=True)]

    def lookup_allowed(self, lookup, value, request=None):
        """Only the lookups of the list's own filters: any other URL lookup (such as
        `?complainant_name__startswith=R`) could probe a field letter by letter."""
        allowed = set()
        for spec in self.list_filter:
            name = spec[0] if isinstance(spec, tuple) else spec
            if isinstance(name, str):
                allowed |= {f"{name}__exact", f"{name}__isnull", f"{name}__id__exact"}
            elif isinstance(name, type) and issubclass(name, admin.SimpleListFilter):
                allowed.add(name.parameter_name)
        return lookup in allowed

    def changelist_view(self, request, extra_context=None):
        """The queue; the confidential identities its page shows are logged, one row each."""
        response = super().changelist_view(request, extra_context)
        cl = (getattr(response, "context_data", None) or {}).get("cl")
        if cl is not None:
            cl.result_list = list(cl.result_list)  # the page's rows, read once
            self.show_to(request, cl.result_list)
            audit.record_accesses(
                user=request.user,
                cases=[c for c in cl.result_list if self.confidential_shown(request, c)],
                what=audit.LIST,
                identity=True,
            )
        return response

    # ----------------------------------------------------------- the columns

    @column(_("status"), ordering="status")
    def status_badge(self, obj):
        return self.badge(obj)

    @column(_("layanan"), ordering="standard__name")
    def service(self, obj):
        return obj.standard.name if obj.standard_id else "—"

    @column(_("jatuh tempo"), ordering="due_at")
    def due(self, obj):
        return self.due_text(obj)

    @column(_("sisa waktu kerja"))
    def remaining(self, obj):
        return self.remaining_html(obj)

    @column(_("petugas"), ordering="assignee__username")
    def assignee_name(self, obj):
        return person_name(obj.assignee)

    # ----------------------------------------------------------- bulk assignment

    def assign(self, request, queryset, assignee, now) -> int:
        """Give the cases to `assignee` with the kind's one action (all or nothing)."""
        raise NotImplementedError

    @admin.action(description=_("Tugaskan ke petugas…"), permissions=["change"])
    def assign_selected(self, request, queryset):
        """Asks for a colleague of the cases' one agency, then gives them the cases."""
        agencies = set(queryset.order_by().values_list("agency_id", flat=True).distinct())
        if len(agencies) != 1:
            self.message_user(request, _("Pilih perkara dari satu instansi saja."), messages.ERROR)
            return None
        form = AssignForm(
            request.POST if "apply" in request.POST else None, users=agency_users(agencies.pop())
        )
        if form.is_valid():
            assignee = form.cleaned_data["assignee"]
            try:
                changed = self.assign(request, queryset, assignee, timezone.now())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                self.message_user(
                    request,
                    _("%(count)d perkara ditugaskan kepada %(name)s dan tercatat di riwayat.")
                    % {"count": changed, "name": person_name(assignee)},
                    messages.SUCCESS,
                )
                return None
        return self.assign_page(request, queryset, form)

    def assign_page(self, request, queryset, form):
        """The page that asks whom to give the selected cases to."""
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Tugaskan %(cases)s") % {"cases": opts.verbose_name_plural},
            "opts": opts,
            "form": form,
            "cases": list(queryset.select_related("standard")[:500]),
            "count": queryset.count(),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "pks": list(queryset.values_list("pk", flat=True)),
        }
        return TemplateResponse(request, "admin/cases/assign.html", context)
