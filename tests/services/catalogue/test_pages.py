"""services.catalogue.pages and services.catalogue.search: the catalogue's reads across models, on
the four decrees loaded."""

import pytest
import time_machine
from django.utils import timezone

from services.catalogue.flows import layout
from services.catalogue.pages import (
    agencies_with_counts,
    component_sections,
    procedure_sections,
    service_page,
)
from services.catalogue.search import search_service_ids, search_services
from services.models import Agency, ServiceStandard
from services.requests.selectors import popular_services
from tests.factories import make_request, publish

# Cases and pages made "now" read a fixed working morning, never the day the suite runs.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]

# docs/domain.md's table of the fourteen components, in the order they are shown.
DELIVERY = ["requirements", "procedure", "timeframe", "fee", "product", "complaints"]
MANAGEMENT = [
    "legal_basis",
    "facilities",
    "competence",
    "supervision",
    "staff_count",
    "service_guarantee",
    "security_guarantee",
    "evaluation",
]
STRUCTURED = {"requirements", "procedure", "timeframe", "fee", "legal_basis", "staff_count"}


def pasuruan_konsultasi():
    return service_page("pasuruan", "konsultasi", now=timezone.now()).standard


def test_component_sections_number_the_fourteen_components_in_two_groups():
    sections = component_sections(pasuruan_konsultasi())
    assert [c.key for c in sections["delivery"]] == DELIVERY
    assert [c.key for c in sections["management"]] == MANAGEMENT
    assert [c.number for c in sections["delivery"]] == list(range(1, 7))
    assert [c.number for c in sections["management"]] == list(range(1, 9))


def test_structured_components_have_no_text_groups():
    sections = component_sections(pasuruan_konsultasi())
    every = sections["delivery"] + sections["management"]
    assert {c.key for c in every if not c.groups} >= STRUCTURED


def test_text_items_are_grouped_under_their_headings():
    sections = component_sections(pasuruan_konsultasi())
    competence = next(c for c in sections["management"] if c.key == "competence")
    # Pasuruan groups the competences by role: six roles, three items each.
    assert competence.groups[0].heading == "Kepala Dinas Koperasi UKM"
    assert [len(g.items) for g in competence.groups] == [3] * 6
    facilities = next(c for c in sections["management"] if c.key == "facilities")
    assert [(g.heading, len(g.items)) for g in facilities.groups] == [("", 4)]


def test_a_text_component_left_empty_has_no_groups():
    standard = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    standard.items.filter(component="evaluation").delete()
    publish(standard)
    sections = component_sections(pasuruan_konsultasi())
    evaluation = next(c for c in sections["management"] if c.key == "evaluation")
    assert evaluation.groups == []


def test_procedure_sections_draw_each_group_from_its_flowchart():
    standard = pasuruan_konsultasi()
    sections = procedure_sections(standard)
    groups = list(standard.procedure_groups.all())
    assert [s.heading for s in sections] == [g.heading for g in groups]
    for section, group in zip(sections, groups, strict=True):
        steps = [s.text for s in group.steps.all()]
        assert [s.text for s in section.steps] == steps
        assert section.chart == layout(group.flow, steps)
    # The counter visit branches: "if it cannot be settled" goes on to the sub-coordinator.
    assert any(b[2] == "Jika tidak dapat diselesaikan" for b in sections[0].chart.branches)


def found(**filters):
    return [(s.agency.slug, s.slug) for s in search_services(**filters)]


# (filters, services found: a set when any order will do, a list when the order matters)
SEARCHES = [
    # every word must occur; "kantor cabang" is in five services' names
    ({"q": "kantor cabang"}, {
        ("musi-banyuasin", "pertimbangan-teknis-kantor-cabang"),
        ("pasuruan", "pembukaan-kantor-cabang-ksp-usp"),
        ("kalimantan-barat", "pertimbangan-teknis-kantor-cabang"),
        ("kalimantan-barat", "pertimbangan-teknis-kantor-cabang-pembantu"),
        ("kalimantan-barat", "pertimbangan-teknis-kantor-kas"),
    }),
    # "halal" only in the text of Palembang's PUMK service
    ({"q": "halal"}, [("palembang", "pemberdayaan-usaha-mikro-kecil")]),
    # one agency, with a search word
    ({"q": "konsultasi", "agency": "pasuruan"}, [("pasuruan", "konsultasi")]),
    # nothing matches
    ({"q": "zzzxq"}, []),
]  # fmt: skip


