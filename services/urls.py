from django.urls import path

from services import pdf_views, views

app_name = "services"

urlpatterns = [
    path("", views.home, name="home"),
    path("instansi/", views.AgencyListView.as_view(), name="agency_list"),
    path("instansi/<slug:agency>/", views.agency_detail, name="agency_detail"),
    path(
        "instansi/<slug:agency>/hari-libur-dan-jam-layanan/",
        views.agency_calendar_page,
        name="agency_calendar",
    ),
    path("layanan/", views.service_list, name="service_list"),
    path("layanan/<slug:agency>/<slug:service>/", views.service_detail, name="service_detail"),
    path("layanan/<slug:agency>/<slug:service>.pdf", pdf_views.service_pdf, name="service_pdf"),
    path(
        "instansi/<slug:agency>/standar-pelayanan.pdf",
        pdf_views.decree_pdf,
        name="decree_pdf",
    ),
]
