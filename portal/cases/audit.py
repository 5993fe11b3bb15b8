"""The log of staff looking at citizens' personal data (UU 27/2022).

`record_access(user=, case=, what=)` writes one append-only row of
`portal.models.PersonalDataAccess`: who, when, which case, and what was seen (the case page with
the identity, or a document downloaded). The admin case page and the staff download views call
it; rows are read in the admin by those with `portal.view_personaldataaccess`.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from portal.models import PersonalDataAccess

CASE_PAGE = PersonalDataAccess.What.CASE_PAGE
DOCUMENT = PersonalDataAccess.What.DOCUMENT


def record_access(*, user, case, what: str, detail: str = "", now=None) -> PersonalDataAccess:
    """Log that `user` saw `case`'s personal data (`what`: CASE_PAGE or DOCUMENT)."""
    return PersonalDataAccess.objects.create(
        at=now or timezone.now(),
        user=user,
        case_type=ContentType.objects.get_for_model(case),
        case_id=case.pk,
        case_number=case.number,
        agency_id=case.agency_id,
        what=what,
        detail=detail[:200],
    )
