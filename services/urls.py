from django.contrib.sitemaps.views import sitemap
from django.urls import path

from portal.caching import public_page
from portal.cases import views as case_views
from services import home
from services.catalogue import pdf_views, views
from services.catalogue.sitemaps import SITEMAPS
from services.performance import views as performance_views
from services.requests import views as request_views
from services.survey import views as survey_views

app_name = "services"

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "instansi/",
        public_page(300, reads=("page",))(views.AgencyListView.as_view()),
        name="agency_list",
    ),
    path("instansi/<slug:agency>/", views.agency_detail, name="agency_detail"),
    path(
        "instansi/<slug:agency>/hari-libur-dan-jam-layanan/",
        views.agency_calendar_page,
        name="agency_calendar",
    ),
    path(
        "instansi/<slug:agency>/kinerja/",
        performance_views.agency_performance,
        name="agency_performance",
    ),
    path("kinerja/", performance_views.portal_performance, name="portal_performance"),
    path("layanan/", views.service_list, name="service_list"),
    path("layanan/<slug:agency>/<slug:service>/", views.service_detail, name="service_detail"),
    path("layanan/<slug:agency>/<slug:service>.pdf", pdf_views.service_pdf, name="service_pdf"),
    path(
        "layanan/<slug:agency>/<slug:service>/versi/<int:number>/",
        views.service_detail,
        name="service_version",
    ),
    path(
        "layanan/<slug:agency>/<slug:service>/versi/<int:number>/perubahan/",
        views.version_changes,
        name="version_changes",
    ),
    path(
        "layanan/<slug:agency>/<slug:service>/versi/<int:number>.pdf",
        pdf_views.version_pdf,
        name="version_pdf",
    ),
    path(
        "instansi/<slug:agency>/standar-pelayanan.pdf",
        pdf_views.decree_pdf,
        name="decree_pdf",
    ),
    path(
        "instansi/<slug:agency>/keputusan/<int:decree>/standar-pelayanan.pdf",
        pdf_views.decree_pdf,
        name="past_decree_pdf",
    ),
    path(
        "permohonan/<str:number>/tanda-terima/",
        request_views.request_receipt,
        name="request_receipt",
    ),
    path(
        "permohonan/<slug:agency>/<slug:service>/",
        request_views.request_create,
        name="request_create",
    ),
    path(
        "permohonan/<str:number>/tanda-terima.pdf",
        case_views.receipt_pdf,
        name="request_receipt_pdf",
    ),
    path("lacak/<str:number>/survei/", survey_views.survey, name="survey"),
    path("lacak/<str:number>/produk/", request_views.track_product, name="track_product"),
    path(
        "lacak/<str:number>/dokumen/<int:pk>/",
        request_views.track_document,
        name="track_document",
    ),
    path("berkas/dokumen/<int:pk>/", request_views.staff_document, name="staff_document"),
    path("berkas/produk/<int:pk>/", request_views.staff_product, name="staff_product"),
    path(
        "sitemap.xml",
        public_page(300, reads=("p",))(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
]
