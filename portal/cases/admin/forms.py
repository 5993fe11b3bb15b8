"""The forms of the case admins: a case entered at the desk, one workflow step, bulk assignment.

A kind's forms subclass these and add only their own fields and words; each form is handed
whole to one action of the kind, whose refusal (`ValidationError`) is put back on the form's
fields (`attach_errors`).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.cases import language as case_language
from portal.cases.admin.base import person_name


class IntakeForm(forms.ModelForm):
    """A case received at the desk (its kind's `Meta`), with the real moment it was received,
    which cannot be in the future, and the language of the citizen's emails. The kind's
    `Meta.help_texts` say, as for its model's fields, how it receives its cases
    (`received_at`) and which emails the language is for (`language`)."""

    received_at = forms.SplitDateTimeField(
        label=_("Diterima pada"), widget=admin.widgets.AdminSplitDateTime
    )
    language = case_language.counter_field(help_text="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("received_at", "language"):
            self.fields[name].help_text = (self._meta.help_texts or {}).get(name, "")

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now():
            raise ValidationError(_("Waktu diterima tidak boleh di masa depan."))
        return value


class CaseWorkflowForm(forms.Form):
    """One step of a case's workflow: the next status (among those `next_statuses` offers), a
    note for the staff or the citizen, the staff member who has the case, and the kind's own
    fields; applied whole by the kind's one action, or not at all."""

    to_status = forms.ChoiceField(label=_("Status berikutnya"), required=False)
    note = forms.CharField(
        label=_("Catatan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Wajib untuk setiap perubahan status."),
    )
    public = forms.BooleanField(required=False, initial=False)
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=None, required=False)

    # The kind's words for showing a note to its citizen, and the note's height.
    public_label: str
    public_help: str
    note_rows = 3

    def __init__(self, *args, case, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [("", "—"), *self.next_statuses(case)]
        self.fields["note"].widget.attrs["rows"] = self.note_rows
        self.fields["public"].label = self.public_label
        self.fields["public"].help_text = self.public_help
        self.fields["assignee"].queryset = users
        for name, value in self.initial_from(case).items():
            self.fields[name].initial = value

    def next_statuses(self, case) -> list[tuple[str, str]]:
        """(status, label) of each step staff may choose for `case` now."""
        raise NotImplementedError

    def initial_from(self, case) -> dict:
        """The fields shown filled in with what the case holds."""
        return {"assignee": case.assignee_id}


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Petugas"),
        queryset=None,
        help_text=_("Hanya petugas instansi yang sama dengan perkara yang dipilih."),
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users.order_by("username")
        self.fields["assignee"].label_from_instance = person_name


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Put an action's errors on the form's fields where it has them, the rest on top."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        for message in ValidationError(errors).messages:
            form.add_error(target, message)
