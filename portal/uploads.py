"""Checking and storing citizens' uploads (requests' documents, complaints' evidence).

A file is accepted only when its *content* is one of the allowed types (PDF, JPEG, PNG: the
first bytes are checked, the name and the browser's claimed type are not trusted), it is not
empty and not larger than the configured limit. Accepted files are stored outside `static/`
under a random name, so a name chosen by the uploader never becomes a path; the original name
is kept, cleaned, for display only.

The largest legal submission is the form with the most upload fields (each app registers how
many its largest form has: `register_upload_count`) with every file at the limit, plus
Django's limit on the rest of the form (DATA_UPLOAD_MAX_MEMORY_SIZE) and the multipart headers
of each file. A body above it is refused before it is read (portal.middleware); while a body is
read, a file that grows past the limit stops being stored (`LimitedUploadHandler`), so a 50 MB
file is never written to disk to be refused afterwards.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.caching import catalogue_version

logger = logging.getLogger(__name__)

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


# A file part's own headers (boundary, Content-Disposition with field and file name of up to a
# few hundred characters, Content-Type): generously above what a browser sends.
PART_OVERHEAD = 1024

_upload_counts: list[Callable[[], int]] = []
_count_seen: tuple[int, int] | None = None  # (catalogue version, count)


def register_upload_count(count: Callable[[], int]) -> None:
    """Register how many files the largest form of an app takes (read per catalogue version)."""
    global _count_seen
    _upload_counts.append(count)
    _count_seen = None


def most_files_per_submission() -> int:
    """The most files one legal submission carries (at least 1: the staff's product upload)."""
    global _count_seen
    version = catalogue_version()
    if _count_seen is None or _count_seen[0] != version:
        _count_seen = (version, max([1, *(count() for count in _upload_counts)]))
    return _count_seen[1]


def max_submission_bytes() -> int:
    """The size of the largest legal request body: every upload field at the limit."""
    files = most_files_per_submission()
    return files * (max_upload_bytes() + PART_OVERHEAD) + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def smallest_limit() -> int:
    """max_submission_bytes() is never below this (every form may carry one file)."""
    return max_upload_bytes() + PART_OVERHEAD + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def megabytes(size: int) -> str:
    """A size in MB as Indonesians write it: "5", "92,6"."""
    return f"{size / 1_048_576:.1f}".removesuffix(".0").replace(".", ",")


class OversizedUpload(UploadedFile):
    """A file that grew past the limit while it was read: its size, none of its bytes."""

    def __init__(self, name, content_type, size, charset=None):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts each file's bytes; past the limit the rest of the
    file is read from the client but no longer stored, and the form gets an OversizedUpload
    that check_upload refuses by its size."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            return None  # the next handlers (memory, temporary file) get nothing more
        return raw_data

    def file_complete(self, file_size):
        if self.received > max_upload_bytes():
            return OversizedUpload(self.file_name, self.content_type, self.received, self.charset)
        return None


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
                "limit": megabytes(limit),
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


STORAGE_MESSAGE = gettext_lazy(
    "Formulir belum dapat disimpan karena tempat penyimpanan berkas portal sedang terganggu; "
    "belum ada yang tersimpan. Silakan kirim lagi beberapa saat lagi. Isian Anda tetap ada di "
    "formulir ini, tetapi berkas perlu dipilih lagi."
)


class StorageUnavailable(ValidationError):
    """The private storage refused a file (a full disk, a folder that can't be written).

    A ValidationError, so the forms that submit a case show it like any refusal (with what
    the citizen typed) and the action's transaction, which it leaves, writes nothing."""

    def __init__(self):
        super().__init__(STORAGE_MESSAGE, code="storage")


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private, never given a public URL; a failure to write one is a
    StorageUnavailable (logged with its cause), not a 500."""

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError as exc:
            logger.exception("private storage: could not write %s", name)
            raise StorageUnavailable() from exc

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
