"""The tracking form: a receipt number and its access code."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Nomor tanda terima"),
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "MUBA-2025-00042", "autocomplete": "off"}),
    )
    code = forms.CharField(
        label=_("Kode akses"),
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()
