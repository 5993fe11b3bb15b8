"""scripts/benchmark_data.py: refuses unless asked, and writes rows the models accept."""

import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from complaints.models import Complaint
from scripts import benchmark_data
from services.catalogue import search as catalogue_search
from services.models import Agency, RequestStatus, ServiceRequest, ServiceStandard, SurveyResponse

pytestmark = pytest.mark.django_db


def generate(**options):
    out = StringIO()
    benchmark_data.generate(out, **options)
    return out.getvalue()


def test_refuses_without_yes():
    with pytest.raises(benchmark_data.Refused, match="--yes"):
        generate(agencies=1, requests=0, complaints=0)
    assert not Agency.objects.filter(code__startswith="B").exists()


def test_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(benchmark_data.Refused, match="produksi"):
        generate(agencies=1, requests=0, complaints=0, yes=True)


def test_small_dataset_is_valid_and_searchable():
    agencies_before = Agency.objects.count()
    out = generate(
        agencies=4,
        services_per_agency=12,
        requests=400,
        complaints=100,
        surveys=60,
        seed=7,
        yes=True,
    )
    assert "permohonan" in out and "Selesai" in out
    new = Agency.objects.exclude(slug__in=["musi-banyuasin", "palembang", "pasuruan"]).filter(
        code__startswith="B"
    )
    assert Agency.objects.count() == agencies_before + 4 == agencies_before + new.count()
    for agency in new:
        agency.full_clean()
        assert re.fullmatch(r"B[A-Z]{1,7}", agency.code)
        assert agency.services.count() == 12
        assert agency.decrees.count() == 1
        assert agency.complaint_tiers.count() == 4
    standard = ServiceStandard.objects.filter(agency__in=new).first()
    assert standard.name in standard.search_document
    assert standard.agency.name in standard.search_document
    assert standard.requirements.exists() and standard.timeframe_stages.exists()

    requests = ServiceRequest.objects.filter(agency__in=new)
    assert requests.count() == 400
    assert Complaint.objects.filter(agency__in=new).count() == 100
    for case in list(requests[:50]) + list(Complaint.objects.filter(agency__in=new)[:20]):
        case.full_clean(exclude=["product"])
    done = requests.filter(status=RequestStatus.DONE)
    assert done.exists() and not done.filter(working_seconds_taken__isnull=True).exists()
    surveys = SurveyResponse.objects.filter(agency__in=new)
    assert surveys.count() == 60
    for response in surveys[:20]:
        response.full_clean()
        assert response.standard.agency_id == response.agency_id
    # The day counts were filled with the rows (COPY bypasses the models): as a rebuild.
    from complaints.models import ComplaintDayCount
    from portal.cases.daycounts import rebuild_all
    from services.models import RequestDayCount

    def counts():
        return (
            sorted(
                RequestDayCount.objects.values_list(
                    "agency", "standard", "day", "received", "completed", "with_limit", "on_time"
                )
            ),
            sorted(
                ComplaintDayCount.objects.values_list(
                    "agency",
                    "tier",
                    "day",
                    "received",
                    "answered",
                    "on_time",
                    "triaged",
                    "triaged_on_time",
                )
            ),
        )

    filled = counts()
    assert sum(r[3] for r in filled[0] if r[0] in {a.pk for a in new}) == 400
    rebuild_all()
    assert counts() == filled
    triaged = Complaint.objects.filter(agency__in=new).exclude(status="diterima")
    assert not triaged.filter(triaged_at__isnull=True).exists()
    assert not Complaint.objects.filter(agency__in=new, triage_due_at__isnull=True).exists()
    returned = requests.filter(status=RequestStatus.RETURNED)
    assert not returned.filter(paused_at__isnull=True).exists()
    numbers = list(requests.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)

    # Ids continue after the generated rows: the ORM can still create rows.
    ServiceRequest.objects.filter(pk=requests.first().pk).update(message="x")
    found = list(catalogue_search.search_services(q="kantor cabang")[:100])
    assert any(s.agency_id in {a.pk for a in new} for s in found)

    # A second run adds agencies with codes of their own.
    generate(agencies=2, services_per_agency=1, requests=10, complaints=0, surveys=0, yes=True)
    codes = list(Agency.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == agencies_before + 6


def test_runs_as_a_script_of_its_own_and_refuses_without_yes():
    """Not a command of the portal: run from a checkout, it sets Django up itself."""
    script = Path(benchmark_data.__file__)
    done = subprocess.run(
        [sys.executable, str(script), "--agencies", "1"],
        capture_output=True,
        text=True,
        cwd=script.parents[1],
        timeout=120,
    )
    assert done.returncode == 1
    assert "ulangi dengan --yes" in done.stderr
