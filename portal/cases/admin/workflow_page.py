"""A case's workflow: its step form, applied by the kind's one action, and its page
(`<pk>/proses/`).

A case changes only through a workflow step: the kind's form (`workflow_form`), posted from
the case page or from the workflow page, is handed whole to the kind's action (`process`),
which applies all of it or nothing. A refused step shows the case as it is stored, with what
was typed. The workflow page shows the kind's summary (`admin/<app>/<model>/workflow.html`)
and its help (`workflow_help.html` beside it); opening it is logged (`portal.cases.audit`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.cases import audit
from portal.cases.admin.base import CaseAdminBase, agency_users
from portal.cases.admin.forms import CaseWorkflowForm, attach_errors


class WorkflowAdmin(CaseAdminBase):
    workflow_form: type[CaseWorkflowForm]
    workflow_title: str  # the case page's link to the workflow page: what a step can change

    # ----------------------------------------------------------- to be given by the kind

    def process(self, request, case, data: dict, now) -> None:
        """Apply a valid workflow form with the kind's one action (all or nothing)."""
        raise NotImplementedError

    def workflow_context(self, request, case) -> dict:
        """What the kind's pages of `case` show beside the shared context."""
        return {}

    # ----------------------------------------------------------- one step

    def workflow_form_for(self, case, request=None) -> CaseWorkflowForm:
        """The step form of `case`: empty, or bound to the POST of `request`."""
        data = (request.POST, request.FILES or None) if request is not None else ()
        return self.workflow_form(*data, case=case, users=agency_users(case.agency_id))

    def apply_workflow(self, request, case) -> tuple[CaseWorkflowForm, bool]:
        """(form, whether it was applied) for a workflow POST of the case page or its
        workflow page."""
        form = self.workflow_form_for(case, request)
        if form.is_valid():
            try:
                self.process(request, case, form.cleaned_data, timezone.now())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Perubahan tersimpan dan tercatat di riwayat."))
                return form, True
        return form, False

    # ----------------------------------------------------------- the workflow page

    def get_urls(self):
        page = self.view_path("<int:pk>/proses/", self.workflow_view, "workflow")
        return [page, *super().get_urls()]

    def workflow_view(self, request, pk):
        """The step form on its own page; a step applied goes back to the case page."""
        case = self.get_queryset(request).filter(pk=pk).first()
        if case is None:
            raise Http404
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        if request.method == "POST":
            form, done = self.apply_workflow(request, case)
            if done:
                return redirect(self.admin_url("change", case.pk))
            # Nothing was saved: show the case as it is stored, with what was typed.
            case = self.get_queryset(request).get(pk=pk)
        else:
            form = self.workflow_form_for(case)
        self.show_to(request, [case])
        audit.record_access(
            user=request.user,
            case=case,
            what=audit.WORKFLOW,
            identity=self.identity_shown(request, case),
        )
        context = {
            **self.admin_site.each_context(request),
            "case": case,
            "form": form,
            "opts": self.model._meta,
            "change_url": self.admin_url("change", pk),
            "title": _("Proses %(number)s") % {"number": case.number},
            "help_template": self.kind_template("workflow_help.html"),
            **self.workflow_context(request, case),
        }
        return TemplateResponse(request, self.kind_template("workflow.html"), context)
