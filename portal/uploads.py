"""Checking and storing citizens' uploads (requests' documents, complaints' evidence).

A file is accepted only when its *content* is one of the allowed types (PDF, JPEG, PNG: the
first bytes are checked, the name and the browser's claimed type are not trusted), it is not
empty and not larger than the configured limit. Accepted files are stored outside `static/`
under a random name, so a name chosen by the uploader never becomes a path; the original name
is kept, cleaned, for display only.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

SIGNATURES: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}
TYPE_NAMES = "PDF, JPEG atau PNG"


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    size: int
    sha256: str
    original_name: str


def max_upload_bytes() -> int:
    return settings.PORTAL_UPLOAD_MAX_BYTES


ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def upload_attrs() -> dict:
    """A file input's attributes for static/js/upload-check.js, which refuses a file over the
    limit or of another type in the browser before it is sent (the server still checks)."""
    limit = max_upload_bytes()
    return {
        "accept": ACCEPT,
        "data-max-bytes": str(limit),
        "data-too-large": _("Berkas {name} berukuran {size} MB; batasnya %(limit)s MB.")
        % {"limit": f"{limit / 1_048_576:g}".replace(".", ",")},
        "data-bad-type": _("Berkas {name} bukan %(types)s.") % {"types": _("PDF, JPEG atau PNG")},
    }


def clean_name(name: str) -> str:
    """A display name with no path, no control characters, at most 120 characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip(" .")
    return (name or "berkas")[:120]


def sniff(head: bytes) -> str | None:
    for extension, (magic, _type) in SIGNATURES.items():
        if head.startswith(magic):
            return extension
    return None


def check_upload(upload) -> CheckedFile:
    """Validate an UploadedFile; raise ValidationError with a message in Indonesian."""
    limit = max_upload_bytes()
    name = clean_name(upload.name or "")
    if upload.size == 0:
        raise ValidationError(_("Berkas %(name)s kosong."), params={"name": name}, code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("Berkas %(name)s berukuran %(size)s MB; batasnya %(limit)s MB."),
            params={
                "name": name,
                "size": f"{upload.size / 1_048_576:.1f}".replace(".", ","),
                "limit": f"{limit / 1_048_576:g}".replace(".", ","),
            },
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    extension = sniff(head)
    if extension is None:
        raise ValidationError(
            _("Berkas %(name)s bukan %(types)s (isi berkas diperiksa, bukan namanya)."),
            params={"name": name, "types": _("PDF, JPEG atau PNG")},
            code="bad_type",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        extension=extension,
        content_type=SIGNATURES[extension][1],
        size=upload.size,
        sha256=digest.hexdigest(),
        original_name=name,
    )


def random_name(prefix: str, extension: str) -> str:
    return f"{prefix}/{secrets.token_hex(16)}.{extension}"


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private, never given a public URL."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return str(settings.MEDIA_ROOT / "private")

    @property
    def location(self):
        return self.base_location

    def url(self, name):
        raise ValueError("Private files are served only through views that check access.")


private_storage = PrivateStorage()


def discard_stored(rows) -> None:
    """Delete the files of rows whose transaction failed (rows with a FileField `file`)."""
    for row in rows:
        row.file.storage.delete(row.file.name)
