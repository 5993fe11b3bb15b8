"""Intake at the desk (the admin's add view): a case received at the counter, by phone, in the
box, ... is entered with the kind's `intake_form` (its fields, in its order) and submitted by
the kind's own action (`submit`), as a citizen's would be, with the real moment it was
received. The page then gives the number and the access code to hand to the citizen.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.utils import timezone
from django.utils.html import format_html

from portal.cases.admin.base import CaseAdminBase


class IntakeAdmin(CaseAdminBase):
    intake_form: type[forms.ModelForm]
    # What the desk is told once the case is entered: its number, then its access code.
    intake_message: str

    def submit(self, request, data: dict, **received) -> tuple[object, str]:
        """(case, access code): the kind's action applied to a valid intake form. `received`:
        the moment (`now`), the real receipt moment (`received_at`), the staff member
        (`actor`) and the language of the citizen's emails (`language`)."""
        raise NotImplementedError

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.intake_form
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": list(self.intake_form.base_fields)})]
        return super().get_fieldsets(request, obj)

    def save_model(self, request, obj, form, change):
        """A new case is submitted by the kind's action; a stored one is never saved here."""
        if change:
            return
        data = form.cleaned_data
        case, code = self.submit(
            request,
            data,
            now=timezone.now(),
            received_at=data["received_at"],
            actor=request.user,
            language=data.get("language") or "id",
        )
        obj.pk, obj.number = case.pk, case.number
        messages.success(request, format_html(self.intake_message, case.number, code))
