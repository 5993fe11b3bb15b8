"""The staff admin of cases: one engine for every case kind (service requests, complaints).

`CaseAdmin` is composed of its pages, each a module of this package reading only what the
kind declares and gives (`base`):

- the queue (`queue`: the list, its columns and lookups, bulk assignment; `filters`: the
  time windows and who has the case; `export`: the list as CSV or XLSX);
- the staff's home, "Hari ini" (`dashboard_page`);
- intake at the desk (`intake`);
- the case page (`case_page`) and the workflow page (`workflow_page`), where a case changes
  only by one step of its workflow, applied by the kind's one action.

A kind subclasses `CaseAdmin` and its forms (`forms`), and declares only what differs: its
fields, statuses, transitions, labels and actions. Moments and working time are written by
`display`. The apps register their kinds; nothing here imports an app.
"""

from portal.cases.admin.case_page import CasePageAdmin
from portal.cases.admin.dashboard_page import DashboardAdmin, staff_dashboard
from portal.cases.admin.export import ExportAdmin
from portal.cases.admin.intake import IntakeAdmin
from portal.cases.admin.queue import QueueAdmin


class CaseAdmin(QueueAdmin, ExportAdmin, DashboardAdmin, IntakeAdmin, CasePageAdmin):
    """The admin of one case kind: its queue, exports and dashboard table, intake at the desk,
    the case page and the workflow page."""


__all__ = ["CaseAdmin", "staff_dashboard"]
