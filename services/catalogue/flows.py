"""Laying out a decree's flowchart as a sequence of boxes for HTML/CSS (and PDF) drawing.

A flow is nodes and edges. Boxes are drawn in the order of the nodes; an edge from a box to the
one drawn right after it becomes the arrow between them (with its label); every other edge (a
branch, a return for correction, a jump ahead) is listed under the chart as "from → to". A
procedure group without a flowchart is drawn from its steps, one box each, in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Box:
    id: str
    text: str
    shape: str = "box"
    arrow: bool = False  # an arrow leads to the next box
    arrow_label: str = ""


@dataclass
class Chart:
    boxes: list[Box]
    branches: list[tuple[str, str, str, bool]] = field(default_factory=list)
    # (from text, to text, label, dashed)


def layout(flow: dict | None, steps: list[str]) -> Chart:
    nodes = (flow or {}).get("nodes") or []
    if not nodes:
        boxes = [Box(str(i), text, arrow=i < len(steps)) for i, text in enumerate(steps, 1)]
        return Chart(boxes)
    boxes = [Box(str(n["id"]), n["text"], n.get("shape") or "box") for n in nodes]
    index = {b.id: i for i, b in enumerate(boxes)}
    chart = Chart(boxes)
    for edge in (flow or {}).get("edges") or []:
        src, dst = str(edge["from"]), str(edge["to"])
        label = edge.get("label") or ""
        dashed = bool(edge.get("dashed"))
        i, j = index.get(src), index.get(dst)
        if i is None or j is None:
            continue
        if j == i + 1 and not dashed and not boxes[i].arrow:
            boxes[i].arrow = True
            boxes[i].arrow_label = label
        else:
            chart.branches.append((boxes[i].text, boxes[j].text, label, dashed))
    return chart
