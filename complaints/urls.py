from django.urls import path

from complaints import views
from portal.cases import views as case_views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_create, name="create"),
    path("<str:number>/tanda-terima/", views.complaint_receipt, name="receipt"),
    path("<str:number>/tanda-terima.pdf", case_views.receipt_pdf, name="receipt_pdf"),
    path("lacak/<str:number>/bukti/<int:pk>/", views.track_evidence, name="track_evidence"),
    path("berkas/bukti/<int:pk>/", views.staff_evidence, name="staff_evidence"),
]
