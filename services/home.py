"""The front page: the agencies, the most requested services and the search box. It reads the
catalogue and the requests, so it stands above both."""

from django.shortcuts import render
from django.utils import timezone

from portal.caching import public_page
from services.catalogue import pages as catalogue_pages
from services.catalogue.forms import ServiceSearchForm
from services.catalogue.models.agencies import Agency
from services.requests import selectors as request_selectors

HOME_AGENCIES = 12  # more are listed on /instansi/


@public_page(300)
def home(request):
    agencies = list(catalogue_pages.agencies_with_counts()[: HOME_AGENCIES + 1])
    total = Agency.objects.count() if len(agencies) > HOME_AGENCIES else len(agencies)
    return render(
        request,
        "services/home.html",
        {
            "agencies": agencies[:HOME_AGENCIES],
            "agency_total": total,
            "popular": catalogue_pages.show_published(
                request_selectors.popular_services(now=timezone.now()), now=timezone.now()
            ),
            "form": ServiceSearchForm(),
        },
    )