@pytest.mark.parametrize(("filters", "expected"), SEARCHES)
def test_search_services(filters, expected):
    result = found(**filters)
    assert (set(result) if isinstance(expected, set) else result) == expected


# (filters, number of services found among the 29)
FILTERED = [
    ({}, 29),  # no filter: the whole catalogue
    ({"q": "a b"}, 29),  # only single letters: nothing to match on, every service
    ({"agency": "palembang"}, 2),  # one agency
    ({"fee": "gratis"}, 29),  # every decree's services are free
    ({"fee": "berbayar"}, 0),
    ({"time": "hari-ini"}, 7),  # up to one working day: 15 min (2), 1 h (2), 1 day (3)
    ({"time": "sepekan"}, 22),  # more than a day, up to five
    ({"time": "lebih"}, 0),  # more than five working days
    ({"time": "tanpa"}, 0),  # every service sets some deadline
    ({"time": "kapan-kapan"}, 29),  # an unknown bucket filters nothing
]


@pytest.mark.parametrize(("filters", "count"), FILTERED)
def test_search_filters(filters, count):
    assert search_services(**filters).count() == count


def test_a_match_in_the_name_ranks_first():
    result = list(search_services(q="data"))
    in_name = [s for s in result if "data" in s.name.lower()]
    # Four services say "data" in their name; more only in their text, listed after them.
    assert len(in_name) == 4 and len(result) > 4
    assert result[: len(in_name)] == in_name


def test_agencies_with_counts_by_name():
    rows = [(a.slug, a.service_count) for a in agencies_with_counts()]
    assert sorted(count for _, count in rows) == [2, 9, 9, 9]
    assert [a.name for a in agencies_with_counts()] == sorted(
        Agency.objects.values_list("name", flat=True)
    )


@time_machine.travel("2025-03-03T09:00:00+07:00", tick=False)
def test_a_new_portal_has_no_most_requested_services():
    assert popular_services(now=timezone.now()) == []


@time_machine.travel("2025-03-03T09:00:00+07:00", tick=False)
def test_ties_with_the_first_requests_go_to_the_quickest_services():
    konsultasi = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    make_request(konsultasi)
    chosen = popular_services(now=timezone.now())
    assert chosen[0] == konsultasi
    minutes = [s.max_working_minutes for s in chosen[1:]]
    assert minutes == sorted(minutes, key=lambda m: (m is None, m or 0)) and len(chosen) == 6


@time_machine.travel("2025-03-03T09:00:00+07:00", tick=False)
def test_the_most_requested_service_comes_first():
    sosialisasi = ServiceStandard.objects.get(agency__slug="pasuruan", slug="sosialisasi")
    make_request(sosialisasi)
    make_request(sosialisasi)
    chosen = popular_services(now=timezone.now())
    assert chosen[0] == sosialisasi and len(chosen) == 6


@pytest.mark.parametrize(
    "filters",
    [
        {"q": "kantor cabang"},
        {"q": "koperasi", "fee": "gratis"},
        {"q": "konsultasi", "agency": "pasuruan"},
        {"q": "data informasi", "time": "sepekan"},
        {"q": "badan hukum", "agency": "musi-banyuasin", "time": "tanpa"},
        {"q": "x"},
        {},
    ],
)
def test_search_ids_are_the_search_in_its_order(filters):
    expected = list(search_services(**filters).values_list("pk", flat=True))
    assert search_service_ids(**filters) == expected
    # The compiled query of the same filters is reused with other words and another agency.
    other = dict(filters, q="halal") if filters.get("q") else filters
    if "agency" in other:
        other["agency"] = "kalimantan-barat"
    assert search_service_ids(**other) == list(
        search_services(**other).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("q", ["kantor cabang", "koperasi", "halal"])
def test_single_letters_are_left_out_of_a_search_on_every_database(q):
    """A one-letter word matches nothing and narrows nothing (on PostgreSQL it would otherwise
    make the full-text query ask for that letter too)."""
    expected = search_service_ids(q=q)
    assert expected
    assert search_service_ids(q=f"{q} x a 7") == expected
    assert list(search_services(q=f"a {q} b").values_list("pk", flat=True)) == expected
    assert search_service_ids(q="x y") == search_service_ids()  # nothing to match on: all
