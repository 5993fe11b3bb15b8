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
        help_text=_(
            "16 huruf dan angka dari tanda terima, mis. K7QW-2XPM-9ZHC-4RTA. Huruf besar atau "
            "kecil, dengan atau tanpa spasi dan tanda hubung."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXX-XXXX-XXXX-XXXX",
            }
        ),
    )

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()
