"""The case page (the admin's change view): summary, next step, documents, history, details.

A stored case is read-only here: every field of the kind's fieldsets is shown, none is
edited, and there is no "save" button of any kind. The page's form is the next workflow step
(`workflow_page`); a step posted here is applied by the kind's one action or not at all, and a
refused one shows the page again as it is stored, with what was typed. The page is written in
the zone of the case's agency, and each opening is logged with whether the citizen's identity
was on it (`portal.cases.audit`); so is a look at the admin's history of the case.
"""

from __future__ import annotations

import copy
from zoneinfo import ZoneInfo

from django.contrib import admin
from django.contrib.admin.options import csrf_protect_m
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal import params
from portal.cases import audit
from portal.cases.admin.base import person_name
from portal.cases.admin.workflow_page import WorkflowAdmin
from portal.worktime import format_moment

# The step's fields laid out apart on the page; the others are folded under them.
STEP_FIELDS = ("to_status", "note", "public")


def shown_again(request):
    """The request a refused step's page is rendered for: the same one, asking only to be
    shown the page, so Django's change view reads the case as stored and binds nothing to
    the POST (the step's own form keeps what was typed)."""
    shown = copy.copy(request)
    shown.method = "GET"
    return shown


def stored_file(stored, *, url: str, name: str, zone: str) -> dict:
    """One file of a case's checklist, under the name this viewer may see."""
    return {
        "url": url,
        "name": name,
        "size": stored.size,
        "at": format_moment(stored.uploaded_at, zone),
        "by_staff": getattr(stored, "uploaded_by_staff", False),
    }


class CasePageAdmin(WorkflowAdmin):
    change_form_template = "admin/cases/change_form.html"

    # ----------------------------------------------------------- to be given by the kind

    def case_person(self, request, case) -> tuple[str, str]:
        """(label, name) of the citizen the case is about, as this user may see it."""
        raise NotImplementedError

    def case_documents(self, request, case) -> list[dict]:
        """The documents as a checklist: [{"label", "files": [...], "conditional", "upload"}]."""
        raise NotImplementedError

    # ----------------------------------------------------------- the view

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Without the transaction Django's admin opens around a posted form: a case is written
        by its kind's actions, each a durable transaction of its own (portal.cases.actions)."""
        return self._changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """One page per case: summary, next step (its form posts here), documents, history."""
        if params.parse_id(str(object_id)) is None:
            return super().change_view(request, object_id, form_url, extra_context)
        case = self.get_queryset(request).filter(pk=object_id).first()
        if case is None:  # Django's "not found" of an admin page
            return super().change_view(request, object_id, form_url, extra_context)
        form = None
        if request.method == "POST":
            if not self.has_change_permission(request, case):
                raise PermissionDenied
            form, done = self.apply_workflow(request, case)
            if done:
                return redirect(request.path)
            case = self.get_queryset(request).get(pk=case.pk)
            request = shown_again(request)
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            **self.case_page_context(request, case, form),
        }
        with timezone.override(ZoneInfo(case.agency.timezone)):
            response = super().change_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:  # a case page: log who looked, and whether they saw the identity
            audit.record_access(
                user=request.user,
                case=obj,
                what=audit.CASE_PAGE,
                identity=self.identity_shown(request, obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_object(self, request, object_id, from_field=None):
        case = super().get_object(request, object_id, from_field)
        if case is not None:
            self.show_to(request, [case])
        return case

    def get_readonly_fields(self, request, obj=None):
        """Every field of a stored case is read-only (a new one is entered whole)."""
        return flatten_fieldsets(self.fieldsets) if obj else []

    def get_inlines(self, request, obj):
        # The case page shows its files and history itself (checklist and timeline).
        return []

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        case = (getattr(response, "context_data", None) or {}).get("object")
        if case is not None:
            # The admin's history names the case by its number and what changed, never by a
            # field's value: no identity on it, for anyone.
            audit.record_access(user=request.user, case=case, what=audit.HISTORY, identity=False)
        return response

    # ----------------------------------------------------------- what the page shows

    def case_page_context(self, request, case, form=None) -> dict:
        """The page's sections: `form` is a refused step's, else an empty one for a user who
        may change the case."""
        if form is None and self.has_change_permission(request, case):
            form = self.workflow_form_for(case)
        timeline = self.timeline(case)
        return {
            "case": case,
            "summary": self.summary(request, case),
            "workflow": form,
            "buttons": self.workflow_buttons(form) if form is not None else [],
            "other_fields": [form[name] for name in form.fields if name not in STEP_FIELDS]
            if form is not None
            else [],
            "workflow_link": self.workflow_title,
            "help_template": self.kind_template("workflow_help.html"),
            "checklist": self.case_documents(request, case),
            "timeline": timeline,
            "internal_notes": [e for e in timeline if e["note"] and not e["public"]],
            "public_notes": [e for e in timeline if e["note"] and e["public"]],
            **self.workflow_context(request, case),
        }

    def summary(self, request, case) -> list[tuple[str, str]]:
        """(label, value) of the lines at the top of the page."""
        zone = case.agency.timezone
        return [
            (_("Status"), self.badge(case)),
            (_("Jatuh tempo"), self.due_full(case)),
            (_("Sisa waktu kerja"), self.remaining_html(case)),
            (_("Petugas"), person_name(case.assignee)),
            (_("Diterima"), format_moment(case.received_at, zone)),
            self.case_person(request, case),
        ]

    def timeline(self, case) -> list[dict]:
        """The case's history, oldest first, in its agency's zone."""
        zone = case.agency.timezone
        return [
            {
                "at": format_moment(e.at, zone),
                "iso": e.at.isoformat(),
                "kind": e.get_kind_display(),
                "actor": person_name(e.actor) if e.actor_id else _("sistem/warga"),
                "from": e.get_from_status_display() if e.from_status else "",
                "to": e.get_to_status_display() if e.to_status else "",
                "note": e.note,
                "public": e.public,
            }
            for e in case.events.select_related("actor").order_by("at", "pk")
        ]

    def workflow_buttons(self, form) -> list[tuple[str, str]]:
        """(status, label) of each transition offered as a button: the form's choices."""
        return [(value, label) for value, label in form.fields["to_status"].choices if value]

    def due_full(self, obj) -> str:
        """The due moment in full, while the clock runs."""
        if obj.status not in self.statuses.running:
            return "—"
        if not obj.due_at:
            return _("tanpa batas waktu")
        return format_moment(obj.due_at, obj.agency.timezone)

    # ----------------------------------------------------------- the details' fields

    @admin.display(description=_("diterima"), ordering="received_at")
    def received(self, obj):
        return format_moment(obj.received_at, obj.agency.timezone)

    @admin.display(description=_("ditutup pada"))
    def closed(self, obj):
        return format_moment(obj.closed_at, obj.agency.timezone) if obj.closed_at else "—"

    @admin.display(description=_("cara menghitung"))
    def due_explain(self, obj):
        # One line per step; no inline style (the Content-Security-Policy allows none).
        return format_html("<div>{}</div>", linebreaksbr(obj.due_rule.get("explain", "")))
