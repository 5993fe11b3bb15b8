"""Giving many cases of one agency to one staff member at once (the queue's bulk action).

All or nothing, in the transaction of the kind's action: the cases are locked, every one must
belong to an agency the assignee works for, and each case whose assignee changes gets its
internal history line (`record_assignment`). Closed cases and those already with the assignee
are left as they are.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.admin_scoping import may_work_for
from portal.cases.records import record_assignment


def cases_assign(
    *, queryset, event_model, case_field: str, open_statuses, assignee, actor, now
) -> int:
    """Assign the cases of `queryset` to `assignee`; returns how many changed hands."""
    cases = list(queryset.select_for_update(of=("self",)).select_related("assignee").order_by("pk"))
    if assignee is None or not assignee.is_active:
        raise ValidationError({"assignee": _("Pilih petugas yang aktif.")})
    if any(not may_work_for(assignee, case.agency_id) for case in cases):
        raise ValidationError({"assignee": _("Petugas harus dari instansi yang sama.")})
    changed = 0
    for case in cases:
        if case.status not in open_statuses or case.assignee_id == assignee.pk:
            continue
        record_assignment(
            event_model, case=case, assignee=assignee, actor=actor, now=now, **{case_field: case}
        )
        case.save(update_fields=["assignee", "updated_at"])
        changed += 1
    return changed
