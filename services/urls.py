from django.urls import path

from services import views

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
]
