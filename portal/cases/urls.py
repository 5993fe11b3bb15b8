from django.urls import path

from portal.cases import views

app_name = "cases"

urlpatterns = [
    path("lacak/", views.track, name="track"),
    path("lacak/<str:number>/", views.track_detail, name="track_detail"),
]
