"""Holidays as the installed `holidays` package has them.

The portal depends on `holidays>=0.109`, unpinned: each release brings the government's new
cuti bersama, and a release may also reword a name (a spelling reform, "Idul Fitri" as
"Idulfitri"). So tests state the decrees' facts, the dates and whether a day is a public
holiday or cuti bersama (the package's "government" category), and read a holiday's name
from the package when they check where it is shown.
"""

from datetime import date

import holidays

from portal.worktime import indonesian_holidays


def name(day: date) -> str:
    """The Indonesian name the portal shows for this national holiday or cuti bersama."""
    return indonesian_holidays([day.year])[day]


def category(day: date) -> str | None:
    """ "public" (a public holiday), "government" (cuti bersama) or None (neither)."""
    for kind in ("public", "government"):
        if day in holidays.country_holidays("ID", years=[day.year], categories=(kind,)):
            return kind
    return None
