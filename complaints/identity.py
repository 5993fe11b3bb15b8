"""Who may see a complainant's identity.

A complainant who asked for confidentiality is shown as "Dirahasiakan" to everyone but the
agency's complaint officers (permission complaints.view_confidential_identity), everywhere:
lists, detail pages, exports and emails to staff. Every function here takes the viewer (a user,
or None for a message whose readers are not known) explicitly; `WITHHELD` is what is shown of a
complaint when no viewer was given.
"""

from dataclasses import dataclass

HIDDEN = "Dirahasiakan"
IDENTITY_FIELDS = ("complainant_name", "phone", "email", "address")
PERMISSION = "complaints.view_confidential_identity"


@dataclass(frozen=True)
class ShownIdentity:
    """What one viewer is shown of one complainant (`visible`: the real identity)."""

    visible: bool
    complainant_name: str = HIDDEN
    phone: str = HIDDEN
    email: str = HIDDEN
    address: str = HIDDEN


WITHHELD = ShownIdentity(visible=False)


def may_see_identity(user, complaint) -> bool:
    return not complaint.confidential or (user is not None and user.has_perm(PERMISSION))


def identity_of(user, complaint) -> dict[str, str]:
    if may_see_identity(user, complaint):
        return {field: getattr(complaint, field) for field in IDENTITY_FIELDS}
    return {field: HIDDEN for field in IDENTITY_FIELDS}


def shown_identity(user, complaint) -> ShownIdentity:
    if may_see_identity(user, complaint):
        return ShownIdentity(visible=True, **identity_of(user, complaint))
    return WITHHELD


def evidence_name(item) -> str:
    """The neutral name of an evidence file: the complaint's number and the file's type."""
    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
    return f"bukti-{item.complaint.number}-{item.pk}{suffix.get(item.content_type, '')}"
