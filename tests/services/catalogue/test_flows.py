"""services.catalogue.flows.layout: a decree's flowchart as boxes in order, arrows and listed
branches."""

from __future__ import annotations

import pytest

from services.catalogue.flows import Box, Chart, layout


def node(id, text, shape=None):
    return {"id": id, "text": text, **({"shape": shape} if shape is not None else {})}


def edge(src, dst, label=None, dashed=None):
    result = {"from": src, "to": dst}
    if label is not None:
        result["label"] = label
    if dashed is not None:
        result["dashed"] = dashed
    return result


ABC = [node("A", "Datang"), node("B", "Verifikasi"), node("C", "Selesai")]

# (flow, steps, expected boxes as (id, text, shape, arrow, arrow label), expected branches)
CASES = [
    # no flowchart: one box per step, in order, an arrow after every box but the last
    (None, ["Datang", "Konsultasi", "Pulang"],
     [("1", "Datang", "box", True, ""), ("2", "Konsultasi", "box", True, ""),
      ("3", "Pulang", "box", False, "")], []),
    # no flowchart and no steps: nothing to draw
    (None, [], [], []),
    # a flow without nodes is no flowchart: drawn from the steps
    ({"nodes": [], "edges": []}, ["Datang"], [("1", "Datang", "box", False, "")], []),
    # nodes given: the steps are not drawn; no edges means no arrows
    ({"nodes": ABC}, ["Langkah lain"],
     [("A", "Datang", "box", False, ""), ("B", "Verifikasi", "box", False, ""),
      ("C", "Selesai", "box", False, "")], []),
    # a straight line A -> B -> C: two arrows, nothing listed under the chart
    ({"nodes": ABC, "edges": [edge("A", "B"), edge("B", "C")]}, [],
     [("A", "Datang", "box", True, ""), ("B", "Verifikasi", "box", True, ""),
      ("C", "Selesai", "box", False, "")], []),
    # an arrow to the next box keeps its label
    ({"nodes": ABC, "edges": [edge("A", "B", label="Lengkap")]}, [],
     [("A", "Datang", "box", True, "Lengkap"), ("B", "Verifikasi", "box", False, ""),
      ("C", "Selesai", "box", False, "")], []),
    # a dashed return for correction is listed as a branch, from text to text
    ({"nodes": ABC, "edges": [edge("A", "B"), edge("B", "A", "Perbaikan", dashed=True)]}, [],
     [("A", "Datang", "box", True, ""), ("B", "Verifikasi", "box", False, ""),
      ("C", "Selesai", "box", False, "")],
     [("Verifikasi", "Datang", "Perbaikan", True)]),
    # a dashed edge to the next box is still a branch, not the arrow
    ({"nodes": ABC, "edges": [edge("A", "B", dashed=True)]}, [],
     [("A", "Datang", "box", False, ""), ("B", "Verifikasi", "box", False, ""),
      ("C", "Selesai", "box", False, "")],
     [("Datang", "Verifikasi", "", True)]),
    # a jump ahead (A -> C) is a branch
    ({"nodes": ABC, "edges": [edge("A", "C", "Ditolak")]}, [],
     [("A", "Datang", "box", False, ""), ("B", "Verifikasi", "box", False, ""),
      ("C", "Selesai", "box", False, "")],
     [("Datang", "Selesai", "Ditolak", False)]),
    # a second edge to the next box: the first is the arrow, the second a branch
    ({"nodes": ABC, "edges": [edge("A", "B", "Ya"), edge("A", "B", "Tidak")]}, [],
     [("A", "Datang", "box", True, "Ya"), ("B", "Verifikasi", "box", False, ""),
      ("C", "Selesai", "box", False, "")],
     [("Datang", "Verifikasi", "Tidak", False)]),
    # an edge to or from a box that does not exist is left out
    ({"nodes": ABC, "edges": [edge("A", "Z"), edge("Y", "B"), edge("B", "C")]}, [],
     [("A", "Datang", "box", False, ""), ("B", "Verifikasi", "box", True, ""),
      ("C", "Selesai", "box", False, "")], []),
    # shapes are kept; a missing or empty shape is a box
    ({"nodes": [node("A", "Mulai", "terminal"), node("B", "Lengkap?", "decision"),
                node("C", "Proses", "")], "edges": []}, [],
     [("A", "Mulai", "terminal", False, ""), ("B", "Lengkap?", "decision", False, ""),
      ("C", "Proses", "box", False, "")], []),
    # numeric ids (as YAML reads them) are matched as text
    ({"nodes": [node(1, "Datang"), node(2, "Pulang")], "edges": [edge(1, 2)]}, [],
     [("1", "Datang", "box", True, ""), ("2", "Pulang", "box", False, "")], []),
]  # fmt: skip


@pytest.mark.parametrize(("flow", "steps", "boxes", "branches"), CASES)
def test_layout(flow, steps, boxes, branches):
    expected = Chart(
        [Box(id, text, shape, arrow, label) for id, text, shape, arrow, label in boxes],
        branches,
    )
    assert layout(flow, steps) == expected


def test_layout_does_not_change_the_flow_it_reads():
    flow = {"nodes": ABC, "edges": [edge("A", "B"), edge("B", "A", dashed=True)]}
    before = repr(flow)
    layout(flow, [])
    assert repr(flow) == before
