"""The public forms' shared pieces: the tracking form (a receipt number and its access code)
and the file field every public form uploads with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.uploads import check_upload


class UploadField(forms.FileField):
    """A file checked by what it contains (portal.uploads.check_upload: PDF, JPEG or PNG within
    the size limit), its error the field's own."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:  # None when nothing was sent, False when a held file is cleared
            check_upload(upload)
        return upload


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
