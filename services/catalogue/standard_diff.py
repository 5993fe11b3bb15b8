"""What changed between two versions of a standard, component by component.

Each of the fourteen components is written out as lines of text (requirements numbered, a
procedure's steps under their headings, the fee as amount and wording, ...) and the two
versions' lines are compared with difflib: a line is kept, removed or added. A component whose
lines are equal is reported unchanged. The service's name and unit come first when they
changed. Pure: snapshots in, a list of component differences out.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from services.catalogue.components import COMPONENTS, TEXT_COMPONENTS

SAME, REMOVED, ADDED = "same", "removed", "added"


@dataclass
class ComponentDiff:
    key: str
    label: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (SAME/REMOVED/ADDED, text)

    @property
    def changed(self) -> bool:
        return any(kind != SAME for kind, _ in self.lines)


def _items(items: list[dict]) -> list[str]:
    lines, heading = [], None
    for item in items:
        if item.get("heading") and item["heading"] != heading:
            lines.append(item["heading"])
        heading = item.get("heading")
        lines.append(f"• {item['text']}")
    return lines


def component_lines(snapshot: dict) -> dict[str, list[str]]:
    """The text of each component as the page shows it, one line per item."""
    requirements = [
        f"{i}. {r['text']}" + (" (bila berlaku)" if r.get("conditional") else "")
        for i, r in enumerate(snapshot.get("requirements", []), start=1)
    ]
    if snapshot.get("requirements_note"):
        requirements.append(f"Catatan: {snapshot['requirements_note']}")
    procedure: list[str] = []
    for group in snapshot.get("procedure", []):
        if group.get("heading"):
            procedure.append(group["heading"])
        for i, step in enumerate(group.get("steps", []), start=1):
            actor = f" ({step['actor']})" if step.get("actor") else ""
            procedure.append(f"{i}. {step['text']}{actor}")
    fee = snapshot.get("fee", {})
    staff = snapshot.get("staff_count", {})
    lines = {
        "requirements": requirements,
        "procedure": procedure,
        "timeframe": [snapshot.get("timeframe", "")],
        "fee": [f"Rp{fee.get('amount', 0)} — {fee.get('text', '')}"],
        "legal_basis": [
            f"{i}. {ref['text']}" for i, ref in enumerate(snapshot.get("legal_basis", []), 1)
        ],
        "staff_count": [
            line
            for line in (
                f"{staff['count']} orang" if staff.get("count") is not None else "",
                staff.get("text", ""),
            )
            if line
        ],
    }
    for key in TEXT_COMPONENTS:
        lines[key] = _items(snapshot.get(key, []))
    return lines


def _compare(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result += [(SAME, line) for line in old[i1:i2]]
            continue
        result += [(REMOVED, line) for line in old[i1:i2]]
        result += [(ADDED, line) for line in new[j1:j2]]
    return result


def diff_snapshots(old: dict | None, new: dict) -> list[ComponentDiff]:
    """The name/unit (when changed) and the fourteen components, in the regulation's order;
    with no `old` (the first version) every line is added."""
    old = old or {}
    before, after = component_lines(old) if old else {}, component_lines(new)
    result = []
    head_old = [v for v in (old.get("name"), old.get("unit")) if v]
    head_new = [v for v in (new.get("name"), new.get("unit")) if v]
    if old and head_old != head_new:
        result.append(
            ComponentDiff(
                "name", gettext_noop("Nama dan unit layanan"), _compare(head_old, head_new)
            )
        )
    for info in COMPONENTS:
        result.append(
            ComponentDiff(info.key, info.label, _compare(before.get(info.key, []), after[info.key]))
        )
    return result
